import { emptyCusum, updateCusum } from './cusum';

const S = { allowance_sd: 0.5, clip_sd: 4, cap_sd: 16 };

describe('two-sided CUSUM', () => {
  it('stays at zero for values within the allowance', () => {
    let c = emptyCusum();
    for (const v of [100.4, 99.6, 100, 100.5]) c = updateCusum(c, v, 100, 1, S);
    expect(c.upper_sd).toBe(0);
    expect(c.lower_sd).toBe(0);
    expect(c.n).toBe(4);
  });

  it('accumulates (d - k) per window for a sustained shift of d SD, on the matching side', () => {
    let c = emptyCusum();
    for (let i = 0; i < 4; i++) c = updateCusum(c, 102, 100, 1, S);
    expect(c.upper_sd).toBeCloseTo(6);
    expect(c.lower_sd).toBe(0);
    let d = emptyCusum();
    for (let i = 0; i < 4; i++) d = updateCusum(d, 98, 100, 1, S);
    expect(d.lower_sd).toBeCloseTo(6);
  });

  it('clips a single outlier and caps the statistic', () => {
    expect(updateCusum(emptyCusum(), 1000, 100, 1, S).upper_sd).toBeCloseTo(3.5);
    let c = emptyCusum();
    for (let i = 0; i < 20; i++) c = updateCusum(c, 110, 100, 1, S);
    expect(c.upper_sd).toBe(16);
  });

  it('rejects a non-positive SD', () => {
    expect(() => updateCusum(emptyCusum(), 1, 1, 0, S)).toThrow(/sd > 0/);
  });
});
