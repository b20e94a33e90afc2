import { LeadName, millivoltsToLead, ValidatedWindow } from '@aicrn/contracts';
import { AicrnConfig, backboneSamples, backboneTimebase, DELINEATION_CLASSES, DelineationClass, inputSamples } from '../config';
import { AicrnModelMetadata } from '../model-metadata';
import { BatchOutput, ModelRuntime } from '../runtime/model-runtime';
import { TINY_CONFIG } from '../test-configs';
import { AicrnMeasurer } from './aicrn-measurer';

const CONFIG: AicrnConfig = { ...TINY_CONFIG, targets: ['hr_bpm', 'qt_ms'] };
const METADATA: AicrnModelMetadata = {
  model_version: 'aicrn-tiny/test',
  config: CONFIG,
  standardisation: { hr_bpm: { mean: 60, std: 10 }, qt_ms: { mean: 400, std: 20 } },
  input_divisor: 6,
  training: { dataset: 'fake', finished_at: '2026-01-01' },
};

/** A deterministic runtime: target 0 = 1.5 (-> 75 bpm), target 1 = V5's mean input * 6 (-> QT); attention peaks at step 20. */
class FakeRuntime implements ModelRuntime {
  readonly backend = 'fake';
  readonly batchSizes: number[] = [];
  fail = false;
  constructor(readonly metadata: AicrnModelMetadata = METADATA) {}
  async predict(input: Float32Array, batchSize: number): Promise<BatchOutput> {
    if (this.fail) throw new Error('worker crashed');
    this.batchSizes.push(batchSize);
    const samples = inputSamples(this.metadata.config);
    const steps = backboneSamples(this.metadata.config);
    const targets = new Float32Array(batchSize * 2);
    const attention = new Float32Array(batchSize * steps).fill(0.5);
    for (let b = 0; b < batchSize; b++) {
      let v5 = 0;
      for (let t = 0; t < samples; t++) v5 += input[(b * samples + t) * 8 + 6];
      targets[b * 2] = 1.5;
      targets[b * 2 + 1] = (v5 / samples) * 6;
      attention[b * steps + 20] = 0.95;
    }
    return { batchSize, targets, attention, attentionLength: steps };
  }
  dispose() {}
}

/** The fake runtime with a delineation output: two beats, R at 0.52 and 1.52 s (60 bpm), PR 160, QRS 120, QT 400 ms. */
class FakeDelineationRuntime extends FakeRuntime {
  constructor() {
    super({ ...METADATA, config: { ...CONFIG, delineation: true } });
  }
  override async predict(input: Float32Array, batchSize: number): Promise<BatchOutput> {
    const out = await super.predict(input, batchSize);
    const steps = backboneSamples(this.metadata.config);
    const { secondsPerStep, firstCentreSeconds } = backboneTimebase(this.metadata.config);
    const classAt = (t: number): DelineationClass => {
      for (const start of [0.3, 1.3]) {
        if (t >= start && t < start + 0.16) return 'pr';
        if (t >= start + 0.16 && t < start + 0.28) return 'qrs';
        if (t >= start + 0.28 && t < start + 0.56) return 'st_t';
      }
      return 'other';
    };
    // Every lead delineated alike, 12 leads x 4 classes per step.
    const delineation = new Float32Array(batchSize * steps * 48);
    for (let b = 0; b < batchSize; b++) {
      for (let i = 0; i < steps; i++) {
        const cls = DELINEATION_CLASSES.indexOf(classAt(firstCentreSeconds + i * secondsPerStep));
        for (let l = 0; l < 12; l++) delineation[((b * steps + i) * 12 + l) * 4 + cls] = 1;
      }
    }
    return { ...out, delineation, delineationSteps: steps };
  }
}

/** A 2-s, 250 Hz window whose V5 holds a constant offset (so the fake QT output is known). */
function windowOf(id: number, leads: LeadName[], v5OffsetMv = 0.5): ValidatedWindow {
  const rate = 250;
  const n = rate * CONFIG.windowSeconds;
  const wave = (k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * (1 + k) * i) / rate) * 0.5 + (k === 10 ? v5OffsetMv : 0));
  const all: LeadName[] = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  return {
    window_id: `bed:dev:${id}`,
    received_ms: 0,
    quality: { score: 1, reasons: [], leads: [] },
    window: { bed_id: 'bed', device_id: 'dev', seq: id, start_ms: 0, sample_rate_hz: rate, leads: leads.map((name) => ({ ...millivoltsToLead(name, wave(all.indexOf(name)), 1000), name })) },
  };
}

const TWELVE: LeadName[] = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

