import { LeadName } from '@aicrn/contracts';

/** Beat-to-beat variation of the RR interval, as fractions of the mean RR. */
export interface HeartRateVariability {
  /** SD of random beat-to-beat RR jitter (clipped at 2.5 SD so the shortest RR is bounded). */
  rrJitterFraction: number;
  /** Peak RR modulation by respiration (respiratory sinus arrhythmia). */
  respiratoryDepthFraction: number;
  respiratoryRateHz: number;
  /** Peak modulation of the QRS amplitude by respiration (the heart's axis moves as the chest does). */
  amplitudeModulationFraction: number;
}

/** A burst of electrode-motion artefact: large low-frequency transients in some leads. */
export interface MotionBurst {
  startS: number;
  durationS: number;
  amplitudeMv: number;
  /** Independently recorded leads it hits (I, II, V1..V6); derived limb leads follow from I and II. Default: all. */
  leads?: LeadName[];
}

/** A lead that stops carrying signal: held at a constant (flat) or pinned at the ADC rail. */
export interface LeadOffEpisode {
  lead: LeadName;
  startS: number;
  durationS: number;
  mode: 'flat' | 'rail';
  /** The held value; default 0 mV for flat, +RAIL_MV for rail. */
  levelMv?: number;
}

/** Every noise model is off unless present; levels are in mV. */
export interface NoiseSpec {
  /** Respiratory baseline wander plus a slower drift. */
  baselineWander?: { amplitudeMv: number; frequencyHz?: number };
  /** Broadband muscle noise (white, per lead). */
  emg?: { rmsMv: number };
  /** Power-line interference with a small third harmonic. */
  mains?: { amplitudeMv: number; frequencyHz: 50 | 60 };
  motion?: MotionBurst[];
  leadOff?: LeadOffEpisode[];
  /** Amplifier saturation: samples clipped at +-limitMv (default all leads). */
  saturation?: { limitMv: number; leads?: LeadName[] };
}

/** Everything that determines a synthetic window (together with its seed). Times in ms, amplitudes in mV. */
export interface SyntheticSpec {
  sampleRateHz: number;
  durationS: number;
  hrBpm: number;
  prMs: number;
  qrsMs: number;
  qtMs: number;
  /** P peak in lead II. */
  pAmplitudeMv: number;
  /** Projection of the R dipole on V5 (the measured r_amp also includes the q and s overlap). */
  rAmplitudeMv: number;
  /** Projection of the T dipole on V5, signed: negative = inverted T. */
  tAmplitudeMv: number;
  /** Septal q and terminal s dipoles as fractions of the R dipole. */
  qFraction: number;
  sFraction: number;
  /** Frontal-plane rotation of the QRS and of the T dipoles from the default axes, degrees. */
  qrsAxisDeg: number;
  tAxisDeg: number;
  /** 0 = normal asymmetric T; 1 = tented (40 % narrower and symmetric), the hyperkalaemia shape. */
  tPeakedness: number;
  hrv: HeartRateVariability;
  noise: NoiseSpec;
}

/** Partial spec: anything left out takes its DEFAULT_SPEC value. */
export type SyntheticSpecInput = Partial<Omit<SyntheticSpec, 'hrv'>> & { hrv?: Partial<HeartRateVariability> };

/** ADC rail of a device lead at the default 200 ADU/mV int16 encoding: a railed lead packs to 32767. */
export const RAIL_MV = 32767 / 200;

/** The leads the generator records independently; III, aVR, aVL and aVF are computed from I and II. */
export const INDEPENDENT_LEADS = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const satisfies readonly LeadName[];

export const DEFAULT_SPEC: SyntheticSpec = {
  sampleRateHz: 500,
  durationS: 10,
  hrBpm: 70,
  prMs: 160,
  qrsMs: 94,
  qtMs: 390,
  pAmplitudeMv: 0.15,
  rAmplitudeMv: 1.4,
  tAmplitudeMv: 0.35,
  qFraction: 0.12,
  sFraction: 0.3,
  qrsAxisDeg: 0,
  tAxisDeg: 0,
  tPeakedness: 0,
  hrv: { rrJitterFraction: 0.015, respiratoryDepthFraction: 0.03, respiratoryRateHz: 0.25, amplitudeModulationFraction: 0.04 },
  noise: {},
};

/** Hard limits of the generator (beyond the clinical ranges it is asked to cover). */
export const SPEC_LIMITS = {
  hrBpm: [20, 250],
  prMs: [80, 400],
  qrsMs: [40, 240],
  qtMs: [150, 700],
  axisDeg: [-30, 30],
  /** Worst-case RR shortening by HRV, as a fraction of the mean RR. */
  maxRrDeviation: 0.3,
  /** T offset must precede the next QRS onset by this much, so the next beat's PR baseline is clean. */
  tpGapMs: 50,
  /** The shortest ST segment + T wave. */
  minJtMs: 80,
  /** P onset must come at least this long after the previous QRS offset (P may sit on the T, not in the QRS). */
  qrsToPMs: 20,
} as const;

