import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAicrnModel, saveAicrnModel, selectBackend } from '@aicrn/model';
import { TINY_CONFIG } from '../../../../libs/model/src/test-configs';
import { BadInputError } from './bad-input';
import { runAverage } from './average.command';
import { positiveNumberList } from './option-parsers';

describe('aicrn average', () => {
  let root: string;
  beforeAll(() => selectBackend('wasm'));
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aicrn-average-cli-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const save = async (step: number) => {
    const dir = path.join(root, `step-${step}`);
    const model = buildAicrnModel(TINY_CONFIG, { seed: step });
    await saveAicrnModel(model, dir, {
      model_version: `aicrn-tiny/run-step-${step}`,
      config: TINY_CONFIG,
      standardisation: { hr_bpm: { mean: 70, std: 12 }, qt_ms: { mean: 400, std: 30 } },
      input_divisor: 6,
      training: { dataset: 'unit-test', finished_at: '2026-01-01T00:00:00Z' },
    });
    model.dispose();
    return dir;
  };

  it('writes the average under a version naming the steps it spans', async () => {
    const dirs = [await save(100), await save(200)];
    const result = await runAverage(dirs, { out: path.join(root, 'avg') });
    expect(result.metadata.model_version).toBe('aicrn-tiny/run-avg-100-200');
    expect(fs.readdirSync(path.join(root, 'avg')).sort()).toEqual(['model-card.json', 'model.json', 'weights.bin']);
  });

  it('weights the models as --weights says and refuses a weight list of another length', async () => {
    const dirs = [await save(100), await save(200)];
    const result = await runAverage(dirs, { out: path.join(root, 'weighted'), weights: [3, 1] });
    expect(result.metadata.training?.notes).toBe('weight average of aicrn-tiny/run-step-100 (weight 3), aicrn-tiny/run-step-200 (weight 1)');
    expect(result.description).toBe(result.metadata.training?.notes);
    await expect(runAverage(dirs, { out: path.join(root, 'bad'), weights: [1, 1, 1] })).rejects.toThrow(/3 weights for 2 models/);
    expect(fs.existsSync(path.join(root, 'bad'))).toBe(false);
  });

  it('parses --weights as positive numbers and names the option when they are not', () => {
    const parse = positiveNumberList('--weights');
    expect(parse('2, 1,0.5')).toEqual([2, 1, 0.5]);
    for (const bad of ['2,,1', '1,-1', '0', 'a,1', '']) expect(() => parse(bad)).toThrow(/--weights must be positive numbers separated by commas/);
  });

  it('refuses to write over one of its inputs', async () => {
    const dirs = [await save(100), await save(200)];
    const before = fs.readFileSync(path.join(dirs[1], 'weights.bin'));
    await expect(runAverage(dirs, { out: `${dirs[1]}/` })).rejects.toThrow(BadInputError);
    expect(fs.readFileSync(path.join(dirs[1], 'weights.bin'))).toEqual(before);
  });
});
