import * as tf from '@tensorflow/tfjs';
import { buildAicrnModel } from '../aicrn-model';
import { inputSamples } from '../config';
import { TINY_CONFIG } from '../test-configs';
import { selectBackend } from './backend';
import { FusedInferenceGraph } from './fused-inference-graph';

describe('FusedInferenceGraph', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('matches the layers model (targets and mean attention) with trained, non-trivial batch-norm statistics', async () => {
    const model = buildAicrnModel(TINY_CONFIG, { seed: 9 });
    // A few training steps move every batch norm's moving statistics away from 0/1.
    const trainer = tf.model({ inputs: model.inputs, outputs: model.outputs[0] });
    trainer.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const samples = inputSamples(TINY_CONFIG);
    const x = tf.tensor3d(Float32Array.from({ length: 6 * samples * 8 }, (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 0.011)), [6, samples, 8]);
    const y = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [6, 2]);
    for (let i = 0; i < 5; i++) await trainer.trainOnBatch(x, y);
    expect(model.getLayer('module1_bn1').getWeights()[2].dataSync()[0]).not.toBe(0);

    const graph = FusedInferenceGraph.fromModel(model, TINY_CONFIG);
    const [targets, maps] = model.predict(x) as tf.Tensor[];
    const expectedAttention = tf.mean(maps, -1);
    const fused = graph.predict(x);
    expect(fused.targets.shape).toEqual(targets.shape);
    expect(fused.attention.shape).toEqual(expectedAttention.shape);
    const close = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]);
    expect(close(fused.targets, targets)).toBeLessThan(1e-4);
    expect(close(fused.attention, expectedAttention)).toBeLessThan(1e-4);
    const before = tf.memory().numTensors;
    tf.dispose(graph.predict(x));
    expect(tf.memory().numTensors).toBe(before);
    graph.dispose();
    tf.dispose([x, y, targets, maps, expectedAttention, fused.targets, fused.attention]);
    model.dispose();
  });

  it('computes the delineation output like the layers model, for a model that has one', () => {
    const config = { ...TINY_CONFIG, delineation: true };
    const model = buildAicrnModel(config, { seed: 4 });
    const samples = inputSamples(config);
    const x = tf.tensor3d(Float32Array.from({ length: 2 * samples * 8 }, (_, i) => Math.sin(i * 0.21)), [2, samples, 8]);
    const graph = FusedInferenceGraph.fromModel(model, config);
    const expected = (model.predict(x) as tf.Tensor[])[2];
    const fused = graph.predict(x);
    expect(fused.delineation!.shape).toEqual(expected.shape);
    expect(tf.max(tf.abs(tf.sub(fused.delineation!, expected))).dataSync()[0]).toBeLessThan(1e-5);
    // A model without the output gives none.
    const plain = buildAicrnModel(TINY_CONFIG, { seed: 4 });
    const plainGraph = FusedInferenceGraph.fromModel(plain, TINY_CONFIG);
    const plainOut = plainGraph.predict(x);
    expect(plainOut.delineation).toBeUndefined();
    tf.dispose([x, expected, fused.targets, fused.attention, fused.delineation!, plainOut.targets, plainOut.attention]);
    [graph, plainGraph].forEach((g) => g.dispose());
    [model, plain].forEach((m) => m.dispose());
  });

  it('names a missing layer', () => {
    const model = buildAicrnModel({ ...TINY_CONFIG, modules: 1 });
    expect(() => FusedInferenceGraph.fromModel(model, TINY_CONFIG)).toThrow('model has no layer "module2_conv1"');
    model.dispose();
  });
});
