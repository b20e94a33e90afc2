import { AttentionSpan, BeatFiducials, Unmeasured } from '@aicrn/contracts';
import { correctQt, EcgParameters, QtcFormula } from '@aicrn/signal';
import { AicrnConfig, attentionTimebase } from '../config';
import { Standardisation } from '../model-metadata';
import { AICRN_TARGETS, AicrnTarget } from '../targets';
import { DelineationReadout } from './delineation-readout';
import { V5Amplitudes } from './v5-amplitudes';

/**
 * Physiologically possible output ranges (wide: the limits of human ECGs, not normal ranges). A model
 * output outside is not a measurement (out-of-distribution input or a broken model) and becomes null.
 */
export const PLAUSIBLE_RANGES: Record<AicrnTarget, [number, number]> = {
  hr_bpm: [20, 300],
  pr_ms: [40, 500],
  qrs_ms: [30, 300],
  qt_ms: [150, 800],
  r_amp_mv: [-1, 8],
  t_amp_mv: [-3, 3],
};

/** Turns one window's standardised outputs into parameters in clinical units, with reasons for every null. */
export function mapTargets(
  standardised: ArrayLike<number>,
  targets: readonly AicrnTarget[],
  standardisation: Partial<Standardisation> | null,
  modelVersion: string,
  qtcFormula: QtcFormula = 'bazett',
): { parameters: EcgParameters; unmeasured: Unmeasured[] } {
  const parameters: EcgParameters = { hr_bpm: null, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null };
  const unmeasured: Unmeasured[] = [];
  for (const target of AICRN_TARGETS) {
    const k = targets.indexOf(target);
    if (k < 0) {
      unmeasured.push({ parameter: target, reason: `model ${modelVersion} does not regress ${target}` });
      continue;
    }
    const stats = standardisation?.[target] ?? { mean: 0, std: 1 };
    const value = standardised[k] * stats.std + stats.mean;
    const [lo, hi] = PLAUSIBLE_RANGES[target];
    if (!Number.isFinite(value)) unmeasured.push({ parameter: target, reason: `model output is not finite (${value})` });
    else if (value < lo || value > hi) unmeasured.push({ parameter: target, reason: `model output ${value.toFixed(3)} is outside the plausible range ${lo}..${hi}` });
    else parameters[target] = value;
  }
  if (parameters.qt_ms !== null && parameters.hr_bpm !== null) parameters.qtc_ms = correctQt(parameters.qt_ms, 60_000 / parameters.hr_bpm, qtcFormula);
  else unmeasured.push({ parameter: 'qtc_ms', reason: `QTc needs QT and HR (${parameters.qt_ms === null ? 'QT' : 'HR'} unavailable)` });
  return { parameters, unmeasured };
}

/** The parameters a model with a delineation output reads off its delineated beats rather than its regression. */
export const DELINEATED_PARAMETERS = ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms'] as const;
const AMPLITUDE_PARAMETERS = ['r_amp_mv', 't_amp_mv'] as const;

/**
 * For a model with a delineation output, every parameter comes from what it delineated; the regression head is a
 * training aid only. HR, PR, QRS and QT are the reference's definitions applied to the network's wave boundaries
 * (held-out LUDB showed them closer than the regression, see the model card), the V5 amplitudes are read off the
 * trace at the network's own V5 boundaries (readV5Amplitudes), and QTc follows from the delineated QT and RR. A
 * parameter the delineation does not give is null with its reason: no P wave is a finding, not a gap to fill.
 */
export function mapDelineation(readout: DelineationReadout, amplitudes: V5Amplitudes, qtcFormula: QtcFormula = 'bazett'): { parameters: EcgParameters; unmeasured: Unmeasured[]; beats: BeatFiducials[] } {
  const parameters: EcgParameters = { hr_bpm: null, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null };
  const unmeasured: Unmeasured[] = [];
  const take = (parameter: AicrnTarget, value: number | null, reason: string | undefined, source: string) => {
    const [lo, hi] = PLAUSIBLE_RANGES[parameter];
    if (value === null) unmeasured.push({ parameter, reason: reason ?? `not ${source}` });
    else if (value < lo || value > hi) unmeasured.push({ parameter, reason: `${source} ${parameter} ${value.toFixed(parameter.endsWith('_mv') ? 3 : 1)} is outside the plausible range ${lo}..${hi}` });
    else parameters[parameter] = value;
  };
  for (const parameter of DELINEATED_PARAMETERS) take(parameter, readout[parameter], readout.unmeasured.find((u) => u.parameter === parameter)?.reason, 'delineated');
  for (const parameter of AMPLITUDE_PARAMETERS) take(parameter, amplitudes[parameter], amplitudes.unmeasured.find((u) => u.parameter === parameter)?.reason, 'V5');
  parameters.qtc_ms = parameters.qt_ms !== null && parameters.hr_bpm !== null ? correctQt(parameters.qt_ms, 60_000 / parameters.hr_bpm, qtcFormula) : null;
  if (parameters.qtc_ms === null) unmeasured.push({ parameter: 'qtc_ms', reason: `QTc needs QT and HR (${parameters.qt_ms === null ? 'QT' : 'HR'} unavailable)` });
  const beats = readout.beats.map((b) => ({ r_s: b.r_s, p_on_s: b.p_on_s, qrs_on_s: b.qrs_on_s, qrs_off_s: b.qrs_off_s, t_peak_s: null, t_off_s: b.t_off_s }));
  return { parameters, unmeasured, beats };
}

