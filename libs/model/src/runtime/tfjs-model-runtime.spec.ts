import * as tf from '@tensorflow/tfjs';
import { buildAicrnModel } from '../aicrn-model';
import { backboneSamples, inputSamples } from '../config';
import { modelArtifactsOf } from '../io/fs-io-handler';
import { METADATA_KEY, untrainedMetadata } from '../model-metadata';
import { TINY_CONFIG } from '../test-configs';
import { TfjsModelRuntime } from './tfjs-model-runtime';

describe('TfjsModelRuntime', () => {
  const source = { kind: 'random' as const, config: TINY_CONFIG, seed: 5 };

  it('runs the fused graph by default and agrees with the layers graph', async () => {
    const fused = await TfjsModelRuntime.create(source, { backend: 'wasm' });
    const layers = await TfjsModelRuntime.create(source, { backend: 'wasm', graph: 'layers' });
    expect([fused.graph, layers.graph]).toEqual(['fused', 'layers']);
    expect(fused.backend).toBe('wasm');
    expect(fused.backendSelection.skipped).toEqual([]);
    const input = Float32Array.from({ length: 2 * inputSamples(TINY_CONFIG) * 8 }, (_, i) => Math.sin(i / 3));
    const [a, b] = [await fused.predict(input, 2), await layers.predict(input, 2)];
    expect(a.targets).toHaveLength(4);
    expect(a.attention).toHaveLength(2 * a.attentionLength);
    a.targets.forEach((v, i) => expect(v).toBeCloseTo(b.targets[i], 4));
    a.attention.forEach((v, i) => expect(v).toBeCloseTo(b.attention[i], 4));
    fused.dispose();
    layers.dispose();
  });

  it('returns the delineation output of a model that has one, from both graphs', async () => {
    const config = { ...TINY_CONFIG, delineation: true };
    const delineating = { kind: 'random' as const, config, seed: 6 };
    const [fused, layers] = await Promise.all([TfjsModelRuntime.create(delineating, { backend: 'wasm' }), TfjsModelRuntime.create(delineating, { backend: 'wasm', graph: 'layers' })]);
    const input = Float32Array.from({ length: 2 * inputSamples(config) * 8 }, (_, i) => Math.cos(i / 5));
    const [a, b] = [await fused.predict(input, 2), await layers.predict(input, 2)];
    expect(a.delineationSteps).toBe(backboneSamples(config));
    expect(a.delineation).toHaveLength(2 * backboneSamples(config) * 12 * 4);
    a.delineation!.forEach((v, i) => expect(v).toBeCloseTo(b.delineation![i], 4));
    fused.dispose();
    layers.dispose();
  });

  it('refuses a model whose delineation output is not the per-lead layout', async () => {
    const config = { ...TINY_CONFIG, delineation: true };
    const built = buildAicrnModel(config, { seed: 2 });
    // An older layout: one set of classes for the whole window instead of one per lead.
    const flat = tf.layers.softmax({ name: 'delineation' }).apply(built.getLayer('delineation_conv2').output) as tf.SymbolicTensor;
    const odd = tf.model({ inputs: built.inputs, outputs: [built.outputs[0], built.outputs[1], flat] });
    odd.setUserDefinedMetadata({ [METADATA_KEY]: untrainedMetadata(config, 2) });
    const artifacts = await modelArtifactsOf(odd);
    await expect(TfjsModelRuntime.create({ kind: 'artifacts', artifacts }, { backend: 'wasm' })).rejects.toThrow(/delineation output \[null,\d+,48\] is not the per-lead layout \[null,\d+,12,4\]/);
    built.dispose();
  });

  it('names the expected size when a batch has the wrong length', async () => {
    const runtime = await TfjsModelRuntime.create(source, { backend: 'wasm' });
    await expect(runtime.predict(new Float32Array(10), 1)).rejects.toThrow(`predict: input has 10 values; batch 1 needs 1 x ${inputSamples(TINY_CONFIG)} x 8`);
    runtime.dispose();
  });

  it('reports why a preferred backend was skipped (tfjs-node is not installed here)', async () => {
    const runtime = await TfjsModelRuntime.create(source);
    if (runtime.backend !== 'tensorflow') expect(runtime.backendSelection.skipped[0]).toMatchObject({ backend: 'tensorflow', reason: expect.any(String) });
    runtime.dispose();
  });
});
