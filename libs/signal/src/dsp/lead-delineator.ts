import { quantile } from './statistics';

// Module-level references: a global `Math`/`Number` lookup per sample is slow in sandboxed runtimes (jest vm contexts).
const { abs, floor, max, min, round, sign } = Math;

/** Fiducial points of one beat in one lead, in samples; null where the wave was not found. */
export interface LeadBeatFiducials {
  rPeak: number;
  qrsOn: number | null;
  qrsOff: number | null;
  pOn: number | null;
  pPeak: number | null;
  tPeak: number | null;
  tOff: number | null;
  /** T-peak deviation from the PR-segment level over the lead's QRS peak-to-peak: how visible the T wave is. */
  tProminence: number | null;
}

/** One lead prepared for delineation: band-limited signals and their first differences. */
export interface PreparedLead {
  /** 0.5-40 Hz: QRS boundaries and amplitudes. */
  qrsBand: Float32Array;
  qrsSlope: Float32Array;
  /** 0.5-12 Hz: P and T waves. */
  waveBand: Float32Array;
  waveSlope: Float32Array;
  /**
   * Up to DelineationSettings.boundaryLowpassHz: where the P onset and T end are placed (the 12-Hz wave
   * band finds the waves, but smears their edges outwards by 10-20 ms).
   */
  boundaryBand: Float32Array;
  boundarySlope: Float32Array;
}

/** Thresholds of the delineator; the defaults were tuned on LUDB against the cardiologists' boundaries. */
export interface DelineationSettings {
  /** Half-width of the QRS search around the detected centre (s). */
  qrsSearchS: number;
  /** Slope, as a fraction of the beat's largest QRS slope, that counts as inside the QRS. */
  qrsSignificantSlope: number;
  /** Fraction of the leads with the largest scaled slope left out at each sample (noisy leads). */
  qrsEnvelopeTrim: number;
  /** Percentile (0..1) of a lead's slope around the beat taken as its noise floor and subtracted; 0 = none. */
  qrsNoiseFloor: number;
  /** Slope fraction below which the QRS has not yet begun (walking back from its first significant slope). */
  qrsOnsetSlope: number;
  /** Slope fraction below which the QRS has ended (walking on from its last significant slope). */
  qrsOffsetSlope: number;
  /** P-wave amplitude, as a fraction of the lead's QRS peak-to-peak, below which there is no P. */
  pMinFraction: number;
  /** Trapezium reach beyond the steepest T down-slope (s). */
  tTrapeziumS: number;
  /** Broad T waves reach further: at least this many times the peak-to-steepest distance. */
  tTrapeziumWidths: number;
  /** The T-peak search ends this fraction of the RR interval after the beat (and at most 0.6 s). */
  tWindowRr: number;
  /** The T-peak search starts this long after the QRS offset (s). */
  tSearchStartS: number;
  /** The T wave ends at least this long before the next beat's centre (s). */
  tNextBeatGapS: number;
  /** An opposite-polarity wave before the largest post-QRS deflection, this large relative to it, is the T wave; 0 = off. */
  tEarlierFraction: number;
  /** T prominence of the clearest lead below which no T end is placed (the T wave is flat). */
  tMinProminence: number;
  /** Leads whose T prominence is under this fraction of the clearest lead's do not vote on the T wave. */
  tLeadProminence: number;
  /** Trapezium reach before the steepest P up-slope (s). */
  pTrapeziumS: number;
  /** Low-pass corner (Hz) of the signal the P onset and T end are placed on. */
  boundaryLowpassHz: number;
}

export const DEFAULT_DELINEATION: DelineationSettings = {
  qrsSearchS: 0.14,
  qrsSignificantSlope: 0.25,
  qrsEnvelopeTrim: 0.17,
  qrsNoiseFloor: 0.2,
  qrsOnsetSlope: 0.018,
  qrsOffsetSlope: 0.03,
  pMinFraction: 0.04,
  tTrapeziumS: 0.04,
  tTrapeziumWidths: 2,
  tWindowRr: 0.62,
  tSearchStartS: 0.06,
  tNextBeatGapS: 0.12,
  tEarlierFraction: 0.5,
  tMinProminence: 0.02,
  tLeadProminence: 0.3,
  pTrapeziumS: 0.08,
  boundaryLowpassHz: 25,
};

