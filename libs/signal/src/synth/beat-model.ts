import { SyntheticSpec } from './spec';

/**
 * One beat as a sum of five waves (P, Q, R, S, T), each a Gaussian in time (McSharry et al. 2003)
 * carried by a 3-D cardiac dipole (VCG X left, Y inferior, Z posterior) and projected onto the
 * 8 independent leads with the inverse Dower matrix.
 *
 * Each Gaussian is truncated where it falls to WAVE_EDGE_FRACTION of its peak and shifted down by
 * that value, so a wave is exactly zero outside [onset, offset] and continuous at its edges: the
 * onset/offset labels are the very samples where the generated signal starts and stops deviating.
 */
export const WAVE_EDGE_FRACTION = 0.05;
const EDGE_SIGMAS = Math.sqrt(2 * Math.log(1 / WAVE_EDGE_FRACTION));

export type WaveName = 'P' | 'Q' | 'R' | 'S' | 'T';

/** Wave timing in ms relative to the beat's QRS onset, and its dipole in mV-scaled VCG units. */
export interface WaveTemplate {
  name: WaveName;
  onsetMs: number;
  peakMs: number;
  offsetMs: number;
  dipole: [number, number, number];
}

/** Inverse Dower matrix (Edenbrandt & Pahlm 1988): rows I, II, V1..V6; columns X, Y, Z. */
export const DOWER_MATRIX: ReadonlyArray<readonly [number, number, number]> = [
  [0.632, -0.235, 0.059],
  [0.235, 1.066, -0.132],
  [-0.515, 0.157, -0.917],
  [0.044, 0.164, -1.387],
  [0.882, 0.098, -1.277],
  [1.213, 0.127, -0.601],
  [1.125, 0.127, -0.086],
  [0.831, 0.076, 0.23],
];
const LEAD_II_ROW = 1;
const LEAD_V5_ROW = 6;

// Default dipole directions: P left-inferior; septal q rightward-anterior; R left-inferior-posterior;
// terminal s rightward-superior-posterior; T left-inferior-anterior (upright in I, II, V2-V6).
const P_DIRECTION: [number, number, number] = [0.45, 0.85, -0.15];
const Q_DIRECTION: [number, number, number] = [-0.5, 0.05, -0.6];
const R_DIRECTION: [number, number, number] = [0.85, 0.5, 0.15];
const S_DIRECTION: [number, number, number] = [-0.35, -0.3, 0.8];
const T_DIRECTION: [number, number, number] = [0.55, 0.55, -0.35];

export function projectDipole(dipole: readonly [number, number, number]): Float64Array {
  const out = new Float64Array(DOWER_MATRIX.length);
  for (let l = 0; l < DOWER_MATRIX.length; l++) {
    const row = DOWER_MATRIX[l];
    out[l] = row[0] * dipole[0] + row[1] * dipole[1] + row[2] * dipole[2];
  }
  return out;
}

function rotateFrontal(v: readonly [number, number, number], deg: number): [number, number, number] {
  const a = (deg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [v[0] * c - v[1] * s, v[0] * s + v[1] * c, v[2]];
}

function scaleToLead(direction: [number, number, number], row: number, targetMv: number): [number, number, number] {
  const unit = projectDipole(direction)[row];
  const k = targetMv / unit;
  return [direction[0] * k, direction[1] * k, direction[2] * k];
}

function scaled(v: readonly [number, number, number], k: number): [number, number, number] {
  return [v[0] * k, v[1] * k, v[2] * k];
}

/** P duration grows with PR but always leaves a PR segment of >= 20 ms (the amplitude baseline). */
export function pDurationMs(prMs: number): number {
  return Math.min(120, Math.max(40, 0.6 * prMs), prMs - 20);
}

/** T duration: about 2/3 of the JT interval (the rest is the ST segment), narrower when tented. */
export function tDurationMs(qrsMs: number, qtMs: number, tPeakedness: number): number {
  const jt = qtMs - qrsMs;
  const normal = Math.min(jt, Math.max(Math.min(80, jt), 0.65 * jt));
  return normal * (1 - 0.4 * tPeakedness);
}

/** The five waves of one beat for a (resolved) spec. */
export function beatTemplate(spec: SyntheticSpec): WaveTemplate[] {
  const q = spec.qrsMs;
  const pDur = pDurationMs(spec.prMs);
  const pOn = -spec.prMs;
  const tDur = tDurationMs(q, spec.qtMs, spec.tPeakedness);
  const tOn = spec.qtMs - tDur;
  const tPeakFraction = 0.6 - 0.1 * spec.tPeakedness;

  const rDipole = scaleToLead(rotateFrontal(R_DIRECTION, spec.qrsAxisDeg), LEAD_V5_ROW, spec.rAmplitudeMv);
  const rMagnitude = Math.hypot(...rDipole);
  const unit = (v: [number, number, number]) => scaled(v, 1 / Math.hypot(...v));
  return [
    { name: 'P', onsetMs: pOn, peakMs: pOn + pDur / 2, offsetMs: pOn + pDur, dipole: scaleToLead(P_DIRECTION, LEAD_II_ROW, spec.pAmplitudeMv) },
    { name: 'Q', onsetMs: 0, peakMs: 0.18 * q, offsetMs: 0.36 * q, dipole: scaled(unit(rotateFrontal(Q_DIRECTION, spec.qrsAxisDeg)), spec.qFraction * rMagnitude) },
    { name: 'R', onsetMs: 0.12 * q, peakMs: 0.45 * q, offsetMs: 0.78 * q, dipole: rDipole },
    { name: 'S', onsetMs: 0.55 * q, peakMs: 0.78 * q, offsetMs: q, dipole: scaled(unit(rotateFrontal(S_DIRECTION, spec.qrsAxisDeg)), spec.sFraction * rMagnitude) },
    { name: 'T', onsetMs: tOn, peakMs: tOn + tPeakFraction * tDur, offsetMs: spec.qtMs, dipole: scaleToLead(rotateFrontal(T_DIRECTION, spec.tAxisDeg), LEAD_V5_ROW, spec.tAmplitudeMv) },
  ];
}

/**
 * Shape of a wave at time t (same unit as the arguments): 1 at the peak, 0 at and beyond onset/offset.
 * Left and right halves have their own widths, so T can rise slower than it falls.
 */
export function waveShape(t: number, onset: number, peak: number, offset: number): number {
  if (t <= onset || t >= offset) return 0;
  const half = t < peak ? peak - onset : offset - peak;
  const sigma = half / EDGE_SIGMAS;
  const d = t - peak;
  return (Math.exp((-d * d) / (2 * sigma * sigma)) - WAVE_EDGE_FRACTION) / (1 - WAVE_EDGE_FRACTION);
}
