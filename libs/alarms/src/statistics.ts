/** Median of finite values; null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Standard deviation estimated as 1.4826 x median absolute deviation: robust to the odd mis-measured
 * window that would inflate a plain SD. Null below 3 values.
 */
export function robustSd(values: readonly number[]): number | null {
  if (values.length < 3) return null;
  const center = median(values)!;
  return 1.4826 * median(values.map((v) => Math.abs(v - center)))!;
}

/** Quantile (linear interpolation, q in 0..1); null for an empty list. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
