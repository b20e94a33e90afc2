import { EcgWindow, MEASURED_PARAMETERS, millivoltsToLead, STANDARD_LEADS, validateEcgWindow, ValidatedWindow } from '@aicrn/contracts';
import { sampleWindow } from '@aicrn/contracts/testing';
import { EcgRecord, generateWindow, RAIL_MV } from '@aicrn/signal';
import { DspMethod, measureOrExplain } from './dsp-method';

/** A device window that has passed ingestion's validation, as the inference app receives it. */
function validated(window: EcgWindow): ValidatedWindow {
  const check = validateEcgWindow(window, window.start_ms + 10_050);
  if (!check.ok) throw new Error(`fixture rejected: ${check.reason}`);
  return { window_id: `${window.bed_id}:${window.device_id}:${window.seq}`, received_ms: window.start_ms + 10_050, quality: { score: 0, reasons: [], leads: [] }, window: check.window };
}

function windowOf(leadMv: (name: string) => ArrayLike<number>, leadNames: readonly string[] = STANDARD_LEADS, sampleRateHz = 500): EcgWindow {
  return sampleWindow({ sample_rate_hz: sampleRateHz, leads: leadNames.map((name) => millivoltsToLead(name, leadMv(name))) });
}

function expectAllNullWithReasons(measurement: Awaited<ReturnType<DspMethod['measure']>>[number], reason: RegExp): void {
  if (!measurement.ok) throw new Error('DspMethod declined a window');
  const { parameters, unmeasured } = measurement.measurement;
  for (const parameter of MEASURED_PARAMETERS) {
    expect([parameter, parameters[parameter]]).toEqual([parameter, null]);
    expect(unmeasured.find((u) => u.parameter === parameter)?.reason).toMatch(reason);
  }
}

describe('DspMethod', () => {
  const method = new DspMethod();

  it('measures a validated synthetic window', async () => {
    const synthetic = generateWindow({ hrBpm: 72 }, 5);
    const [result] = await method.measure([validated(windowOf((name) => synthetic.record.leads.find((l) => l.name === name)!.mv))]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(Math.abs(result.measurement.parameters.hr_bpm! - synthetic.labels.hr_bpm!)).toBeLessThan(2);
  });

  it('lets the event loop run between the windows of a batch', async () => {
    const synthetic = generateWindow({ hrBpm: 72 }, 5);
    const window = validated(windowOf((name) => synthetic.record.leads.find((l) => l.name === name)!.mv));
    let timerFired = false;
    setTimeout(() => (timerFired = true), 1);
    // Each window takes milliseconds of synchronous work: the timer can only fire before the batch
    // resolves if measure() yields between windows.
    const results = await method.measure(Array.from({ length: 8 }, () => window));
    expect(results).toHaveLength(8);
    expect(timerFired).toBe(true);
  });

  it('gives all-null parameters with reasons, never an exception, for flat and lead-off windows', async () => {
    const flat = validated(windowOf(() => new Float32Array(5000)));
    const railed = validated(windowOf(() => new Float32Array(5000).fill(RAIL_MV)));
    const oneFlatLead = validated(windowOf(() => new Float32Array(5000).fill(0.4), ['II']));
    const results = await method.measure([flat, railed, oneFlatLead]);
    expect(results).toHaveLength(3);
    for (const result of results) {
      expectAllNullWithReasons(result, /.+/);
      if (result.ok) expect(result.measurement.unmeasured.find((u) => u.parameter === 'hr_bpm')?.reason).toBe('no QRS complex detected');
    }
  });

  it('measures validated windows at the sample-rate limits and with a single lead', async () => {
    const lowRate = generateWindow({ sampleRateHz: 100, hrBpm: 60 }, 8);
    const highRate = generateWindow({ sampleRateHz: 2000, hrBpm: 90 }, 9);
    const results = await method.measure([
      validated(windowOf((name) => lowRate.record.leads.find((l) => l.name === name)!.mv, STANDARD_LEADS, 100)),
      validated(windowOf((name) => highRate.record.leads.find((l) => l.name === name)!.mv, ['II'], 2000)),
    ]);
    for (const result of results) expect(result.ok && result.measurement.parameters.hr_bpm).not.toBeNull();
  });
});

describe('measureOrExplain', () => {
  const tenSeconds = (fs: number): Float32Array => new Float32Array(10 * fs);

  it.each<[string, EcgRecord, RegExp]>([
    ['a sample rate under 100 Hz', { sampleRateHz: 50, leads: [{ name: 'II', mv: tenSeconds(50) }] }, /50 Hz .*at least 100 Hz/],
    ['no leads', { sampleRateHz: 500, leads: [] }, /no leads/],
    ['leads of unequal length', { sampleRateHz: 500, leads: [{ name: 'I', mv: tenSeconds(500) }, { name: 'II', mv: new Float32Array(4000) }] }, /lead "II" has 4000 samples/],
    ['under 2 s of signal', { sampleRateHz: 500, leads: [{ name: 'II', mv: new Float32Array(500) }] }, /at least 2 s/],
    ['a non-finite sample rate', { sampleRateHz: Number.NaN, leads: [{ name: 'II', mv: tenSeconds(500) }] }, /NaN Hz/],
  ])('turns %s into all-null parameters naming the problem', (_, record, reason) => {
    const measurement = measureOrExplain(record);
    expect(measurement.beats).toEqual([]);
    expectAllNullWithReasons({ ok: true, measurement, attention: [] }, reason);
    expect(measurement.unmeasured[0].reason).toMatch(/^DSP could not measure this window: /);
  });
});
