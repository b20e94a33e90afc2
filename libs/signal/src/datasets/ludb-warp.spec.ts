import { Rng } from '../synth/random';
import { loadLudbRecord, ludbReference } from './ludb';
import { drawLudbWarp, ludbCycles, LudbWarp, warpLudbRecord } from './ludb-warp';

const DIR = '/work/shared/data/ludb';
const IDENTITY: LudbWarp = { pr: 1, qrs: 1, stT: 1, tp: 1, tpJitter: 0, startFraction: 0.5 };

describe('warpLudbRecord', () => {
  const ludb = loadLudbRecord(DIR, 2);
  const original = ludbReference(ludb);
  const ii = ludb.record.leads.findIndex((l) => l.name.toLowerCase() === 'ii');

  it('finds the whole cycles: every beat of the run has a cut in the T-P segment on both sides', () => {
    const cycles = ludbCycles(original.beats, 500)!;
    expect(cycles.beats.length).toBeGreaterThanOrEqual(5);
    cycles.beats.forEach((b, k) => {
      expect(cycles.cuts[k]).toBeLessThan(b.pOn ?? b.qrsOn);
      expect(b.tOff).toBeLessThan(cycles.cuts[k + 1]);
    });
  });

  it('without warping keeps the intervals, and the tiled beats fill the whole window with annotations', () => {
    const same = warpLudbRecord(ludb, IDENTITY, new Rng(1))!;
    expect(same.record.leads).toHaveLength(12);
    expect(same.record.leads.every((l) => l.mv.length === 5000)).toBe(true);
    const labels = ludbReference(same).parameters;
    expect(Math.abs(labels.pr_ms! - original.parameters.pr_ms!)).toBeLessThanOrEqual(4);
    expect(Math.abs(labels.qrs_ms! - original.parameters.qrs_ms!)).toBeLessThanOrEqual(4);
    expect(Math.abs(labels.qt_ms! - original.parameters.qt_ms!)).toBeLessThanOrEqual(4);
    expect(Math.abs(labels.hr_bpm! - original.parameters.hr_bpm!)).toBeLessThan(1.5);
    const anchors = same.waves.get('ii')!.filter((w) => w.kind === 'qrs').map((w) => w.peak);
    expect(anchors[0]).toBeLessThan(1000);
    expect(anchors[anchors.length - 1]).toBeGreaterThan(4000);
  });

  it('scales each interval by its own factor and sets the heart rate through the T-P segment', () => {
    const warp: LudbWarp = { pr: 1.25, qrs: 0.8, stT: 1.1, tp: 0.5, tpJitter: 0, startFraction: 0.3 };
    const warped = warpLudbRecord(ludb, warp, new Rng(2))!;
    const labels = ludbReference(warped).parameters;
    const o = original.parameters;
    expect(Math.abs(labels.pr_ms! - o.pr_ms! * 1.25)).toBeLessThanOrEqual(6);
    expect(Math.abs(labels.qrs_ms! - o.qrs_ms! * 0.8)).toBeLessThanOrEqual(4);
    expect(Math.abs(labels.qt_ms! - (o.qrs_ms! * 0.8 + (o.qt_ms! - o.qrs_ms!) * 1.1))).toBeLessThanOrEqual(8);
    // RR from the cycles' parts, each times its factor (2 ms per sample).
    const cycles = ludbCycles(original.beats, 500)!;
    const warpedRrMs =
      (2 / cycles.beats.length) *
      cycles.beats.reduce((sum, b, k) => {
        const pStart = b.pOn ?? b.qrsOn;
        const tp = pStart - cycles.cuts[k] + cycles.cuts[k + 1] - b.tOff;
        return sum + 1.25 * (b.qrsOn - pStart) + 0.8 * (b.qrsOff - b.qrsOn) + 1.1 * (b.tOff - b.qrsOff) + 0.5 * tp;
      }, 0);
    expect(labels.hr_bpm!).toBeGreaterThan(o.hr_bpm! * 1.08);
    expect(Math.abs(labels.hr_bpm! - 60000 / warpedRrMs)).toBeLessThan(0.5);
  });

  it('moves the samples with the annotations: the warped R peaks are where the moved annotations say', () => {
    const warped = warpLudbRecord(ludb, { pr: 0.8, qrs: 1.2, stT: 0.9, tp: 0.7, tpJitter: 0.05, startFraction: 0.6 }, new Rng(3))!;
    const rPeakMv = Math.max(...ludb.waves.get('ii')!.filter((w) => w.kind === 'qrs').map((w) => ludb.record.leads[ii].mv[w.peak]));
    for (const w of warped.waves.get('ii')!.filter((w) => w.kind === 'qrs')) {
      // The peak sample of lead ii is (within the detrend) as high as the source's R peaks, not somewhere on a slope.
      expect(warped.record.leads[ii].mv[w.peak]).toBeGreaterThan(0.6 * rPeakMv);
    }
  });

  it('joins the copies without a step: no sample-to-sample jump larger than the source has', () => {
    const warped = warpLudbRecord(ludb, IDENTITY, new Rng(4))!;
    for (let l = 0; l < 12; l++) {
      const jump = (mv: Float32Array) => mv.slice(1).reduce((m, v, i) => Math.max(m, Math.abs(v - mv[i])), 0);
      expect(jump(warped.record.leads[l].mv)).toBeLessThanOrEqual(jump(ludb.record.leads[l].mv) * 1.1 + 0.02);
    }
  });

  it('drops no wave inside the window and keeps none outside it', () => {
    const warped = warpLudbRecord(ludb, { ...IDENTITY, startFraction: 1 }, new Rng(5))!;
    for (const waves of warped.waves.values()) {
      for (const w of waves) for (const s of [w.onset, w.peak, w.offset]) if (s !== null) expect(s >= 0 && s < 5000).toBe(true);
    }
  });

  it('refuses factors outside [0.2, 5] and a start outside [0, 1]', () => {
    expect(() => warpLudbRecord(ludb, { ...IDENTITY, qrs: 0 }, new Rng(1))).toThrow(RangeError);
    expect(() => warpLudbRecord(ludb, { ...IDENTITY, tp: Number.NaN }, new Rng(1))).toThrow(RangeError);
    expect(() => warpLudbRecord(ludb, { ...IDENTITY, startFraction: 1.5 }, new Rng(1))).toThrow(RangeError);
  });
});

