import { cpSync, mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metadataOfSource, selectBackend, shippedModelDir } from '@aicrn/model';
import { BadInputError } from './bad-input';
import { evalAlerts, EvalAlertsOptions } from './eval-alerts.command';

describe('aicrn eval-alerts --method', () => {
  beforeAll(() => selectBackend('wasm'));

  // Tachycardia right after the baseline: about 90 windows of one bed.
  const tachycardia: EvalAlertsOptions = { quick: true, beds: 1, hours: 0, seed: 1, scenario: ['tachycardia'], qtcFormula: 'bazett', progress: false };

  it('puts the shipped network between ingestion and the alarms with --method aicrn', async () => {
    const report = (await evalAlerts({ ...tachycardia, method: 'aicrn' }))!;
    const shipped = metadataOfSource({ kind: 'directory', path: shippedModelDir()! });
    expect(report.settings).toMatchObject({ method: 'aicrn', method_version: shipped.model_version, workers: 1, concurrent_beds: 1 });
    expect(report.conditions).toEqual([expect.objectContaining({ kind: 'tachycardia', missed: [], sensitivity: 1 })]);
  }, 120_000);

  it('measures with DSP by default', async () => {
    const report = (await evalAlerts({ ...tachycardia, workers: 1 }))!;
    expect(report.settings.method).toBe('dsp');
  }, 60_000);

  it('refuses a model it cannot use, and --model with another method', async () => {
    await expect(evalAlerts({ ...tachycardia, model: join(__dirname, 'no-such-model') })).rejects.toThrow(BadInputError);
    await expect(evalAlerts({ ...tachycardia, model: join(__dirname, 'no-such-model') })).rejects.toThrow(/--model .*no-such-model: no such directory/);
    await expect(evalAlerts({ ...tachycardia, method: 'dsp', model: shippedModelDir()! })).rejects.toThrow(/--model selects an AICRN model, but --method is dsp/);
  });

  it('refuses weights that do not load, naming the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aicrn-broken-'));
    try {
      cpSync(shippedModelDir()!, dir, { recursive: true });
      truncateSync(join(dir, 'weights.bin'), 1000);
      const run = evalAlerts({ ...tachycardia, model: dir, workers: 1 });
      await expect(run).rejects.toThrow(BadInputError);
      await expect(run).rejects.toThrow(new RegExp(`--model ${dir}: cannot load the model`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
