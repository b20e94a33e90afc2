import { listLudbRecords, loadLudbRecord, ludbReference } from '../datasets/ludb';
import { loadMitdbRecord } from '../datasets/mitdb';
import { EcgParameters, EcgRecord } from '../types';
import { measureDsp } from './measure-dsp';

const LUDB = '/work/shared/data/ludb';

describe('measureDsp on LUDB (the issue targets against the reference derivation)', () => {
  const errors: Record<'hr_bpm' | 'pr_ms' | 'qrs_ms' | 'qt_ms', number[]> = { hr_bpm: [], pr_ms: [], qrs_ms: [], qt_ms: [] };
  const noP: (number | null)[] = [];
  beforeAll(() => {
    for (const id of listLudbRecords(LUDB)) {
      const ludb = loadLudbRecord(LUDB, id);
      const reference = ludbReference(ludb).parameters;
      const measured = measureDsp(ludb.record).parameters;
      for (const key of Object.keys(errors) as (keyof typeof errors)[]) {
        const m = measured[key];
        const r = reference[key];
        if (m !== null && r !== null) errors[key].push(Math.abs(m - r));
      }
      if (reference.pr_ms === null) noP.push(measured.pr_ms);
    }
  });
  const mae = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

  it('scores HR MAE <= 2 bpm, QRS <= 8 ms, PR <= 15 ms, QT <= 20 ms over records 1-100', () => {
    expect(errors.hr_bpm).toHaveLength(100);
    expect(errors.qrs_ms).toHaveLength(100);
    expect(errors.qt_ms).toHaveLength(100);
    expect(errors.pr_ms.length).toBeGreaterThanOrEqual(80);
    expect(mae(errors.hr_bpm)).toBeLessThanOrEqual(2);
    expect(mae(errors.qrs_ms)).toBeLessThanOrEqual(8);
    expect(mae(errors.pr_ms)).toBeLessThanOrEqual(15);
    expect(mae(errors.qt_ms)).toBeLessThanOrEqual(20);
  });

  it('leaves PR null on most records without P waves (atrial fibrillation, pacing)', () => {
    expect(noP.length).toBe(15);
    expect(noP.filter((pr) => pr === null).length).toBeGreaterThanOrEqual(11);
  });
});

