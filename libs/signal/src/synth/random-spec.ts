import { Rng } from './random';
import { DEFAULT_SPEC, NoiseSpec, SPEC_LIMITS, SyntheticSpec } from './spec';
import { maxWaveAmplitudeMv } from './wave-slopes';

type Range = readonly [number, number];

/** Where random specs are drawn from. Intervals in ms, amplitudes in mV (T signed). */
export interface SpecRanges {
  hrBpm: Range;
  prMs: Range;
  qrsMs: Range;
  qtMs: Range;
  pAmplitudeMv: Range;
  rAmplitudeMv: Range;
  tAmplitudeMv: Range;
  axisDeg: Range;
  /** Probability that each electrode-noise model (wander, EMG, mains, motion) is switched on. */
  noiseProbability: number;
  /** Include device faults (lead-off, saturation): off for training data, whose V5 labels they would void. */
  faults: boolean;
  /**
   * Share of specs whose heart rate and intervals follow adult resting ECGs (ADULT_INTERVALS) instead of the uniform
   * ranges; the rest stay uniform, so the extremes remain covered. 0 (the default) draws exactly as before.
   */
  populationShare: number;
  sampleRateHz: number;
  durationS: number;
}

/** Lowest rate-corrected JT interval (JT / sqrt(RR in s), ms) of a random spec. */
export const MIN_JTC_MS = 220;

/** Clinical extremes the generator must cover (issue 3): HR 35-180, PR 100-320, QRS 60-200, QT 250-600. */
export const CLINICAL_RANGES: SpecRanges = {
  hrBpm: [35, 180],
  prMs: [100, 320],
  qrsMs: [60, 200],
  qtMs: [250, 600],
  pAmplitudeMv: [0.05, 0.3],
  rAmplitudeMv: [0.3, 3.0],
  tAmplitudeMv: [-0.6, 1.4],
  axisDeg: [-30, 30],
  noiseProbability: 0.3,
  faults: false,
  populationShare: 0,
  sampleRateHz: 500,
  durationS: 10,
};

/**
 * Mean and SD of adult resting ECGs (ms, bpm; QTc by Bazett), cut to the ranges. The uniform ranges put most QRS
 * widths above 120 ms, where few hearts are (uniform 60-200 ms has mean 130; LUDB 1-100's median is 96).
 */
export const ADULT_INTERVALS = { hrBpm: [72, 16], prMs: [160, 22], qrsMs: [94, 12], qtcMs: [415, 25] } as const;

/**
 * A random spec covering the ranges. Intervals are drawn inside what the drawn heart rate allows
 * (the same bounds resolveSpec clamps to), so extremes are represented instead of piling up at a clamp:
 * QRS <= shortest RR - 50 ms - JT, QT in [QRS + JT, shortest RR - 50], PR <= shortest RR - QRS - 20, with
 * JT at least MIN_JTC_MS * sqrt(RR) (and the generator's 80 ms).
 * Half the QTs are uniform on that span; half follow a QTc (Bazett) of 340-520 ms, as real hearts do.
 * A populationShare of specs draw HR, PR, QRS and QTc from ADULT_INTERVALS instead, within the same bounds.
 * P and T amplitudes are uniform on their ranges cut to +-maxWaveAmplitudeMv (no steeper than 0.4 x the QRS).
 */
