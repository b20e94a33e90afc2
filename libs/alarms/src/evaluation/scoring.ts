import { Alert } from '@aicrn/contracts';
import { PHYSIOLOGICAL_KINDS, TECHNICAL_KINDS } from '../alarm-settings';
import { DEFAULTS } from '../defaults';
import { quantile } from '../statistics';

/** A condition the evaluation scenario put on a bed: ground truth for the alerts. */
export interface ScriptedCondition {
  bed_id: string;
  /** Alert kind expected for it, e.g. qtc_prolonged. */
  kind: string;
  onset_ms: number;
  end_ms: number;
}

/** Time a bed was monitored (for false alarms per bed-hour). */
export interface MonitoredSpan {
  bed_id: string;
  start_ms: number;
  end_ms: number;
}

export interface ScoringOptions {
  /** Persistence per kind, to report the delay after the hold; defaults to DEFAULTS. */
  hold_ms?: Record<string, number>;
  /** An alert raised up to this long after a condition ended still detects it (default 60 s). */
  late_tolerance_ms?: number;
  /** Condition kinds an alert kind may detect besides its own, e.g. { qtc_drift: ['qtc_prolonged'] }. */
  also_detects?: Record<string, string[]>;
}

export interface DelayStats {
  count: number;
  median_ms: number | null;
  p90_ms: number | null;
  max_ms: number | null;
  mean_ms: number | null;
}

export interface KindScore {
  kind: string;
  /** Scripted conditions of this kind. */
  conditions: number;
  detected: number;
  /** detected / conditions; null when there were no conditions of this kind. */
  sensitivity: number | null;
  /** Distinct alerts (alert_id) of this kind. */
  alerts: number;
  /** Alerts matching no scripted condition they may detect. */
  false_alarms: number;
  false_alarms_per_bed_hour: number | null;
  /** Further alerts for a condition that was already detected (flapping / re-raise inside one condition). */
  duplicate_alerts: number;
  /** Condition onset to the first alert that detected it. */
  onset_to_alert: DelayStats;
  /** Delay beyond the persistence period: alert - (onset + hold). */
  after_hold: DelayStats;
  missed: ScriptedCondition[];
  /** Why a figure is null. */
  notes: string[];
}

export interface EvaluationScore {
  bed_hours: number;
  kinds: KindScore[];
}

interface DistinctAlert {
  alert_id: string;
  bed_id: string;
  kind: string;
  raised_ms: number;
}

/**
 * Scores alert events against scripted conditions, per kind: sensitivity, false alarms per
 * bed-hour, and time from onset (and from the end of the persistence period) to the alert.
 * An alert detects a condition on the same bed whose kind it may detect when it is raised between
 * the condition's onset and its end (+ late tolerance). Events are reduced to distinct alert ids.
 */
