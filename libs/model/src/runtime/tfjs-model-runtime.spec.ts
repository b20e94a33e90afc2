import { inputSamples } from '../config';
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
