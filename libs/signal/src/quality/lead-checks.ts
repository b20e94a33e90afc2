import { butterworthHighpass, butterworthLowpass, filtfilt, safeCutoff } from '../dsp/filters';
import { detectQrsPeaks } from '../dsp/qrs-detector';

/**
 * One check's verdict on one lead: penalty 0 (no problem) .. 1 (lead unusable) and, when it
 * fires, a stable code with detail ("lead_off: V3 flat for 10.0 s").
 */
export interface CheckResult {
  penalty: number;
  reason: string | null;
}

export const QUALITY_REASON_CODES = [
  'invalid_samples',
  'lead_off',
  'saturation',
  'baseline_wander',
  'motion_artefact',
  'hf_noise',
  'mains_interference',
  'implausible_rate',
] as const;
export type QualityReasonCode = (typeof QUALITY_REASON_CODES)[number];

/** Thresholds of the checks; amplitudes in mV. */
export interface QualityThresholds {
  /** A stretch counts as flat when it stays within this band for at least flatMinS. */
  flatBandMv: number;
  /** Longer than the longest RR at 30 bpm, so a live lead always shows a QRS in it. */
  flatMinS: number;
  /** A plateau at the lead's extreme this long (and this far from the median) is clipping. */
  clipMinS: number;
  clipMinOffsetMv: number;
  /** Below this share of samples, plateaus are quantisation at a rounded R peak (LUDB shows up to 0.3 %). */
  clipMinFraction: number;
  /** Peak-to-peak of the < 0.7 Hz baseline: penalty from `start` rising to 1 at `full`. */
  wanderStartMv: number;
  wanderFullMv: number;
  /** Robust SD of the > 40 Hz residual: penalty from `start` rising to 1 at `full`. */
  hfStartMv: number;
  hfFullMv: number;
  /** A 1-s segment is artefact when its peak-to-peak exceeds this multiple of the median segment (and 1 mV more). */
  motionRatio: number;
  /** Plausible ventricular rates for a detector on one lead. */
  minRateBpm: number;
  maxRateBpm: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  flatBandMv: 0.02,
  flatMinS: 2,
  clipMinS: 0.008,
  clipMinOffsetMv: 0.3,
  clipMinFraction: 0.004,
  wanderStartMv: 0.8,
  wanderFullMv: 3,
  hfStartMv: 0.03,
  hfFullMv: 0.15,
  motionRatio: 2.5,
  minRateBpm: 25,
  maxRateBpm: 250,
};

const ramp = (x: number, start: number, full: number) => Math.max(0, Math.min(1, (x - start) / (full - start)));
const fmt = (x: number, digits = 1) => x.toFixed(digits);

export function checkInvalidSamples(mv: Float32Array, lead: string): CheckResult {
  let bad = 0;
  for (let i = 0; i < mv.length; i++) if (!Number.isFinite(mv[i])) bad++;
  if (bad === 0) return { penalty: 0, reason: null };
  return { penalty: Math.min(1, (bad / mv.length) * 5), reason: `invalid_samples: ${lead} ${bad} non-finite samples` };
}

/** Flat stretches (greedy segmentation into runs that stay within flatBandMv); also returns the flat fraction. */
export function checkFlatLine(mv: Float32Array, fs: number, lead: string, t: QualityThresholds): CheckResult & { flatFraction: number } {
  const minRun = Math.round(t.flatMinS * fs);
  let flat = 0;
  let runStart = 0;
  let lo = mv[0];
  let hi = mv[0];
  let atRail = 0;
  const closeRun = (end: number) => {
    if (end - runStart >= minRun) {
      flat += end - runStart;
      if (Math.abs(mv[runStart]) > 20) atRail += end - runStart;
    }
  };
  for (let i = 1; i < mv.length; i++) {
    const v = mv[i];
    const nlo = Math.min(lo, v);
    const nhi = Math.max(hi, v);
    if (nhi - nlo > t.flatBandMv) {
      closeRun(i);
      runStart = i;
      lo = v;
      hi = v;
    } else {
      lo = nlo;
      hi = nhi;
    }
  }
  closeRun(mv.length);
  const flatFraction = mv.length ? flat / mv.length : 0;
  if (flat === 0) return { penalty: 0, reason: null, flatFraction };
  const where = atRail > flat / 2 ? ' at the rail' : '';
  return { penalty: Math.min(1, flatFraction * 1.25), reason: `lead_off: ${lead} flat${where} for ${fmt(flat / fs)} s`, flatFraction };
}

