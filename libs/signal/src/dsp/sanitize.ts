// Module-level references: a global `Math`/`Number` lookup per sample is slow in sandboxed runtimes (jest vm contexts).
const { isFinite } = Number;
/** A copy with non-finite samples (WFDB invalid samples, dropouts) bridged by linear interpolation. */
export function sanitizeSignal(mv: ArrayLike<number>): Float32Array {
  const n = mv.length;
  const out = Float32Array.from(mv);
  let lastGood = -1;
  for (let i = 0; i < n; i++) {
    if (isFinite(out[i])) {
      if (lastGood < i - 1) {
        const from = lastGood < 0 ? out[i] : out[lastGood];
        for (let k = lastGood + 1; k < i; k++) out[k] = from + ((out[i] - from) * (k - lastGood)) / (i - lastGood);
      }
      lastGood = i;
    }
  }
  const tail = lastGood < 0 ? 0 : out[lastGood];
  for (let k = lastGood + 1; k < n; k++) out[k] = tail;
  return out;
}