describe('measureDsp on other inputs', () => {
  const ludb = loadLudbRecord(LUDB, 1);

  it('measures a 3-lead feed and says why the V5 amplitudes are missing', () => {
    const threeLead: EcgRecord = { sampleRateHz: 500, leads: ludb.record.leads.filter((l) => ['i', 'ii', 'v1'].includes(l.name)) };
    const reference = ludbReference(ludb).parameters;
    const { parameters, unmeasured, beats } = measureDsp(threeLead);
    expect(Math.abs(parameters.hr_bpm! - reference.hr_bpm!)).toBeLessThan(2);
    expect(Math.abs(parameters.qt_ms! - reference.qt_ms!)).toBeLessThan(40);
    expect(parameters.r_amp_mv).toBeNull();
    expect(unmeasured).toContainEqual({ parameter: 'r_amp_mv', reason: 'no V5 lead in the record' });
    expect(beats.length).toBeGreaterThanOrEqual(7);
  });

  it('works at 360 Hz on MIT-BIH 100 (MLII + V5) with physical V5 amplitudes and QTc by Bazett', () => {
    const mitdb = loadMitdbRecord('/work/shared/data/mitdb', '100');
    const window: EcgRecord = { sampleRateHz: 360, leads: mitdb.record.leads.map((l) => ({ name: l.name, mv: l.mv.subarray(36000, 39600) })) };
    const { parameters, beats } = measureDsp(window);
    const annotated = Array.from(mitdb.beatSamples).filter((s) => s >= 36000 && s < 39600);
    const annotatedHr = 60000 / (((annotated[annotated.length - 1] - annotated[0]) / (annotated.length - 1)) * (1000 / 360));
    expect(parameters.hr_bpm!).toBeCloseTo(annotatedHr, 0);
    expect(beats.length).toBe(annotated.length);
    expect(parameters.r_amp_mv!).toBeGreaterThan(0.2);
    expect(parameters.qrs_ms!).toBeGreaterThan(50);
    expect(parameters.qrs_ms!).toBeLessThan(130);
    const rrS = 60 / parameters.hr_bpm!;
    expect(parameters.qtc_ms!).toBeCloseTo(parameters.qt_ms! / Math.sqrt(rrS), 6);
  });

  it('measures QT on MIT-BIH 100 (MLII + V5) without taking the U wave that follows the inverted V5 T wave', () => {
    const mitdb = loadMitdbRecord('/work/shared/data/mitdb', '100');
    const qts: number[] = [];
    for (let start = 0; start + 3600 <= 60 * 3600; start += 3600) {
      const window: EcgRecord = { sampleRateHz: 360, leads: mitdb.record.leads.map((l) => ({ name: l.name, mv: l.mv.subarray(start, start + 3600) })) };
      const { qt_ms } = measureDsp(window).parameters;
      if (qt_ms !== null) qts.push(qt_ms);
    }
    qts.sort((a, b) => a - b);
    expect(qts.length).toBeGreaterThanOrEqual(55);
    // The T wave (inverted in V5, flat in MLII) ends about 320 ms after the R peak; the U wave about 450 ms.
    expect(qts[qts.length >> 1]).toBeGreaterThanOrEqual(350);
    expect(qts[qts.length >> 1]).toBeLessThanOrEqual(410);
  });

  it('gives per-beat fiducials in seconds from the window start, in physiological order', () => {
    const { beats } = measureDsp(ludb.record);
    for (const b of beats.filter((x) => x.p_on_s !== null && x.t_off_s !== null)) {
      expect(b.p_on_s!).toBeLessThan(b.qrs_on_s!);
      expect(b.qrs_on_s!).toBeLessThanOrEqual(b.r_s);
      expect(b.r_s).toBeLessThanOrEqual(b.qrs_off_s!);
      expect(b.qrs_off_s!).toBeLessThan(b.t_peak_s!);
      expect(b.t_peak_s!).toBeLessThan(b.t_off_s!);
      expect(b.t_off_s!).toBeLessThanOrEqual(10);
    }
  });

  it('returns nulls with reasons on a flat line instead of inventing values', () => {
    const flat: EcgRecord = { sampleRateHz: 500, leads: [{ name: 'II', mv: new Float32Array(5000) }] };
    const { parameters, unmeasured } = measureDsp(flat);
    const expected: EcgParameters = { hr_bpm: null, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null };
    expect(parameters).toEqual(expected);
    expect(unmeasured.find((u) => u.parameter === 'hr_bpm')?.reason).toBe('no QRS complex detected');
    expect(unmeasured.find((u) => u.parameter === 'pr_ms')?.reason).toBe('no QRS complex detected');
  });

  it('rejects unusable records with a clear message', () => {
    expect(() => measureDsp({ sampleRateHz: 50, leads: [{ name: 'II', mv: new Float32Array(500) }] })).toThrow(/50 Hz .* at least 100 Hz/);
    expect(() => measureDsp({ sampleRateHz: 500, leads: [] })).toThrow(/no leads/);
    expect(() => measureDsp({ sampleRateHz: 500, leads: [{ name: 'I', mv: new Float32Array(5000) }, { name: 'II', mv: new Float32Array(4000) }] })).toThrow(/lead "II" has 4000 samples/);
    expect(() => measureDsp({ sampleRateHz: 500, leads: [{ name: 'I', mv: new Float32Array(500) }] })).toThrow(/at least 2 s/);
  });

  it('survives invalid (NaN) samples', () => {
    const leads = ludb.record.leads.map((l) => ({ name: l.name, mv: Float32Array.from(l.mv) }));
    leads[1].mv.fill(Number.NaN, 1000, 1100);
    const { parameters } = measureDsp({ sampleRateHz: 500, leads });
    expect(parameters.hr_bpm).not.toBeNull();
  });
});
