import type * as tf from '@tensorflow/tfjs';

/** A tensor with its name, as optimizers save and restore their state (tfjs does not re-export the type). */
export type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];
