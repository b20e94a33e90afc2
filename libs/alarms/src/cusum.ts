/**
 * Two-sided tabular CUSUM (Page 1954) on standardized deviations from the baseline:
 *   z = clip((x - baseline) / sd, +-clip_sd)
 *   upper = min(cap, max(0, upper + z - k)),  lower = min(cap, max(0, lower - z - k))
 * A sustained shift of d SD accumulates about (d - k) per window, so a slow drift crosses the decision
 * interval h long before the value itself crosses an absolute limit. Clipping bounds what a single
 * outlier can add; the cap bounds how long the statistic needs to come back after the drift ends.
 */
export interface CusumState {
  /** Upper (increase) statistic, in SD. */
  upper_sd: number;
  /** Lower (decrease) statistic, in SD. */
  lower_sd: number;
  /** Windows accumulated. */
  n: number;
}

export interface CusumSettings {
  allowance_sd: number;
  clip_sd: number;
  cap_sd: number;
}

export function emptyCusum(): CusumState {
  return { upper_sd: 0, lower_sd: 0, n: 0 };
}

export function updateCusum(state: CusumState, value: number, reference: number, sd: number, s: CusumSettings): CusumState {
  if (!(sd > 0) || !Number.isFinite(value) || !Number.isFinite(reference)) {
    throw new Error(`CUSUM needs finite value/reference and sd > 0 (value=${value}, reference=${reference}, sd=${sd})`);
  }
  const z = Math.max(-s.clip_sd, Math.min(s.clip_sd, (value - reference) / sd));
  return {
    upper_sd: Math.min(s.cap_sd, Math.max(0, state.upper_sd + z - s.allowance_sd)),
    lower_sd: Math.min(s.cap_sd, Math.max(0, state.lower_sd - z - s.allowance_sd)),
    n: state.n + 1,
  };
}
