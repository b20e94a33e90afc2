import { median } from '../dsp/statistics';
import { listLudbRecords, loadLudbRecord, ludbReference, ludbWindows } from './ludb';
import { deriveLudbReference } from './ludb-reference';
import { LudbWave } from './ludb-waves';

const DIR = '/work/shared/data/ludb';

describe('LUDB reference derivation', () => {
  it('reproduces the documented medians over records 1-100 (HR 63, PR 162, QRS 96, QT 404)', () => {
    const ids = listLudbRecords(DIR);
    expect(ids).toHaveLength(100);
    const refs = ids.map((id) => ludbReference(loadLudbRecord(DIR, id)).parameters);
    expect(median(refs.map((r) => r.hr_bpm))).toBeCloseTo(63, 0);
    expect(median(refs.map((r) => r.pr_ms))).toBe(162);
    expect(median(refs.map((r) => r.qrs_ms))).toBe(96);
    expect(median(refs.map((r) => r.qt_ms))).toBe(404);
    // Atrial fibrillation and the like have no P wave: PR undefined there.
    expect(refs.filter((r) => r.pr_ms === null).length).toBe(15);
  });

  it('applies the 100 / 400 / 700 ms matching limits and the median over leads', () => {
    const wave = (kind: LudbWave['kind'], onset: number, peak: number, offset: number): LudbWave => ({ kind, onset, peak, offset });
    // 500 Hz: 2 ms per sample. Anchors at 1000 and 1500 in lead ii.
    const waves = new Map<string, LudbWave[]>([
      ['ii', [wave('p', 880, 900, 930), wave('qrs', 960, 1000, 1040), wave('t', 1100, 1200, 1250), wave('qrs', 1460, 1500, 1540)]],
      // QRS 40 samples (80 ms) from the anchor: matched. Its P peak 210 samples (420 ms) before: rejected.
      ['v1', [wave('p', 780, 830, 860), wave('qrs', 1000, 1040, 1060), wave('t', 1060, 1380, 1400)]],
      // QRS 60 samples (120 ms) away: not this beat.
      ['v2', [wave('qrs', 1000, 1060, 1080)]],
    ]);
    const ref = deriveLudbReference(waves, 500);
    const [first, second] = ref.beats;
    // Beat 1: QRS from ii and v1 (medians 980 / 1050); P from ii only; T from both, v1's peak 680 ms after its QRS peak.
    expect(first.qrs_on_s).toBeCloseTo(980 / 500, 9);
    expect(first.qrs_off_s).toBeCloseTo(1050 / 500, 9);
    expect(first.p_on_s).toBeCloseTo(880 / 500, 9);
    expect(first.t_off_s).toBeCloseTo(1325 / 500, 9);
    expect(second.p_on_s).toBeNull();
    expect(ref.parameters.hr_bpm).toBeCloseTo(60000 / 1000, 9);
    expect(ref.parameters.pr_ms).toBeCloseTo((980 - 880) * 2, 9);
    // Beat 2 has only lead ii: QRS 160 ms; median of 140 and 160.
    expect(ref.parameters.qrs_ms).toBeCloseTo(150, 9);
    expect(ref.parameters.qt_ms).toBeCloseTo((1325 - 980) * 2, 9);
    expect(ref.unmeasured.map((u) => u.parameter)).toEqual(['r_amp_mv', 't_amp_mv']);
    // Each lead's own matched waves, per anchor: v1's rejected P is absent, v2 matched no QRS at either beat.
    expect(ref.leadBeats.get('v1')![0]).toEqual({ r_s: 2, p_on_s: null, qrs_on_s: 2, qrs_off_s: 2.12, t_peak_s: 2.76, t_off_s: 2.8 });
    expect(ref.leadBeats.get('v1')![1].qrs_on_s).toBeNull();
    expect(ref.leadBeats.get('v2')!.map((b) => b.qrs_on_s)).toEqual([null, null]);
    expect(ref.leadBeats.get('ii')!.map((b) => b.r_s)).toEqual([2, 3]);
  });

  it('yields labelled windows without the non-physical amplitudes', async () => {
    const windows = [];
    for await (const window of ludbWindows(DIR, { records: [1, 2] })) windows.push(window);
    expect(windows.map((w) => w.source)).toEqual(['ludb/1', 'ludb/2']);
    expect(windows[0].record.leads).toHaveLength(12);
    expect(windows[0].labels.r_amp_mv).toBeNull();
    expect(windows[0].labels.qt_ms).toBeGreaterThan(300);
  });
});
