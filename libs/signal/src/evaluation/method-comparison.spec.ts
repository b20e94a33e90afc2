import { EcgParameters } from '../types';
import { MethodComparison, MethodComparisonTally } from './method-comparison';

const none: EcgParameters = { hr_bpm: null, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null };
const qt = (qt_ms: number | null): EcgParameters => ({ ...none, qt_ms });
const qtOf = (tally: MethodComparisonTally, seed = 1): MethodComparison => tally.summary({ seed, resamples: 4000 }).find((c) => c.parameter === 'qt_ms')!;

describe('MethodComparisonTally', () => {
  it('finds A closer when it is closer on every record, with the mean difference of the absolute errors', () => {
    const tally = new MethodComparisonTally();
    for (let i = 0; i < 20; i++) tally.add(`r${i}`, qt(400 + (i % 3)), qt(400 + 10 + (i % 5)), qt(400));
    const c = qtOf(tally);
    expect(c).toMatchObject({ n: 20, records: 20, onlyA: 0, onlyB: 0, closer: 'a' });
    let a = 0;
    let b = 0;
    for (let i = 0; i < 20; i++) {
      a += i % 3;
      b += 10 + (i % 5);
    }
    expect(c.maeA).toBeCloseTo(a / 20, 10);
    expect(c.maeB).toBeCloseTo(b / 20, 10);
    expect(c.meanDifference).toBeCloseTo((a - b) / 20, 10);
    expect(c.upper95!).toBeLessThan(0);
    expect(c.lower95!).toBeLessThanOrEqual(c.meanDifference!);
  });

  it('cannot tell the methods apart when each is closer on half of the records', () => {
    const tally = new MethodComparisonTally();
    for (let i = 0; i < 20; i++) tally.add(`r${i}`, qt(i % 2 ? 405 : 420), qt(i % 2 ? 420 : 405), qt(400));
    const c = qtOf(tally);
    expect(c.meanDifference).toBeCloseTo(0, 10);
    expect(c.lower95!).toBeLessThan(0);
    expect(c.upper95!).toBeGreaterThan(0);
    expect(c.closer).toBeNull();
  });

  it('compares only windows both methods measured and counts the others', () => {
    const tally = new MethodComparisonTally();
    tally.add('r1', qt(410), qt(420), qt(400));
    tally.add('r2', qt(410), qt(null), qt(400));
    tally.add('r3', null, qt(480), qt(400));
    tally.add('r4', qt(410), qt(420), qt(null));
    expect(qtOf(tally)).toMatchObject({ n: 1, records: 1, onlyA: 1, onlyB: 1, maeA: 10, maeB: 20, meanDifference: -10, lower95: null, upper95: null, closer: null });
  });

  it('resamples whole records, so many windows of one record do not count as independent evidence', () => {
    const tally = new MethodComparisonTally();
    // Record x: A closer by 1 ms in each of 9 windows; record y: B closer by 1 ms in its one window.
    for (let w = 0; w < 9; w++) tally.add('x', qt(401), qt(402), qt(400));
    tally.add('y', qt(402), qt(401), qt(400));
    const c = qtOf(tally);
    expect(c).toMatchObject({ n: 10, records: 2, closer: null });
    expect(c.meanDifference).toBeCloseTo(-0.8, 10);
    // Drawing y twice (one resample in four) gives +1, drawing x twice -1.
    expect(c.lower95).toBeCloseTo(-1, 10);
    expect(c.upper95).toBeCloseTo(1, 10);
  });

  it('gives the same interval for the same seed', () => {
    const tally = new MethodComparisonTally();
    for (let i = 0; i < 15; i++) tally.add(`r${i}`, qt(400 + ((i * 7) % 11)), qt(400 + ((i * 5) % 13)), qt(400));
    expect(qtOf(tally, 3)).toEqual(qtOf(tally, 3));
    expect(qtOf(tally, 3).lower95).not.toBe(qtOf(tally, 4).lower95);
  });
});
