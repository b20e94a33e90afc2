import { loadLudbRecord, ludbReference } from './ludb';
import { MAX_LUDB_STRETCH, stretchLudbRecord } from './ludb-stretch';

const DIR = '/work/shared/data/ludb';

describe('stretchLudbRecord', () => {
  const ludb = loadLudbRecord(DIR, 1);
  const original = ludbReference(ludb).parameters;

  it('keeps the record and its labels when the factor is 1', () => {
    const same = stretchLudbRecord(ludb, 1, 0.5);
    expect(same.record.leads[3].mv).toEqual(ludb.record.leads[3].mv);
    expect(ludbReference(same).parameters).toEqual(original);
  });

  it.each([1.1, 1.2, MAX_LUDB_STRETCH])('scales every interval by %s and the heart rate by its inverse, wherever the cut falls', (factor) => {
    for (const start of [0, 0.5, 1]) {
      const stretched = stretchLudbRecord(ludb, factor, start);
      expect(stretched.record.leads).toHaveLength(12);
      expect(stretched.record.leads.every((l) => l.mv.length === 5000)).toBe(true);
      const labels = ludbReference(stretched).parameters;
      // Medians over a different subset of beats and sample rounding: within a few samples of the exact scaling.
      expect(Math.abs(labels.pr_ms! - original.pr_ms! * factor)).toBeLessThanOrEqual(8);
      expect(Math.abs(labels.qrs_ms! - original.qrs_ms! * factor)).toBeLessThanOrEqual(8);
      expect(Math.abs(labels.qt_ms! - original.qt_ms! * factor)).toBeLessThanOrEqual(12);
      expect(labels.hr_bpm!).toBeCloseTo(original.hr_bpm! / factor, -0.5);
    }
  });

  it('moves the samples with the annotations: the stretched R peak is where the moved annotation says', () => {
    const stretched = stretchLudbRecord(ludb, 1.2, 0.5);
    const ii = ludb.record.leads.findIndex((l) => l.name.toLowerCase() === 'ii');
    const originalPeak = ludb.waves.get('ii')!.find((w) => w.kind === 'qrs' && w.peak > 1500)!;
    const movedPeak = stretched.waves.get('ii')!.find((w) => w.kind === 'qrs' && Math.abs(w.peak - (Math.round(originalPeak.peak * 1.2) - 500)) <= 1)!;
    expect(movedPeak).toBeDefined();
    expect(stretched.record.leads[ii].mv[movedPeak.peak]).toBeCloseTo(ludb.record.leads[ii].mv[originalPeak.peak], 1);
  });

  it('drops waves the cut crosses rather than keeping half a wave', () => {
    const stretched = stretchLudbRecord(ludb, MAX_LUDB_STRETCH, 1);
    for (const waves of stretched.waves.values()) {
      for (const w of waves) for (const s of [w.onset, w.peak, w.offset]) if (s !== null) expect(s >= 0 && s < 5000).toBe(true);
    }
  });

  it('refuses compression and factors past the reference search windows', () => {
    expect(() => stretchLudbRecord(ludb, 0.9, 0)).toThrow(RangeError);
    expect(() => stretchLudbRecord(ludb, 1.5, 0)).toThrow(RangeError);
    expect(() => stretchLudbRecord(ludb, 1.1, 2)).toThrow(RangeError);
  });
});
