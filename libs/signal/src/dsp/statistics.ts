// Module-level references: a global `Math`/`Number` lookup per sample is slow in sandboxed runtimes (jest vm contexts).
const { floor, max, min } = Math;
const { isFinite } = Number;
/** Median of the finite values (mean of the two middle ones for an even count); null when there are none. */
export function median(values: ArrayLike<number | null>): number | null {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && isFinite(value)) finite.push(value);
  }
  if (finite.length === 0) return null;
  finite.sort((a, b) => a - b);
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/** Arithmetic mean of the finite values; null when there are none. */
export function mean(values: ArrayLike<number | null>): number | null {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && isFinite(value)) {
      sum += value;
      count++;
    }
  }
  return count === 0 ? null : sum / count;
}

/**
 * The q-quantile (0..1, nearest rank, rounding down) of the values by quickselect: O(n), where a
 * full sort of every lead on every window would dominate the measurement time.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const work = Float64Array.from(values as ArrayLike<number>);
  const k = min(n - 1, max(0, floor(q * (n - 1))));
  let left = 0;
  let right = n - 1;
  while (left < right) {
    const pivot = work[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (work[i] < pivot) i++;
      while (work[j] > pivot) j--;
      if (i <= j) {
        const t = work[i];
        work[i] = work[j];
        work[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return work[k];
}
