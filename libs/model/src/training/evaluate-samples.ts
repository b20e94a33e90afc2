import * as tf from '@tensorflow/tfjs';
import { AgreementTally, ParameterAgreement } from '@aicrn/signal';
import { DELINEATION_OUTPUT } from '../aicrn-model';
import { AICRN_INPUT_LEADS, AicrnConfig, inputSamples } from '../config';
import { Standardisation } from '../model-metadata';
import { measureDelineated } from '../serving/delineated-measurement';
import { mapTargets } from '../serving/output-mapping';
import { waveCrossEntropySum, waveTargets } from './training-loss';
import { UNKNOWN_WAVE } from './wave-labels';
import { standardiseLabels } from './standardisation';
import { TrainingSample } from './training-sample';

/** A named validation or test set (e.g. "ludb 81-100", "synthetic val"). */
export interface SampleGroup {
  name: string;
  samples: TrainingSample[];
}

export interface GroupEvaluation {
  name: string;
  windows: number;
  /**
   * Masked MSE on standardised targets, plus the weighted mean delineation cross-entropy over known steps for a
   * model with that output (the training objective): the quantity early stopping watches.
   */
  loss: number;
  /** Labelled target entries the loss averaged over. */
  labelled: number;
  /**
   * Mean delineation cross-entropy per known (step, lead) entry, unweighted; null without a delineation output or
   * wave labels. The product reads its intervals from this output alone, so it can be what selects the weights.
   */
  waveCrossEntropy: number | null;
  /** Known (step, lead) entries the cross-entropy averaged over. */
  knownSteps: number;
  parameters: ParameterAgreement[];
}

/** Stacks samples into the network's input tensor [batch, time, 8]. */
export function inputBatch(samples: readonly TrainingSample[], config: AicrnConfig): tf.Tensor3D {
  const steps = inputSamples(config);
  const width = steps * AICRN_INPUT_LEADS.length;
  const data = new Float32Array(samples.length * width);
  samples.forEach((s, i) => {
    if (s.input.length !== width) throw new Error(`${s.source}: input has ${s.input.length} values, the network needs ${width}`);
    data.set(s.input, i * width);
  });
  return tf.tensor3d(data, [samples.length, steps, AICRN_INPUT_LEADS.length]);
}

/**
 * Runs the network (inference mode) over each group and scores it: the loss (see GroupEvaluation) and, through
 * the same output mapping inference uses (the delineated beats for a model with that output), MAE / RMSE / R2 per
 * parameter in clinical units.
 */
export function evaluateGroups(
  predictor: tf.LayersModel,
  groups: readonly SampleGroup[],
  config: AicrnConfig,
  standardisation: Partial<Standardisation>,
  modelVersion: string,
  inputDivisor: number,
  batchSize = 8,
  delineationWeight = 0,
): GroupEvaluation[] {
  const delineationIndex = predictor.outputNames.indexOf(DELINEATION_OUTPUT);
  return groups.map((group) => {
    const tally = new AgreementTally();
    let squaredSum = 0;
    let labelled = 0;
    let crossEntropySum = 0;
    let knownSteps = 0;
    for (let start = 0; start < group.samples.length; start += batchSize) {
      const chunk = group.samples.slice(start, start + batchSize);
      const { values, mask } = standardiseLabels(chunk.map((s) => s.labels), config.targets, standardisation);
      const [predicted, waves, crossEntropy] = tf.tidy(() => {
        const out = predictor.predict(inputBatch(chunk, config));
        const outputs = Array.isArray(out) ? out : [out];
        const probabilities = delineationIndex >= 0 ? outputs[delineationIndex] : null;
        const ce = probabilities ? waveCrossEntropySum(probabilities, waveTargets(chunk.map((s) => s.waves), probabilities.shape.slice(1, -1) as number[])).dataSync()[0] : 0;
        return [outputs[0].dataSync() as Float32Array, probabilities?.dataSync() as Float32Array | undefined, ce] as const;
      });
      crossEntropySum += crossEntropy;
      const k = config.targets.length;
      const perWindow = waves ? waves.length / chunk.length : 0;
      chunk.forEach((sample, i) => {
        const row = predicted.subarray(i * k, (i + 1) * k);
        for (let j = 0; j < k; j++) {
          if (mask[i * k + j] === 0) continue;
          squaredSum += (row[j] - values[i * k + j]) ** 2;
          labelled++;
        }
        if (sample.waves) for (const c of sample.waves) if (c !== UNKNOWN_WAVE) knownSteps++;
        const measured = waves
          ? measureDelineated(waves.subarray(i * perWindow, (i + 1) * perWindow), sample.input, config, inputDivisor).parameters
          : mapTargets(row, config.targets, standardisation, modelVersion).parameters;
        tally.add(measured, sample.labels);
      });
    }
    const mse = labelled > 0 ? squaredSum / labelled : Number.NaN;
    const waveCrossEntropy = delineationIndex >= 0 && knownSteps > 0 ? crossEntropySum / knownSteps : null;
    const loss = delineationWeight > 0 && waveCrossEntropy !== null ? mse + delineationWeight * waveCrossEntropy : mse;
    return { name: group.name, windows: group.samples.length, loss, labelled, waveCrossEntropy, knownSteps, parameters: tally.summary() };
  });
}

/** Pooled validation loss over every labelled entry of every group. */
export function pooledLoss(evaluations: readonly GroupEvaluation[]): number {
  const labelled = evaluations.reduce((a, e) => a + e.labelled, 0);
  if (labelled === 0) return Number.NaN;
  return evaluations.reduce((a, e) => a + (e.labelled > 0 ? e.loss * e.labelled : 0), 0) / labelled;
}

/** Pooled delineation cross-entropy over every known (step, lead) entry of every group; NaN when no group has one. */
export function pooledWaveCrossEntropy(evaluations: readonly GroupEvaluation[]): number {
  const known = evaluations.reduce((a, e) => a + (e.waveCrossEntropy === null ? 0 : e.knownSteps), 0);
  if (known === 0) return Number.NaN;
  return evaluations.reduce((a, e) => a + (e.waveCrossEntropy === null ? 0 : e.waveCrossEntropy * e.knownSteps), 0) / known;
}

