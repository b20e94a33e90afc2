import { Alert, EcgMeasurement } from '@aicrn/contracts';

/** Fixtures for alarm tests: 10-s windows on a fixed clock, normal adult values unless overridden. */
export const T0_MS = Date.UTC(2025, 0, 6, 8, 0, 0);
export const WINDOW_MS = 10_000;
export const MINUTE_WINDOWS = 60_000 / WINDOW_MS;

export const NORMAL_VALUES = {
  hr_bpm: 70,
  pr_ms: 160,
  qrs_ms: 90,
  qt_ms: 390,
  qtc_ms: 420,
  r_amp_mv: 1.5,
  t_amp_mv: 0.4,
} as const;

export type WindowValues = Partial<Omit<EcgMeasurement, 'window_id' | 'bed_id' | 'window_start_ms' | 'window_end_ms'>>;

/** The measurement of window number `index` (window_id `<bed>-w<index>`). */
export function windowAt(index: number, values: WindowValues = {}, bedId = 'bed-1'): EcgMeasurement {
  const start = T0_MS + index * WINDOW_MS;
  return {
    window_id: `${bedId}-w${index}`,
    bed_id: bedId,
    device_id: `dev-${bedId}`,
    window_start_ms: start,
    window_end_ms: start + WINDOW_MS,
    ...NORMAL_VALUES,
    qtc_formula: 'bazett',
    quality: 0.95,
    quality_reasons: [],
    method: 'dsp',
    model_version: 'test',
    latency_ms: 5,
    measured_at_ms: start + WINDOW_MS + 5,
    unmeasured: [],
    attention: [{ target: 'all', start_s: 2, end_s: 2.4, weight: 0.8 }],
    beats: [],
    ...values,
  };
}

/** `count` consecutive windows from `from`, values per window from `values(i)` (i = absolute index). */
export function windows(from: number, count: number, values: (index: number) => WindowValues = () => ({}), bedId = 'bed-1'): EcgMeasurement[] {
  return Array.from({ length: count }, (_, k) => windowAt(from + k, values(from + k), bedId));
}

/** Feeds measurements to anything with observe(); returns every event, in order. */
export function observeAll(engine: { observe(m: EcgMeasurement): Alert[] }, ms: readonly EcgMeasurement[]): Alert[] {
  return ms.flatMap((m) => engine.observe(m));
}

/** Seeded standard-normal generator (mulberry32 + Box-Muller), so noisy fixtures are reproducible. */
export function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
