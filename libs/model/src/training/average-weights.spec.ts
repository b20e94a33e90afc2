import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAicrnModel } from '../aicrn-model';
import { AicrnConfig } from '../config';
import { saveAicrnModel } from '../io/model-store';
import { AicrnModelMetadata } from '../model-metadata';
import { loadAicrnModel } from '../runtime/tfjs-model-runtime';
import { selectBackend } from '../runtime/backend';
import { TINY_CONFIG } from '../test-configs';
import { averagedVersion, averageSavedModels } from './average-weights';

const metadataOf = (version: string, config: AicrnConfig = TINY_CONFIG): AicrnModelMetadata => ({
  model_version: version,
  config,
  standardisation: { hr_bpm: { mean: 70, std: 12 }, qt_ms: { mean: 400, std: 30 } },
  input_divisor: 6,
  training: { dataset: 'unit-test', finished_at: '2026-01-01T00:00:00Z' },
});

describe('averageSavedModels', () => {
  let root: string;
  beforeAll(() => selectBackend('wasm'));
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aicrn-average-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const save = async (name: string, seed: number, config: AicrnConfig = TINY_CONFIG) => {
    const model = buildAicrnModel(config, { seed });
    await saveAicrnModel(model, path.join(root, name), metadataOf(`aicrn-tiny/run-step-${seed}`, config));
    model.dispose();
    return path.join(root, name);
  };

  it('writes the element-wise mean of every weight, loadable as a model with the last model metadata under the new version', async () => {
    const dirs = [await save('a', 1), await save('b', 2), await save('c', 3)];
    const out = path.join(root, 'avg');
    const result = await averageSavedModels(dirs, out, { version: 'aicrn-tiny/run-swa' });
    expect(result.sources).toEqual(['aicrn-tiny/run-step-1', 'aicrn-tiny/run-step-2', 'aicrn-tiny/run-step-3']);

    const loaded = await Promise.all([...dirs, out].map((d) => loadAicrnModel({ kind: 'directory', path: d })));
    const [a, b, c, avg] = loaded;
    expect(avg.metadata.model_version).toBe('aicrn-tiny/run-swa');
    expect(avg.metadata.standardisation).toEqual(c.metadata.standardisation);
    expect(avg.metadata.training?.notes).toBe('weight average of aicrn-tiny/run-step-1, aicrn-tiny/run-step-2, aicrn-tiny/run-step-3');
    const weights = (m: (typeof loaded)[number]) => m.model.getWeights().map((w) => w.dataSync() as Float32Array);
    const [wa, wb, wc, wavg] = [a, b, c, avg].map(weights);
    expect(wavg.length).toBe(wa.length);
    let differs = false;
    wavg.forEach((w, k) => {
      for (let i = 0; i < w.length; i++) {
        expect(w[i]).toBeCloseTo((wa[k][i] + wb[k][i] + wc[k][i]) / 3, 6);
        differs ||= wa[k][i] !== wb[k][i];
      }
    });
    // Different seeds: the mean is not just a copy of one input.
    expect(differs).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8'))).toMatchObject({ model_version: 'aicrn-tiny/run-swa', parameters: { trainable: expect.any(Number) } });
    loaded.forEach((m) => m.model.dispose());
  });

  it('weights each model by its share of the relative weights, so an average extends without its ingredients', async () => {
    const [a, b, c] = [await save('a', 1), await save('b', 2), await save('c', 3)];
    const ab = path.join(root, 'ab');
    await averageSavedModels([a, b], ab);
    const extended = path.join(root, 'abc-weighted');
    const result = await averageSavedModels([ab, c], extended, { weights: [2, 1] });
    expect(result.metadata.training?.notes).toMatch(/^weight average of .* \(weight 2\), aicrn-tiny\/run-step-3 \(weight 1\)$/);
    const uniform = path.join(root, 'abc-uniform');
    await averageSavedModels([a, b, c], uniform);

    const [w, u] = await Promise.all([extended, uniform].map((d) => loadAicrnModel({ kind: 'directory', path: d })));
    const wv = w.model.getWeights().map((t) => t.dataSync() as Float32Array);
    const uv = u.model.getWeights().map((t) => t.dataSync() as Float32Array);
    wv.forEach((values, k) => values.forEach((x, i) => expect(x).toBeCloseTo(uv[k][i], 6)));
    [w, u].forEach((m) => m.model.dispose());
  });

  it('refuses weights that are not one positive number per model', async () => {
    const dirs = [await save('a', 1), await save('b', 2)];
    await expect(averageSavedModels(dirs, path.join(root, 'out'), { weights: [1] })).rejects.toThrow(/1 weights for 2 models/);
    await expect(averageSavedModels(dirs, path.join(root, 'out'), { weights: [1, 0] })).rejects.toThrow(/positive numbers, got 1, 0/);
    await expect(averageSavedModels(dirs, path.join(root, 'out'), { weights: [1, Number.NaN] })).rejects.toThrow(/positive numbers/);
    expect(fs.existsSync(path.join(root, 'out'))).toBe(false);
  });

  it('refuses fewer than two models and models of different networks', async () => {
    const a = await save('a', 1);
    await expect(averageSavedModels([a], path.join(root, 'out'), { version: 'v' })).rejects.toThrow(/at least 2 models, got 1/);
    const wider = await save('wider', 2, { ...TINY_CONFIG, moduleWidth: TINY_CONFIG.moduleWidth * 2 });
    await expect(averageSavedModels([a, wider], path.join(root, 'out'), { version: 'v' })).rejects.toThrow(/another network .*only models of one network/);
    await expect(averageSavedModels([a, path.join(root, 'missing')], path.join(root, 'out'), { version: 'v' })).rejects.toThrow(/cannot read .*missing.model\.json/);
    expect(fs.existsSync(path.join(root, 'out'))).toBe(false);
  });
});

describe('averagedVersion', () => {
  it('names the steps the average spans, or the count when the versions carry no step', () => {
    expect(averagedVersion(['aicrn-serving/2026-12-02-seed-8-step-1200', 'aicrn-serving/2026-12-02-seed-8-step-1500', 'aicrn-serving/2026-12-02-seed-8-step-1800'])).toBe(
      'aicrn-serving/2026-12-02-seed-8-avg-1200-1800',
    );
    expect(averagedVersion(['aicrn-serving/a', 'aicrn-serving/b'])).toBe('aicrn-serving/b-avg-2');
  });
});
