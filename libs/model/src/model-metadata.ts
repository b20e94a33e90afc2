import { AicrnConfig } from './config';
import { AICRN_TARGETS, AicrnTarget } from './targets';

/** Per-target standardisation: the network regresses (value - mean) / std. */
export type Standardisation = Record<AicrnTarget, { mean: number; std: number }>;

/**
 * What travels with a saved model (model.json `userDefinedMetadata.aicrn`, mirrored in the model card JSON):
 * enough to rebuild the input pipeline and to turn outputs back into clinical units.
 */
export interface AicrnModelMetadata {
  /** e.g. "aicrn-serving/2026-05-01-ptbxl" or "aicrn-serving/untrained-seed-7". */
  model_version: string;
  config: AicrnConfig;
  /** null for a random-initialised model: its outputs are not measurements. */
  standardisation: Partial<Standardisation> | null;
  /** Input scaling before the network: mV divided by this (the paper uses 6). */
  input_divisor: number;
  training: { dataset: string; finished_at: string; notes?: string } | null;
}

export const METADATA_KEY = 'aicrn';
export const PAPER_INPUT_DIVISOR = 6;

export function untrainedMetadata(config: AicrnConfig, seed: number): AicrnModelMetadata {
  return { model_version: `${config.name}/untrained-seed-${seed}`, config, standardisation: null, input_divisor: PAPER_INPUT_DIVISOR, training: null };
}

/** Validates metadata read from a model file, naming the first problem. */
export function parseModelMetadata(raw: unknown): AicrnModelMetadata {
  const m = (raw as Record<string, unknown> | undefined)?.[METADATA_KEY] as Partial<AicrnModelMetadata> | undefined;
  if (!m || typeof m !== 'object') throw new Error(`model metadata has no "${METADATA_KEY}" entry (not an AICRN model?)`);
  if (typeof m.model_version !== 'string' || !m.model_version) throw new Error('model metadata: model_version must be a non-empty string');
  if (!m.config || typeof m.config !== 'object' || !Array.isArray(m.config.targets)) throw new Error('model metadata: config with targets is missing');
  if (!(typeof m.input_divisor === 'number' && m.input_divisor > 0)) throw new Error(`model metadata: input_divisor must be positive, got ${m.input_divisor}`);
  if (m.standardisation !== null) {
    if (typeof m.standardisation !== 'object' || m.standardisation === undefined) throw new Error('model metadata: standardisation must be an object or null');
    for (const target of m.config.targets) {
      const s = (m.standardisation as Record<string, { mean: number; std: number } | undefined>)[target];
      if (!s || !Number.isFinite(s.mean) || !(s.std > 0)) throw new Error(`model metadata: standardisation for ${target} needs a finite mean and a positive std`);
    }
  }
  for (const t of m.config.targets) if (!(AICRN_TARGETS as readonly string[]).includes(t)) throw new Error(`model metadata: unknown target ${t}`);
  return { model_version: m.model_version, config: m.config, standardisation: m.standardisation ?? null, input_divisor: m.input_divisor, training: m.training ?? null };
}

/**
 * Why a model's outputs are not measurements, or null when they are. The one rule every entry point that serves
 * a model applies (inference app, CLI): it needs a training record and an output standardisation.
 */
export function untrainedReason(metadata: AicrnModelMetadata): string | null {
  if (metadata.training === null) return `model ${metadata.model_version} has no training metadata (untrained: its outputs are not measurements)`;
  if (metadata.standardisation === null) return `model ${metadata.model_version} has no output standardisation (untrained: its outputs are not measurements)`;
  return null;
}