/** Where a span may not peak at either end of the window (seconds): the convolutions' padding, not the ECG. */
export const ATTENTION_EDGE_MARGIN_S = 0.1;

export interface AttentionSpanOptions {
  /** Spans to return at most. Default 3. */
  count?: number;
  /** Target the spans are attributed to ("all" for a shared backbone). */
  target?: string;
}

/**
 * The top spans of a spatial-attention map (one value per backbone step), in seconds of the input
 * window. Each span is a peak (local maximum) of the lightly smoothed map, extended while the map stays above half the
 * peak's height over the median; spans do not overlap. A flat map has no spans.
 *
 * Peaks in the first and last ATTENTION_EDGE_MARGIN_S of the window are not taken: there the convolutions
 * read their zero padding, and the trained model's map peaks at both ends of almost every window (LUDB
 * record 1: 0.01-0.03 s and 9.97-9.99 s ranked first and third), which tells a clinician nothing.
 */
export function attentionSpans(map: ArrayLike<number>, config: AicrnConfig, options: AttentionSpanOptions = {}): AttentionSpan[] {
  const count = options.count ?? 3;
  const target = options.target ?? (config.targets.length === 1 ? config.targets[0] : 'all');
  const n = map.length;
  if (n === 0 || count < 1) return [];
  const { secondsPerStep, offsetSeconds } = attentionTimebase(config);
  // About 20 ms of smoothing, so single-step spikes do not become spans.
  const half = Math.max(0, Math.round(0.01 / secondsPerStep));
  const edge = Math.min(Math.round(ATTENTION_EDGE_MARGIN_S / secondsPerStep), Math.floor((n - 1) / 2));
  const smooth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let c = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(n - 1, i + half); j++) (s += map[j]), c++;
    smooth[i] = s / c;
  }
  const sorted = Float64Array.from(smooth).sort();
  const median = sorted[n >> 1];
  if (sorted[n - 1] - median < 1e-6) return [];
  const taken = new Uint8Array(n);
  const spans: AttentionSpan[] = [];
  const round = (s: number) => Math.round(s * 1000) / 1000;
  while (spans.length < count) {
    let peak = -1;
    for (let i = edge; i < n - edge; i++) if (!taken[i] && isLocalMaximum(smooth, i) && (peak < 0 || smooth[i] > smooth[peak])) peak = i;
    if (peak < 0 || smooth[peak] - median < 1e-6) break;
    const floor = median + (smooth[peak] - median) / 2;
    let start = peak;
    let end = peak;
    while (start > 0 && !taken[start - 1] && smooth[start - 1] >= floor) start--;
    while (end < n - 1 && !taken[end + 1] && smooth[end + 1] >= floor) end++;
    let sum = 0;
    for (let i = start; i <= end; i++) {
      sum += map[i];
      taken[i] = 1;
    }
    spans.push({
      target,
      start_s: round(Math.max(0, offsetSeconds + start * secondsPerStep)),
      end_s: round(Math.min(config.windowSeconds, offsetSeconds + (end + 1) * secondsPerStep)),
      weight: round(sum / (end - start + 1)),
    });
  }
  return spans;
}

/**
 * Only a local maximum starts a span: the slope just outside a span already taken is still above the median
 * and would otherwise come back as a thin second span beside it (a 0.2-s bump gave three).
 */
function isLocalMaximum(values: Float64Array, i: number): boolean {
  // A flat run is a maximum only if both its ends step down: a shelf on the way up to a higher value is not.
  let lo = i;
  let hi = i;
  while (lo > 0 && values[lo - 1] === values[i]) lo--;
  while (hi < values.length - 1 && values[hi + 1] === values[i]) hi++;
  return (lo === 0 || values[lo - 1] < values[i]) && (hi === values.length - 1 || values[hi + 1] < values[i]);
}