describe('drawLudbWarp', () => {
  it('gives plausible labels over the records, heart rates both faster and slower than the source', () => {
    const rng = new Rng(11);
    const ratios: number[] = [];
    let warpedCount = 0;
    for (const id of [1, 2, 3, 7, 10, 21, 34, 50, 66, 80]) {
      const ludb = loadLudbRecord(DIR, id);
      const reference = ludbReference(ludb);
      const cycles = ludbCycles(reference.beats, 500);
      if (!cycles) continue;
      for (let draw = 0; draw < 3; draw++) {
        const warped = warpLudbRecord(ludb, drawLudbWarp(cycles, rng), rng)!;
        const labels = ludbReference(warped).parameters;
        warpedCount++;
        expect(labels.hr_bpm).not.toBeNull();
        expect(labels.qrs_ms!).toBeGreaterThan(40);
        expect(labels.qrs_ms!).toBeLessThan(220);
        expect(labels.qt_ms!).toBeGreaterThan(200);
        expect(labels.qt_ms!).toBeLessThan(650);
        ratios.push(labels.hr_bpm! / reference.parameters.hr_bpm!);
      }
    }
    expect(warpedCount).toBeGreaterThanOrEqual(24);
    expect(Math.max(...ratios)).toBeGreaterThan(1.3);
    expect(Math.min(...ratios)).toBeLessThan(0.9);
  });
});
