import { baselineBefore, butterworthHighpass, butterworthLowpass, filtfilt, medianBeatAmplitudes } from '@aicrn/signal';
import { AICRN_INPUT_LEADS, AicrnConfig } from '../config';
import { DelineatedBeat } from './delineation-readout';

export interface V5Amplitudes {
  r_amp_mv: number | null;
  t_amp_mv: number | null;
  unmeasured: Array<{ parameter: 'r_amp_mv' | 't_amp_mv'; reason: string }>;
}

/** The reference's baseline: the mean over the 20 ms before QRS onset (ludb-reference.md, step 7). */
const BASELINE_MS = 20;
/**
 * The network delineates QRS offset to T offset as one class, so the T peak is found inside it: the largest
 * deflection from the baseline in the span's last 65 %. The first third is the ST segment and the J point, whose
 * elevation or depression is not the T wave.
 */
const T_SEARCH_FROM = 0.35;

/**
 * V5's R and T amplitudes read off the network's input at the network's own V5 boundaries, by the reference
 * definition: baseline the mean of the 20 ms before QRS onset, R the maximum over the QRS minus the baseline, T the
 * T-peak value minus the baseline, medians over beats. The signal is band-limited to 0.5-40 Hz first, as DSP does,
 * so electrode noise does not ride on the maxima.
 *
 * The regression head regresses the amplitudes too, but from the whole window through a global average: on the
 * synthetic test split (physical amplitudes) it missed R by 0.15 mV, while reading the trace at the delineated
 * boundaries is within the published network's error (model card).
 *
 * `input` is the prepared network input ([time, 8] channels-last, mV / inputDivisor) and `v5Beats` the delineation
 * of lead V5 (readLeadDelineation's `leadBeats.V5`), in seconds of that input.
 */
export function readV5Amplitudes(input: Float32Array, config: AicrnConfig, inputDivisor: number, v5Beats: readonly DelineatedBeat[]): V5Amplitudes {
  const fs = config.sampleRateHz;
  const channels = AICRN_INPUT_LEADS.length;
  const v5Index = AICRN_INPUT_LEADS.indexOf('V5');
  const samples = Math.floor(input.length / channels);
  const raw = new Float32Array(samples);
  for (let i = 0; i < samples; i++) raw[i] = input[i * channels + v5Index] * inputDivisor;
  const v5 = filtfilt(raw, [...butterworthHighpass(0.5, fs, 2), ...butterworthLowpass(Math.min(40, 0.45 * fs), fs, 4)]);
  const baselineSamples = Math.max(1, Math.round((BASELINE_MS / 1000) * fs));

  const beats = v5Beats.map((beat) => {
    const qrsOn = Math.ceil(beat.qrs_on_s * fs);
    const qrsOff = Math.min(samples - 1, Math.floor(beat.qrs_off_s * fs));
    return { qrsOn, qrsOff, tPeak: beat.t_off_s === null ? null : tPeak(v5, qrsOn, qrsOff, Math.min(samples - 1, Math.floor(beat.t_off_s * fs)), baselineSamples) };
  });
  const { r_amp_mv, t_amp_mv } = medianBeatAmplitudes(v5, beats, baselineSamples);
  const unmeasured: V5Amplitudes['unmeasured'] = [];
  if (r_amp_mv === null) {
    const reason = v5Beats.length === 0 ? 'the network delineated no QRS complex in V5' : 'no QRS complex delineated in V5 has 20 ms of signal before it for the baseline';
    unmeasured.push({ parameter: 'r_amp_mv', reason }, { parameter: 't_amp_mv', reason });
  } else if (t_amp_mv === null) {
    unmeasured.push({ parameter: 't_amp_mv', reason: 'the network delineated no T wave end in V5' });
  }
  return { r_amp_mv, t_amp_mv, unmeasured };
}

/** The sample of largest deflection from the beat's baseline in the T part of the ST-T span, or null without room for a baseline. */
function tPeak(v5: Float32Array, qrsOn: number, qrsOff: number, tOff: number, baselineSamples: number): number | null {
  const baseline = baselineBefore(v5, qrsOn, baselineSamples);
  if (baseline === null || !(tOff > qrsOff)) return null;
  let best: number | null = null;
  for (let i = Math.round(qrsOff + T_SEARCH_FROM * (tOff - qrsOff)); i <= tOff; i++) {
    if (best === null || Math.abs(v5[i] - baseline) > Math.abs(v5[best] - baseline)) best = i;
  }
  return best;
}
