import * as tf from '@tensorflow/tfjs';

/**
 * Mean squared error over the labelled entries only: sum(mask * (pred - y)^2) / sum(mask).
 * An all-masked batch gives 0 (no gradient), not NaN.
 */
export function maskedMse(predicted: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const squared = tf.mul(tf.square(tf.sub(predicted, target)), mask);
    return tf.div(tf.sum(squared), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}
