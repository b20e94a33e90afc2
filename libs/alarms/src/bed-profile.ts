import { z } from 'zod';
import { AlarmSettings } from './alarm-settings';
import { DEFAULTS } from './defaults';

const HOUR_MS = 3_600_000;
const priority = z.enum(['high', 'medium', 'low']);
const holdMs = z.number().int().min(0).max(HOUR_MS);
const pct = z.number().positive().max(500);
const marginPct = z.number().min(0).max(100);

function rule<T extends z.ZodRawShape>(fields: T) {
  return z.strictObject({ enabled: z.boolean(), priority, hold_ms: holdMs, ...fields });
}

const driftRule = rule({
  direction: z.enum(['up', 'down', 'both']),
  allowance_sd: z.number().min(0).max(5),
  decision_sd: z.number().positive().max(50),
  clear_sd: z.number().min(0).max(50),
  clip_sd: z.number().positive().max(20),
  min_sd_ms: z.number().positive().max(100),
});

const sections = {
  quality: z.strictObject({
    min_quality: z.number().min(0).max(1),
    clear_margin: z.number().min(0).max(1),
    technical_hold_ms: holdMs,
    technical_priority: priority,
    lead_off_priority: priority,
  }),
  baseline: z.strictObject({
    duration_ms: z.number().int().min(10_000).max(HOUR_MS),
    min_measured_fraction: z.number().min(0).max(1),
  }),
  persistence: z.strictObject({
    gap_tolerance_ms: z.number().int().min(0).max(10 * 60_000),
    min_coverage: z.number().min(0).max(1),
  }),
  lifecycle: z.strictObject({
    escalate_after_ms: z.number().int().positive().max(24 * HOUR_MS),
    rearm_ms: z.number().int().min(0).max(24 * HOUR_MS),
    evidence_limit: z.number().int().min(1).max(1000),
  }),
};

const rules = {
  qtc_prolonged: rule({ threshold_ms: z.number().min(350).max(700), clear_margin_ms: z.number().min(0).max(100) }),
  hr_high: rule({ threshold_bpm: z.number().min(40).max(300), clear_margin_bpm: z.number().min(0).max(50) }),
  hr_low: rule({ threshold_bpm: z.number().min(20).max(150), clear_margin_bpm: z.number().min(0).max(50) }),
  qrs_wide: rule({ threshold_ms: z.number().min(60).max(250), clear_margin_ms: z.number().min(0).max(50) }),
  pr_prolonged: rule({ threshold_ms: z.number().min(100).max(500), clear_margin_ms: z.number().min(0).max(100) }),
  qtc_increase: rule({ increase_ms: z.number().positive().max(200), clear_margin_ms: z.number().min(0).max(100) }),
  qrs_widening: rule({ change_pct: pct, clear_margin_pct: marginPct }),
  t_peaking: rule({
    t_increase_pct: pct,
    t_r_ratio_increase_pct: pct,
    clear_margin_pct: marginPct,
    min_baseline_t_mv: z.number().positive().max(2),
  }),
  hr_change: rule({ change_pct: pct, clear_margin_pct: marginPct }),
  qtc_drift: driftRule,
  qrs_drift: driftRule,
  pr_drift: driftRule,
};

