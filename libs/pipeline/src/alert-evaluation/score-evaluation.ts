import { Alert } from '@aicrn/contracts';
import { AlarmSettings, DelayStats, KindScore, MonitoredSpan, PHYSIOLOGICAL_KINDS, PhysiologicalKind, scoreAlerts, ScriptedCondition } from '@aicrn/alarms';
import { BedRunResult } from './bed-run';
import { EvaluationBed } from './evaluation-scenarios';
import { BedGroundTruth, PRIMARY_ALERT_KINDS, TruthCondition } from './ground-truth';

/** One evaluated bed: plan, pipeline result and ground truth. */
export interface EvaluatedBed {
  bed: EvaluationBed;
  result: BedRunResult;
  truth: BedGroundTruth;
}

export interface ConditionRow {
  /** Scripted condition kind (qt_prolongation, tachycardia, ...). */
  kind: string;
  alert_kinds: readonly string[];
  conditions: number;
  detected: number;
  sensitivity: number | null;
  /** Scripted onset to the first alert of any of alert_kinds. */
  onset_to_alert: DelayStats;
  missed: Array<{ bed_id: string; onset_ms: number }>;
}

export interface AlertKindRow {
  kind: string;
  /** Truth conditions of this kind that had to be alerted (criterion held through its persistence). */
  required: number;
  detected: number;
  sensitivity: number | null;
  /** Further truth spans in which this kind was allowed but not required (too short, or a side effect). */
  allowed_only: number;
  /** Distinct alerts (alert ids). */
  alerts: number;
  false_alarms: number;
  false_alarms_per_bed_hour: number | null;
  duplicate_alerts: number;
  /** Scripted onset of the cause to the alert. */
  onset_to_alert: DelayStats;
  /** Alert minus (scripted criterion crossing + the kind's persistence): the delay the detector adds after its hold. */
  after_hold: DelayStats;
  missed: Array<{ bed_id: string; cause: string; criterion_ms: number }>;
}

export interface ScenarioRow {
  name: string;
  role: EvaluationBed['role'];
  beds: number;
  bed_hours: number;
  windows: number;
  rejected_windows: number;
  below_quality_gate: number;
  alerts: number;
  false_alarms: number;
}

export interface FalseAlarmSummary {
  scenarios: string[];
  bed_hours: number;
  false_alarms: number;
  per_bed_hour: number | null;
  /** One-sided 95 % upper bound of the rate (exact Poisson; 3/bed-hours when no false alarm was seen). */
  upper_95_per_bed_hour: number | null;
  by_kind: Record<string, number>;
}

export interface EvaluationCheck {
  name: string;
  passed: boolean;
  value: number | null;
  limit: number;
  detail: string;
}

export interface EvaluationScores {
  bed_hours: number;
  conditions: ConditionRow[];
  alert_kinds: AlertKindRow[];
  scenarios: ScenarioRow[];
  false_alarm_scenarios: FalseAlarmSummary;
  checks: EvaluationCheck[];
}

const LATE_TOLERANCE_MS = 60_000;
const HR_KINDS = ['hr_high', 'hr_low', 'hr_change'];
/** Done-when limits of issue 6. */
export const HR_AFTER_HOLD_LIMIT_MS = 10_000;
export const FALSE_ALARMS_PER_BED_HOUR_LIMIT = 0.1;

