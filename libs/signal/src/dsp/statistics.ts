/** Median of the finite values (mean of the two middle ones for an even count); null when there are none. */
export function median(values: ArrayLike<number | null>): number | null {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && Number.isFinite(value)) finite.push(value);
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
    if (value !== null && Number.isFinite(value)) {
      sum += value;
      count++;
    }
  }
  return count === 0 ? null : sum / count;
}
