import { DelayStats } from '@aicrn/alarms';
import { EvaluationReport } from './run-evaluation';

const seconds = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(0)} s`);
const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(0)} %`);
const delays = (d: DelayStats): string => (d.count === 0 ? '-' : `${seconds(d.median_ms)} / ${seconds(d.max_ms)}`);

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The report as plain-text tables (what `aicrn eval-alerts` prints without --json). */
export function formatEvaluationReport(r: EvaluationReport): string {
  const s = r.settings;
  const out: string[] = [
    `Alert evaluation: ${r.windows} windows, ${r.bed_hours.toFixed(1)} bed-hours, ${r.beds.length} beds (${s.profile} profile, seed ${s.seed}, ${s.beds_per_condition} beds per condition, ${s.false_alarm_hours} h stable + artefact)`,
    `Pipeline: ingestWindow -> measureWindows (${s.method} ${s.method_version}, QTc ${s.qtc_formula}) -> BedAlarms, scenario time from ${new Date(s.epoch_ms).toISOString()}; ${r.elapsed_s} s on ${s.workers} thread(s)${s.concurrent_beds > 1 ? `, ${s.concurrent_beds} beds at a time` : ''}`,
    '',
    'Scripted conditions (alerted by any of their alert kinds; time from onset, median / max):',
    ...table(
      ['condition', 'alerted', 'sensitivity', 'onset->alert', 'alert kinds'],
      r.conditions.map((c) => [c.kind, `${c.detected}/${c.conditions}`, pct(c.sensitivity), delays(c.onset_to_alert), c.alert_kinds.join(', ')]),
    ),
    '',
    'Per alert kind (required = criterion true in the script for its whole persistence; after hold = alert - (criterion crossing + hold)):',
    ...table(
      ['alert kind', 'required', 'sensitivity', 'alerts', 'false', 'false/bed-h', 'onset->alert', 'after hold', 'allowed only'],
      r.alert_kinds.map((k) => [
        k.kind,
        String(k.required),
        pct(k.sensitivity),
        String(k.alerts),
        String(k.false_alarms),
        k.false_alarms_per_bed_hour === null ? '-' : k.false_alarms_per_bed_hour.toFixed(3),
        delays(k.onset_to_alert),
        delays(k.after_hold),
        String(k.allowed_only),
      ]),
    ),
    '',
    'Scenarios:',
    ...table(
      ['scenario', 'role', 'beds', 'bed-h', 'windows', 'rejected', 'low quality', 'alerts', 'false'],
      r.scenarios.map((x) => [x.name, x.role, String(x.beds), x.bed_hours.toFixed(2), String(x.windows), String(x.rejected_windows), String(x.below_quality_gate), String(x.alerts), String(x.false_alarms)]),
    ),
    '',
  ];
  const fa = r.false_alarm_scenarios;
  if (fa.per_bed_hour !== null) {
    const kinds = Object.entries(fa.by_kind).map(([k, n]) => `${k} ${n}`).join(', ');
    out.push(
      `False alarms on ${fa.scenarios.join(' + ')}: ${fa.false_alarms} in ${fa.bed_hours.toFixed(1)} bed-hours = ${fa.per_bed_hour.toFixed(3)}/bed-hour (95 % upper bound ${fa.upper_95_per_bed_hour!.toFixed(3)})${kinds ? `: ${kinds}` : ''}`,
      '',
    );
  }
  const missed = [
    ...r.conditions.flatMap((c) => c.missed.map((m) => `${c.kind} on ${m.bed_id} (onset ${seconds(m.onset_ms - s.epoch_ms)})`)),
    ...r.alert_kinds.flatMap((k) => k.missed.map((m) => `${k.kind} on ${m.bed_id} (${m.cause}, criterion at ${seconds(m.criterion_ms - s.epoch_ms)})`)),
  ];
  if (missed.length) out.push(`Missed: ${missed.join('; ')}`, '');
  out.push('Checks (issue 6, done when):');
  for (const c of r.checks) out.push(`  ${c.passed ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
  return out.join('\n');
}
