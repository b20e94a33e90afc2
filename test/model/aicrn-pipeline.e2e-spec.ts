// The inference pipeline measures with a trained AICRN model directory: a tiny network is trained here for a
// few steps (so its standardisation is real, computed from training labels), saved like the shipped weights,
// loaded by the runtime and run through measureWindows with AICRN as primary and DSP as fallback.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalLeadName, millivoltsToLead, ValidatedWindow } from '@aicrn/contracts';
import { AicrnConfig, AicrnMeasurer, buildAicrnModel, saveAicrnModel, untrainedMetadata, materialiseSamples, metadataOfSource, selectBackend, syntheticWindowAt, TfjsModelRuntime, trainAicrn } from '@aicrn/model';
import { TINY_CONFIG } from '../../libs/model/src/test-configs';
import { AicrnMethod, DspMethod, measureWindows } from '@aicrn/pipeline';
import { LabeledWindow } from '@aicrn/signal';
import { aicrnRecordMeasurer, availableMeasurers } from '../../apps/cli/src/commands/measurement-methods';

const CONFIG: AicrnConfig = { ...TINY_CONFIG, name: 'aicrn-tiny-e2e', windowSeconds: 10, dropout: 0, targets: ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv'] };

function validated(window: LabeledWindow, seq: number, leads?: string[]): ValidatedWindow {
  const chosen = window.record.leads.filter((l) => !leads || leads.includes(l.name));
  const ecgLeads = chosen.map((l) => ({ ...millivoltsToLead(l.name, Array.from(l.mv), 200, 0), name: canonicalLeadName(l.name)! }));
  return {
    window_id: `bed-01:mon-01:${seq}`,
    received_ms: 1_700_000_010_000,
    quality: { score: 0.9, reasons: [], leads: ecgLeads.map((l) => ({ lead: l.name, score: 0.9, reasons: [] })) },
    window: { bed_id: 'bed-01', device_id: 'mon-01', seq, start_ms: 1_700_000_000_000, sample_rate_hz: window.record.sampleRateHz, leads: ecgLeads },
  };
}

describe('AICRN in the inference pipeline with a trained model directory', () => {
  let out: string;
  let modelDir: string;

  beforeAll(async () => {
    await selectBackend('wasm');
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'aicrn-e2e-model-'));
    const { samples } = await materialiseSamples([0, 1, 2, 3].map((i) => syntheticWindowAt(11, 'val', i)), CONFIG, 6);
    const result = await trainAicrn({
      config: CONFIG,
      outDir: out,
      train: { kind: 'synthetic', seed: 11, split: 'train' },
      datasetDescription: 'synthetic (e2e test)',
      validation: [{ name: 'val', samples }],
      batchSize: 4,
      stepsPerEpoch: 4,
      epochs: 1,
      schedule: { maxLr: 1e-3, minLr: 1e-4, cycleSteps: 4, cycleMultiplier: 1 },
      patienceEpochs: 1,
      seed: 2,
      standardisationSamples: 32,
    });
    modelDir = result.bestDir!;
  }, 120_000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('measures 12-lead windows with aicrn and 3-lead windows with dsp, saying why', async () => {
    const metadata = metadataOfSource({ kind: 'directory', path: modelDir });
    expect(metadata.standardisation?.qt_ms?.std).toBeGreaterThan(0);
    const runtime = await TfjsModelRuntime.create({ kind: 'directory', path: modelDir });
    const measurer = new AicrnMeasurer({ runtime, maxBatchSize: 4, maxQueueDelayMs: 1 });
    const primary = new AicrnMethod(measurer, () => measurer.close());
    const source = [0, 1].map((i) => syntheticWindowAt(21, 'test', i));
    const windows = [validated(source[0], 1), validated(source[1], 2), validated(source[0], 3, ['I', 'II', 'III'])];

    const measurements = await measureWindows(windows, { primary, fallback: new DspMethod(), qtcFormula: 'bazett' });
    await primary.close();
    await runtime.dispose();

    expect(measurements.map((m) => m.method)).toEqual(['aicrn', 'aicrn', 'dsp']);
    for (const m of measurements.slice(0, 2)) {
      expect(m.model_version).toBe(metadata.model_version);
      expect(m.attention.length).toBeGreaterThan(0);
      for (const span of m.attention) expect(span.end_s).toBeGreaterThan(span.start_s);
      // every parameter is either a number or null with a reason
      for (const p of ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv'] as const) {
        if (m[p] === null) expect(m.unmeasured.some((u) => u.parameter === p)).toBe(true);
      }
    }
    const fallback = measurements[2];
    expect(fallback.model_version).toMatch(/^dsp-/);
    expect(fallback.attention).toEqual([]);
    expect(fallback.quality_reasons.join(' ')).toMatch(/measured by dsp: not_eligible \(missing_chest_leads\)/);
    expect(fallback.hr_bpm).not.toBeNull();
  }, 60_000);

  it('serves `aicrn measure`/`eval` from a model directory, falling back to dsp per window', async () => {
    const reasons: string[] = [];
    const measurer = aicrnRecordMeasurer({ modelDir, onFallback: (r) => reasons.push(r) });
    expect(availableMeasurers({ modelDir }).map((m) => m.method)).toEqual(['aicrn', 'consensus', 'dsp']);
    const window = syntheticWindowAt(21, 'test', 0);
    const full = await measurer.measure(window.record);
    expect(full).toMatchObject({ method: 'aicrn', version: metadataOfSource({ kind: 'directory', path: modelDir }).model_version });
    const threeLead = await measurer.measure({ sampleRateHz: window.record.sampleRateHz, leads: window.record.leads.filter((l) => ['I', 'II', 'III'].includes(l.name)) });
    expect(threeLead).toMatchObject({ method: 'dsp' });
    expect(reasons).toEqual([expect.stringMatching(/missing_chest_leads/)]);
    expect(measurer.version).toBe(metadataOfSource({ kind: 'directory', path: modelDir }).model_version);
    await measurer.close();
  }, 60_000);

  it('refuses an untrained or missing model with a message naming what to pass', async () => {
    const missing = aicrnRecordMeasurer({ modelDir: path.join(out, 'nope') });
    await expect(missing.measure(syntheticWindowAt(21, 'test', 0).record)).rejects.toThrow(/--model .*nope: no such directory/);
    const untrainedDir = path.join(out, 'untrained');
    await saveAicrnModel(buildAicrnModel(CONFIG, { seed: 1 }), untrainedDir, untrainedMetadata(CONFIG, 1));
    await expect(aicrnRecordMeasurer({ modelDir: untrainedDir }).measure(syntheticWindowAt(21, 'test', 0).record)).rejects.toThrow(/untrained.*--method dsp/);
  });
});
