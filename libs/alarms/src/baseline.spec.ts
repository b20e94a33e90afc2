import { Baseline } from './baseline';
import { DEFAULTS } from './defaults';
import { T0_MS, WINDOW_MS, windowAt, windows } from './test-support/measurement-factory';

describe('Baseline', () => {
  it('is the per-parameter median of the first 5 minutes of windows', () => {
    const b = new Baseline(DEFAULTS.baseline);
    const ms = windows(0, 30, (i) => ({ qtc_ms: 410 + (i % 5) * 5, hr_bpm: i === 3 ? 180 : 72 }));
    const completed = ms.map((m) => b.observe(m));
    expect(completed.indexOf(true)).toBe(29);
    expect(b.established).toBe(true);
    expect(b.value('qtc_ms')).toBe(420);
    expect(b.value('hr_bpm')).toBe(72); // one outlier does not move a median
    expect(b.snapshot().established_ms).toBe(T0_MS + 30 * WINDOW_MS);
    expect(b.sd('qtc_ms')).toBeGreaterThan(0);
  });

  it('is not available while collecting, and ignores windows after it is fixed', () => {
    const b = new Baseline(DEFAULTS.baseline);
    windows(0, 29).forEach((m) => b.observe(m));
    expect(b.established).toBe(false);
    expect(b.value('qtc_ms')).toBeNull();
    b.observe(windowAt(29));
    expect(b.observe(windowAt(30, { qtc_ms: 600 }))).toBe(false);
    expect(b.value('qtc_ms')).toBe(420);
  });

  it('counts signal time, not windows: 5 minutes of 5-s windows need 60 windows', () => {
    const b = new Baseline(DEFAULTS.baseline);
    for (let i = 0; i < 59; i++) b.observe({ ...windowAt(i), window_start_ms: T0_MS + i * 5000, window_end_ms: T0_MS + (i + 1) * 5000 });
    expect(b.established).toBe(false);
    b.observe({ ...windowAt(59), window_start_ms: T0_MS + 59 * 5000, window_end_ms: T0_MS + 60 * 5000 });
    expect(b.established).toBe(true);
  });

  it('a parameter measured in too few windows has a null baseline with the reason', () => {
    const b = new Baseline(DEFAULTS.baseline);
    windows(0, 30, (i) => ({ pr_ms: i < 10 ? 160 : null })).forEach((m) => b.observe(m));
    expect(b.value('pr_ms')).toBeNull();
    expect(b.snapshot().unavailable).toEqual([{ parameter: 'pr_ms', reason: 'measured in 10 of 30 baseline windows (needs 15)' }]);
    expect(b.value('qtc_ms')).toBe(420);
  });

  it('reset discards the old baseline and collects from windows starting at the reset time', () => {
    const b = new Baseline(DEFAULTS.baseline);
    windows(0, 30).forEach((m) => b.observe(m));
    const resetAt = windowAt(40).window_start_ms;
    b.reset(resetAt);
    expect(b.established).toBe(false);
    b.observe(windowAt(39, { hr_bpm: 50 })); // before the reset time: ignored
    windows(40, 30, () => ({ hr_bpm: 55 })).forEach((m) => b.observe(m));
    expect(b.value('hr_bpm')).toBe(55);
    expect(b.snapshot().collect_from_ms).toBe(resetAt);
    expect(() => b.reset(Number.NaN)).toThrow(/finite/);
  });

  it('survives a JSON round trip of its snapshot', () => {
    const a = new Baseline(DEFAULTS.baseline);
    windows(0, 15).forEach((m) => a.observe(m));
    const b = new Baseline(DEFAULTS.baseline, JSON.parse(JSON.stringify(a.snapshot())));
    windows(15, 15).forEach((m) => {
      a.observe(m);
      b.observe(m);
    });
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.value('qtc_ms')).toBe(420);
  });
});