/** The QRS of one beat across all leads, in samples. */
export interface GlobalQrs {
  qrsOn: number | null;
  qrsOff: number | null;
}

/**
 * Global QRS boundaries of one beat from all (voting) leads at once: each lead's slope is scaled by its own
 * largest QRS slope and the scaled magnitudes are averaged, so every lead has one vote (as in the
 * cardiologists' median over leads) while the earliest and latest activity still shows. The QRS
 * spans from the first to the last significant slope, widened outwards until the averaged slope
 * falls under the boundary fraction.
 */
export function delineateQrs(
  leads: readonly PreparedLead[],
  centre: number,
  fs: number,
  settings: DelineationSettings = DEFAULT_DELINEATION,
  /** Per lead: false leaves it out (flat or railed during this beat); default all vote. */
  voting?: readonly boolean[],
): GlobalQrs {
  const n = leads[0].qrsSlope.length;
  const s = (seconds: number): number => round(seconds * fs);
  const clamp = (i: number): number => max(0, min(n - 1, i));
  const from = clamp(centre - s(settings.qrsSearchS));
  const to = clamp(centre + s(settings.qrsSearchS));
  const coreFrom = clamp(centre - s(0.06));
  const coreTo = clamp(centre + s(0.06));
  const scaled: Float32Array[] = [];
  for (let index = 0; index < leads.length; index++) {
    if (voting && !voting[index]) continue;
    const lead = leads[index];
    let peak = 0;
    for (let i = coreFrom; i <= coreTo; i++) peak = max(peak, abs(lead.qrsSlope[i]));
    if (!(peak > 0)) continue;
    const row = new Float32Array(to - from + 1);
    for (let i = from; i <= to; i++) row[i - from] = abs(lead.qrsSlope[i]);
    // A lead's own noise floor (a low percentile of its slope around the beat) is not QRS activity.
    const noiseFloor = settings.qrsNoiseFloor > 0 ? quantile(row, settings.qrsNoiseFloor) : 0;
    if (!(peak > noiseFloor)) continue;
    for (let k = 0; k < row.length; k++) row[k] = max(0, row[k] - noiseFloor) / (peak - noiseFloor);
    scaled.push(row);
  }
  if (scaled.length === 0) return { qrsOn: null, qrsOff: null };
  // One-sided trimmed mean: a noisy lead raises its scaled slope everywhere, so the largest values go.
  const keep = max(1, scaled.length - floor(settings.qrsEnvelopeTrim * scaled.length));
  const envelope = new Float32Array(to - from + 1);
  const column = new Float32Array(scaled.length);
  for (let k = 0; k < envelope.length; k++) {
    // Insertion sort of a dozen values: cheaper than a general sort call per sample.
    for (let l = 0; l < scaled.length; l++) {
      const value = scaled[l][k];
      let j = l - 1;
      while (j >= 0 && column[j] > value) {
        column[j + 1] = column[j];
        j--;
      }
      column[j + 1] = value;
    }
    let sum = 0;
    for (let l = 0; l < keep; l++) sum += column[l];
    envelope[k] = sum / keep;
  }
  let top = 0;
  for (let i = coreFrom; i <= coreTo; i++) top = max(top, envelope[i - from]);
  const significant = settings.qrsSignificantSlope * top;
  const onsetLevel = settings.qrsOnsetSlope * top;
  const offsetLevel = settings.qrsOffsetSlope * top;
  const at = (i: number): number => envelope[i - from];
  let first = -1;
  for (let i = from; i <= to; i++) if (at(i) >= significant) { first = i; break; }
  let last = -1;
  for (let i = to; i >= from; i--) if (at(i) >= significant) { last = i; break; }
  let qrsOn: number | null = null;
  let qrsOff: number | null = null;
  // Where the slope never falls that low inside the search window, the quietest point there stands in.
  if (first > from) {
    let on = first;
    while (on > from && at(on - 1) >= onsetLevel) on--;
    qrsOn = on > from ? on : quietest(at, from, first);
  }
  if (last >= 0 && last < to) {
    let off = last;
    while (off < to && at(off + 1) >= offsetLevel) off++;
    qrsOff = off < to ? off : quietest(at, last, to);
  }
  return { qrsOn, qrsOff };
}

