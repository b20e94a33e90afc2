import { butterworthBandpass, butterworthHighpass, butterworthLowpass, filtfilt, safeCutoff } from './filters';
import { sanitizeSignal } from './sanitize';

const REFRACTORY_S = 0.2;
const T_WAVE_WINDOW_S = 0.36;
const INTEGRATION_S = 0.15;
const R_SEARCH_S = 0.08;
/** Below this rate a QRS complex is only a few samples wide and the 5-15 Hz band is out of reach. */
export const MIN_QRS_SAMPLE_RATE_HZ = 50;

/**
 * R-peak sample indices of one lead: Pan & Tompkins (IEEE TBME 32:230, 1985) on a zero-phase
 * 5-15 Hz band-pass, with their adaptive signal/noise thresholds, search-back and T-wave rejection;
 * the R peak is the largest deflection of the 0.5-40 Hz signal within 80 ms of the detection.
 */
export function detectQrsPeaks(mv: Float32Array, sampleRateHz: number): Int32Array {
  assertSampleRate(sampleRateHz);
  const clean = sanitizeSignal(mv);
  const energy = qrsEnergy([clean], sampleRateHz);
  const centres = detectQrsCentres(energy, sampleRateHz);
  const wide = filtfilt(clean, [...butterworthHighpass(0.5, sampleRateHz), ...butterworthLowpass(safeCutoff(40, sampleRateHz), sampleRateHz)], sampleRateHz);
  return refineToRPeaks(wide, centres, Math.round(R_SEARCH_S * sampleRateHz));
}

/** QRS centres (samples) detected on all leads at once: the per-lead energies are normalised and summed. */
export function detectQrsCentresMultiLead(leads: readonly Float32Array[], sampleRateHz: number): Int32Array {
  assertSampleRate(sampleRateHz);
  return detectQrsCentres(qrsEnergy(leads.map(sanitizeSignal), sampleRateHz), sampleRateHz);
}

/** Throws a RangeError when a sample rate cannot carry a QRS detection. */
export function assertSampleRate(sampleRateHz: number): void {
  if (!Number.isFinite(sampleRateHz) || sampleRateHz < MIN_QRS_SAMPLE_RATE_HZ) {
    throw new RangeError(`sample rate ${sampleRateHz} Hz is not usable: QRS detection needs at least ${MIN_QRS_SAMPLE_RATE_HZ} Hz`);
  }
}

/** Moving-window integral of the squared derivative of the 5-15 Hz band, summed over leads scaled to their own size. */
function qrsEnergy(leads: readonly Float32Array[], fs: number): Float32Array {
  const n = leads[0]?.length ?? 0;
  const total = new Float32Array(n);
  const band = butterworthBandpass(5, safeCutoff(15, fs), fs, 2);
  for (const lead of leads) {
    const filtered = filtfilt(lead, band, Math.round(0.5 * fs));
    const squared = new Float32Array(n);
    for (let i = 1; i < n - 1; i++) {
      const slope = (filtered[i + 1] - filtered[i - 1]) * 0.5;
      squared[i] = slope * slope;
    }
    // Scale each lead by a high percentile so one large lead does not drown the others.
    const scale = percentile(squared, 0.98) || 1;
    for (let i = 0; i < n; i++) total[i] += squared[i] / scale;
  }
  return movingAverage(total, Math.max(1, Math.round(INTEGRATION_S * fs)));
}

function detectQrsCentres(mwi: Float32Array, fs: number): Int32Array {
  const n = mwi.length;
  const refractory = Math.round(REFRACTORY_S * fs);
  const tWindow = Math.round(T_WAVE_WINDOW_S * fs);
  const candidates: number[] = [];
  for (let i = 1; i < n - 1; i++) if (mwi[i] > mwi[i - 1] && mwi[i] >= mwi[i + 1]) candidates.push(i);
  if (candidates.length === 0) return new Int32Array(0);

  const learn = Math.min(n, Math.round(2 * fs));
  let learnMax = 0;
  let learnSum = 0;
  for (let i = 0; i < learn; i++) {
    learnMax = Math.max(learnMax, mwi[i]);
    learnSum += mwi[i];
  }
  let signalLevel = learnMax / 3;
  let noiseLevel = learnSum / learn / 2;
  const threshold = (): number => noiseLevel + 0.25 * (signalLevel - noiseLevel);

  const peaks: number[] = [];
  const rr: number[] = [];
  const rrAverage = (): number => (rr.length === 0 ? fs : rr.reduce((a, b) => a + b, 0) / rr.length);
  const maxSlope = (at: number): number => {
    let best = 0;
    const from = Math.max(1, at - refractory);
    for (let i = from; i <= at; i++) best = Math.max(best, mwi[i] - mwi[i - 1]);
    return best;
  };
  const accept = (at: number, weight: number): void => {
    const previous = peaks[peaks.length - 1];
    if (previous !== undefined) {
      rr.push(at - previous);
      if (rr.length > 8) rr.shift();
    }
    peaks.push(at);
    signalLevel = weight * mwi[at] + (1 - weight) * signalLevel;
  };

  let searchFrom = 0;
  for (let c = 0; c < candidates.length; c++) {
    const at = candidates[c];
    const previous = peaks[peaks.length - 1];
    // Search back for a missed beat when the gap grows past 1.66 average RR intervals.
    if (previous !== undefined && at - previous > 1.66 * rrAverage()) {
      let best = -1;
      for (let k = searchFrom; k < c; k++) {
        const candidate = candidates[k];
        if (candidate - previous > refractory && at - candidate > refractory && mwi[candidate] > threshold() / 2 && (best < 0 || mwi[candidate] > mwi[best])) best = candidate;
      }
      if (best >= 0) accept(best, 0.25);
    }
    const last = peaks[peaks.length - 1];
    if (mwi[at] > threshold() && (last === undefined || at - last > refractory)) {
      if (last !== undefined && at - last < tWindow && maxSlope(at) < 0.5 * maxSlope(last)) {
        noiseLevel = 0.125 * mwi[at] + 0.875 * noiseLevel;
      } else {
        accept(at, 0.125);
        searchFrom = c + 1;
      }
    } else {
      noiseLevel = 0.125 * mwi[at] + 0.875 * noiseLevel;
    }
  }
  return Int32Array.from(peaks);
}

function refineToRPeaks(signal: Float32Array, centres: Int32Array, radius: number): Int32Array {
  const out = new Int32Array(centres.length);
  centres.forEach((centre, index) => {
    const from = Math.max(0, centre - radius);
    const to = Math.min(signal.length - 1, centre + radius);
    // The local median-free reference: the mean of the window edges stands in for the baseline.
    const reference = (signal[from] + signal[to]) / 2;
    let best = centre;
    let bestValue = -1;
    for (let i = from; i <= to; i++) {
      const value = Math.abs(signal[i] - reference);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    out[index] = best;
  });
  return out;
}

function movingAverage(x: Float32Array, width: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  const half = Math.floor(width / 2);
  let sum = 0;
  // Centred window so the integrated peak sits on the QRS, not one window late.
  for (let i = 0; i < Math.min(n, width - half); i++) sum += x[i];
  for (let i = 0; i < n; i++) {
    const from = i - half;
    const to = i + width - half - 1;
    out[i] = sum / width;
    if (to + 1 < n) sum += x[to + 1];
    if (from >= 0) sum -= x[from];
  }
  return out;
}

function percentile(x: Float32Array, q: number): number {
  const sorted = Float32Array.from(x).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