export interface ResolvedSpec {
  spec: SyntheticSpec;
  /** Human-readable record of every value that was clamped, e.g. "qtMs 600 -> 273 (RR 333 ms)". */
  adjustments: string[];
}

function requireFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`SyntheticSpec.${name} must be a finite number, got ${String(value)}`);
  return value;
}

/** Merges with defaults, validates, and clamps to what a heart can produce at that rate. */
export function resolveSpec(input: SyntheticSpecInput = {}): ResolvedSpec {
  const spec: SyntheticSpec = {
    ...DEFAULT_SPEC,
    ...input,
    hrv: { ...DEFAULT_SPEC.hrv, ...(input.hrv ?? {}) },
    noise: input.noise ?? {},
  };
  const adjustments: string[] = [];
  const clamp = (name: string, value: number, lo: number, hi: number, why: string): number => {
    const out = Math.min(hi, Math.max(lo, value));
    if (out !== value) adjustments.push(`${name} ${round1(value)} -> ${round1(out)} (${why})`);
    return out;
  };

  for (const key of ['sampleRateHz', 'durationS', 'hrBpm', 'prMs', 'qrsMs', 'qtMs', 'pAmplitudeMv', 'rAmplitudeMv', 'tAmplitudeMv', 'qFraction', 'sFraction', 'qrsAxisDeg', 'tAxisDeg', 'tPeakedness'] as const) {
    requireFinite(key, spec[key]);
  }
  for (const key of ['rrJitterFraction', 'respiratoryDepthFraction', 'respiratoryRateHz', 'amplitudeModulationFraction'] as const) {
    requireFinite(`hrv.${key}`, spec.hrv[key]);
    if (spec.hrv[key] < 0) throw new Error(`SyntheticSpec.hrv.${key} must be >= 0, got ${spec.hrv[key]}`);
  }
  if (spec.sampleRateHz < 100 || spec.sampleRateHz > 20000) throw new Error(`SyntheticSpec.sampleRateHz must be 100..20000 Hz, got ${spec.sampleRateHz}`);
  if (spec.durationS <= 0 || spec.durationS > 3600) throw new Error(`SyntheticSpec.durationS must be in (0, 3600] s, got ${spec.durationS}`);
  if (spec.qFraction < 0 || spec.sFraction < 0) throw new Error('SyntheticSpec.qFraction and sFraction must be >= 0');

  spec.hrBpm = clamp('hrBpm', spec.hrBpm, SPEC_LIMITS.hrBpm[0], SPEC_LIMITS.hrBpm[1], 'generator range');
  spec.qrsAxisDeg = clamp('qrsAxisDeg', spec.qrsAxisDeg, SPEC_LIMITS.axisDeg[0], SPEC_LIMITS.axisDeg[1], 'keeps V5 projections sizeable');
  spec.tAxisDeg = clamp('tAxisDeg', spec.tAxisDeg, SPEC_LIMITS.axisDeg[0], SPEC_LIMITS.axisDeg[1], 'keeps V5 projections sizeable');
  spec.tPeakedness = clamp('tPeakedness', spec.tPeakedness, 0, 1, 'defined on 0..1');

  const jitterBound = 2.5 * spec.hrv.rrJitterFraction + spec.hrv.respiratoryDepthFraction;
  if (jitterBound > SPEC_LIMITS.maxRrDeviation) {
    const scale = SPEC_LIMITS.maxRrDeviation / jitterBound;
    adjustments.push(`hrv scaled by ${round1(scale * 100) / 100} (RR deviation bound ${SPEC_LIMITS.maxRrDeviation * 100} %)`);
    spec.hrv = { ...spec.hrv, rrJitterFraction: spec.hrv.rrJitterFraction * scale, respiratoryDepthFraction: spec.hrv.respiratoryDepthFraction * scale };
  }
  const rrMs = 60000 / spec.hrBpm;
  const rrMinMs = rrMs * (1 - Math.min(jitterBound, SPEC_LIMITS.maxRrDeviation));
  const why = `shortest RR ${Math.round(rrMinMs)} ms`;

  // The interval chain within the shortest cycle: QRS + JT (>= minJt) + T-P gap must fit.
  spec.qrsMs = clamp('qrsMs', spec.qrsMs, SPEC_LIMITS.qrsMs[0], Math.max(SPEC_LIMITS.qrsMs[0], Math.min(SPEC_LIMITS.qrsMs[1], rrMinMs - SPEC_LIMITS.tpGapMs - SPEC_LIMITS.minJtMs)), why);
  const qtHi = Math.min(SPEC_LIMITS.qtMs[1], rrMinMs - SPEC_LIMITS.tpGapMs);
  const qtLo = Math.max(SPEC_LIMITS.qtMs[0], spec.qrsMs + SPEC_LIMITS.minJtMs);
  spec.qtMs = clamp('qtMs', spec.qtMs, Math.min(qtLo, qtHi), qtHi, why);
  const prHi = Math.min(SPEC_LIMITS.prMs[1], rrMinMs - spec.qrsMs - SPEC_LIMITS.qrsToPMs);
  spec.prMs = clamp('prMs', spec.prMs, Math.min(SPEC_LIMITS.prMs[0], prHi), prHi, why);
  return { spec, adjustments };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