export function randomSpec(rng: Rng, ranges: Partial<SpecRanges> = {}): SyntheticSpec {
  const r: SpecRanges = { ...CLINICAL_RANGES, ...ranges };
  // No draw at share 0, so the default windows (and every seeded test set) stay what they were.
  const adult = r.populationShare > 0 && rng.chance(r.populationShare);
  const hrBpm = adult ? clampTo(rng.gaussian(...ADULT_INTERVALS.hrBpm), r.hrBpm[0], r.hrBpm[1]) : rng.uniform(r.hrBpm[0], r.hrBpm[1]);
  const hrv = {
    rrJitterFraction: rng.uniform(0, 0.04),
    respiratoryDepthFraction: rng.uniform(0, 0.06),
    respiratoryRateHz: rng.uniform(0.15, 0.4),
    amplitudeModulationFraction: rng.uniform(0, 0.08),
  };
  const rrMs = 60000 / hrBpm;
  const rrMinMs = rrMs * (1 - (2.5 * hrv.rrJitterFraction + hrv.respiratoryDepthFraction));
  // The generator's hard JT floor (80 ms) squeezes a whole T wave against the QRS at any rate; hearts keep
  // JT / sqrt(RR) above ~250 ms (LUDB records 1-100: lowest 257 ms, JT 197 ms at 131 bpm).
  const minJtMs = Math.max(SPEC_LIMITS.minJtMs, MIN_JTC_MS * Math.sqrt(rrMs / 1000));
  const draw = (range: Range, hardLo: number, feasibleHi: number, population: readonly [number, number]) =>
    adult ? gaussianWithin(rng, population, range, hardLo, feasibleHi) : uniformWithin(rng, range, hardLo, feasibleHi);
  const qrsMs = draw(r.qrsMs, SPEC_LIMITS.qrsMs[0], rrMinMs - SPEC_LIMITS.tpGapMs - minJtMs, ADULT_INTERVALS.qrsMs);
  const qtLo = qrsMs + minJtMs;
  const qtHi = rrMinMs - SPEC_LIMITS.tpGapMs;
  const qtcMs = adult ? rng.gaussian(...ADULT_INTERVALS.qtcMs) : rng.chance(0.5) ? null : rng.uniform(340, 520);
  const qtMs = qtcMs === null
    ? uniformWithin(rng, r.qtMs, qtLo, qtHi)
    : clampTo(qtcMs * Math.sqrt(rrMs / 1000), Math.max(r.qtMs[0], qtLo), Math.min(r.qtMs[1], qtHi));
  const prMs = draw(r.prMs, SPEC_LIMITS.prMs[0], rrMinMs - qrsMs - SPEC_LIMITS.qrsToPMs, ADULT_INTERVALS.prMs);
  const rAmplitudeMv = rng.uniform(r.rAmplitudeMv[0], r.rAmplitudeMv[1]);
  // Drawn now, placed once the QRS is known: the P and T amplitudes are bounded by the QRS slope (see below).
  const pPosition = rng.next();
  const tPosition = rng.next();
  const spec: SyntheticSpec = {
    ...DEFAULT_SPEC,
    sampleRateHz: r.sampleRateHz,
    durationS: r.durationS,
    hrBpm,
    prMs,
    qrsMs,
    qtMs,
    pAmplitudeMv: 0,
    rAmplitudeMv,
    tAmplitudeMv: 0,
    qFraction: rng.uniform(0, 0.25),
    sFraction: rng.uniform(0.05, 0.6),
    qrsAxisDeg: rng.uniform(r.axisDeg[0], r.axisDeg[1]),
    tAxisDeg: rng.uniform(r.axisDeg[0], r.axisDeg[1]),
    tPeakedness: rng.chance(0.2) ? rng.uniform(0, 1) : 0,
    hrv,
    noise: randomNoise(rng, r),
  };
  // Independent draws of R, P and T amplitude give P and T waves many times steeper than the QRS (a 1.4 mV T
  // over a 0.3 mV R), which no recorded heart shows and which any QRS detector rightly counts as beats.
  spec.pAmplitudeMv = placeWithin(r.pAmplitudeMv, maxWaveAmplitudeMv(spec, 'P'), pPosition);
  spec.tAmplitudeMv = placeWithin(r.tAmplitudeMv, maxWaveAmplitudeMv(spec, 'T'), tPosition);
  return spec;
}

export function randomNoise(rng: Rng, r: Pick<SpecRanges, 'noiseProbability' | 'faults' | 'durationS'>): NoiseSpec {
  const noise: NoiseSpec = {};
  const on = () => rng.chance(r.noiseProbability);
  if (on()) noise.baselineWander = { amplitudeMv: rng.uniform(0.05, 0.5), frequencyHz: rng.uniform(0.12, 0.5) };
  if (on()) noise.emg = { rmsMv: rng.uniform(0.005, 0.05) };
  if (on()) noise.mains = { amplitudeMv: rng.uniform(0.01, 0.1), frequencyHz: rng.chance(0.5) ? 50 : 60 };
  if (on()) {
    noise.motion = Array.from({ length: rng.int(1, 2) }, () => {
      const durationS = rng.uniform(0.5, 2);
      return { startS: rng.uniform(0, Math.max(0, r.durationS - durationS)), durationS, amplitudeMv: rng.uniform(0.3, 1.5) };
    });
  }
  if (r.faults && on()) {
    const durationS = rng.uniform(1, r.durationS);
    noise.leadOff = [{ lead: rng.pick(['V1', 'V2', 'V3', 'V4', 'V6'] as const), startS: rng.uniform(0, r.durationS - durationS), durationS, mode: rng.chance(0.5) ? 'flat' : 'rail' }];
  }
  return noise;
}

/** The value at `position` (0..1) along the range cut to +-bound (a range wholly beyond the bound collapses onto it). */
function placeWithin(range: Range, bound: number, position: number): number {
  const lo = clampTo(range[0], -bound, bound);
  const hi = clampTo(range[1], -bound, bound);
  return lo + (hi - lo) * position;
}

/** Uniform on the range cut to [hardLo, feasibleHi]; where nothing is left, the feasible top (never below hardLo). */
function uniformWithin(rng: Rng, range: Range, hardLo: number, feasibleHi: number): number {
  const hi = Math.min(range[1], feasibleHi);
  const lo = Math.max(range[0], hardLo);
  return lo >= hi ? Math.max(hardLo, hi) : rng.uniform(lo, hi);
}

/** A normal deviate clamped to the same cut range as uniformWithin, with the same answer where nothing is left. */
function gaussianWithin(rng: Rng, [mean, sd]: readonly [number, number], range: Range, hardLo: number, feasibleHi: number): number {
  const hi = Math.min(range[1], feasibleHi);
  const lo = Math.max(range[0], hardLo);
  const x = rng.gaussian(mean, sd);
  return lo >= hi ? Math.max(hardLo, hi) : clampTo(x, lo, hi);
}

function clampTo(x: number, lo: number, hi: number): number {
  return lo >= hi ? hi : Math.min(hi, Math.max(lo, x));
}
