import { AlarmSettings } from './alarm-settings';

/*
 * Sources of the clinical defaults (also in DEFAULTS_TABLE for the README):
 * [AHA-TdP]   Drew BJ et al. Prevention of torsade de pointes in hospital settings. AHA/ACCF scientific
 *             statement. Circulation 2010;121:1047-1060 — QTc > 500 ms or an increase > 60 ms from the
 *             pre-drug baseline indicates high risk of TdP.
 * [AHA-Mon]   Sandau KE et al. Update to practice standards for electrocardiographic monitoring in hospital
 *             settings. Circulation 2017;136:e273-e344 — QTc monitoring, alarm fatigue, per-patient limits.
 * [AHA-IVCD]  Surawicz B et al. AHA/ACCF/HRS recommendations for the standardization and interpretation of
 *             the ECG, part III: intraventricular conduction disturbances. Circulation 2009;119:e235 — QRS >= 120 ms.
 * [ACC-Brady] Kusumoto FM et al. 2018 ACC/AHA/HRS guideline on bradycardia and cardiac conduction delay.
 *             Circulation 2019;140:e382 — first-degree AV block: PR > 200 ms.
 * [ESC-AF]    Camm AJ et al. ESC guidelines for the management of atrial fibrillation. Eur Heart J
 *             2010;31:2369 (antiarrhythmic drug table) — stop class IC drugs when QRS widens > 25 % over baseline.
 * [Vendor]    Common adult bedside-monitor default HR limits (50/120 bpm); not a guideline number, meant to be
 *             set per patient ([AHA-Mon]).
 * [Issue-6]   Project specification (issue 6): heuristic thresholds without a guideline number — T-wave
 *             peaking +50 % with T/R ratio rising (hyperkalaemia pattern), HR change > 30 %, hold durations,
 *             quality gate 0.5 / 30 s. Alarm delays against alarm fatigue: AACN practice alert "Managing
 *             alarms in acute care across the life span" (2018).
 * [Page]      Page ES. Continuous inspection schemes. Biometrika 1954;41:100-115 (CUSUM). The allowance k is
 *             half the shift to detect (Montgomery, Introduction to Statistical Quality Control): k = 1 SD
 *             targets a 2-SD shift (16 ms for QTc at the 8-ms SD floor). The textbook k = 0.5 SD, h = 5 SD
 *             false-alarms every few hours here because the 5-min baseline median itself is off by ~0.2 SD.
 *             h = 8 SD measured on simulated 10-s windows (15 seeds x 12 h per noise level, QTc drift only):
 *             0 false drift alarms in 180 bed-hours at noise SD 5 and 10 ms, 1 in 180 bed-hours at 15 ms;
 *             a +80 ms / 30 min ramp from 420 ms was flagged 4-14 min into the ramp (QTc 431-457 ms).
 * [IEC]       IEC 60601-1-8:2006+A2:2020 — priorities, latching, technical alarm conditions. Escalation delay
 *             and re-arm interval are project defaults; the standard leaves them to the manufacturer.
 */

const MIN = 60_000;

/** Clinical defaults of every detector; a bed profile overrides any subset (see bedProfileSchema). */
export const DEFAULTS: AlarmSettings = deepFreeze({
  quality: { min_quality: 0.5, clear_margin: 0.1, technical_hold_ms: 30_000, technical_priority: 'low', lead_off_priority: 'medium' },
  baseline: { duration_ms: 5 * MIN, min_measured_fraction: 0.5 },
  persistence: { gap_tolerance_ms: 20_000, min_coverage: 0.7 },
  lifecycle: { escalate_after_ms: 2 * MIN, rearm_ms: 2 * MIN, evidence_limit: 30 },
  rules: {
    qtc_prolonged: { enabled: true, priority: 'medium', hold_ms: 5 * MIN, threshold_ms: 500, clear_margin_ms: 10 },
    hr_high: { enabled: true, priority: 'medium', hold_ms: 30_000, threshold_bpm: 120, clear_margin_bpm: 5 },
    hr_low: { enabled: true, priority: 'medium', hold_ms: 30_000, threshold_bpm: 50, clear_margin_bpm: 5 },
    qrs_wide: { enabled: true, priority: 'low', hold_ms: 2 * MIN, threshold_ms: 120, clear_margin_ms: 5 },
    pr_prolonged: { enabled: true, priority: 'low', hold_ms: 2 * MIN, threshold_ms: 200, clear_margin_ms: 10 },
    qtc_increase: { enabled: true, priority: 'medium', hold_ms: 5 * MIN, increase_ms: 60, clear_margin_ms: 10 },
    qrs_widening: { enabled: true, priority: 'medium', hold_ms: 2 * MIN, change_pct: 25, clear_margin_pct: 5 },
    t_peaking: {
      enabled: true,
      priority: 'medium',
      hold_ms: 2 * MIN,
      t_increase_pct: 50,
      t_r_ratio_increase_pct: 30,
      clear_margin_pct: 10,
      min_baseline_t_mv: 0.05,
    },
    hr_change: { enabled: true, priority: 'low', hold_ms: 30_000, change_pct: 30, clear_margin_pct: 5 },
    qtc_drift: drift(8),
    qrs_drift: drift(4),
    pr_drift: drift(6),
  },
} satisfies AlarmSettings);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function drift(minSdMs: number) {
  return {
    enabled: true,
    priority: 'low' as const,
    hold_ms: MIN,
    direction: 'up' as const,
    allowance_sd: 1,
    decision_sd: 8,
    clear_sd: 4,
    clip_sd: 3,
    min_sd_ms: minSdMs,
  };
}

