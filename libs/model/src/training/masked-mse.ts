import * as tf from '@tensorflow/tfjs';

/**
 * Mean squared error over the labelled entries only: sum(mask * (pred - y)^2) / sum(mask).
 * An all-masked batch gives 0 (no gradient), not NaN.
 */
export function maskedMse(predicted: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(maskedSquaredErrorSum(predicted, target, mask), tf.maximum(tf.sum(mask), 1)) as tf.Scalar);
}

/** sum(mask * (pred - y)^2): the numerator of maskedMse, which data-parallel shards add up before dividing. */
export function maskedSquaredErrorSum(predicted: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(tf.square(tf.sub(predicted, target)), mask)) as tf.Scalar);
}