/**
 * Delineates the P and T waves of one beat in one lead around the global QRS: the trapezium-area
 * method (Vázquez-Seisdedos et al., BioMed Eng OnLine 10:41, 2011) from the steepest limb of each
 * wave, on the 0.5-12 Hz signal against the PR-segment level.
 */
export function delineateLeadBeat(
  lead: PreparedLead,
  centre: number,
  qrs: GlobalQrs,
  rrBeforeSamples: number,
  rrAfterSamples: number,
  fs: number,
  settings: DelineationSettings = DEFAULT_DELINEATION,
): LeadBeatFiducials {
  const { qrsBand, waveBand, waveSlope, boundaryBand, boundarySlope } = lead;
  const n = qrsBand.length;
  const s = (seconds: number): number => round(seconds * fs);
  const clamp = (i: number): number => max(0, min(n - 1, i));
  const coreFrom = clamp(centre - s(0.06));
  const coreTo = clamp(centre + s(0.06));

  let rPeak = centre;
  let high = -Infinity;
  let low = Infinity;
  let bestDeflection = -1;
  // The median of a wider stretch stands in for the isoelectric level around the QRS.
  const reference = quantile(qrsBand.subarray(clamp(centre - s(0.15)), clamp(centre + s(0.15)) + 1), 0.5);
  for (let i = coreFrom; i <= coreTo; i++) {
    if (qrsBand[i] > high) high = qrsBand[i];
    if (qrsBand[i] < low) low = qrsBand[i];
    const deflection = abs(qrsBand[i] - reference);
    if (deflection > bestDeflection) {
      bestDeflection = deflection;
      rPeak = i;
    }
  }
  const result: LeadBeatFiducials = { rPeak, qrsOn: qrs.qrsOn, qrsOff: qrs.qrsOff, pOn: null, pPeak: null, tPeak: null, tOff: null, tProminence: null };
  if (qrs.qrsOn === null || qrs.qrsOff === null) return result;

  const isoFrom = clamp(qrs.qrsOn - s(0.02));
  let iso = 0;
  for (let i = isoFrom; i <= qrs.qrsOn; i++) iso += waveBand[i];
  iso /= qrs.qrsOn - isoFrom + 1;

  // T wave: between the QRS end and well before the next beat.
  const tFrom = qrs.qrsOff + s(settings.tSearchStartS);
  const tTo = min(n - 1, centre + min(round(settings.tWindowRr * rrAfterSamples), s(0.6)));
  if (tTo - tFrom > s(0.08)) {
    const tPeak = earlierOppositeWave(waveBand, iso, tFrom, largestDeviation(waveBand, iso, tFrom, tTo), settings.tEarlierFraction);
    const polarity = sign(waveBand[tPeak] - iso) || 1;
    result.tPeak = tPeak;
    result.tProminence = high > low ? abs(waveBand[tPeak] - iso) / (high - low) : 0;
    const limbTo = min(n - 2, tPeak + s(0.15));
    let steepest = tPeak;
    let steepestSlope = -Infinity;
    for (let i = tPeak; i <= limbTo; i++) {
      const falling = -polarity * waveSlope[i];
      if (falling > steepestSlope) {
        steepestSlope = falling;
        steepest = i;
      }
    }
    const reachSamples = settings.tTrapeziumWidths > 0 ? min(s(0.15), max(s(settings.tTrapeziumS), round(settings.tTrapeziumWidths * (steepest - tPeak)))) : s(settings.tTrapeziumS);
    const reach = min(n - 1, steepest + reachSamples, centre + rrAfterSamples - s(settings.tNextBeatGapS));
    if (steepestSlope > 0 && reach > steepest) result.tOff = trapeziumEnd(boundaryBand, steepest, reach, polarity);
  }

  // P wave: in the 300 ms before the QRS, after the previous beat's T wave.
  const pTo = qrs.qrsOn - s(0.03);
  const pFrom = max(0, qrs.qrsOn - s(0.3), centre - round(0.45 * rrBeforeSamples));
  if (pTo - pFrom > s(0.06)) {
    const pPeak = largestDeviation(waveBand, iso, pFrom, pTo);
    const amplitude = abs(waveBand[pPeak] - iso);
    if (amplitude >= settings.pMinFraction * (high - low) && pPeak - pFrom > s(0.02)) {
      const polarity = sign(waveBand[pPeak] - iso) || 1;
      let steepest = pPeak;
      let steepestSlope = -Infinity;
      for (let i = max(pFrom, pPeak - s(0.08)); i <= pPeak; i++) {
        const rising = polarity * boundarySlope[i];
        if (rising > steepestSlope) {
          steepestSlope = rising;
          steepest = i;
        }
      }
      const reach = max(0, steepest - s(settings.pTrapeziumS));
      if (steepestSlope > 0 && steepest > reach) {
        result.pPeak = pPeak;
        result.pOn = trapeziumStart(boundaryBand, steepest, reach, polarity);
      }
    }
  }
  return result;
}

