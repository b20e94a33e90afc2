import { butterworthBandpass, butterworthHighpass, butterworthLowpass, filtfilt, safeCutoff } from './filters';
import { sanitizeSignal } from './sanitize';
import { quantile } from './statistics';

// Module-level references: a global `Math`/`Number` lookup per sample is slow in sandboxed runtimes (jest vm contexts).
const { abs, floor, log, max, min, round } = Math;
const { isFinite } = Number;

const REFRACTORY_S = 0.2;
const T_WAVE_WINDOW_S = 0.36;
/**
 * At slow rates a long QT puts the T peak beyond Pan-Tompkins' 360 ms (a QT of 480 ms at 40 bpm peaks
 * near 380 ms): the T-wave window widens to this fraction of the RR interval, up to T_WAVE_WINDOW_MAX_S.
 */
const T_WAVE_WINDOW_RR = 0.5;
const T_WAVE_WINDOW_MAX_S = 0.6;
const INTEGRATION_S = 0.15;
const R_SEARCH_S = 0.08;
const SLOPE_REACH_S = 0.075;
/** Narrower than SLOPE_REACH_S so a P wave's window does not reach into the QRS that follows it. */
const VOTE_REACH_S = 0.05;
/** Squared-slope ratios: 0.25 = half the previous beat's slope (Pan-Tompkins' T-wave test). */
const SLOPE_RATIO_T_WAVE = 0.25;
const SLOPE_RATIO_OUTLIER = 0.1;
const LOG_SLOPE_RATIO_T_WAVE = Math.log(SLOPE_RATIO_T_WAVE);
/** A lead's squared-slope ratio counts at most as 1:16 (slope 1:4) in the all-lead comparison. */
const LOG_RATIO_CAP = Math.log(16);
/** Squared slope (mV per sample, squared) too small to be anything but a flat lead. */
const TINY_SLOPE = 1e-12;
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
  const wide = filtfilt(clean, [...butterworthHighpass(0.5, sampleRateHz), ...butterworthLowpass(safeCutoff(40, sampleRateHz), sampleRateHz)], sampleRateHz);
  const centres = detectQrsCentres(qrsEnergy([clean], [wide], sampleRateHz), sampleRateHz);
  return refineToRPeaks(wide, centres, round(R_SEARCH_S * sampleRateHz));
}

/**
 * QRS centres (samples) detected on all leads at once: the per-lead energies are normalised and summed.
 * `wideLeads`, the same leads band-limited to 0.5-40 Hz, spares filtering them again when the caller has them.
 */
export function detectQrsCentresMultiLead(leads: readonly Float32Array[], sampleRateHz: number, wideLeads?: readonly Float32Array[]): Int32Array {
  assertSampleRate(sampleRateHz);
  const clean = leads.map(sanitizeSignal);
  const band = [...butterworthHighpass(0.5, sampleRateHz), ...butterworthLowpass(safeCutoff(40, sampleRateHz), sampleRateHz)];
  const wide = wideLeads ?? clean.map((lead) => filtfilt(lead, band, sampleRateHz));
  return detectQrsCentres(qrsEnergy(clean, wide, sampleRateHz), sampleRateHz);
}

/** Throws a RangeError when a sample rate cannot carry a QRS detection. */
export function assertSampleRate(sampleRateHz: number): void {
  if (!isFinite(sampleRateHz) || sampleRateHz < MIN_QRS_SAMPLE_RATE_HZ) {
    throw new RangeError(`sample rate ${sampleRateHz} Hz is not usable: QRS detection needs at least ${MIN_QRS_SAMPLE_RATE_HZ} Hz`);
  }
}

/** Squared 5-15 Hz slope summed over leads scaled to their own size, and its moving-window integral. */
interface QrsEnergy {
  slopeEnergy: Float32Array;
  integrated: Float32Array;
  /** Each lead's squared 0.5-40 Hz slope, for the per-lead vote between neighbouring detections. */
  perLead: Float32Array[];
}