export function scoreAlerts(input: {
  conditions: readonly ScriptedCondition[];
  alerts: readonly Alert[];
  monitored: readonly MonitoredSpan[];
  options?: ScoringOptions;
}): EvaluationScore {
  const { conditions, alerts, monitored, options = {} } = input;
  conditions.forEach((c, i) => checkSpan(`conditions[${i}]`, c.bed_id, c.onset_ms, c.end_ms, c.kind));
  monitored.forEach((m, i) => checkSpan(`monitored[${i}]`, m.bed_id, m.start_ms, m.end_ms));
  const lateMs = options.late_tolerance_ms ?? 60_000;
  if (!(lateMs >= 0)) throw new Error(`late_tolerance_ms must be >= 0, got ${lateMs}`);

  const bedHours = monitoredHours(monitored);
  const distinct = distinctAlerts(alerts);
  const firstDetection = new Map<ScriptedCondition, number>();
  const falseByKind = new Map<string, number>();
  const duplicateByKind = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

  for (const a of distinct) {
    const detectable = new Set([a.kind, ...(options.also_detects?.[a.kind] ?? [])]);
    const matches = conditions.filter(
      (c) => c.bed_id === a.bed_id && detectable.has(c.kind) && a.raised_ms >= c.onset_ms && a.raised_ms <= c.end_ms + lateMs,
    );
    if (matches.length === 0) {
      inc(falseByKind, a.kind);
      continue;
    }
    const fresh = matches.filter((c) => !firstDetection.has(c));
    if (fresh.length === 0) inc(duplicateByKind, a.kind);
    for (const c of fresh) firstDetection.set(c, a.raised_ms);
  }

  const kinds = [...new Set([...conditions.map((c) => c.kind), ...distinct.map((a) => a.kind)])].sort();
  return {
    bed_hours: bedHours,
    kinds: kinds.map((kind) => {
      const ofKind = conditions.filter((c) => c.kind === kind);
      const detected = ofKind.filter((c) => firstDetection.has(c));
      const notes: string[] = [];
      const hold = options.hold_ms?.[kind] ?? defaultHoldMs(kind);
      if (ofKind.length === 0) notes.push('sensitivity: no scripted condition of this kind');
      if (bedHours === 0) notes.push('false_alarms_per_bed_hour: no monitored time given');
      if (hold === null && detected.length > 0) notes.push('after_hold: no persistence period known for this kind (pass options.hold_ms)');
      const falseAlarms = falseByKind.get(kind) ?? 0;
      const delays = detected.map((c) => firstDetection.get(c)! - c.onset_ms);
      return {
        kind,
        conditions: ofKind.length,
        detected: detected.length,
        sensitivity: ofKind.length ? detected.length / ofKind.length : null,
        alerts: distinct.filter((a) => a.kind === kind).length,
        false_alarms: falseAlarms,
        false_alarms_per_bed_hour: bedHours > 0 ? falseAlarms / bedHours : null,
        duplicate_alerts: duplicateByKind.get(kind) ?? 0,
        onset_to_alert: delayStats(delays),
        after_hold: delayStats(hold === null ? [] : delays.map((d) => d - hold)),
        missed: ofKind.filter((c) => !firstDetection.has(c)),
        notes,
      };
    }),
  };
}

function checkSpan(what: string, bedId: unknown, startMs: number, endMs: number, kind?: unknown): void {
  if (typeof bedId !== 'string' || bedId.length === 0) throw new Error(`${what}: bed_id must be a non-empty string`);
  if (kind !== undefined && (typeof kind !== 'string' || kind.length === 0)) throw new Error(`${what}: kind must be a non-empty string`);
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs < startMs) throw new Error(`${what}: needs finite start <= end, got ${startMs}..${endMs}`);
}

function distinctAlerts(alerts: readonly Alert[]): DistinctAlert[] {
  const byId = new Map<string, DistinctAlert>();
  for (const a of alerts) {
    const seen = byId.get(a.alert_id);
    if (!seen || a.raised_ms < seen.raised_ms) byId.set(a.alert_id, { alert_id: a.alert_id, bed_id: a.bed_id, kind: a.kind, raised_ms: a.raised_ms });
  }
  return [...byId.values()].sort((x, y) => x.raised_ms - y.raised_ms || x.alert_id.localeCompare(y.alert_id));
}

/** Bed-hours with overlapping spans of the same bed counted once. */
function monitoredHours(spans: readonly MonitoredSpan[]): number {
  const byBed = new Map<string, MonitoredSpan[]>();
  for (const s of spans) byBed.set(s.bed_id, [...(byBed.get(s.bed_id) ?? []), s]);
  let ms = 0;
  for (const list of byBed.values()) {
    const sorted = [...list].sort((a, b) => a.start_ms - b.start_ms);
    let [start, end] = [sorted[0].start_ms, sorted[0].end_ms];
    for (const s of sorted.slice(1)) {
      if (s.start_ms > end) {
        ms += end - start;
        [start, end] = [s.start_ms, s.end_ms];
      } else end = Math.max(end, s.end_ms);
    }
    ms += end - start;
  }
  return ms / 3_600_000;
}

function defaultHoldMs(kind: string): number | null {
  if ((PHYSIOLOGICAL_KINDS as readonly string[]).includes(kind)) return DEFAULTS.rules[kind as (typeof PHYSIOLOGICAL_KINDS)[number]].hold_ms;
  if ((TECHNICAL_KINDS as readonly string[]).includes(kind)) return DEFAULTS.quality.technical_hold_ms;
  return null;
}

function delayStats(values: number[]): DelayStats {
  if (values.length === 0) return { count: 0, median_ms: null, p90_ms: null, max_ms: null, mean_ms: null };
  return {
    count: values.length,
    median_ms: quantile(values, 0.5),
    p90_ms: quantile(values, 0.9),
    max_ms: Math.max(...values),
    mean_ms: values.reduce((s, v) => s + v, 0) / values.length,
  };
}
