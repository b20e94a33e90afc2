import { quantile } from './statistics';

// Module-level references: a global `Math`/`Number` lookup per sample is slow in sandboxed runtimes (jest vm contexts).
const { abs, ceil, max, min } = Math;

/** How far above the lead's usual sample-to-median deviation a sample must stand to count as a spike. */
const SPIKE_FACTOR = 6;

/**
 * Removes pacemaker pulses and other impulsive spikes (a few ms wide) by replacing the samples that
 * stand far out from their running median with that median. Cardiologists place the QRS onset after
 * a pacing spike, and a spike's slope would otherwise dominate the QRS boundary search.
 */
export function removeSpikes(mv: Float32Array, sampleRateHz: number): { signal: Float32Array; spikeSamples: number } {
  const n = mv.length;
  const half = max(1, ceil(0.004 * sampleRateHz));
  const width = 2 * half + 1;
  const medians = new Float32Array(n);
  const window = new Float32Array(width);
  const residual = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const from = max(0, i - half);
    const to = min(n - 1, i + half);
    const count = to - from + 1;
    // Insertion sort: the window is a handful of samples, where a general sort costs more than it saves.
    for (let k = 0; k < count; k++) {
      const value = mv[from + k];
      let j = k - 1;
      while (j >= 0 && window[j] > value) {
        window[j + 1] = window[j];
        j--;
      }
      window[j + 1] = value;
    }
    medians[i] = window[count >> 1];
    residual[i] = abs(mv[i] - medians[i]);
  }
  const typical = n > 0 ? quantile(residual, 0.99) : 0;
  const threshold = SPIKE_FACTOR * typical;
  if (!(threshold > 0)) return { signal: mv, spikeSamples: 0 };
  let spikeSamples = 0;
  const signal = Float32Array.from(mv);
  for (let i = 0; i < n; i++) {
    if (residual[i] > threshold) {
      signal[i] = medians[i];
      spikeSamples++;
    }
  }
  return { signal, spikeSamples };
}
