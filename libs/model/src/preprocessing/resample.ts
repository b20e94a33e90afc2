/** Resampling methods; an unknown method is an error listing these. */
export const RESAMPLE_METHODS = ['kaiser-sinc'] as const;
export type ResampleMethod = (typeof RESAMPLE_METHODS)[number];

/** Zero crossings of the sinc on each side: the filter's length, hence its transition sharpness. */
const ZERO_CROSSINGS = 16;
/** Cut-off as a fraction of the lower Nyquist rate, leaving room for the transition band (as soxr/resampy do). */
const ROLLOFF = 0.945;
/** Kaiser beta for about 80 dB stop-band attenuation. */
const KAISER_BETA = 8.0;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Modified Bessel function of the first kind, order 0 (series; converges fast for the betas used). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

interface PolyphaseFilter {
  up: number;
  down: number;
  /** Input samples each side of the centre tap. */
  halfWidth: number;
  /** taps[phase][i] multiplies x[base - halfWidth + i]. */
  taps: Float64Array[];
}

const filterCache = new Map<string, PolyphaseFilter>();

/** One windowed-sinc filter per output phase: with a rational ratio up/down only `up` distinct phases exist. */
function polyphaseFilter(fromHz: number, toHz: number): PolyphaseFilter {
  const key = `${fromHz}/${toHz}`;
  const cached = filterCache.get(key);
  if (cached) return cached;
  const g = gcd(fromHz, toHz);
  const up = toHz / g;
  const down = fromHz / g;
  // Cut-off in cycles per input sample, normalised so 1 = the input Nyquist rate.
  const cutoff = Math.min(1, toHz / fromHz) * ROLLOFF;
  const halfSpan = ZERO_CROSSINGS / cutoff;
  const halfWidth = Math.ceil(halfSpan);
  const i0Beta = besselI0(KAISER_BETA);
  const taps: Float64Array[] = [];
  for (let phase = 0; phase < up; phase++) {
    const frac = phase / up;
    const h = new Float64Array(2 * halfWidth + 2);
    let sum = 0;
    for (let i = 0; i < h.length; i++) {
      const t = i - halfWidth - frac;
      if (Math.abs(t) > halfSpan) continue;
      const x = cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = t / halfSpan;
      h[i] = cutoff * sinc * (besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta);
      sum += h[i];
    }
    // Unit DC gain per phase, so a constant (baseline) passes exactly.
    for (let i = 0; i < h.length; i++) h[i] /= sum;
    taps.push(h);
  }
  const filter = { up, down, halfWidth, taps };
  filterCache.set(key, filter);
  return filter;
}

/** Mirror index into [0, n) without repeating the edge sample (symmetric extension keeps edges flat). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/**
 * Anti-aliased rational resampling (polyphase Kaiser-windowed sinc, about 80 dB stop band, pass band to
 * 94.5 % of the lower Nyquist rate). Output length is round(n * toHz / fromHz); sample k sits at time k / toHz.
 */
export function resampleSignal(signal: ArrayLike<number>, fromHz: number, toHz: number, method: string = 'kaiser-sinc'): Float32Array {
  if (!(RESAMPLE_METHODS as readonly string[]).includes(method)) throw new Error(`unknown resample method "${method}"; options: ${RESAMPLE_METHODS.join(', ')}`);
  if (!Number.isInteger(fromHz) || !Number.isInteger(toHz) || fromHz <= 0 || toHz <= 0) {
    throw new Error(`resampleSignal needs positive integer rates, got ${fromHz} Hz -> ${toHz} Hz`);
  }
  const n = signal.length;
  if (fromHz === toHz) return Float32Array.from(signal);
  const outLength = Math.round((n * toHz) / fromHz);
  const out = new Float32Array(outLength);
  if (n === 0) return out;
  const { up, down, halfWidth, taps } = polyphaseFilter(fromHz, toHz);
  for (let k = 0; k < outLength; k++) {
    const pos = k * down;
    const base = Math.floor(pos / up);
    const h = taps[pos - base * up];
    const start = base - halfWidth;
    let acc = 0;
    if (start >= 0 && start + h.length <= n) {
      for (let i = 0; i < h.length; i++) acc += h[i] * signal[start + i];
    } else {
      for (let i = 0; i < h.length; i++) acc += h[i] * signal[reflect(start + i, n)];
    }
    out[k] = acc;
  }
  return out;
}
