// Module-level references: a global `Math`/`Number` lookup per sample is slow in sandboxed runtimes (jest vm contexts).
const { max, min, round } = Math;
const { isFinite } = Number;
/** Second-order section coefficients, a0 normalised to 1. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Butterworth low-pass of even order as biquads (bilinear transform, pre-warped; RBJ cookbook form). */
export function butterworthLowpass(cutoffHz: number, sampleRateHz: number, order = 4): Biquad[] {
  return butterworthQs(order).map((q) => section('lowpass', cutoffHz, sampleRateHz, q));
}

/** Butterworth high-pass of even order as biquads. */
export function butterworthHighpass(cutoffHz: number, sampleRateHz: number, order = 2): Biquad[] {
  return butterworthQs(order).map((q) => section('highpass', cutoffHz, sampleRateHz, q));
}

/** Band-pass as a high-pass cascade followed by a low-pass cascade. */
export function butterworthBandpass(lowHz: number, highHz: number, sampleRateHz: number, order = 2): Biquad[] {
  return [...butterworthHighpass(lowHz, sampleRateHz, order), ...butterworthLowpass(highHz, sampleRateHz, order)];
}

/**
 * Zero-phase filtering (forward, then backward) with odd-reflection padding at both ends so the
 * edges of a 10-s window do not ring. `padSamples` defaults to one second.
 */
export function filtfilt(signal: ArrayLike<number>, sections: readonly Biquad[], padSamples?: number): Float32Array {
  const n = signal.length;
  if (n === 0) return new Float32Array(0);
  const pad = min(n - 1, max(0, round(padSamples ?? 0)));
  const total = n + 2 * pad;
  const work = new Float64Array(total);
  const first = signal[0];
  const last = signal[n - 1];
  for (let i = 0; i < pad; i++) work[i] = 2 * first - signal[pad - i];
  for (let i = 0; i < n; i++) work[pad + i] = signal[i];
  for (let i = 0; i < pad; i++) work[pad + n + i] = 2 * last - signal[n - 2 - i];
  for (const s of sections) {
    runSection(work, s, false);
    runSection(work, s, true);
  }
  return Float32Array.from(work.subarray(pad, pad + n));
}

/** Clamps a cutoff below Nyquist so any sample rate gets a valid design. */
export function safeCutoff(cutoffHz: number, sampleRateHz: number): number {
  return min(cutoffHz, 0.45 * sampleRateHz);
}

function runSection(x: Float64Array, { b0, b1, b2, a1, a2 }: Biquad, backward: boolean): void {
  const n = x.length;
  // Start in the steady state for a constant input equal to the first sample, to avoid a step transient.
  const start = backward ? x[n - 1] : x[0];
  const dcGain = (b0 + b1 + b2) / (1 + a1 + a2);
  const y0 = isFinite(dcGain) ? start * dcGain : 0;
  let z1 = y0 - b0 * start;
  let z2 = b2 * start - a2 * y0;
  if (!backward) {
    for (let i = 0; i < n; i++) {
      const input = x[i];
      const output = b0 * input + z1;
      z1 = b1 * input - a1 * output + z2;
      z2 = b2 * input - a2 * output;
      x[i] = output;
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      const input = x[i];
      const output = b0 * input + z1;
      z1 = b1 * input - a1 * output + z2;
      z2 = b2 * input - a2 * output;
      x[i] = output;
    }
  }
}

function butterworthQs(order: number): number[] {
  if (order < 2 || order % 2 !== 0) throw new RangeError(`Butterworth order must be even and >= 2, got ${order}`);
  const qs: number[] = [];
  for (let k = 0; k < order / 2; k++) qs.push(1 / (2 * Math.sin((Math.PI * (2 * k + 1)) / (2 * order))));
  return qs;
}

function section(kind: 'lowpass' | 'highpass', cutoffHz: number, sampleRateHz: number, q: number): Biquad {
  if (!(cutoffHz > 0 && cutoffHz < sampleRateHz / 2)) {
    throw new RangeError(`cutoff ${cutoffHz} Hz must lie between 0 and Nyquist (${sampleRateHz / 2} Hz)`);
  }
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const b = kind === 'lowpass' ? [(1 - cos) / 2, 1 - cos, (1 - cos) / 2] : [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
  return { b0: b[0] / a0, b1: b[1] / a0, b2: b[2] / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}
