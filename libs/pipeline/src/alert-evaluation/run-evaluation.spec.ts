import { ValidatedWindow } from '@aicrn/contracts';
import { DspMethod } from '../dsp-method';
import { MethodResult, WindowMeasurementMethod } from '../measurement-method';
import { runAlertEvaluation } from './run-evaluation';

/** DSP that records, in call order, every window it measured and the heart rate it found. */
class RecordingDsp implements WindowMeasurementMethod {
  readonly method = 'dsp' as const;
  readonly measured: Array<{ bed: string; seq: number; hr_bpm: number | null }> = [];
  private readonly dsp = new DspMethod();

  get version(): string {
    return this.dsp.version;
  }

  async measure(windows: ValidatedWindow[]): Promise<MethodResult[]> {
    const results = await this.dsp.measure(windows);
    windows.forEach((w, i) => {
      const result = results[i];
      this.measured.push({ bed: w.window.bed_id, seq: w.window.seq, hr_bpm: result.ok ? result.measurement.parameters.hr_bpm : null });
    });
    return results;
  }
}

describe('runAlertEvaluation in this thread', () => {
  // Two 6-minute beds (stable, motion artefact) of the quick profile.
  const plan = { quick: true, bedsPerCondition: 0, falseAlarmHours: 0.2, seed: 1, scenarios: ['stable', 'motion-artefact'] };

  it('interleaves beds with concurrentBeds and measures and scores exactly as bed by bed', async () => {
    const oneByOne = new RecordingDsp();
    const interleaved = new RecordingDsp();
    const sequential = await runAlertEvaluation({ ...plan, measurement: { primary: null, fallback: oneByOne, qtcFormula: 'bazett' } });
    const concurrent = await runAlertEvaluation({ ...plan, measurement: { primary: null, fallback: interleaved, qtcFormula: 'bazett' }, concurrentBeds: 2 });

    expect(sequential.settings).toMatchObject({ workers: 1, concurrent_beds: 1 });
    expect(concurrent.settings).toMatchObject({ workers: 1, concurrent_beds: 2 });
    const bedChanges = (calls: Array<{ bed: string }>) => calls.filter((c, i) => i > 0 && c.bed !== calls[i - 1].bed).length;
    expect(bedChanges(oneByOne.measured)).toBe(1);
    expect(bedChanges(interleaved.measured)).toBeGreaterThan(5);
    // Per bed, the same windows with the same measurements; the same alerts and scores.
    const byBed = (calls: RecordingDsp['measured']) => [...calls].sort((a, b) => a.bed.localeCompare(b.bed) || a.seq - b.seq);
    expect(interleaved.measured).toHaveLength(72);
    expect(byBed(interleaved.measured)).toEqual(byBed(oneByOne.measured));
    expect(concurrent.beds).toEqual(sequential.beds);
    expect(concurrent.scenarios).toEqual(sequential.scenarios);
    expect(concurrent.false_alarm_scenarios).toEqual(sequential.false_alarm_scenarios);
  }, 120_000);

  it('refuses a concurrentBeds that is not a positive integer', async () => {
    await expect(runAlertEvaluation({ ...plan, measurement: { primary: null, fallback: new DspMethod(), qtcFormula: 'bazett' }, concurrentBeds: 0 })).rejects.toThrow(
      'concurrentBeds must be a positive integer, got 0',
    );
  });
});
