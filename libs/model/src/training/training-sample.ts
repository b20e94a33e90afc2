import type { EcgParameters, LabeledWindow } from '@aicrn/signal';
import { AicrnConfig } from '../config';
import { prepareInput } from '../preprocessing/prepare-input';
import { leadWaveClassLabels } from './wave-labels';

/** One network input with its reference labels (null = no label: masked out of the loss, never invented). */
export interface TrainingSample {
  source: string;
  /** [time, 8] channels-last, exactly what inference feeds the network (prepareInput). */
  input: Float32Array;
  labels: EcgParameters;
  /** Wave class per backbone step and lead (leadWaveClassLabels) for a model with a delineation output; null when the source has no boundaries. */
  waves?: Uint8Array | null;
}

/**
 * Preprocesses a labelled window the same way inference does. Returns the reason instead of a sample when the
 * window cannot reach the network (too few leads, bad data), so a data source can count and report skips.
 */
export function toTrainingSample(window: LabeledWindow, config: AicrnConfig, inputDivisor: number): TrainingSample | { skipped: string } {
  const prepared = prepareInput(window.record, config, { inputDivisor });
  if (prepared.status !== 'ready') return { skipped: `${window.source}: ${prepared.status} (${prepared.code}): ${prepared.reason}` };
  const waves = config.delineation ? leadWaveClassLabels(window, config) : null;
  return { source: window.source, input: prepared.input, labels: window.labels, waves };
}
