import { resampleSignal } from './resample';

const sine = (hz: number, rate: number, seconds: number, amp = 1) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

/** Amplitude of a tone at `hz` by correlation, away from the edges. */
function toneAmplitude(x: Float32Array, hz: number, rate: number): number {
  let s = 0;
  let c = 0;
  const from = Math.floor(x.length * 0.2);
  const to = Math.floor(x.length * 0.8);
  for (let i = from; i < to; i++) {
    s += x[i] * Math.sin((2 * Math.PI * hz * i) / rate);
    c += x[i] * Math.cos((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(s, c)) / (to - from);
}

describe('resampleSignal', () => {
  it('returns a copy when the rates are equal', () => {
    const x = sine(5, 500, 1);
    const y = resampleSignal(x, 500, 500);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(y).not.toBe(x);
  });

  it.each([
    [500, 250],
    [360, 250],
    [1000, 500],
    [250, 500],
    [360, 500],
    [257, 250],
  ])('%i Hz -> %i Hz: length round(n*to/from), in-band tone kept within 1 %', (from, to) => {
    const x = sine(20, from, 10);
    const y = resampleSignal(x, from, to);
    expect(y.length).toBe(Math.round((x.length * to) / from));
    expect(toneAmplitude(y, 20, to)).toBeCloseTo(1, 2);
    // Sample-exact timing: output k sits at k / to seconds.
    const expected = sine(20, to, 10);
    let err = 0;
    for (let i = 100; i < y.length - 100; i++) err = Math.max(err, Math.abs(y[i] - expected[i]));
    expect(err).toBeLessThan(0.01);
  });

  it('removes a tone above the new Nyquist rate instead of aliasing it (> 60 dB)', () => {
    // 200 Hz at 500 Hz would fold to 50 Hz at 250 Hz without the anti-aliasing filter.
    const y = resampleSignal(sine(200, 500, 10), 500, 250);
    expect(toneAmplitude(y, 50, 250)).toBeLessThan(1e-3);
  });

  it('keeps a constant baseline exactly, including the edges', () => {
    const y = resampleSignal(new Float32Array(3600).fill(0.75), 360, 250);
    for (const v of y) expect(v).toBeCloseTo(0.75, 5);
  });

  it('rejects unknown methods and bad rates with the options listed', () => {
    expect(() => resampleSignal([1, 2], 500, 250, 'linear')).toThrow(/unknown resample method "linear"; options: kaiser-sinc/);
    expect(() => resampleSignal([1, 2], 500.5, 250)).toThrow(/positive integer rates/);
    expect(() => resampleSignal([1, 2], 0, 250)).toThrow(/positive integer rates/);
  });
});
