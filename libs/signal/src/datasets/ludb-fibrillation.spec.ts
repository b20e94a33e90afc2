import { existsSync } from 'node:fs';
import { Rng } from '../synth/random';
import { loadLudbRecord, ludbReference } from './ludb';
import { AtrialFibrillation, atrialSegments, drawFibrillation, FIBRILLATION_RANGES, fibrillateLudbRecord } from './ludb-fibrillation';
import { LudbWave } from './ludb-waves';

const DIR = '/work/shared/data/ludb';
const describeWithLudb = existsSync(`${DIR}/data/2.hea`) ? describe : describe.skip;

describe('atrialSegments', () => {
  const qrs = (onset: number | null, peak: number, offset: number | null): LudbWave => ({ kind: 'qrs', onset, peak, offset });
  const t = (onset: number | null, peak: number, offset: number | null): LudbWave => ({ kind: 't', onset, peak, offset });
  const p = (onset: number, peak: number, offset: number): LudbWave => ({ kind: 'p', onset, peak, offset });

  it('is everything outside QRS onset to T offset, the window edges included, whatever the P annotations say', () => {
    const waves = [p(40, 60, 80), qrs(100, 120, 150), t(200, 260, 320), p(400, 420, 440), qrs(460, 480, 510), t(560, 620, 680)];
    expect(atrialSegments(waves, 1000, 500)).toEqual([
      [0, 100],
      [320, 460],
      [680, 999],
    ]);
  });

  it('finds none in a lead without annotated complexes (P waves alone do not say where the ventricles are)', () => {
    expect(atrialSegments([], 1000, 500)).toEqual([]);
    expect(atrialSegments([p(40, 60, 80)], 1000, 500)).toEqual([]);
  });

  it('keeps a lead whose boundary is missing away from its complex, and skips stretches too short to hold a wave', () => {
    // 500 Hz: a missing QRS onset reaches 100 ms (50 samples) before the peak; a missing T offset 200 ms after it.
    const waves = [qrs(null, 200, 230), t(280, 330, null), qrs(600, 620, 650), t(700, 760, 800), qrs(803, 820, 850)];
    expect(atrialSegments(waves, 1000, 500)).toEqual([
      [0, 150],
      [430, 600],
    ]);
  });
});

