import { Rng } from './random';
import { ADULT_INTERVALS, CLINICAL_RANGES, randomSpec } from './random-spec';

const specs = (n: number, populationShare?: number) =>
  Array.from({ length: n }, (_, i) => randomSpec(new Rng(1000 + i), populationShare === undefined ? {} : { populationShare }));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const within = (x: number, [lo, hi]: readonly [number, number]) => x >= lo && x <= hi;

describe('randomSpec population share', () => {
  it('draws exactly the default specs at share 0, so seeded test sets do not move', () => {
    expect(specs(200, 0)).toEqual(specs(200));
  });

  it('centres HR and the intervals on adult resting ECGs at share 1, inside the clinical ranges', () => {
    const drawn = specs(600, 1);
    const qrs = drawn.map((s) => s.qrsMs);
    expect(Math.abs(median(qrs) - ADULT_INTERVALS.qrsMs[0])).toBeLessThan(4);
    expect(qrs.filter((q) => q > 130).length / qrs.length).toBeLessThan(0.01);
    expect(Math.abs(median(drawn.map((s) => s.prMs)) - ADULT_INTERVALS.prMs[0])).toBeLessThan(8);
    expect(Math.abs(median(drawn.map((s) => s.hrBpm)) - ADULT_INTERVALS.hrBpm[0])).toBeLessThan(4);
    const qtc = drawn.map((s) => s.qtMs / Math.sqrt(60 / s.hrBpm));
    expect(Math.abs(median(qtc) - ADULT_INTERVALS.qtcMs[0])).toBeLessThan(10);
    for (const s of drawn) {
      expect(within(s.hrBpm, CLINICAL_RANGES.hrBpm) && within(s.prMs, CLINICAL_RANGES.prMs)).toBe(true);
      expect(within(s.qrsMs, CLINICAL_RANGES.qrsMs) && within(s.qtMs, CLINICAL_RANGES.qtMs)).toBe(true);
    }
  });

  it('keeps the uniform extremes in a mix: wide QRS and fast rates are still drawn', () => {
    const uniform = specs(600).map((s) => s.qrsMs);
    const mixed = specs(600, 0.6);
    const wide = mixed.filter((s) => s.qrsMs > 150).length;
    expect(wide).toBeGreaterThan(0.2 * uniform.filter((q) => q > 150).length);
    expect(mixed.some((s) => s.hrBpm > 160)).toBe(true);
    expect(median(mixed.map((s) => s.qrsMs))).toBeLessThan(median(uniform));
  });
});
