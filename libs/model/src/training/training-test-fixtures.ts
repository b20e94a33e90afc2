// Shared by training specs: the tiny network on real synthetic ECGs and a small trainAicrn run around it.
import { AicrnConfig } from '../config';
import { TINY_CONFIG } from '../test-configs';
import { SampleGroup } from './evaluate-samples';
import type { TrainAicrnOptions } from './train-aicrn';
import { materialiseSamples, syntheticWindowAt } from './training-sources';
import { TrainingSample } from './training-sample';

/** The tiny network on 10-s windows at 50 Hz (500 samples), dropout 0 so runs can be compared. */
export const TINY_TRAINING_CONFIG: AicrnConfig = { ...TINY_CONFIG, windowSeconds: 10, dropout: 0, targets: ['hr_bpm', 'qt_ms'] };

/** The tiny training network with the delineation output. */
export const TINY_DELINEATION_CONFIG: AicrnConfig = { ...TINY_TRAINING_CONFIG, name: 'aicrn-tiny-delineation', delineation: true };

/** The first n windows of a synthetic split (seed 3) through prepareInput (with wave classes for a delineation config). */
export async function tinySamples(split: 'train' | 'val', n: number, config = TINY_TRAINING_CONFIG): Promise<TrainingSample[]> {
  const { samples } = await materialiseSamples(Array.from({ length: n }, (_, i) => syntheticWindowAt(3, split, i)), config, 6);
  return samples;
}

/** A run of 3 steps of 2 windows per epoch with NAdam; callers add epochs, resume, workers. */
export function tinyRunOptions(outDir: string, validation: SampleGroup[]): Omit<TrainAicrnOptions, 'epochs'> {
  return {
    config: TINY_TRAINING_CONFIG,
    outDir,
    train: { kind: 'synthetic', seed: 3, split: 'train' },
    datasetDescription: 'synthetic (test)',
    validation,
    batchSize: 2,
    stepsPerEpoch: 3,
    schedule: { maxLr: 1e-3, minLr: 1e-4, cycleSteps: 6, cycleMultiplier: 1 },
    optimizer: 'nadam',
    patienceEpochs: 10,
    seed: 5,
    standardisationSamples: 16,
  };
}
