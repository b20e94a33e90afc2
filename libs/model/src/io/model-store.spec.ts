import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAicrnModel } from '../aicrn-model';
import { inputSamples } from '../config';
import { AicrnModelMetadata } from '../model-metadata';
import { TfjsModelRuntime } from '../runtime/tfjs-model-runtime';
import { metadataOfSource } from '../runtime/worker-pool';
import { TINY_CONFIG } from '../test-configs';
import { saveAicrnModel } from './model-store';

describe('saveAicrnModel', () => {
  it('writes model.json + weights.bin + model-card.json; the runtime serves it with its metadata', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aicrn-store-'));
    const metadata: AicrnModelMetadata = {
      model_version: 'aicrn-tiny/2026-01-01-test',
      config: TINY_CONFIG,
      standardisation: { hr_bpm: { mean: 70, std: 12 }, qt_ms: { mean: 400, std: 30 } },
      input_divisor: 6,
      training: { dataset: 'unit-test', finished_at: '2026-01-01T00:00:00Z' },
    };
    try {
      const source = { kind: 'random' as const, config: TINY_CONFIG, seed: 21 };
      const reference = await TfjsModelRuntime.create(source, { backend: 'wasm' });
      await saveAicrnModel(buildAicrnModel(TINY_CONFIG, { seed: 21 }), dir, metadata);
      expect(fs.readdirSync(dir).sort()).toEqual(['model-card.json', 'model.json', 'weights.bin']);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'model-card.json'), 'utf8'))).toMatchObject({ model_version: metadata.model_version, parameters: { trainable: expect.any(Number) } });
      expect(metadataOfSource({ kind: 'directory', path: dir })).toEqual(metadata);
      const served = await TfjsModelRuntime.create({ kind: 'directory', path: dir }, { backend: 'wasm' });
      expect(served.metadata).toEqual(metadata);
      const input = Float32Array.from({ length: inputSamples(TINY_CONFIG) * 8 }, (_, i) => Math.cos(i / 7));
      const [a, b] = [await reference.predict(input, 1), await served.predict(input, 1)];
      expect(Array.from(b.targets)).toEqual(Array.from(a.targets));
      expect(Array.from(b.attention)).toEqual(Array.from(a.attention));
      reference.dispose();
      served.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses invalid metadata and names the problem', async () => {
    const model = buildAicrnModel(TINY_CONFIG, { seed: 1 });
    const bad = { model_version: 'x', config: TINY_CONFIG, standardisation: { hr_bpm: { mean: 1, std: 0 } }, input_divisor: 6, training: null } as unknown as AicrnModelMetadata;
    await expect(saveAicrnModel(model, path.join(os.tmpdir(), 'never-written'), bad)).rejects.toThrow(/standardisation for hr_bpm needs a finite mean and a positive std/);
    expect(() => metadataOfSource({ kind: 'directory', path: '/nonexistent/model' })).toThrow(/cannot read model \/nonexistent\/model\/model.json/);
  });
});