function quietest(at: (i: number) => number, from: number, to: number): number {
  let best = from;
  for (let i = from; i <= to; i++) if (at(i) < at(best)) best = i;
  return best;
}

/**
 * A wave of opposite polarity before the largest deflection, at least `fraction` of its size, is the T wave
 * and the larger one after it its U wave (an inverted T followed by an upright U, as in MIT-BIH 100's V5).
 */
function earlierOppositeWave(x: Float32Array, level: number, from: number, largest: number, fraction: number): number {
  if (!(fraction > 0)) return largest;
  const polarity = sign(x[largest] - level);
  const needed = fraction * abs(x[largest] - level);
  let best = largest;
  let bestValue = needed;
  for (let i = max(from + 1, 1); i < largest; i++) {
    const value = -polarity * (x[i] - level);
    // A local extremum of the opposite sign, and the largest such one.
    if (value >= bestValue && value >= -polarity * (x[i - 1] - level) && value >= -polarity * (x[i + 1] - level)) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

function largestDeviation(x: Float32Array, level: number, from: number, to: number): number {
  let best = from;
  let bestValue = -1;
  for (let i = from; i <= to; i++) {
    const value = abs(x[i] - level);
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

/** The point after `steepest` where the trapezium to `reach` has the largest area: the wave's end. */
function trapeziumEnd(x: Float32Array, steepest: number, reach: number, polarity: number): number {
  let best = steepest;
  let bestArea = -Infinity;
  for (let i = steepest; i <= reach; i++) {
    const area = polarity * (x[steepest] - x[i]) * (2 * reach - i - steepest);
    if (area > bestArea) {
      bestArea = area;
      best = i;
    }
  }
  return best;
}

/** Mirror of trapeziumEnd for a wave's start, searching back from `steepest` to `reach`. */
function trapeziumStart(x: Float32Array, steepest: number, reach: number, polarity: number): number {
  let best = steepest;
  let bestArea = -Infinity;
  for (let i = steepest; i >= reach; i--) {
    const area = polarity * (x[steepest] - x[i]) * (i + steepest - 2 * reach);
    if (area > bestArea) {
      bestArea = area;
      best = i;
    }
  }
  return best;
}