function qrsEnergy(leads: readonly Float32Array[], wideLeads: readonly Float32Array[], fs: number): QrsEnergy {
  const n = leads[0]?.length ?? 0;
  const total = new Float32Array(n);
  const band = butterworthBandpass(5, safeCutoff(15, fs), fs, 2);
  const perLead: Float32Array[] = [];
  leads.forEach((lead, index) => {
    const filtered = filtfilt(lead, band, round(0.5 * fs));
    const squared = new Float32Array(n);
    for (let i = 1; i < n - 1; i++) {
      const slope = (filtered[i + 1] - filtered[i - 1]) * 0.5;
      squared[i] = slope * slope;
    }
    // Scale each lead by a high percentile so one large lead does not drown the others.
    const scale = quantile(squared, 0.98) || 1;
    for (let i = 0; i < n; i++) total[i] += squared[i] / scale;
    // The vote compares slopes in the full QRS band: 5-15 Hz keeps most of a T wave's slope but only part
    // of a narrow QRS's, which would double a tall T wave's apparent steepness.
    const wide = wideLeads[index];
    const wideSquared = new Float32Array(n);
    for (let i = 1; i < n - 1; i++) {
      const slope = (wide[i + 1] - wide[i - 1]) * 0.5;
      wideSquared[i] = slope * slope;
    }
    perLead.push(wideSquared);
  });
  return { slopeEnergy: total, integrated: movingAverage(total, max(1, round(INTEGRATION_S * fs))), perLead };
}

function detectQrsCentres({ slopeEnergy, integrated: mwi, perLead }: QrsEnergy, fs: number): Int32Array {
  const n = mwi.length;
  const slopeReach = round(SLOPE_REACH_S * fs);
  const refractory = round(REFRACTORY_S * fs);
  const tWindowFor = (rrSamples: number): number => round(max(T_WAVE_WINDOW_S * fs, min(T_WAVE_WINDOW_MAX_S * fs, T_WAVE_WINDOW_RR * rrSamples)));
  const candidates: number[] = [];
  for (let i = 1; i < n - 1; i++) if (mwi[i] > mwi[i - 1] && mwi[i] >= mwi[i + 1]) candidates.push(i);
  if (candidates.length === 0) return new Int32Array(0);

  const learn = min(n, round(2 * fs));
  let learnMax = 0;
  let learnSum = 0;
  for (let i = 0; i < learn; i++) {
    learnMax = max(learnMax, mwi[i]);
    learnSum += mwi[i];
  }
  let signalLevel = learnMax / 3;
  let noiseLevel = learnSum / learn / 2;
  const threshold = (): number => noiseLevel + 0.25 * (signalLevel - noiseLevel);
  const vote = slopeVote(perLead, round(VOTE_REACH_S * fs));

  const peaks: number[] = [];
  const rr: number[] = [];
  const rrAverage = (): number => (rr.length === 0 ? fs : rr.reduce((a, b) => a + b, 0) / rr.length);
  // Steepest QRS slope (squared, all leads) near a candidate: T waves rise and fall far more slowly.
  const maxSlope = (at: number): number => {
    let best = 0;
    for (let i = max(0, at - slopeReach); i <= min(n - 1, at + slopeReach); i++) best = max(best, slopeEnergy[i]);
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
  const moveLast = (at: number): void => {
    const shift = at - peaks[peaks.length - 1];
    peaks[peaks.length - 1] = at;
    if (peaks.length > 1) rr[rr.length - 1] += shift;
    signalLevel = 0.125 * mwi[at] + 0.875 * signalLevel;
  };
  const retractLast = (): void => {
    peaks.pop();
    if (peaks.length > 0) rr.pop();
  };
  const noise = (at: number): void => {
    noiseLevel = 0.125 * mwi[at] + 0.875 * noiseLevel;
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
      if (best >= 0 && !(best - previous < tWindowFor(rrAverage()) && vote(previous, best) === 'second')) accept(best, 0.25);
    }
    const last = peaks[peaks.length - 1];
    if (!(mwi[at] > threshold())) {
      noise(at);
      continue;
    }
    if (last === undefined || at - last >= tWindowFor(rrAverage())) {
      accept(at, 0.125);
      searchFrom = c + 1;
      continue;
    }
    // Within the T-wave window of the last beat: Pan-Tompkins' slope test, voted lead by lead. It also
    // runs the other way: a P or T wave accepted first gives way to the steeper QRS right after it,
    // even inside the refractory period (which only protects a QRS from its own T wave).
    const shallower = vote(last, at);
    if (shallower === 'first') {
      noise(last);
      retractLast();
      accept(at, 0.125);
      searchFrom = c + 1;
    } else if (shallower === null && at - last > refractory) {
      accept(at, 0.125);
      searchFrom = c + 1;
    } else if (shallower === null && mwi[at] > mwi[last]) {
      // The same QRS: a wide one integrates to several local maxima, the first often on its onset (or
      // the P wave before it). Its centre is the largest, else the delineator's search misses its end.
      moveLast(at);
      searchFrom = c + 1;
    } else {
      noise(at);
    }
  }
  // A detection far shallower than the typical beat (e.g. the T wave of a beat before the window) is dropped.
  const slopes = peaks.map(maxSlope);
  const typical = quantile(slopes, 0.5);
  const kept = peaks.filter((_, i) => slopes[i] >= SLOPE_RATIO_OUTLIER * typical);
  const intervals = kept.slice(1).map((at, k) => at - kept[k]);
  return Int32Array.from(dropShallowNeighbours(kept, vote, tWindowFor(intervals.length > 0 ? quantile(intervals, 0.5) : fs)));
}