describeWithLudb('fibrillateLudbRecord', () => {
  const ludb = loadLudbRecord(DIR, 2);
  const original = ludbReference(ludb);
  const af: AtrialFibrillation = { fWaveHz: 6, v1Share: 0.1, inferiorShare: 0.05, otherShare: 0.03, phases: [0.3, 1.9] };
  const fibrillating = fibrillateLudbRecord(ludb, af);
  const lead = (record: typeof ludb, name: string) => record.record.leads.find((l) => l.name.toLowerCase() === name)!.mv;

  it('removes every P annotation and moves no QRS or T boundary: no PR, the same QRS, QT and HR', () => {
    expect(original.parameters.pr_ms).not.toBeNull();
    for (const [name, waves] of fibrillating.waves) {
      expect(waves.some((w) => w.kind === 'p')).toBe(false);
      expect(waves).toEqual(ludb.waves.get(name)!.filter((w) => w.kind !== 'p'));
    }
    const labels = ludbReference(fibrillating).parameters;
    expect(labels.pr_ms).toBeNull();
    expect(labels.qrs_ms).toBe(original.parameters.qrs_ms);
    expect(labels.qt_ms).toBe(original.parameters.qt_ms);
    expect(labels.hr_bpm).toBe(original.parameters.hr_bpm);
  });

  it('flattens the P waves: inside each atrial stretch lead II departs from the line between its ends by no more than the f-waves', () => {
    const quiet = { ...af, v1Share: 0.002, inferiorShare: 0.002, otherShare: 0.002 };
    const before = lead(ludb, 'ii');
    const after = lead(fibrillateLudbRecord(ludb, quiet), 'ii');
    const range = Math.max(...before) - Math.min(...before);
    // Both f-wave sources peak at 0.5 x 1.3 x 1.35 of their weight; lead II weighs them 0.4 and 1 x inferiorShare.
    const fBound = range * quiet.inferiorShare * 1.4 * 0.5 * 1.3 * 1.35;
    let pWaves = 0;
    for (const [from, to] of atrialSegments(ludb.waves.get('ii')!, before.length, 500)) {
      const deviation = (mv: Float32Array) => {
        let worst = 0;
        for (let i = from; i <= to; i++) worst = Math.max(worst, Math.abs(mv[i] - (mv[from] + ((mv[to] - mv[from]) * (i - from)) / (to - from))));
        return worst;
      };
      expect(deviation(after)).toBeLessThanOrEqual(2 * fBound + 1e-6);
      if (deviation(before) > 3 * fBound) pWaves++;
    }
    expect(pWaves).toBeGreaterThanOrEqual(5);
  });

  it('leaves the ventricular complexes as they were apart from the f-waves, and the limb leads\' f-waves keep Einthoven', () => {
    const rangeOf = (name: string) => Math.max(...lead(ludb, name)) - Math.min(...lead(ludb, name));
    const share = (name: string, s: number) => (lead(fibrillating, name)[s] - lead(ludb, name)[s]) / rangeOf(name);
    const qrsII = ludb.waves.get('ii')!.filter((w) => w.kind === 'qrs' && w.onset !== null && w.offset !== null);
    expect(qrsII.length).toBeGreaterThan(5);
    for (const w of qrsII) {
      for (let s = w.onset!; s <= w.offset!; s++) expect(Math.abs(share('ii', s))).toBeLessThan(af.inferiorShare);
      // At the R peak no limb lead is flattened: III's f-wave is II's minus I's.
      expect(share('iii', w.peak)).toBeCloseTo(share('ii', w.peak) - share('i', w.peak), 5);
      expect(share('avf', w.peak)).toBeCloseTo(share('ii', w.peak) - share('i', w.peak) / 2, 5);
    }
  });

  it('runs the f-waves at the drawn rate: on a featureless ramp the change is the f-wave alone', () => {
    const n = 5000;
    const ramp = { ...ludb, waves: new Map<string, LudbWave[]>(), record: { sampleRateHz: 500, leads: ludb.record.leads.map((l) => ({ name: l.name, mv: Float32Array.from({ length: n }, (_, i) => i / n) })) } };
    for (const hz of [4.5, 8]) {
      const out = fibrillateLudbRecord(ramp, { ...af, fWaveHz: hz });
      const v1 = out.record.leads.find((l) => l.name.toLowerCase() === 'v1')!.mv.map((v, i) => v - i / n);
      let crossings = 0;
      for (let i = 1; i < n; i++) if (Math.sign(v1[i]) !== Math.sign(v1[i - 1])) crossings++;
      // Two zero crossings per cycle over 10 s; the rate wanders by +-12 %.
      expect(crossings / 20).toBeGreaterThan(hz * 0.8);
      expect(crossings / 20).toBeLessThan(hz * 1.25);
      expect(Math.max(...v1.map(Math.abs))).toBeLessThanOrEqual(af.v1Share * 1.5 * 0.5 * 1.3 * 1.35);
    }
  });

  it('draws f-waves within its ranges, reproducibly from the generator', () => {
    const a = drawFibrillation(new Rng(7));
    expect(drawFibrillation(new Rng(7))).toEqual(a);
    expect(a.fWaveHz).toBeGreaterThanOrEqual(FIBRILLATION_RANGES.fWaveHz[0]);
    expect(a.fWaveHz).toBeLessThanOrEqual(FIBRILLATION_RANGES.fWaveHz[1]);
    expect(fibrillateLudbRecord(ludb, a).record.leads.map((l) => l.mv)).toEqual(fibrillateLudbRecord(ludb, a).record.leads.map((l) => l.mv));
  });
});
