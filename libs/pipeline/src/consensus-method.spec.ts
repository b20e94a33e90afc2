import { EcgWindow, millivoltsToLead, STANDARD_LEADS, validateEcgWindow, ValidatedWindow } from '@aicrn/contracts';
import { sampleWindow } from '@aicrn/contracts/testing';
import { generateWindow } from '@aicrn/signal';
import { ConsensusMethod } from './consensus-method';
import { DspMethod } from './dsp-method';
import { MethodResult, WindowMeasurementMethod } from './measurement-method';

function validated(window: EcgWindow, seq: number): ValidatedWindow {
  const check = validateEcgWindow({ ...window, seq }, window.start_ms + 10_050);
  if (!check.ok) throw new Error(`fixture rejected: ${check.reason}`);
  return { window_id: `${window.bed_id}:${window.device_id}:${seq}`, received_ms: window.start_ms + 10_050, quality: { score: 1, reasons: [], leads: [] }, window: check.window };
}

/** A stand-in for the network (the model itself is tested in libs/model): fixed numbers, declines windows by id. */
class StandInNetwork implements WindowMeasurementMethod {
  readonly method = 'aicrn' as const;
  readonly version = 'net/1';
  closed = false;
  constructor(private readonly declines: (w: ValidatedWindow) => boolean) {}
  async measure(windows: ValidatedWindow[]): Promise<MethodResult[]> {
    return windows.map((w) =>
      this.declines(w)
        ? { ok: false as const, reason: 'not_eligible (missing_chest_leads): no V1' }
        : {
            ok: true as const,
            measurement: { parameters: { hr_bpm: 80, pr_ms: 150, qrs_ms: 100, qt_ms: 380, qtc_ms: 0, r_amp_mv: 1, t_amp_mv: 0.2 }, unmeasured: [], beats: [] },
            attention: [{ target: 'all', start_s: 1, end_s: 1.2, weight: 0.9 }],
          },
    );
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Counts the windows the classical method is asked to measure. */
class CountingDsp extends DspMethod {
  seen: string[] = [];
  override async measure(windows: ValidatedWindow[]): Promise<MethodResult[]> {
    this.seen.push(...windows.map((w) => w.window_id));
    return super.measure(windows);
  }
}

describe('ConsensusMethod', () => {
  const synthetic = generateWindow({ hrBpm: 60, qrsMs: 90, qtMs: 400 }, 7);
  const device = sampleWindow({ sample_rate_hz: 500, leads: STANDARD_LEADS.map((name) => millivoltsToLead(name, synthetic.record.leads.find((l) => l.name === name)!.mv)) });
  const windows = [validated(device, 1), validated(device, 2), validated(device, 3)];

  it('measures each window the network takes with DSP too and reports their mean; declines the rest with the reason', async () => {
    const network = new StandInNetwork((w) => w.window_id.endsWith(':2'));
    const dsp = new CountingDsp();
    const method = new ConsensusMethod(network, dsp, 'bazett');
    const results = await method.measure(windows);

    expect(dsp.seen).toEqual([windows[0].window_id, windows[2].window_id]);
    expect(results[1]).toEqual({ ok: false, reason: 'not_eligible (missing_chest_leads): no V1' });
    const [alone] = await new DspMethod().measure([windows[0]]);
    if (!results[0].ok || !alone.ok) throw new Error('expected measurements');
    const classical = alone.measurement.parameters;
    expect(results[0].measurement.parameters.hr_bpm).toBeCloseTo((80 + classical.hr_bpm!) / 2, 9);
    expect(results[0].measurement.parameters.qt_ms).toBeCloseTo((380 + classical.qt_ms!) / 2, 9);
    expect(results[0].attention).toEqual([{ target: 'all', start_s: 1, end_s: 1.2, weight: 0.9 }]);
    expect(results[2]).toEqual(results[0]);
  });

  it('names both versions and closes the network', async () => {
    const network = new StandInNetwork(() => false);
    const method = new ConsensusMethod(network, new DspMethod(), 'bazett');
    expect(method.method).toBe('consensus');
    expect(method.version).toMatch(/^net\/1 \+ dsp-/);
    await method.close();
    expect(network.closed).toBe(true);
  });
});
