import { EcgMeasurement, MeasuredParameter } from '@aicrn/contracts';
import { AlarmRules, AlarmSettings, DriftKind, DriftRule, KIND_PARAMETER, PhysiologicalKind } from './alarm-settings';
import { Baseline } from './baseline';
import { CusumState } from './cusum';
import { fmt, formatDuration } from './format';

/**
 * What a detector says about one window: the condition is on or off (judged), or the window
 * cannot be judged (missing) — low quality, parameter unmeasured, no baseline yet.
 */
export type RuleReading =
  | { state: 'missing'; reason: string }
  | { state: 'on' | 'off'; value: number; baseline: number | null; threshold: number; detail: string };

export interface RuleInput {
  /** The window, or null when it failed the quality gate. */
  measurement: EcgMeasurement | null;
  baseline: Baseline;
  /** True while an episode of this kind is active: the detector then applies its hysteresis margin. */
  engaged: boolean;
  /** Drift kinds only: the CUSUM already updated with this window (null when it could not be). */
  cusum?: CusumState | null;
}

export const KIND_TITLES: Record<PhysiologicalKind, string> = {
  qtc_prolonged: 'QTc prolonged',
  hr_high: 'Tachycardia',
  hr_low: 'Bradycardia',
  qrs_wide: 'Wide QRS',
  pr_prolonged: 'PR prolonged',
  qtc_increase: 'QTc increase from baseline',
  qrs_widening: 'QRS widening from baseline',
  t_peaking: 'T-wave peaking (hyperkalaemia pattern)',
  hr_change: 'Heart rate change from baseline',
  qtc_drift: 'QTc drift',
  qrs_drift: 'QRS drift',
  pr_drift: 'PR drift',
};

const LABEL: Record<MeasuredParameter, string> = {
  hr_bpm: 'HR',
  pr_ms: 'PR',
  qrs_ms: 'QRS',
  qt_ms: 'QT',
  qtc_ms: 'QTc',
  r_amp_mv: 'R',
  t_amp_mv: 'T',
};