/** Short citations of the DEFAULTS_TABLE source keys (full notes in the comment at the top of this file). */
export const DEFAULT_SOURCES: Readonly<Record<string, string>> = Object.freeze({
  'AHA-TdP': 'Drew BJ et al., Prevention of torsade de pointes in hospital settings, Circulation 2010;121:1047-1060',
  'AHA-Mon': 'Sandau KE et al., Update to practice standards for ECG monitoring in hospital settings, Circulation 2017;136:e273-e344',
  'AHA-IVCD': 'Surawicz B et al., AHA/ACCF/HRS ECG standardization part III: intraventricular conduction disturbances, Circulation 2009;119:e235',
  'ACC-Brady': 'Kusumoto FM et al., 2018 ACC/AHA/HRS guideline on bradycardia and conduction delay, Circulation 2019;140:e382',
  'ESC-AF': 'Camm AJ et al., ESC guidelines for atrial fibrillation, Eur Heart J 2010;31:2369 (class IC: QRS +25 %)',
  Vendor: 'Common adult bedside-monitor default HR limits; to be set per patient (AHA-Mon)',
  'Issue-6': 'Project specification (issue 6): heuristic without a guideline number; alarm delays per AACN practice alert 2018',
  Page: 'Page ES, Continuous inspection schemes, Biometrika 1954;41:100-115; k, h chosen by simulation (see defaults.ts)',
  IEC: 'IEC 60601-1-8:2006+A2:2020 alarm systems; delay values are project defaults (left to the manufacturer)',
});

export interface DefaultsRow {
  /** Path in AlarmSettings / the bed profile, e.g. "rules.qtc_prolonged.threshold_ms". */
  setting: string;
  value: number | string | boolean;
  meaning: string;
  source: string;
}