/** Plateaus at the lead's own maximum or minimum: the signature of an amplifier or ADC that clipped. */
export function checkSaturation(mv: Float32Array, fs: number, lead: string, t: QualityThresholds, median: number): CheckResult {
  let max = -Infinity;
  let min = Infinity;
  for (const v of mv) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const minRun = Math.max(3, Math.round(t.clipMinS * fs));
  const maxRun = Math.round(t.flatMinS * fs); // longer plateaus are lead-off, reported there
  let clipped = 0;
  let level = 0;
  for (const extreme of [max, min]) {
    if (Math.abs(extreme - median) < t.clipMinOffsetMv) continue;
    let run = 0;
    for (let i = 0; i <= mv.length; i++) {
      if (i < mv.length && mv[i] === extreme) {
        run++;
        continue;
      }
      if (run >= minRun && run < maxRun) {
        clipped += run;
        level = Math.max(level, Math.abs(extreme));
      }
      run = 0;
    }
  }
  const fraction = clipped / mv.length;
  if (clipped === 0 || fraction < t.clipMinFraction) return { penalty: 0, reason: null };
  return { penalty: Math.min(1, 0.2 + fraction * 8), reason: `saturation: ${lead} clipped at ${fmt(level, 2)} mV in ${fmt(fraction * 100)} % of samples` };
}

/** Slow baseline (< 0.7 Hz): its peak-to-peak excursion. */
export function checkBaselineWander(baseline: Float32Array, lead: string, t: QualityThresholds): CheckResult {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of baseline) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const p2p = baseline.length ? hi - lo : 0;
  const penalty = ramp(p2p, t.wanderStartMv, t.wanderFullMv);
  return penalty > 0 ? { penalty, reason: `baseline_wander: ${lead} ${fmt(p2p, 2)} mV peak-to-peak below 0.7 Hz` } : { penalty: 0, reason: null };
}

/**
 * Transient artefact: 1-s segments of the baseline-removed signal whose peak-to-peak dwarfs the
 * typical segment (which a QRS dominates).
 */
export function checkMotion(detrended: Float32Array, fs: number, lead: string, t: QualityThresholds): CheckResult {
  const seg = Math.round(fs);
  const count = Math.floor(detrended.length / seg);
  if (count < 3) return { penalty: 0, reason: null };
  const p2p: number[] = [];
  for (let s = 0; s < count; s++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = s * seg; i < (s + 1) * seg; i++) {
      const v = detrended[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    p2p.push(hi - lo);
  }
  const typical = [...p2p].sort((a, b) => a - b)[count >> 1];
  const bad = p2p.filter((x) => x > t.motionRatio * typical && x > typical + 1).length;
  if (bad === 0) return { penalty: 0, reason: null };
  return { penalty: Math.min(1, (bad / count) * 2.5), reason: `motion_artefact: ${lead} ${bad} s of transients up to ${fmt(Math.max(...p2p), 2)} mV` };
}

/**
 * High-frequency noise: robust SD (1.4826 * median |x|) of the > 40 Hz residual, so the few QRS
 * samples do not count; named mains when a 50 or 60 Hz line carries most of that power.
 */
export function checkHighFrequency(mv: Float32Array, fs: number, lead: string, t: QualityThresholds): CheckResult {
  if (fs < 100) return { penalty: 0, reason: null };
  const hf = filtfilt(mv, butterworthHighpass(safeCutoff(40, fs), fs, 4), Math.round(0.2 * fs));
  const abs = Float32Array.from(hf, Math.abs).sort();
  const sigma = 1.4826 * abs[abs.length >> 1];
  const penalty = ramp(sigma, t.hfStartMv, t.hfFullMv);
  if (penalty === 0) return { penalty: 0, reason: null };
  let variance = 0;
  for (const v of hf) variance += v * v;
  variance /= hf.length;
  for (const f of [50, 60]) {
    if (f >= fs / 2) continue;
    const amplitude = toneAmplitude(hf, fs, f);
    if ((amplitude * amplitude) / 2 > 0.5 * variance) {
      return { penalty, reason: `mains_interference: ${lead} ${f} Hz at ${fmt(amplitude, 3)} mV` };
    }
  }
  return { penalty, reason: `hf_noise: ${lead} ${fmt(sigma, 3)} mV robust SD above 40 Hz` };
}

/** Amplitude of a sinusoid at f (Goertzel over the whole signal). */
function toneAmplitude(x: Float32Array, fs: number, f: number): number {
  const w = (2 * Math.PI * f) / fs;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s0 = v + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / x.length;
}

/** Beat rate from the lead's own QRS detections: no beats, or a rate no heart produces, means noise or a dead lead. */
export function checkBeatRate(mv: Float32Array, fs: number, lead: string, t: QualityThresholds): CheckResult {
  const durationS = mv.length / fs;
  if (durationS < 4 || fs < 50) return { penalty: 0, reason: null };
  const peaks = detectQrsPeaks(mv, fs);
  if (peaks.length < 2) return { penalty: 0.6, reason: `implausible_rate: ${lead} ${peaks.length} QRS detected in ${fmt(durationS)} s` };
  const rateBpm = (60 * (peaks.length - 1) * fs) / (peaks[peaks.length - 1] - peaks[0]);
  if (rateBpm >= t.minRateBpm && rateBpm <= t.maxRateBpm) return { penalty: 0, reason: null };
  return { penalty: 0.6, reason: `implausible_rate: ${lead} ${Math.round(rateBpm)} bpm from ${peaks.length} detections` };
}

/** The < 0.7 Hz baseline of a lead (zero-phase). */
export function slowBaseline(mv: Float32Array, fs: number): Float32Array {
  return filtfilt(mv, butterworthLowpass(0.7, fs, 2), Math.round(2 * fs));
}
