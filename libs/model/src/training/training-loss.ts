import * as tf from '@tensorflow/tfjs';
import { DELINEATION_OUTPUT, TARGETS_OUTPUT } from '../aicrn-model';
import { AicrnConfig, backboneSamples, DELINEATION_CLASSES, DELINEATION_LEADS } from '../config';
import { maskedSquaredErrorSum } from './masked-mse';
import { UNKNOWN_WAVE } from './wave-labels';

/**
 * Multipliers that turn the batch's sums into its mean objective: regression = 1 / (labelled target entries),
 * delineation = weight / (steps with a known wave class). Computed once per batch, so data-parallel shards that
 * each return their scaled sum add up to the whole batch's loss (and gradient) without a second division.
 */
export interface LossScales {
  regression: number;
  delineation: number;
}

/** The outputs training fits: the regression, plus the delineation when it has a weight. */
export function trainingModel(model: tf.LayersModel, delineationWeight: number): tf.LayersModel {
  const outputs = [model.getLayer(TARGETS_OUTPUT).output as tf.SymbolicTensor];
  if (delineationWeight > 0) outputs.push(model.getLayer(DELINEATION_OUTPUT).output as tf.SymbolicTensor);
  return tf.model({ inputs: model.inputs, outputs });
}

/** The weight of the delineation term against the regression MSE when a model has the output. */
export const DEFAULT_DELINEATION_WEIGHT = 0.2;

export function lossScales(mask: Float32Array, waves: readonly (Uint8Array | null | undefined)[], delineationWeight: number): LossScales {
  const labelled = mask.reduce((n, m) => n + m, 0);
  let known = 0;
  for (const w of waves) if (w) for (const c of w) if (c !== UNKNOWN_WAVE) known++;
  return { regression: 1 / Math.max(labelled, 1), delineation: known > 0 ? delineationWeight / known : 0 };
}

/**
 * Wave classes of a batch as a one-hot tensor [windows, ...shape, classes] (shape: the output's per-window shape
 * without the classes, [steps, leads]); unknown entries are all-zero rows.
 */
export function waveTargets(waves: readonly (Uint8Array | null | undefined)[], shape: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const size = shape.reduce((a, b) => a * b, 1);
    const classes = new Int32Array(waves.length * size).fill(-1);
    waves.forEach((w, i) => {
      if (w) for (let s = 0; s < size; s++) classes[i * size + s] = w[s] === UNKNOWN_WAVE ? -1 : w[s];
    });
    // tf.oneHot gives a zero row for an index outside [0, depth): unknown entries add nothing to the loss.
    return tf.reshape(tf.oneHot(tf.tensor1d(classes, 'int32'), DELINEATION_CLASSES.length), [waves.length, ...shape, DELINEATION_CLASSES.length]);
  });
}

/** The per-window shape of the delineation labels: [steps, leads]. */
export function waveShape(config: AicrnConfig): number[] {
  return [backboneSamples(config), DELINEATION_LEADS.length];
}

/** Sum of -log p(true class) over the known steps; `probabilities` is the softmax output [windows, steps, classes]. */
export function waveCrossEntropySum(probabilities: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probabilities, 1e-7, 1))))) as tf.Scalar);
}

/**
 * The scaled objective of a batch or shard: regression squared errors times scales.regression plus, for a model with
 * a delineation output, its cross-entropy times scales.delineation.
 */
export function scaledLoss(
  outputs: tf.Tensor | tf.Tensor[],
  targets: { values: tf.Tensor; mask: tf.Tensor; waves: tf.Tensor | null },
  scales: LossScales,
): tf.Scalar {
  return tf.tidy(() => {
    const [regression, delineation] = Array.isArray(outputs) ? outputs : [outputs];
    const mse = tf.mul(maskedSquaredErrorSum(regression, targets.values, targets.mask), scales.regression);
    if (!delineation || !targets.waves || scales.delineation === 0) return mse as tf.Scalar;
    return tf.add(mse, tf.mul(waveCrossEntropySum(delineation, targets.waves), scales.delineation)) as tf.Scalar;
  });
}