/** The defaults with their meaning and source, one row per setting, for the README and the API. */
export const DEFAULTS_TABLE: readonly DefaultsRow[] = [
  row('rules.qtc_prolonged.threshold_ms', 'QTc absolute limit (ms)', 'AHA-TdP'),
  row('rules.qtc_prolonged.hold_ms', 'QTc must stay above the limit this long', 'Issue-6, AHA-Mon'),
  row('rules.qtc_increase.increase_ms', 'QTc increase over baseline (ms)', 'AHA-TdP'),
  row('rules.qtc_increase.hold_ms', 'QTc increase must persist this long', 'Issue-6'),
  row('rules.hr_high.threshold_bpm', 'Tachycardia limit (bpm)', 'Vendor'),
  row('rules.hr_low.threshold_bpm', 'Bradycardia limit (bpm)', 'Vendor'),
  row('rules.hr_high.hold_ms', 'HR limits must be exceeded this long', 'Issue-6'),
  row('rules.qrs_wide.threshold_ms', 'QRS absolute limit (ms)', 'AHA-IVCD'),
  row('rules.pr_prolonged.threshold_ms', 'PR absolute limit (ms), first-degree AV block', 'ACC-Brady'),
  row('rules.qrs_wide.hold_ms', 'QRS / PR / T rules hold time', 'Issue-6'),
  row('rules.qrs_widening.change_pct', 'QRS widening over baseline (%)', 'ESC-AF'),
  row('rules.t_peaking.t_increase_pct', 'T amplitude increase over baseline (%)', 'Issue-6'),
  row('rules.t_peaking.t_r_ratio_increase_pct', 'T/R ratio increase over baseline (%)', 'Issue-6'),
  row('rules.hr_change.change_pct', 'HR change from baseline, either direction (%)', 'Issue-6'),
  row('rules.qtc_drift.allowance_sd', 'CUSUM allowance k (baseline SD)', 'Page'),
  row('rules.qtc_drift.decision_sd', 'CUSUM decision interval h (baseline SD)', 'Page'),
  row('rules.qtc_drift.min_sd_ms', 'Floor of the QTc baseline SD (ms)', 'Page'),
  row('rules.qtc_drift.hold_ms', 'Drift must persist this long', 'Issue-6'),
  row('rules.qtc_drift.clip_sd', 'Per-window deviation clipped to this (one outlier cannot alarm)', 'Page'),
  row('rules.qtc_drift.clear_sd', 'Drift episode ends once the CUSUM is below this', 'Page'),
  row('rules.qrs_drift.min_sd_ms', 'Floor of the QRS baseline SD (ms)', 'Page'),
  row('rules.pr_drift.min_sd_ms', 'Floor of the PR baseline SD (ms)', 'Page'),
  row('rules.qtc_prolonged.clear_margin_ms', 'Hysteresis: QTc must fall below limit minus this to end an episode', 'IEC'),
  row('rules.hr_high.clear_margin_bpm', 'Hysteresis for the HR limits (bpm)', 'IEC'),
  row('rules.t_peaking.min_baseline_t_mv', 'T peaking not evaluated below this baseline T (mV)', 'Issue-6'),
  row('rules.qtc_prolonged.priority', 'IEC priority of QTc, HR, QRS-widening, T-peaking alerts', 'IEC'),
  row('rules.pr_prolonged.priority', 'IEC priority of PR, absolute QRS, HR-change and drift alerts', 'IEC'),
  row('quality.lead_off_priority', 'Priority of the lead_off technical alert (noisy_signal: low)', 'IEC'),
  row('quality.clear_margin', 'Technical alert ends at min_quality + this', 'Issue-6'),
  row('baseline.min_measured_fraction', 'Parameter baseline needs values in this fraction of windows', 'Issue-6'),
  row('lifecycle.evidence_limit', 'Most evidence window ids per alert', 'Issue-6'),
  row('quality.min_quality', 'Windows below this quality never feed detectors', 'Issue-6'),
  row('quality.technical_hold_ms', 'Low quality this long raises lead_off / noisy_signal', 'Issue-6, IEC'),
  row('baseline.duration_ms', 'Good-quality time that forms the baseline (median)', 'Issue-6'),
  row('persistence.gap_tolerance_ms', 'Missing/low-quality run tolerated inside a hold', 'Issue-6'),
  row('persistence.min_coverage', 'Fraction of a hold covered by qualifying windows', 'Issue-6'),
  row('lifecycle.escalate_after_ms', 'Unacknowledged medium alert escalates to high after', 'IEC'),
  row('lifecycle.rearm_ms', 'Minimum time from an episode end to a new alert of that kind', 'IEC'),
];

function row(setting: string, meaning: string, source: string): DefaultsRow {
  return { setting, value: settingAt(DEFAULTS, setting), meaning, source };
}

/** Value of a dotted settings path; throws naming the path when it does not exist. */
export function settingAt(settings: AlarmSettings, path: string): number | string | boolean {
  let node: unknown = settings;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`unknown alarm setting "${path}"`);
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'object') throw new Error(`alarm setting "${path}" is a group, not a value`);
  return node as number | string | boolean;
}

/** DEFAULTS_TABLE as a Markdown table followed by the list of sources. */
export function renderDefaultsTable(rows: readonly DefaultsRow[] = DEFAULTS_TABLE): string {
  const lines = ['| Setting | Default | Meaning | Source |', '| --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| \`${r.setting}\` | ${r.value} | ${r.meaning} | ${r.source} |`);
  const used = [...new Set(rows.flatMap((r) => sourceKeys(r.source)))];
  lines.push('', ...used.map((k) => `- **${k}**: ${DEFAULT_SOURCES[k] ?? 'unknown source'}`));
  return lines.join('\n');
}

/** The DEFAULT_SOURCES keys of a row's source ("Issue-6, IEC" -> ["Issue-6", "IEC"]). */
export function sourceKeys(source: string): string[] {
  return source.split(',').map((k) => k.trim()).filter(Boolean);
}
