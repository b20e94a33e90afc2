import { median } from './statistics';

/** One beat's boundaries in samples of the signal its amplitudes are read from; null where the beat has none. */
export interface AmplitudeBeat {
  qrsOn: number | null;
  qrsOff: number | null;
  tPeak: number | null;
}

/** Mean of the `samples` samples before `onset`: the isoelectric (PR-segment) level amplitudes are measured from; null when the signal starts later. */
export function baselineBefore(signal: ArrayLike<number>, onset: number, samples: number): number | null {
  if (!(samples >= 1) || onset < samples || onset > signal.length) return null;
  let sum = 0;
  for (let i = onset - samples; i < onset; i++) sum += signal[i];
  return sum / samples;
}

/**
 * R and T amplitudes by the reference definition (ludb-reference.md, step 7), on any signal and any method's beats:
 * per beat, the baseline is the mean of the `baselineSamples` before QRS onset, R is the maximum over QRS onset to
 * offset minus the baseline, T the value at the T peak minus the baseline; the window's values are the medians over
 * beats. A beat without both QRS boundaries or without room for the baseline is left out.
 */
export function medianBeatAmplitudes(signal: ArrayLike<number>, beats: readonly AmplitudeBeat[], baselineSamples: number): { r_amp_mv: number | null; t_amp_mv: number | null } {
  const rAmps: number[] = [];
  const tAmps: number[] = [];
  for (const beat of beats) {
    if (beat.qrsOn === null || beat.qrsOff === null) continue;
    const baseline = baselineBefore(signal, beat.qrsOn, baselineSamples);
    if (baseline === null) continue;
    let peak = -Infinity;
    for (let i = beat.qrsOn; i <= Math.min(beat.qrsOff, signal.length - 1); i++) peak = Math.max(peak, signal[i]);
    rAmps.push(peak - baseline);
    if (beat.tPeak !== null && beat.tPeak < signal.length) tAmps.push(signal[beat.tPeak] - baseline);
  }
  return { r_amp_mv: median(rAmps), t_amp_mv: median(tAmps) };
}
