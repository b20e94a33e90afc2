import { AlertPriority, MeasuredParameter } from '@aicrn/contracts';

/** Physiological alarm kinds, one detector each. */
export const LIMIT_KINDS = ['qtc_prolonged', 'hr_high', 'hr_low', 'qrs_wide', 'pr_prolonged'] as const;
export const CHANGE_KINDS = ['qtc_increase', 'qrs_widening', 't_peaking', 'hr_change'] as const;
export const DRIFT_KINDS = ['qtc_drift', 'qrs_drift', 'pr_drift'] as const;
export const PHYSIOLOGICAL_KINDS = [...LIMIT_KINDS, ...CHANGE_KINDS, ...DRIFT_KINDS] as const;
/** Technical alarm kinds, raised by the signal quality gate. */
export const TECHNICAL_KINDS = ['lead_off', 'noisy_signal'] as const;

export type LimitKind = (typeof LIMIT_KINDS)[number];
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export type DriftKind = (typeof DRIFT_KINDS)[number];
export type PhysiologicalKind = (typeof PHYSIOLOGICAL_KINDS)[number];
export type TechnicalKind = (typeof TECHNICAL_KINDS)[number];
export type AlarmKind = PhysiologicalKind | TechnicalKind;

/** What every detector shares: on/off, IEC priority, and how long the condition must hold before it alarms. */
export interface RuleCommon {
  enabled: boolean;
  priority: AlertPriority;
  hold_ms: number;
}

export interface MsLimitRule extends RuleCommon {
  threshold_ms: number;
  /** Hysteresis: an active condition ends only once the value is back past threshold minus this margin. */
  clear_margin_ms: number;
}

export interface BpmLimitRule extends RuleCommon {
  threshold_bpm: number;
  clear_margin_bpm: number;
}

export interface QtcIncreaseRule extends RuleCommon {
  increase_ms: number;
  clear_margin_ms: number;
}

export interface PercentChangeRule extends RuleCommon {
  /** qrs_widening: increase over baseline; hr_change: change in either direction. */
  change_pct: number;
  clear_margin_pct: number;
}

export interface TPeakingRule extends RuleCommon {
  t_increase_pct: number;
  /** T/R ratio must rise too, so a gain change (R and T both larger) is not read as peaking. */
  t_r_ratio_increase_pct: number;
  clear_margin_pct: number;
  /** Percentages of a flat or inverted baseline T wave are meaningless: below this the rule is not evaluated. */
  min_baseline_t_mv: number;
}

export type DriftDirection = 'up' | 'down' | 'both';

export interface DriftRule extends RuleCommon {
  direction: DriftDirection;
  /** CUSUM allowance k, in baseline standard deviations. */
  allowance_sd: number;
  /** CUSUM decision interval h, in baseline standard deviations. */
  decision_sd: number;
  /** An active drift ends once the CUSUM falls below this (hysteresis). */
  clear_sd: number;
  /** Each window's standardized deviation is clipped to +-clip_sd, so one outlier cannot cross h alone. */
  clip_sd: number;
  /** Floor of the baseline standard deviation: a very quiet baseline must not make the CUSUM hair-trigger. */
  min_sd_ms: number;
}

export interface AlarmRules {
  qtc_prolonged: MsLimitRule;
  hr_high: BpmLimitRule;
  hr_low: BpmLimitRule;
  qrs_wide: MsLimitRule;
  pr_prolonged: MsLimitRule;
  qtc_increase: QtcIncreaseRule;
  qrs_widening: PercentChangeRule;
  t_peaking: TPeakingRule;
  hr_change: PercentChangeRule;
  qtc_drift: DriftRule;
  qrs_drift: DriftRule;
  pr_drift: DriftRule;
}

export interface QualitySettings {
  /** Windows with quality below this never feed baselines or detectors. */
  min_quality: number;
  /** A technical alarm ends once quality is back at min_quality + clear_margin. */
  clear_margin: number;
  /** How long quality must stay low before a technical alarm (lead off / noisy signal). */
  technical_hold_ms: number;
  technical_priority: AlertPriority;
  lead_off_priority: AlertPriority;
}

export interface BaselineSettings {
  /** Good-quality signal time collected before the baseline is fixed. */
  duration_ms: number;
  /** A parameter's baseline needs a value in at least this fraction of the baseline windows, else it is null. */
  min_measured_fraction: number;
}

export interface PersistenceSettings {
  /** Longest run without a qualifying window (low quality, unmeasured or no data) that does not restart a hold. */
  gap_tolerance_ms: number;
  /** Fraction of the held time that must be covered by windows meeting the condition. */
  min_coverage: number;
}

export interface LifecycleSettings {
  /** An unacknowledged medium-priority alert becomes high priority (state escalated) after this. */
  escalate_after_ms: number;
  /** Minimum time between the end of an episode and a new alert of the same kind. */
  rearm_ms: number;
  /** Most evidence window ids carried by an alert. */
  evidence_limit: number;
}

/** Fully resolved detector and lifecycle settings of one bed (defaults merged with the bed profile). */
export interface AlarmSettings {
  quality: QualitySettings;
  baseline: BaselineSettings;
  persistence: PersistenceSettings;
  lifecycle: LifecycleSettings;
  rules: AlarmRules;
}

/** The parameter each physiological kind watches. */
export const KIND_PARAMETER: Record<PhysiologicalKind, MeasuredParameter> = {
  qtc_prolonged: 'qtc_ms',
  hr_high: 'hr_bpm',
  hr_low: 'hr_bpm',
  qrs_wide: 'qrs_ms',
  pr_prolonged: 'pr_ms',
  qtc_increase: 'qtc_ms',
  qrs_widening: 'qrs_ms',
  t_peaking: 't_amp_mv',
  hr_change: 'hr_bpm',
  qtc_drift: 'qtc_ms',
  qrs_drift: 'qrs_ms',
  pr_drift: 'pr_ms',
};