/** Consistency checks that span fields; run on the merged settings so partial overrides are checked against defaults. */
function checkConsistency(s: AlarmSettings, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const { hr_low, hr_high } = s.rules;
  if (hr_low.threshold_bpm + hr_low.clear_margin_bpm >= hr_high.threshold_bpm - hr_high.clear_margin_bpm) {
    issue(
      ['rules', 'hr_low', 'threshold_bpm'],
      `hr_low ${hr_low.threshold_bpm} bpm (+${hr_low.clear_margin_bpm} margin) must stay below hr_high ${hr_high.threshold_bpm} bpm (-${hr_high.clear_margin_bpm} margin)`,
    );
  }
  for (const kind of ['qtc_prolonged', 'qrs_wide', 'pr_prolonged'] as const) {
    const r = s.rules[kind];
    if (r.clear_margin_ms >= r.threshold_ms) issue(['rules', kind, 'clear_margin_ms'], `must be below threshold_ms (${r.threshold_ms})`);
  }
  if (s.rules.qtc_increase.clear_margin_ms >= s.rules.qtc_increase.increase_ms) {
    issue(['rules', 'qtc_increase', 'clear_margin_ms'], `must be below increase_ms (${s.rules.qtc_increase.increase_ms})`);
  }
  for (const kind of ['qrs_widening', 'hr_change'] as const) {
    const r = s.rules[kind];
    if (r.clear_margin_pct >= r.change_pct) issue(['rules', kind, 'clear_margin_pct'], `must be below change_pct (${r.change_pct})`);
  }
  const t = s.rules.t_peaking;
  if (t.clear_margin_pct >= Math.min(t.t_increase_pct, t.t_r_ratio_increase_pct)) {
    issue(['rules', 't_peaking', 'clear_margin_pct'], 'must be below t_increase_pct and t_r_ratio_increase_pct');
  }
  if (s.rules.hr_change.change_pct >= 100) issue(['rules', 'hr_change', 'change_pct'], 'must be below 100 (a fall of 100 % is HR 0)');
  for (const kind of ['qtc_drift', 'qrs_drift', 'pr_drift'] as const) {
    const r = s.rules[kind];
    if (r.clear_sd >= r.decision_sd) issue(['rules', kind, 'clear_sd'], `must be below decision_sd (${r.decision_sd})`);
  }
  if (s.quality.min_quality + s.quality.clear_margin > 1) {
    issue(['quality', 'clear_margin'], 'min_quality + clear_margin must not exceed 1');
  }
}

/** The full, resolved settings (every field required). */
export const alarmSettingsSchema = z
  .strictObject({ ...sections, rules: z.strictObject(rules) })
  .superRefine((s, ctx) => checkConsistency(s as AlarmSettings, ctx));

const partialRules = Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, v.partial().optional()])) as {
  [K in keyof typeof rules]: z.ZodOptional<ReturnType<(typeof rules)[K]['partial']>>;
};
const partialSections = Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, v.partial().optional()])) as {
  [K in keyof typeof sections]: z.ZodOptional<ReturnType<(typeof sections)[K]['partial']>>;
};

/**
 * Body of PUT /api/beds/:bedId/profile: any subset of the settings, merged onto DEFAULTS.
 * Unknown keys are rejected (a typo must not silently leave a default in force), and the merged
 * result must be consistent (e.g. hr_low below hr_high).
 */
export const bedProfileSchema = z
  .strictObject({ ...partialSections, rules: z.strictObject(partialRules).optional() })
  .superRefine((profile, ctx) => checkConsistency(mergeSettings(DEFAULTS, profile as BedProfile), ctx));

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
/** A bed's overrides of DEFAULTS. */
export type BedProfile = DeepPartial<AlarmSettings>;

export class BedProfileError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid bed profile: ${issues.join('; ')}`);
    this.name = 'BedProfileError';
  }
}

/** One line per problem: "rules.hr_high.threshold_bpm: Too big: expected number to be <=300". */
export function formatProfileIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(profile)'}: ${i.message}`);
}

/** Validates a bed profile; throws BedProfileError listing every problem. */
export function parseBedProfile(input: unknown): BedProfile {
  const result = bedProfileSchema.safeParse(input);
  if (!result.success) throw new BedProfileError(formatProfileIssues(result.error));
  return result.data as BedProfile;
}

/** DEFAULTS with the profile's overrides applied (validated first). */
export function resolveAlarmSettings(profile: BedProfile = {}): AlarmSettings {
  return mergeSettings(DEFAULTS, parseBedProfile(profile));
}

function mergeSettings(base: AlarmSettings, overrides: BedProfile): AlarmSettings {
  return mergeDeep(base, overrides) as AlarmSettings;
}

function mergeDeep(base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base);
  if (!isPlainObject(base) || !isPlainObject(over)) return structuredClone(over);
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(over)])) out[key] = mergeDeep(base[key], over[key]);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