describe('AicrnMeasurer', () => {
  it('measures 12-lead windows in batches: de-standardised values, QTc, attention, model version', async () => {
    const runtime = new FakeRuntime();
    const measurer = new AicrnMeasurer({ runtime, maxBatchSize: 4, maxQueueDelayMs: 5 });
    const results = await measurer.measureWindows([1, 2, 3, 4, 5].map((i) => windowOf(i, TWELVE)));
    await measurer.close();
    expect(runtime.batchSizes).toEqual([4, 1]);
    for (const r of results) {
      if (r.status !== 'measured') throw new Error(r.reason);
      expect(r.model_version).toBe('aicrn-tiny/test');
      expect(r.parameters.hr_bpm).toBeCloseTo(75, 4);
      // V5 mean 0.5 mV -> input 0.5 / 6 -> fake output 0.5 -> 400 + 0.5 * 20.
      expect(r.parameters.qt_ms).toBeCloseTo(410, 0);
      expect(r.parameters.qtc_ms).toBeCloseTo(r.parameters.qt_ms! / Math.sqrt(0.8), 6);
      expect(r.parameters.pr_ms).toBeNull();
      expect(r.unmeasured.map((u) => u.parameter).sort()).toEqual(['pr_ms', 'qrs_ms', 'r_amp_mv', 't_amp_mv']);
      expect(r.attention).toHaveLength(1);
      expect(r.attention[0]).toMatchObject({ target: 'all', weight: expect.any(Number) });
      // Step 20 of a 50 Hz / pool-2 backbone: ~0.84 s into the window.
      expect(r.attention[0].start_s).toBeLessThanOrEqual(0.86);
      expect(r.attention[0].end_s).toBeGreaterThanOrEqual(0.86);
    }
    expect(results.map((r) => r.window_id)).toEqual(['bed:dev:1', 'bed:dev:2', 'bed:dev:3', 'bed:dev:4', 'bed:dev:5']);
  });

  it('never feeds ineligible or bad windows to the model', async () => {
    const runtime = new FakeRuntime();
    const measurer = new AicrnMeasurer({ runtime, maxQueueDelayMs: 1 });
    const threeLead = windowOf(1, ['I', 'II', 'III']);
    const flat = windowOf(2, TWELVE);
    flat.window.leads[8] = { ...millivoltsToLead('V3', new Float32Array(500)), name: 'V3' };
    const derived = windowOf(3, ['II', 'III', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    const [a, b, c] = await measurer.measureWindows([threeLead, flat, derived]);
    await measurer.close();
    expect(a).toMatchObject({ status: 'not_eligible', code: 'missing_chest_leads' });
    expect(b).toMatchObject({ status: 'rejected', code: 'flat_lead', reason: expect.stringContaining('V3') });
    expect(c).toMatchObject({ status: 'measured', derived_leads: ['I = II - III'] });
    expect(runtime.batchSizes).toEqual([1]);
  });

  it('reports a failed batch per window instead of throwing', async () => {
    const runtime = new FakeRuntime();
    runtime.fail = true;
    const measurer = new AicrnMeasurer({ runtime, maxQueueDelayMs: 1 });
    const [r] = await measurer.measureWindows([windowOf(1, TWELVE)]);
    await measurer.close();
    expect(r).toEqual({ window_id: 'bed:dev:1', status: 'failed', code: 'inference_error', reason: 'worker crashed' });
  });

  it('with a delineation output: HR and intervals from the delineated beats, which the result carries', async () => {
    const measurer = new AicrnMeasurer({ runtime: new FakeDelineationRuntime(), maxQueueDelayMs: 1 });
    const [result] = await measurer.measureWindows([windowOf(1, TWELVE)]);
    await measurer.close();
    if (result.status !== 'measured') throw new Error(result.reason);
    // The regression says 75 bpm; the two delineated beats are 1 s apart.
    expect(result.parameters.hr_bpm).toBeCloseTo(60, 0);
    expect(result.beats).toHaveLength(2);
    expect(result.beats[1].r_s - result.beats[0].r_s).toBeCloseTo(1, 1);
    // 40-ms steps: boundaries come back within a step.
    expect(Math.abs(result.parameters.pr_ms! - 160)).toBeLessThanOrEqual(40);
    expect(Math.abs(result.parameters.qrs_ms! - 120)).toBeLessThanOrEqual(40);
    expect(Math.abs(result.parameters.qt_ms! - 400)).toBeLessThanOrEqual(40);
    expect(result.parameters.qtc_ms).toBeCloseTo(result.parameters.qt_ms!, 5); // RR 1 s: Bazett leaves QT as it is
  });

  it('refuses an untrained model unless told it is a benchmark', () => {
    const untrained = new FakeRuntime({ ...METADATA, model_version: 'aicrn-tiny/untrained-seed-1', standardisation: null });
    expect(() => new AicrnMeasurer({ runtime: untrained })).toThrow(/untrained/);
    expect(() => new AicrnMeasurer({ runtime: untrained, allowUntrained: true })).not.toThrow();
  });
});