/** Scores an evaluation run against its ground truth (see ground-truth.ts for what counts as true). */
export function scoreEvaluation(beds: readonly EvaluatedBed[], settings: AlarmSettings): EvaluationScores {
  const alerts = beds.flatMap((b) => b.result.events);
  const monitored = beds.map(monitoredSpan);
  const truths = beds.flatMap((b) => b.truth.conditions);
  const asScripted = (t: TruthCondition): ScriptedCondition => ({ bed_id: t.bed_id, kind: t.kind, onset_ms: t.onset_ms, end_ms: t.end_ms });
  const options = { late_tolerance_ms: LATE_TOLERANCE_MS };

  const everyTruth = scoreAlerts({ conditions: truths.map(asScripted), alerts, monitored, options });
  const required = truths.filter((t) => t.required);
  const requiredScore = scoreAlerts({ conditions: required.map(asScripted), alerts, monitored, options });
  const alertsByBed = groupBy(alerts, (a) => a.bed_id);

  const kinds = [...new Set([...everyTruth.kinds.map((k) => k.kind), ...required.map((t) => t.kind)])].sort();
  const alertKinds: AlertKindRow[] = kinds.map((kind) => {
    const all = everyTruth.kinds.find((k) => k.kind === kind)!;
    const req: KindScore | undefined = requiredScore.kinds.find((k) => k.kind === kind && k.conditions > 0);
    const ofKind = required.filter((t) => t.kind === kind);
    const afterHold = ofKind.flatMap((t) => {
      const delay = detectionDelayMs(t, alertsByBed.get(t.bed_id) ?? []);
      return delay === null ? [] : [t.onset_ms + delay - (t.criterion_ms + holdMs(kind, settings))];
    });
    const missed = req ? new Set(req.missed) : new Set<ScriptedCondition>();
    return {
      kind,
      required: ofKind.length,
      detected: req?.detected ?? 0,
      sensitivity: req?.sensitivity ?? null,
      allowed_only: truths.filter((t) => t.kind === kind && !t.required).length,
      alerts: all.alerts,
      false_alarms: all.false_alarms,
      false_alarms_per_bed_hour: all.false_alarms_per_bed_hour,
      duplicate_alerts: all.duplicate_alerts,
      onset_to_alert: req?.onset_to_alert ?? delayStats([]),
      after_hold: delayStats(afterHold),
      missed: ofKind
        .filter((t) => [...missed].some((m) => m.bed_id === t.bed_id && m.onset_ms === t.onset_ms && m.end_ms === t.end_ms))
        .map((t) => ({ bed_id: t.bed_id, cause: t.cause, criterion_ms: t.criterion_ms })),
    };
  });

  const clinical = beds.flatMap((b) => b.truth.clinical).filter((c) => c.alarm_expected);
  const alsoDetects: Record<string, string[]> = {};
  for (const [condition, kindsOf] of Object.entries(PRIMARY_ALERT_KINDS)) for (const k of kindsOf) (alsoDetects[k] ??= []).push(condition);
  const clinicalScore = scoreAlerts({ conditions: clinical, alerts, monitored, options: { ...options, also_detects: alsoDetects } });
  const conditions: ConditionRow[] = [...new Set(clinical.map((c) => c.kind))].sort().map((kind) => {
    const row = clinicalScore.kinds.find((k) => k.kind === kind)!;
    return {
      kind,
      alert_kinds: PRIMARY_ALERT_KINDS[kind],
      conditions: row.conditions,
      detected: row.detected,
      sensitivity: row.sensitivity,
      onset_to_alert: row.onset_to_alert,
      missed: row.missed.map((m) => ({ bed_id: m.bed_id, onset_ms: m.onset_ms })),
    };
  });

  const falseByBed = falseAlarmsByBed(truths, alerts);
  const scenarios = [...new Set(beds.map((b) => b.bed.scenario))].map((name): ScenarioRow => {
    const of = beds.filter((b) => b.bed.scenario === name);
    return {
      name,
      role: of[0].bed.role,
      beds: of.length,
      bed_hours: sum(of.map((b) => (b.result.end_ms - b.result.start_ms) / 3_600_000)),
      windows: sum(of.map((b) => b.result.stats.windows)),
      rejected_windows: sum(of.map((b) => b.result.stats.rejected)),
      below_quality_gate: sum(of.map((b) => b.result.stats.below_quality_gate)),
      alerts: sum(of.map((b) => new Set(b.result.events.map((e) => e.alert_id)).size)),
      false_alarms: sum(of.map((b) => falseByBed.get(b.result.bed_id)?.length ?? 0)),
    };
  });

  const faBeds = beds.filter((b) => b.bed.role === 'false_alarm');
  const faHours = sum(faBeds.map((b) => (b.result.end_ms - b.result.start_ms) / 3_600_000));
  const faAlerts = faBeds.flatMap((b) => falseByBed.get(b.result.bed_id) ?? []);
  const byKind: Record<string, number> = {};
  for (const a of faAlerts) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
  const falseAlarmScenarios: FalseAlarmSummary = {
    scenarios: [...new Set(faBeds.map((b) => b.bed.scenario))],
    bed_hours: faHours,
    false_alarms: faAlerts.length,
    per_bed_hour: faHours > 0 ? faAlerts.length / faHours : null,
    upper_95_per_bed_hour: faHours > 0 ? poissonUpper95(faAlerts.length) / faHours : null,
    by_kind: byKind,
  };

  return {
    bed_hours: everyTruth.bed_hours,
    conditions,
    alert_kinds: alertKinds,
    scenarios,
    false_alarm_scenarios: falseAlarmScenarios,
    checks: doneWhenChecks(conditions, alertKinds, falseAlarmScenarios),
  };
}

