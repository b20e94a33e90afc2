import * as tf from '@tensorflow/tfjs';
import { AgreementTally, ParameterAgreement } from '@aicrn/signal';
import { AICRN_INPUT_LEADS, AicrnConfig, inputSamples } from '../config';
import { Standardisation } from '../model-metadata';
import { mapTargets } from '../serving/output-mapping';
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
  /** Masked MSE on standardised targets: the quantity early stopping watches. */
  loss: number;
  /** Labelled target entries the loss averaged over. */
  labelled: number;
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
 * Runs the network (inference mode) over each group and scores it: the standardised masked MSE and, through
 * the same output mapping inference uses, MAE / RMSE / R2 per parameter in clinical units.
 */
export function evaluateGroups(
  predictor: tf.LayersModel,
  groups: readonly SampleGroup[],
  config: AicrnConfig,
  standardisation: Partial<Standardisation>,
  modelVersion: string,
  batchSize = 8,
): GroupEvaluation[] {
  return groups.map((group) => {
    const tally = new AgreementTally();
    let squaredSum = 0;
    let labelled = 0;
    for (let start = 0; start < group.samples.length; start += batchSize) {
      const chunk = group.samples.slice(start, start + batchSize);
      const { values, mask } = standardiseLabels(chunk.map((s) => s.labels), config.targets, standardisation);
      const predicted = tf.tidy(() => {
        const out = predictor.predict(inputBatch(chunk, config));
        return (Array.isArray(out) ? out[0] : out).dataSync() as Float32Array;
      });
      const k = config.targets.length;
      chunk.forEach((sample, i) => {
        const row = predicted.subarray(i * k, (i + 1) * k);
        for (let j = 0; j < k; j++) {
          if (mask[i * k + j] === 0) continue;
          squaredSum += (row[j] - values[i * k + j]) ** 2;
          labelled++;
        }
        tally.add(mapTargets(row, config.targets, standardisation, modelVersion).parameters, sample.labels);
      });
    }
    return { name: group.name, windows: group.samples.length, loss: labelled > 0 ? squaredSum / labelled : Number.NaN, labelled, parameters: tally.summary() };
  });
}

/** Pooled validation loss over every labelled entry of every group. */
export function pooledLoss(evaluations: readonly GroupEvaluation[]): number {
  const labelled = evaluations.reduce((a, e) => a + e.labelled, 0);
  if (labelled === 0) return Number.NaN;
  return evaluations.reduce((a, e) => a + (e.labelled > 0 ? e.loss * e.labelled : 0), 0) / labelled;
}

