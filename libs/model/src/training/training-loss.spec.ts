import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../runtime/backend';
import { lossScales, scaledLoss, waveCrossEntropySum, waveTargets } from './training-loss';
import { UNKNOWN_WAVE } from './wave-labels';

describe('training loss', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('one-hot wave targets leave unknown steps and windows without classes out', () => {
    const oneHot = waveTargets([Uint8Array.from([0, 2, UNKNOWN_WAVE]), null], [3]);
    expect(oneHot.shape).toEqual([2, 3, 4]);
    expect(Array.from(oneHot.dataSync())).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    oneHot.dispose();
  });

  it('cross-entropy is -log of the true class probability, summed over known steps', () => {
    const p = tf.tensor3d([[[0.5, 0.2, 0.2, 0.1], [0.1, 0.1, 0.7, 0.1], [0.25, 0.25, 0.25, 0.25]]]);
    const oneHot = waveTargets([Uint8Array.from([0, 2, UNKNOWN_WAVE])], [3]);
    expect(waveCrossEntropySum(p, oneHot).dataSync()[0]).toBeCloseTo(-Math.log(0.5) - Math.log(0.7), 5);
    tf.dispose([p, oneHot]);
  });

  it('scales turn the sums into the batch mean: MSE over labelled entries plus weight x mean cross-entropy over known steps', () => {
    const mask = Float32Array.from([1, 0, 1, 1]);
    const waves = [Uint8Array.from([0, 1, UNKNOWN_WAVE]), Uint8Array.from([3, 3, 3])];
    const scales = lossScales(mask, waves, 0.5);
    expect(scales).toEqual({ regression: 1 / 3, delineation: 0.5 / 5 });
    expect(lossScales(mask, [], 0.5).delineation).toBe(0);
    // A batch without a single label gives a zero loss (no gradient), not NaN.
    expect(lossScales(new Float32Array(4), [], 0).regression).toBe(1);

    const predicted = tf.tensor2d([[1, 5], [2, 3]]);
    const values = tf.tensor2d([[0, 0], [0, 0]]);
    const p = tf.fill([2, 3, 4], 0.25);
    const loss = scaledLoss([predicted, p], { values, mask: tf.tensor2d(mask, [2, 2]), waves: waveTargets(waves, [3]) }, scales);
    // (1 + 4 + 9) / 3 + 0.5 * 5 * ln 4 / 5
    expect(loss.dataSync()[0]).toBeCloseTo(14 / 3 + 0.5 * Math.log(4), 4);
    // A regression-only model (no delineation output) scores the MSE alone.
    const regressionOnly = scaledLoss(predicted, { values, mask: tf.tensor2d(mask, [2, 2]), waves: null }, scales);
    expect(regressionOnly.dataSync()[0]).toBeCloseTo(14 / 3, 5);
    tf.dispose([predicted, values, p, loss, regressionOnly]);
  });
});
