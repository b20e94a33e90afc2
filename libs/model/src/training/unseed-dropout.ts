import * as tf from '@tensorflow/tfjs';

/**
 * A seeded tfjs Dropout draws the same mask on every call (the seed restarts its generator), which would
 * train a fixed sub-network. Training needs fresh masks, so the seeds used for reproducible builds are cleared.
 */
export function unseedDropout(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = undefined;
  }
}
