import * as tf from '@tensorflow/tfjs';
import { ShardGroup } from './shard-group';

/** What a batch norm needs; both BatchNormalization and AicrnSpatialAttention hold these (private) fields. */
interface BatchNormWeights {
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
  epsilon: number;
  momentum: number;
}

interface BatchNormLayer extends BatchNormWeights {
  axis: number;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor;
}

interface SpatialAttentionLayer extends BatchNormWeights {
  normaliseInTraining(conv: tf.Tensor): tf.Tensor;
}

/**
 * Makes every BatchNormalization layer (and the batch norm inside AicrnSpatialAttention) of a worker's model normalise a training shard with the statistics of
 * the whole batch (all shards), so data-parallel gradients and moving statistics equal single-thread training
 * on the whole batch. Forward: all-reduce of the per-channel sum and count (mean), then of the squared
 * deviations (biased variance, as tf.moments). Backward: all-reduce of sum(dy) and sum(dy * xhat), the two
 * terms through which every window's gradient depends on the others. Inference calls are left as they were.
 */
export function synchroniseBatchNorm(model: tf.LayersModel, group: ShardGroup): void {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'AicrnSpatialAttention') {
      const sam = layer as unknown as SpatialAttentionLayer;
      sam.normaliseInTraining = (conv) => synchronisedBatchNorm(sam, conv, group);
    }
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const bn = layer as unknown as BatchNormLayer;
    const original = bn.call.bind(bn);
    bn.call = (inputs, kwargs) => {
      if (!kwargs.training) return original(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (bn.axis !== -1 && bn.axis !== x.rank - 1) throw new Error(`${layer.name}: synchronised batch norm supports the last axis only`);
      return synchronisedBatchNorm(bn, x, group);
    };
  }
}

function synchronisedBatchNorm(bn: BatchNormWeights, x: tf.Tensor, group: ShardGroup): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const channels = x.shape[x.rank - 1]!;
  const localCount = x.size / channels;
  const sumOverShards = (t: tf.Tensor) => tf.tensor1d(Array.from(group.allReduce(t.dataSync())), 'float32');
  const normalise = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const totals = group.allReduce([...tf.tidy(() => tf.sum(input, axes)).dataSync(), localCount]);
    const count = totals[channels];
    const mean = tf.tensor1d(Array.from(totals.subarray(0, channels), (s) => s / count), 'float32');
    const centred = tf.sub(input, mean);
    const variance = tf.div(sumOverShards(tf.tidy(() => tf.sum(tf.square(centred), axes))), count);
    const inverseStd = tf.rsqrt(tf.add(variance, bn.epsilon));
    const xhat = tf.mul(centred, inverseStd);
    save([xhat, inverseStd, gamma]);
    // Moving statistics from the whole batch's mean and variance, as the layer's own update does.
    tf.tidy(() => {
      for (const [moving, value] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
        moving.write(tf.sub(moving.read(), tf.mul(tf.sub(moving.read(), value), 1 - bn.momentum)));
      }
    });
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, istd, g] = saved;
        const localDy = tf.sum(dy, axes);
        const localDyXhat = tf.sum(tf.mul(dy, xh), axes);
        const totals = group.allReduce([...localDy.dataSync(), ...localDyXhat.dataSync()]);
        const meanDy = tf.tensor1d(Array.from(totals.subarray(0, channels), (s) => s / count), 'float32');
        const meanDyXhat = tf.tensor1d(Array.from(totals.subarray(channels), (s) => s / count), 'float32');
        const dx = tf.mul(tf.mul(g, istd), tf.sub(tf.sub(dy, meanDy), tf.mul(xh, meanDyXhat)));
        // gamma and beta: this shard's share; the main thread adds the shards' gradients.
        return [dx, localDyXhat, localDy];
      },
    };
  });
  return normalise(x, bn.gamma.read(), bn.beta.read());
}