type SlopeVote = (first: number, second: number) => 'first' | 'second' | null;

/**
 * Pan-Tompkins' T-wave test, voted lead by lead: of two detections, the one whose slope is under half
 * the other's in most leads is a P or T wave (null: neither). The summed energy alone cannot tell:
 * where a lead's QRS is small, its P and T waves carry as much scaled energy as its QRS, and a few
 * such leads lift a P or T wave over the threshold.
 */
function slopeVote(perLead: readonly Float32Array[], reach: number): SlopeVote {
  const cache = new Map<number, Float64Array>();
  const slopesAt = (at: number): Float64Array => {
    let out = cache.get(at);
    if (out) return out;
    out = new Float64Array(perLead.length);
    for (let l = 0; l < perLead.length; l++) {
      const lead = perLead[l];
      let best = 0;
      for (let i = max(0, at - reach); i <= min(lead.length - 1, at + reach); i++) best = max(best, lead[i]);
      out[l] = best;
    }
    cache.set(at, out);
    return out;
  };
  return (first, second) => {
    const a = slopesAt(first);
    const b = slopesAt(second);
    let firstShallow = 0;
    let secondShallow = 0;
    for (let l = 0; l < a.length; l++) {
      if (a[l] < SLOPE_RATIO_T_WAVE * b[l]) firstShallow++;
      else if (b[l] < SLOPE_RATIO_T_WAVE * a[l]) secondShallow++;
    }
    if (firstShallow * 2 > a.length) return 'first';
    if (secondShallow * 2 > a.length) return 'second';
    // No majority: a tented T wave (hyperkalaemia) can be over half as steep as the QRS in the leads its
    // vector points along, yet it is far shallower in the others. Over all leads together (geometric
    // mean of the slope ratios, each lead capped so a lead where one wave vanishes counts as a clear vote,
    // not as an overwhelming one) it is still under half the QRS's slope.
    let logRatio = 0;
    for (let l = 0; l < a.length; l++) logRatio += max(-LOG_RATIO_CAP, min(LOG_RATIO_CAP, log((a[l] + TINY_SLOPE) / (b[l] + TINY_SLOPE))));
    logRatio /= a.length;
    if (logRatio < LOG_SLOPE_RATIO_T_WAVE) return 'first';
    if (logRatio > -LOG_SLOPE_RATIO_T_WAVE) return 'second';
    return null;
  };
}

/** The slope vote once more over the final detections (a search-back can pair a P or T wave with a beat). */
function dropShallowNeighbours(peaks: number[], vote: SlopeVote, window: number): number[] {
  const kept = [...peaks];
  for (let k = 1; k < kept.length; ) {
    const shallower = kept[k] - kept[k - 1] < window ? vote(kept[k - 1], kept[k]) : null;
    if (shallower === null) {
      k++;
      continue;
    }
    kept.splice(shallower === 'first' ? k - 1 : k, 1);
    k = max(1, k - 1);
  }
  return kept;
}

function refineToRPeaks(signal: Float32Array, centres: Int32Array, radius: number): Int32Array {
  const out = new Int32Array(centres.length);
  centres.forEach((centre, index) => {
    const from = max(0, centre - radius);
    const to = min(signal.length - 1, centre + radius);
    // The window median stands in for the isoelectric level: the QRS fills only part of the window.
    const reference = quantile(signal.subarray(from, to + 1), 0.5);
    let best = centre;
    let bestValue = -1;
    for (let i = from; i <= to; i++) {
      const value = abs(signal[i] - reference);
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
  const half = floor(width / 2);
  let sum = 0;
  // Centred window so the integrated peak sits on the QRS, not one window late.
  for (let i = 0; i < min(n, width - half); i++) sum += x[i];
  for (let i = 0; i < n; i++) {
    const from = i - half;
    const to = i + width - half - 1;
    out[i] = sum / width;
    if (to + 1 < n) sum += x[to + 1];
    if (from >= 0) sum -= x[from];
  }
  return out;
}

