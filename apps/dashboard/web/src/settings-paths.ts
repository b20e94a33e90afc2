import type { MeasuredParameter } from './contracts';
import type { ReferenceLine } from './draw/trend-chart';

/** Value at a dotted path of a JSON object, or undefined. */
export function valueAt(obj: unknown, path: string): unknown {
  let node = obj;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A partial object holding `value` at a dotted path: {"rules": {"hr_high": {"threshold_bpm": 130}}}. */
export function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** The bed's baseline value of a parameter; the API may nest values under `values`. */
export function baselineValue(baseline: Record<string, unknown> | null, parameter: MeasuredParameter): number | null {
  if (!baseline) return null;
  const nested = valueAt(baseline, `values.${parameter}`);
  const value = nested !== undefined ? nested : baseline[parameter];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function num(profile: unknown, path: string): number | null {
  const v = valueAt(profile, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function enabled(profile: unknown, rule: string): boolean {
  return valueAt(profile, `rules.${rule}.enabled`) !== false;
}

/**
 * The lines drawn on a parameter's trend: its baseline and every enabled rule's threshold, absolute
 * (e.g. QTc 500 ms) or relative to the baseline (e.g. QTc baseline + 60 ms).
 */
export function referenceLines(parameter: MeasuredParameter, baseline: Record<string, unknown> | null, profile: unknown): ReferenceLine[] {
  const lines: ReferenceLine[] = [];
  const base = baselineValue(baseline, parameter);
  if (base !== null) lines.push({ value: base, label: 'baseline', kind: 'baseline' });
  const add = (rule: string, value: number | null, label: string) => {
    if (value !== null && enabled(profile, rule)) lines.push({ value, label, kind: 'threshold' });
  };
  const pct = (rule: string, field: string, sign: 1 | -1) => {
    const p = num(profile, `rules.${rule}.${field}`);
    return base !== null && p !== null ? base * (1 + (sign * p) / 100) : null;
  };
  switch (parameter) {
    case 'hr_bpm':
      add('hr_high', num(profile, 'rules.hr_high.threshold_bpm'), 'high');
      add('hr_low', num(profile, 'rules.hr_low.threshold_bpm'), 'low');
      add('hr_change', pct('hr_change', 'change_pct', 1), '+change');
      add('hr_change', pct('hr_change', 'change_pct', -1), '−change');
      break;
    case 'qtc_ms': {
      add('qtc_prolonged', num(profile, 'rules.qtc_prolonged.threshold_ms'), 'limit');
      const inc = num(profile, 'rules.qtc_increase.increase_ms');
      add('qtc_increase', base !== null && inc !== null ? base + inc : null, `+${inc ?? ''} ms`);
      break;
    }
    case 'qrs_ms':
      add('qrs_wide', num(profile, 'rules.qrs_wide.threshold_ms'), 'limit');
      add('qrs_widening', pct('qrs_widening', 'change_pct', 1), 'widening');
      break;
    case 'pr_ms':
      add('pr_prolonged', num(profile, 'rules.pr_prolonged.threshold_ms'), 'limit');
      break;
    case 't_amp_mv':
      add('t_peaking', pct('t_peaking', 't_increase_pct', 1), 'peaking');
      break;
    default:
      break;
  }
  return lines;
}

/** The settings the profile form edits; anything else goes through the JSON editor. */
export const PROFILE_FIELDS: ReadonlyArray<{ rule: string; limitPath: string; label: string; unit: string }> = [
  { rule: 'hr_high', limitPath: 'rules.hr_high.threshold_bpm', label: 'HR high', unit: 'bpm' },
  { rule: 'hr_low', limitPath: 'rules.hr_low.threshold_bpm', label: 'HR low', unit: 'bpm' },
  { rule: 'hr_change', limitPath: 'rules.hr_change.change_pct', label: 'HR change from baseline', unit: '%' },
  { rule: 'qtc_prolonged', limitPath: 'rules.qtc_prolonged.threshold_ms', label: 'QTc limit', unit: 'ms' },
  { rule: 'qtc_increase', limitPath: 'rules.qtc_increase.increase_ms', label: 'QTc increase over baseline', unit: 'ms' },
  { rule: 'qrs_wide', limitPath: 'rules.qrs_wide.threshold_ms', label: 'QRS limit', unit: 'ms' },
  { rule: 'qrs_widening', limitPath: 'rules.qrs_widening.change_pct', label: 'QRS widening over baseline', unit: '%' },
  { rule: 'pr_prolonged', limitPath: 'rules.pr_prolonged.threshold_ms', label: 'PR limit', unit: 'ms' },
  { rule: 't_peaking', limitPath: 'rules.t_peaking.t_increase_pct', label: 'T amplitude increase', unit: '%' },
];