function doneWhenChecks(conditions: ConditionRow[], kinds: AlertKindRow[], fa: FalseAlarmSummary): EvaluationCheck[] {
  const total = sum(conditions.map((c) => c.conditions));
  const detected = sum(conditions.map((c) => c.detected));
  const hr = kinds.filter((k) => HR_KINDS.includes(k.kind) && k.after_hold.count > 0);
  const hrMax = hr.length ? Math.max(...hr.map((k) => k.after_hold.max_ms!)) : null;
  const hrMissing = kinds.filter((k) => HR_KINDS.includes(k.kind)).reduce((n, k) => n + (k.required - k.detected), 0);
  return [
    {
      name: 'every scripted condition alerted',
      passed: total > 0 && detected === total,
      value: total > 0 ? detected / total : null,
      limit: 1,
      detail: `${detected} of ${total} scripted conditions alerted`,
    },
    {
      name: 'HR alerts within 10 s after the persistence period',
      passed: hrMax !== null && hrMax <= HR_AFTER_HOLD_LIMIT_MS && hrMissing === 0,
      value: hrMax,
      limit: HR_AFTER_HOLD_LIMIT_MS,
      detail: hrMax === null ? 'no HR condition was alerted' : `worst ${hrMax / 1000} s after the hold over ${sum(hr.map((k) => k.after_hold.count))} HR alerts${hrMissing ? `; ${hrMissing} required HR alerts missing` : ''}`,
    },
    {
      name: 'false alarms per bed-hour on stable and artefact scenarios',
      passed: fa.per_bed_hour !== null && fa.per_bed_hour <= FALSE_ALARMS_PER_BED_HOUR_LIMIT,
      value: fa.per_bed_hour,
      limit: FALSE_ALARMS_PER_BED_HOUR_LIMIT,
      detail: fa.per_bed_hour === null ? 'no false-alarm scenario was run' : `${fa.false_alarms} false alarms in ${fa.bed_hours.toFixed(1)} bed-hours (95 % upper bound ${fa.upper_95_per_bed_hour!.toFixed(3)}/bed-hour)`,
    },
  ];
}

/** Alerts (distinct ids) of each bed that match no truth condition of their kind. */
function falseAlarmsByBed(truths: readonly TruthCondition[], alerts: readonly Alert[]): Map<string, Alert[]> {
  const out = new Map<string, Alert[]>();
  const seen = new Set<string>();
  for (const a of alerts) {
    if (seen.has(a.alert_id)) continue;
    seen.add(a.alert_id);
    const justified = truths.some((t) => t.bed_id === a.bed_id && t.kind === a.kind && a.raised_ms >= t.onset_ms && a.raised_ms <= t.end_ms + LATE_TOLERANCE_MS);
    if (!justified) out.set(a.bed_id, [...(out.get(a.bed_id) ?? []), a]);
  }
  return out;
}

/** Onset-to-alert of one truth condition, with the same matching rule as scoreAlerts; null when not detected. */
function detectionDelayMs(t: TruthCondition, bedAlerts: readonly Alert[]): number | null {
  const score = scoreAlerts({
    conditions: [{ bed_id: t.bed_id, kind: t.kind, onset_ms: t.onset_ms, end_ms: t.end_ms }],
    alerts: bedAlerts.filter((a) => a.kind === t.kind),
    monitored: [],
    options: { late_tolerance_ms: LATE_TOLERANCE_MS },
  });
  return score.kinds.find((k) => k.kind === t.kind)?.onset_to_alert.max_ms ?? null;
}

function holdMs(kind: string, settings: AlarmSettings): number {
  if ((PHYSIOLOGICAL_KINDS as readonly string[]).includes(kind)) return settings.rules[kind as PhysiologicalKind].hold_ms;
  return settings.quality.technical_hold_ms;
}

function monitoredSpan(b: EvaluatedBed): MonitoredSpan {
  return { bed_id: b.result.bed_id, start_ms: b.result.start_ms, end_ms: b.result.end_ms };
}

/** Same definition as the scoring in @aicrn/alarms (linear interpolation). */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function delayStats(values: number[]): DelayStats {
  if (values.length === 0) return { count: 0, median_ms: null, p90_ms: null, max_ms: null, mean_ms: null };
  return { count: values.length, median_ms: quantile(values, 0.5), p90_ms: quantile(values, 0.9), max_ms: Math.max(...values), mean_ms: sum(values) / values.length };
}

/** Exact one-sided 95 % upper confidence limit of a Poisson count (chi-square via bisection on the CDF). */
export function poissonUpper95(count: number): number {
  const cdf = (lambda: number) => {
    let term = Math.exp(-lambda);
    let total = term;
    for (let k = 1; k <= count; k++) total += (term *= lambda / k);
    return total;
  };
  let lo = 0;
  let hi = count + 10 + 10 * Math.sqrt(count + 1);
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) > 0.05) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

function sum(values: number[]): number {
  return values.reduce((s, v) => s + v, 0);
}
