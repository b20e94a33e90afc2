import * as tf from '@tensorflow/tfjs';

/** sum(mask * (pred - y)^2): the regression term of the loss, scaled by 1 / labelled entries (lossScales). */
export function maskedSquaredErrorSum(predicted: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(tf.square(tf.sub(predicted, target)), mask)) as tf.Scalar);
}