function valueOf(m: EcgMeasurement, p: MeasuredParameter): number | null {
  const v = m[p];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function measured(input: RuleInput, p: MeasuredParameter): number | { state: 'missing'; reason: string } {
  if (!input.measurement) return { state: 'missing', reason: 'window below the quality gate' };
  const v = valueOf(input.measurement, p);
  return v === null ? { state: 'missing', reason: `${p} not measured` } : v;
}

function baselineOf(input: RuleInput, p: MeasuredParameter): number | { state: 'missing'; reason: string } {
  if (!input.baseline.established) return { state: 'missing', reason: 'baseline not established yet' };
  const b = input.baseline.value(p);
  return b === null ? { state: 'missing', reason: `no ${p} baseline` } : b;
}

function upperLimit(p: MeasuredParameter, unit: string, threshold: number, margin: number, input: RuleInput): RuleReading {
  const v = measured(input, p);
  if (typeof v !== 'number') return v;
  const limit = input.engaged ? threshold - margin : threshold;
  const on = v > limit;
  return { state: on ? 'on' : 'off', value: v, baseline: input.baseline.value(p), threshold, detail: `${LABEL[p]} ${fmt(v)} ${unit} (limit > ${fmt(threshold)} ${unit})` };
}

function lowerLimit(p: MeasuredParameter, unit: string, threshold: number, margin: number, input: RuleInput): RuleReading {
  const v = measured(input, p);
  if (typeof v !== 'number') return v;
  const limit = input.engaged ? threshold + margin : threshold;
  return { state: v < limit ? 'on' : 'off', value: v, baseline: input.baseline.value(p), threshold, detail: `${LABEL[p]} ${fmt(v)} ${unit} (limit < ${fmt(threshold)} ${unit})` };
}

function pctChange(value: number, base: number): number {
  return (value / base - 1) * 100;
}

function drift(kind: DriftKind, rule: DriftRule, input: RuleInput): RuleReading {
  const p = KIND_PARAMETER[kind];
  const v = measured(input, p);
  if (typeof v !== 'number') return v;
  const b = baselineOf(input, p);
  if (typeof b !== 'number') return b;
  if (!input.cusum) return { state: 'missing', reason: 'no CUSUM for this window' };
  const sd = driftSd(input.baseline, p, rule);
  const stat = rule.direction === 'up' ? input.cusum.upper_sd : rule.direction === 'down' ? input.cusum.lower_sd : Math.max(input.cusum.upper_sd, input.cusum.lower_sd);
  const on = input.engaged ? stat >= rule.clear_sd : stat > rule.decision_sd;
  const sign = rule.direction === 'down' || (rule.direction === 'both' && input.cusum.lower_sd > input.cusum.upper_sd) ? -1 : 1;
  const reference = b + sign * rule.allowance_sd * sd;
  return {
    state: on ? 'on' : 'off',
    value: v,
    baseline: b,
    threshold: reference,
    detail: `${LABEL[p]} ${fmt(v)} ms, baseline ${fmt(b)} ms; CUSUM ${fmt(stat, 1)} SD (decision ${rule.decision_sd} SD, SD ${fmt(sd, 1)} ms)`,
  };
}

/** SD that scales the drift CUSUM: the baseline's robust SD, floored. */
export function driftSd(baseline: Baseline, p: MeasuredParameter, rule: DriftRule): number {
  return Math.max(baseline.sd(p) ?? 0, rule.min_sd_ms);
}

type Checks = { [K in PhysiologicalKind]: (rule: AlarmRules[K], input: RuleInput) => RuleReading };

const CHECKS: Checks = {
  qtc_prolonged: (r, i) => upperLimit('qtc_ms', 'ms', r.threshold_ms, r.clear_margin_ms, i),
  hr_high: (r, i) => upperLimit('hr_bpm', 'bpm', r.threshold_bpm, r.clear_margin_bpm, i),
  hr_low: (r, i) => lowerLimit('hr_bpm', 'bpm', r.threshold_bpm, r.clear_margin_bpm, i),
  qrs_wide: (r, i) => upperLimit('qrs_ms', 'ms', r.threshold_ms, r.clear_margin_ms, i),
  pr_prolonged: (r, i) => upperLimit('pr_ms', 'ms', r.threshold_ms, r.clear_margin_ms, i),
  qtc_increase: (r, i) => {
    const v = measured(i, 'qtc_ms');
    if (typeof v !== 'number') return v;
    const b = baselineOf(i, 'qtc_ms');
    if (typeof b !== 'number') return b;
    const limit = r.increase_ms - (i.engaged ? r.clear_margin_ms : 0);
    const delta = v - b;
    return { state: delta > limit ? 'on' : 'off', value: v, baseline: b, threshold: b + r.increase_ms, detail: `QTc ${fmt(v)} ms, ${delta >= 0 ? '+' : ''}${fmt(delta)} ms over baseline ${fmt(b)} ms (limit +${fmt(r.increase_ms)} ms)` };
  },
  qrs_widening: (r, i) => {
    const v = measured(i, 'qrs_ms');
    if (typeof v !== 'number') return v;
    const b = baselineOf(i, 'qrs_ms');
    if (typeof b !== 'number') return b;
    if (b <= 0) return { state: 'missing', reason: 'QRS baseline is not positive' };
    const change = pctChange(v, b);
    const limit = r.change_pct - (i.engaged ? r.clear_margin_pct : 0);
    return { state: change > limit ? 'on' : 'off', value: v, baseline: b, threshold: b * (1 + r.change_pct / 100), detail: `QRS ${fmt(v)} ms, ${fmt(change)} % over baseline ${fmt(b)} ms (limit +${r.change_pct} %)` };
  },
  t_peaking: (r, i) => {
    const t = measured(i, 't_amp_mv');
    if (typeof t !== 'number') return t;
    const rAmp = measured(i, 'r_amp_mv');
    if (typeof rAmp !== 'number') return rAmp;
    const bt = baselineOf(i, 't_amp_mv');
    if (typeof bt !== 'number') return bt;
    const br = baselineOf(i, 'r_amp_mv');
    if (typeof br !== 'number') return br;
    if (bt < r.min_baseline_t_mv) return { state: 'missing', reason: `baseline T ${fmt(bt, 2)} mV is below ${r.min_baseline_t_mv} mV (flat or inverted T)` };
    if (br <= 0 || rAmp <= 0) return { state: 'missing', reason: 'R amplitude not positive, T/R ratio undefined' };
    const tChange = pctChange(t, bt);
    const ratioChange = pctChange(t / rAmp, bt / br);
    const m = i.engaged ? r.clear_margin_pct : 0;
    const on = tChange > r.t_increase_pct - m && ratioChange > r.t_r_ratio_increase_pct - m;
    return {
      state: on ? 'on' : 'off',
      value: t,
      baseline: bt,
      threshold: bt * (1 + r.t_increase_pct / 100),
      detail: `T ${fmt(t, 2)} mV (${fmt(tChange)} % over baseline ${fmt(bt, 2)} mV), T/R ratio ${fmt(t / rAmp, 2)} (${fmt(ratioChange)} % over ${fmt(bt / br, 2)}) (limits +${r.t_increase_pct} % / +${r.t_r_ratio_increase_pct} %)`,
    };
  },
  hr_change: (r, i) => {
    const v = measured(i, 'hr_bpm');
    if (typeof v !== 'number') return v;
    const b = baselineOf(i, 'hr_bpm');
    if (typeof b !== 'number') return b;
    if (b <= 0) return { state: 'missing', reason: 'HR baseline is not positive' };
    const change = pctChange(v, b);
    const limit = r.change_pct - (i.engaged ? r.clear_margin_pct : 0);
    const threshold = b * (1 + (Math.sign(change) || 1) * (r.change_pct / 100));
    return { state: Math.abs(change) > limit ? 'on' : 'off', value: v, baseline: b, threshold, detail: `HR ${fmt(v)} bpm, ${change >= 0 ? '+' : ''}${fmt(change)} % from baseline ${fmt(b)} bpm (limit +-${r.change_pct} %)` };
  },
  qtc_drift: (r, i) => drift('qtc_drift', r, i),
  qrs_drift: (r, i) => drift('qrs_drift', r, i),
  pr_drift: (r, i) => drift('pr_drift', r, i),
};

/** Evaluates the detector of `kind` on one window. */
export function checkRule<K extends PhysiologicalKind>(kind: K, settings: AlarmSettings, input: RuleInput): RuleReading {
  return (CHECKS[kind] as (rule: AlarmRules[K], input: RuleInput) => RuleReading)(settings.rules[kind], input);
}

/** The rule as a sentence, e.g. "QTc > 500 ms for 5 min". */
export function ruleText(kind: PhysiologicalKind, settings: AlarmSettings): string {
  const rules = settings.rules;
  const hold = (k: PhysiologicalKind) => formatDuration(rules[k].hold_ms);
  switch (kind) {
    case 'qtc_prolonged':
      return `QTc > ${rules.qtc_prolonged.threshold_ms} ms for ${hold(kind)}`;
    case 'hr_high':
      return `HR > ${rules.hr_high.threshold_bpm} bpm for ${hold(kind)}`;
    case 'hr_low':
      return `HR < ${rules.hr_low.threshold_bpm} bpm for ${hold(kind)}`;
    case 'qrs_wide':
      return `QRS > ${rules.qrs_wide.threshold_ms} ms for ${hold(kind)}`;
    case 'pr_prolonged':
      return `PR > ${rules.pr_prolonged.threshold_ms} ms for ${hold(kind)}`;
    case 'qtc_increase':
      return `QTc increase > ${rules.qtc_increase.increase_ms} ms over baseline for ${hold(kind)}`;
    case 'qrs_widening':
      return `QRS widening > ${rules.qrs_widening.change_pct} % over baseline for ${hold(kind)}`;
    case 't_peaking':
      return `T amplitude > +${rules.t_peaking.t_increase_pct} % and T/R ratio > +${rules.t_peaking.t_r_ratio_increase_pct} % over baseline for ${hold(kind)}`;
    case 'hr_change':
      return `HR change > ${rules.hr_change.change_pct} % from baseline for ${hold(kind)}`;
    case 'qtc_drift':
    case 'qrs_drift':
    case 'pr_drift': {
      const r = rules[kind];
      const dir = r.direction === 'up' ? 'upward' : r.direction === 'down' ? 'downward' : 'two-sided';
      return `${LABEL[KIND_PARAMETER[kind]]} ${dir} drift: CUSUM (k = ${r.allowance_sd} SD) > ${r.decision_sd} SD over baseline for ${hold(kind)}`;
    }
  }
}
