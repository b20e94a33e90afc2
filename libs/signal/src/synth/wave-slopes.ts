import { beatTemplate, projectDipole, WAVE_EDGE_FRACTION, waveShape, WaveTemplate } from './beat-model';
import type { SyntheticSpec } from './spec';

/**
 * The steepest P- or T-wave slope of any lead as a fraction of that lead's steepest QRS slope, at most.
 * In LUDB records 1-100 (1200 leads, normal and pathological, cardiologists' boundaries, 0.5-40 Hz)
 * the per-lead median over beats of this ratio never exceeds 0.44 for T (median over records of the
 * largest lead 0.15, 90th percentile 0.31) and 0.52 for P (0.13, 0.27): a P or T wave steeper than
 * about half the QRS is not what hearts produce. Random specs draw their P and T amplitudes inside it.
 */
export const MAX_WAVE_TO_QRS_SLOPE_RATIO = 0.4;

/** A lead's QRS slope, as a fraction of the steepest lead's, from which the lead bounds the T wave. */
const SIZEABLE_QRS_FRACTION = 1 / 3;
const EDGE_SIGMAS = Math.sqrt(2 * Math.log(1 / WAVE_EDGE_FRACTION));
/** Grid step (ms) for the QRS slope: fine enough for a 40-ms QRS. */
const GRID_MS = 0.25;

/** Steepest slope (mV/ms) per lead in STANDARD_LEADS order (I, II, III, aVR, aVL, aVF, V1..V6). */
export interface BeatSlopes {
  qrs: Float64Array;
  p: Float64Array;
  t: Float64Array;
}

/** Steepest QRS (Q + R + S summed), P and T slopes of a spec's beat in each of the 12 leads, at the smallest respiratory QRS scaling. */
export function beatSlopes(spec: SyntheticSpec): BeatSlopes {
  const template = beatTemplate(spec);
  const wave = (name: string): WaveTemplate => template.find((w) => w.name === name)!;
  const qrsWaves = ['Q', 'R', 'S'].map(wave);
  const qrsProjections = qrsWaves.map((w) => toTwelveLeads(projectDipole(w.dipole)));
  const qrs = new Float64Array(12);
  const previous = new Float64Array(12);
  for (let t = 0, first = true; t <= spec.qrsMs; t += GRID_MS, first = false) {
    const heights = qrsWaves.map((w) => waveShape(t, w.onsetMs, w.peakMs, w.offsetMs));
    for (let l = 0; l < 12; l++) {
      let value = 0;
      for (let k = 0; k < heights.length; k++) value += qrsProjections[k][l] * heights[k];
      if (!first) qrs[l] = Math.max(qrs[l], Math.abs(value - previous[l]) / GRID_MS);
      previous[l] = value;
    }
  }
  const scale = 1 - spec.hrv.amplitudeModulationFraction;
  for (let l = 0; l < 12; l++) qrs[l] *= scale;

  return { qrs, p: singleWaveSlopes(wave('P')), t: singleWaveSlopes(wave('T')) };
}

/** A Gaussian half of width sigma is steepest one sigma from its peak: exp(-1/2) / sigma per unit height. */
function singleWaveSlopes(w: WaveTemplate): Float64Array {
  const sigma = Math.min(w.peakMs - w.onsetMs, w.offsetMs - w.peakMs) / EDGE_SIGMAS;
  const unitSlope = Math.exp(-0.5) / sigma / (1 - WAVE_EDGE_FRACTION);
  return toTwelveLeads(projectDipole(w.dipole)).map((projection) => Math.abs(projection) * unitSlope);
}

/**
 * The largest |amplitude| of the P wave (lead II projection, mV) or T wave (V5 projection, mV) that keeps
 * its slope within MAX_WAVE_TO_QRS_SLOPE_RATIO of the QRS slope in every lead with a sizeable QRS,
 * for a spec's timing, QRS amplitude and axes.
 */
export function maxWaveAmplitudeMv(spec: SyntheticSpec, wave: 'P' | 'T'): number {
  const { qrs, p, t } = beatSlopes({ ...spec, pAmplitudeMv: 1, tAmplitudeMv: 1 });
  const slopes = wave === 'P' ? p : t;
  const steepest = Math.max(...qrs);
  let bound = Infinity;
  for (let l = 0; l < 12; l++) {
    // Three fixed dipoles can cancel a lead's QRS almost entirely, which a real QRS loop does not:
    // such leads would bound the wave by a modelling artefact, so only leads with a sizeable QRS count.
    if (qrs[l] < SIZEABLE_QRS_FRACTION * steepest || !(slopes[l] > 0)) continue;
    bound = Math.min(bound, (MAX_WAVE_TO_QRS_SLOPE_RATIO * qrs[l]) / slopes[l]);
  }
  return bound;
}

/** The 12 standard leads from the 8 independent ones (the generator's own III/aVR/aVL/aVF identities). */
function toTwelveLeads(independent: Float64Array): Float64Array {
  const [i1, i2, ...chest] = independent;
  return Float64Array.from([i1, i2, i2 - i1, -(i1 + i2) / 2, i1 - i2 / 2, i2 - i1 / 2, ...chest]);
}
