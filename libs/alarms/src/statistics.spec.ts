import { median, quantile, robustSd } from './statistics';

describe('statistics', () => {
  it('median of odd, even and empty lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('robust SD ignores a single outlier and needs 3 values', () => {
    expect(robustSd([10, 11, 9, 10, 11, 9, 500])).toBeCloseTo(1.4826, 4);
    expect(robustSd([1, 2])).toBeNull();
  });

  it('quantile interpolates', () => {
    expect(quantile([0, 10], 0.9)).toBeCloseTo(9);
    expect(quantile([], 0.5)).toBeNull();
  });
});
