import { AICRN_TARGETS, AicrnTarget, isAicrnTarget } from './targets';

/** The 8 independent leads the network reads; III, aVR, aVL and aVF are linear combinations of I and II. */
export const AICRN_INPUT_LEADS = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type AicrnInputLead = (typeof AICRN_INPUT_LEADS)[number];

/** Every shape-defining choice of the network. Layout is channels-last: [batch, time, leads]. */
export interface AicrnConfig {
  /** Preset or experiment name; part of the model version. */
  name: string;
  /** Rate the input is resampled to before it reaches the network. */
  sampleRateHz: number;
  /** Window length the network sees; the paper uses 10 s. */
  windowSeconds: number;
  stem: { filters: number; kernel: number; outFilters: number; outKernel: number; poolSize: number };
  /** Number of attention-integrated residual modules. */
  modules: number;
  /** Channels inside a module (32 -> width -> 32 in the paper). */
  moduleWidth: number;
  moduleKernel: number;
  /** Reduction ratio of the channel-attention MLP. */
  camReduction: number;
  samKernel: number;
  dropout: number;
  leakyAlpha: number;
  targets: readonly AicrnTarget[];
  /**
   * Adds a per-step wave-class output (`delineation`: other, P-R, QRS, ST-T) on the backbone, trained beside the
   * regression from the reference's wave boundaries. Absent or false: the model is exactly the published layout.
   */
  delineation?: boolean;
}

/** The published configuration (Jayakody et al. 2025): one output, about 1.69 M parameters. */
export const PAPER_PRESET: AicrnConfig = {
  name: 'aicrn-paper',
  sampleRateHz: 500,
  windowSeconds: 10,
  stem: { filters: 64, kernel: 8, outFilters: 32, outKernel: 3, poolSize: 2 },
  modules: 8,
  moduleWidth: 64,
  moduleKernel: 50,
  camReduction: 2,
  samKernel: 8,
  dropout: 0.5,
  leakyAlpha: 0.1,
  targets: ['qt_ms'],
};

/**
 * One shared backbone with all six outputs, sized by measurement on the wasm backend
 * (see libs/model/MODEL_CARD.md): 250 Hz halves the time axis and the k=25 kernels keep the
 * paper's 100-ms receptive field per convolution, so a window costs about a quarter of one paper model.
 * The delineation output gives HR and the intervals from the beats it delineates (held-out LUDB: HR 0.5 bpm
 * against the regression's 4), for about 1 % of the cost.
 */
export const SERVING_PRESET: AicrnConfig = {
  name: 'aicrn-serving',
  sampleRateHz: 250,
  windowSeconds: 10,
  stem: { filters: 64, kernel: 4, outFilters: 32, outKernel: 3, poolSize: 2 },
  modules: 8,
  moduleWidth: 64,
  moduleKernel: 25,
  camReduction: 2,
  samKernel: 4,
  dropout: 0.5,
  leakyAlpha: 0.1,
  targets: AICRN_TARGETS,
  delineation: true,
};

export const AICRN_PRESETS = { paper: PAPER_PRESET, serving: SERVING_PRESET } as const;
export type AicrnPresetName = keyof typeof AICRN_PRESETS;

export function presetConfig(name: string): AicrnConfig {
  const preset = (AICRN_PRESETS as Record<string, AicrnConfig>)[name];
  if (!preset) throw new Error(`unknown AICRN preset "${name}"; options: ${Object.keys(AICRN_PRESETS).join(', ')}`);
  return { ...preset, stem: { ...preset.stem }, targets: [...preset.targets] };
}

export function inputSamples(config: AicrnConfig): number {
  return Math.round(config.sampleRateHz * config.windowSeconds);
}

/** Time steps after the stem (valid convolutions, then pooling): the length of the attention maps. */
export function backboneSamples(config: AicrnConfig): number {
  const afterConvs = inputSamples(config) - (config.stem.kernel - 1) - (config.stem.outKernel - 1);
  return Math.floor(afterConvs / config.stem.poolSize);
}

/**
 * The leads the delineation output delineates, each on its own as the LUDB cardiologists did (the reference takes
 * the median over them): the network reads I, II and V1-V6 and the limb leads are linear combinations of I and II.
 */
export const DELINEATION_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type DelineationLead = (typeof DELINEATION_LEADS)[number];

/** Classes of the delineation output, in channel order: what each backbone step of the window belongs to. */
export const DELINEATION_CLASSES = ['other', 'pr', 'qrs', 'st_t'] as const;
export type DelineationClass = (typeof DELINEATION_CLASSES)[number];

/**
 * Where backbone step i sits in the input: centred at firstCentreSeconds + i * secondsPerStep. Step i averages
 * the stem outputs 2i and 2i+1 (pool 2), whose receptive fields are centred half a sample apart.
 */
export function backboneTimebase(config: AicrnConfig): { secondsPerStep: number; firstCentreSeconds: number } {
  const { secondsPerStep, offsetSeconds } = attentionTimebase(config);
  return { secondsPerStep, firstCentreSeconds: offsetSeconds + (config.stem.poolSize - 1) / 2 / config.sampleRateHz };
}

/** Seconds of input per attention-map step, and the input offset of step 0 (the valid convolutions trim the start). */
export function attentionTimebase(config: AicrnConfig): { secondsPerStep: number; offsetSeconds: number } {
  return {
    secondsPerStep: config.stem.poolSize / config.sampleRateHz,
    offsetSeconds: ((config.stem.kernel - 1) / 2 + (config.stem.outKernel - 1) / 2) / config.sampleRateHz,
  };
}

/** Rejects configurations that cannot build, naming the field. */
export function assertValidConfig(config: AicrnConfig): void {
  const positiveInts: Array<[string, number]> = [
    ['sampleRateHz', config.sampleRateHz],
    ['stem.filters', config.stem.filters],
    ['stem.kernel', config.stem.kernel],
    ['stem.outFilters', config.stem.outFilters],
    ['stem.outKernel', config.stem.outKernel],
    ['stem.poolSize', config.stem.poolSize],
    ['moduleWidth', config.moduleWidth],
    ['moduleKernel', config.moduleKernel],
    ['camReduction', config.camReduction],
    ['samKernel', config.samKernel],
  ];
  for (const [field, value] of positiveInts) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`AICRN config ${field} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(config.modules) || config.modules < 0) throw new Error(`AICRN config modules must be a non-negative integer, got ${config.modules}`);
  if (!(config.windowSeconds > 0)) throw new Error(`AICRN config windowSeconds must be positive, got ${config.windowSeconds}`);
  if (!(config.dropout >= 0 && config.dropout < 1)) throw new Error(`AICRN config dropout must be in [0, 1), got ${config.dropout}`);
  if (config.targets.length === 0) throw new Error('AICRN config needs at least one target');
  for (const t of config.targets) {
    if (!isAicrnTarget(t)) throw new Error(`AICRN config target "${t}" unknown; options: ${AICRN_TARGETS.join(', ')}`);
  }
  if (config.moduleWidth % config.camReduction !== 0 || config.stem.outFilters % config.camReduction !== 0) {
    throw new Error(`AICRN config camReduction ${config.camReduction} must divide moduleWidth ${config.moduleWidth} and stem.outFilters ${config.stem.outFilters}`);
  }
  if (backboneSamples(config) < 1) throw new Error(`AICRN config: ${inputSamples(config)} input samples are too few for the stem`);
}
