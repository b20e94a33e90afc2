import { BeatFiducials, canonicalLeadName, Unmeasured } from '@aicrn/contracts';
import { correctQt, QtcFormula } from '../qtc';
import { EcgParameters, EcgRecord, WindowMeasurement } from '../types';
import { butterworthHighpass, butterworthLowpass, filtfilt, safeCutoff } from './filters';
import { DEFAULT_DELINEATION, delineateLeadBeat, delineateQrs, DelineationSettings, LeadBeatFiducials, PreparedLead } from './lead-delineator';
import { detectQrsCentresMultiLead } from './qrs-detector';
import { removeSpikes } from './pacing-spikes';
import { sanitizeSignal } from './sanitize';
import { bridgeStuckLeads, overlapsStuckRun } from './stuck-segments';
import { medianBeatAmplitudes } from './beat-amplitudes';
import { mean, median } from './statistics';

// Module-level references: a global `Math`/`Number` lookup per sample is slow in sandboxed runtimes (jest vm contexts).
const { abs, max, round } = Math;
const { isFinite } = Number;

/** Interval measurement needs a few samples per 10 ms. */
export const MIN_DSP_SAMPLE_RATE_HZ = 100;
const MIN_DURATION_S = 2;
/** P and T waves are found on the 0.5-12 Hz signal. */
const WAVE_LOWPASS_HZ = 12;
/**
 * Median absolute deviation of per-beat PR above which the 'P waves' are not conducted (AF waves, noise).
 * Conducted P waves keep their PR within a few ms from beat to beat; on LUDB, 15 ms keeps 81 of the 85
 * records with P waves and rejects 12 of the 15 without (atrial fibrillation/flutter, pacing).
 */
const PR_MAX_SPREAD_MS = 15;

export interface MeasureDspOptions {
  qtcFormula?: QtcFormula;
  delineation?: DelineationSettings;
}

/** A whole window delineated: per beat the global fiducials (samples) and per lead the raw ones. */
export interface DspDelineation {
  centres: Int32Array;
  /** Per lead and beat; a lead flat or railed during a beat's QRS has no fiducials for it. */
  perLead: LeadBeatFiducials[][];
  global: GlobalBeat[];
  /** Per beat and lead: false where the lead was flat or railed during the beat's QRS (it had no vote). */
  voting: boolean[][];
  /** The leads with non-finite samples and flat or railed stretches bridged. */
  bridged: Float32Array[];
}

interface GlobalBeat {
  rPeak: number;
  qrsOn: number | null;
  qrsOff: number | null;
  pOn: number | null;
  tPeak: number | null;
  tOff: number | null;
}

/**
 * Classical measurement of one window: multi-lead QRS detection, per-lead delineation of every beat,
 * global fiducials as the median over leads (as the LUDB cardiologists' global marks), per-beat
 * intervals, medians over beats. Works on any lead subset and any sample rate from 100 Hz.
 */
export function measureDsp(record: EcgRecord, options: MeasureDspOptions = {}): WindowMeasurement {
  const fs = record.sampleRateHz;
  const { global, centres, perLead, voting, bridged } = delineateRecord(record, options.delineation);
  const msPerSample = 1000 / fs;
  const unmeasured: Unmeasured[] = [];

  const rr: number[] = [];
  for (let i = 1; i < centres.length; i++) rr.push((centres[i] - centres[i - 1]) * msPerSample);
  const meanRr = mean(rr);
  const hr_bpm = meanRr === null ? null : 60000 / meanRr;
  if (hr_bpm === null) unmeasured.push({ parameter: 'hr_bpm', reason: centres.length === 0 ? 'no QRS complex detected' : 'only one QRS complex detected' });

  const qrsDurations = global.map((b) => (b.qrsOn !== null && b.qrsOff !== null ? (b.qrsOff - b.qrsOn) * msPerSample : null));
  const qtIntervals = global.map((b) => (b.qrsOn !== null && b.tOff !== null ? (b.tOff - b.qrsOn) * msPerSample : null));
  const prIntervals = global.map((b) => (b.qrsOn !== null && b.pOn !== null ? (b.qrsOn - b.pOn) * msPerSample : null));

  const qrs_ms = median(qrsDurations);
  if (qrs_ms === null) unmeasured.push({ parameter: 'qrs_ms', reason: centres.length === 0 ? 'no QRS complex detected' : 'QRS boundaries not found' });
  const qt_ms = median(qtIntervals);
  if (qt_ms === null) unmeasured.push({ parameter: 'qt_ms', reason: 'no T wave end found' });
  const pr = prMeasurement(prIntervals, global.length);
  if (pr.value === null) unmeasured.push({ parameter: 'pr_ms', reason: pr.reason });
  const qtc_ms = correctQt(qt_ms, meanRr, options.qtcFormula ?? 'bazett');
  if (qtc_ms === null) unmeasured.push({ parameter: 'qtc_ms', reason: qt_ms === null ? 'no QT interval' : 'no RR interval' });

  const amplitudes = v5Amplitudes(record, bridged, voting, perLead, fs);
  if (amplitudes.r_amp_mv === null) unmeasured.push({ parameter: 'r_amp_mv', reason: amplitudes.reason });
  if (amplitudes.t_amp_mv === null) unmeasured.push({ parameter: 't_amp_mv', reason: amplitudes.reason });

  const parameters: EcgParameters = { hr_bpm, pr_ms: pr.value, qrs_ms, qt_ms, qtc_ms, r_amp_mv: amplitudes.r_amp_mv, t_amp_mv: amplitudes.t_amp_mv };
  const seconds = (sample: number | null): number | null => (sample === null ? null : sample / fs);
  const beats: BeatFiducials[] = global.map((b) => ({
    r_s: b.rPeak / fs,
    p_on_s: seconds(b.pOn),
    qrs_on_s: seconds(b.qrsOn),
    qrs_off_s: seconds(b.qrsOff),
    t_peak_s: seconds(b.tPeak),
    t_off_s: seconds(b.tOff),
  }));
  return { parameters, unmeasured, beats };
}

/** Detects and delineates every beat of a record on all its leads. */
export function delineateRecord(record: EcgRecord, settings: DelineationSettings = DEFAULT_DELINEATION): DspDelineation {
  validateRecord(record);
  const fs = record.sampleRateHz;
  const unstuck = bridgeStuckLeads(record.leads.map((lead) => sanitizeSignal(lead.mv)), fs);
  const signals = unstuck.map(({ signal }) => removeSpikes(signal, fs).signal);
  const prepared = signals.map((signal) => prepareLead(signal, fs, settings));
  const centres = detectQrsCentresMultiLead(signals, fs, prepared.map((lead) => lead.qrsBand));
  const typicalRr = centres.length > 1 ? (centres[centres.length - 1] - centres[0]) / (centres.length - 1) : fs;

  // A lead flat or railed during a beat's QRS has no say on that beat: its bridged stretch carries no wave.
  const core = round(0.06 * fs);
  const voting = Array.from(centres, (centre) => unstuck.map(({ runs }) => !overlapsStuckRun(runs, centre - core, centre + core)));
  const qrs = Array.from(centres, (centre, beat) => delineateQrs(prepared, centre, fs, settings, voting[beat]));
  const perLead = prepared.map((lead, index) =>
    Array.from(centres, (centre, beat) => {
      if (!voting[beat][index]) return silentLead(centre);
      const before = beat > 0 ? centre - centres[beat - 1] : typicalRr;
      const after = beat < centres.length - 1 ? centres[beat + 1] - centre : typicalRr;
      return delineateLeadBeat(lead, centre, qrs[beat], before, after, fs, settings);
    }),
  );

  const global: GlobalBeat[] = Array.from(centres, (centre, beat) => {
    const leads = perLead.map((fiducials) => fiducials[beat]).filter((_, index) => voting[beat][index]);
    if (leads.length === 0) return { rPeak: centre, qrsOn: null, qrsOff: null, pOn: null, tPeak: null, tOff: null };
    const withP = leads.filter((f) => f.pOn !== null);
    const strongest = strongestLead(prepared.filter((_, index) => voting[beat][index]), leads);
    return {
      rPeak: leads[strongest].rPeak,
      qrsOn: qrs[beat].qrsOn,
      qrsOff: qrs[beat].qrsOff,
      pOn: globalPOn(withP, leads.length),
      ...globalT(leads, settings),
    };
  });
  return { centres, perLead, global, voting, bridged: unstuck.map(({ signal }) => signal) };
}

/** The fiducials of a lead that was flat or railed during the beat: nothing but the detection itself. */
function silentLead(centre: number): LeadBeatFiducials {
  return { rPeak: centre, qrsOn: null, qrsOff: null, pOn: null, pPeak: null, tPeak: null, tOff: null, tProminence: null };
}

/** Throws a RangeError naming what makes a record unmeasurable (sample rate, leads, lengths). */
export function validateRecord(record: EcgRecord): void {
  const fs = record.sampleRateHz;
  if (!isFinite(fs) || fs < MIN_DSP_SAMPLE_RATE_HZ) {
    throw new RangeError(`sample rate ${fs} Hz is not usable: DSP measurement needs at least ${MIN_DSP_SAMPLE_RATE_HZ} Hz`);
  }
  if (record.leads.length === 0) throw new RangeError('the record has no leads');
  const n = record.leads[0].mv.length;
  const uneven = record.leads.find((lead) => lead.mv.length !== n);
  if (uneven) throw new RangeError(`lead "${uneven.name}" has ${uneven.mv.length} samples, lead "${record.leads[0].name}" has ${n}`);
  if (n < MIN_DURATION_S * fs) throw new RangeError(`the record lasts ${(n / fs).toFixed(2)} s; DSP measurement needs at least ${MIN_DURATION_S} s`);
}

function prepareLead(signal: Float32Array, fs: number, settings: DelineationSettings): PreparedLead {
  const highpass = butterworthHighpass(0.5, fs, 2);
  const qrsBand = filtfilt(signal, [...highpass, ...butterworthLowpass(safeCutoff(40, fs), fs, 4)], fs);
  const waveBand = filtfilt(signal, [...highpass, ...butterworthLowpass(safeCutoff(WAVE_LOWPASS_HZ, fs), fs, 4)], fs);
  const boundaryBand = filtfilt(signal, [...highpass, ...butterworthLowpass(safeCutoff(settings.boundaryLowpassHz, fs), fs, 4)], fs);
  return {
    qrsBand,
    qrsSlope: centralDifference(qrsBand),
    waveBand,
    waveSlope: centralDifference(waveBand),
    boundaryBand,
    boundarySlope: centralDifference(boundaryBand),
  };
}

function centralDifference(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 1; i < x.length - 1; i++) out[i] = (x[i + 1] - x[i - 1]) * 0.5;
  return out;
}

function prMeasurement(prIntervals: (number | null)[], beatCount: number): { value: number | null; reason: string } {
  const found = prIntervals.filter((v): v is number => v !== null);
  if (found.length === 0) return { value: null, reason: beatCount === 0 ? 'no QRS complex detected' : 'no P wave found' };
  // P waves in a minority of beats, or at wandering distances from the QRS, are not a conducted rhythm.
  if (found.length * 2 < beatCount) return { value: null, reason: `P wave found in only ${found.length} of ${beatCount} beats` };
  const mid = median(found)!;
  const spread = median(found.map((v) => abs(v - mid)))!;
  if (spread > PR_MAX_SPREAD_MS) return { value: null, reason: `PR interval varies by ${spread.toFixed(0)} ms between beats (no consistent P wave)` };
  return { value: mid, reason: '' };
}

function v5Amplitudes(record: EcgRecord, bridged: Float32Array[], voting: boolean[][], perLead: LeadBeatFiducials[][], fs: number): { r_amp_mv: number | null; t_amp_mv: number | null; reason: string } {
  const index = record.leads.findIndex((lead) => canonicalLeadName(lead.name) === 'V5');
  if (index < 0) return { r_amp_mv: null, t_amp_mv: null, reason: 'no V5 lead in the record' };
  if (voting.length > 0 && voting.every((leads) => !leads[index])) {
    return { r_amp_mv: null, t_amp_mv: null, reason: 'V5 flat or railed (lead off) during every beat' };
  }
  const signal = filtfilt(bridged[index], [...butterworthHighpass(0.5, fs, 2), ...butterworthLowpass(safeCutoff(40, fs), fs, 4)], fs);
  const { r_amp_mv, t_amp_mv } = medianBeatAmplitudes(signal, perLead[index], max(1, round(0.02 * fs)));
  return { r_amp_mv, t_amp_mv, reason: r_amp_mv === null ? 'no delineated beat in V5' : 'no T wave found in V5' };
}

/** The P onset of a beat as the median over leads: a P wave seen in only a few leads is more likely noise or fibrillatory waves. */
function globalPOn(withP: LeadBeatFiducials[], leadCount: number): number | null {
  if (withP.length * 2 < leadCount) return null;
  return roundOrNull(median(withP.map((f) => f.pOn)));
}

/**
 * The T wave of a beat from the leads where it is clearly visible: cardiologists mark no T where it is
 * flat, and with two or three leads a flat lead's largest deflection (often a U wave) would drag the
 * median. None at all when even the clearest lead's T is too flat to place an end on.
 */
function globalT(leads: LeadBeatFiducials[], settings: DelineationSettings): { tPeak: number | null; tOff: number | null } {
  let clearest = 0;
  for (const f of leads) if (f.tProminence !== null && f.tOff !== null) clearest = max(clearest, f.tProminence);
  if (!(clearest >= settings.tMinProminence)) return { tPeak: null, tOff: null };
  const visible = leads.filter((f) => f.tProminence !== null && f.tOff !== null && f.tProminence >= settings.tLeadProminence * clearest);
  // Every lead sees the same repolarisation: a 'T peak' after the T wave has ended in most other leads is a U wave.
  const ends = visible.map((f) => f.tOff!);
  const repolarising = visible.filter((f) => ends.filter((end) => end < f.tPeak!).length * 2 < max(1, visible.length - 1));
  const voting = repolarising.length > 0 ? repolarising : visible;
  return { tPeak: roundOrNull(median(voting.map((f) => f.tPeak))), tOff: roundOrNull(median(voting.map((f) => f.tOff))) };
}

function strongestLead(prepared: PreparedLead[], leads: LeadBeatFiducials[]): number {
  let best = 0;
  let bestValue = -1;
  leads.forEach((f, index) => {
    const value = abs(prepared[index].qrsBand[f.rPeak]);
    if (value > bestValue) {
      bestValue = value;
      best = index;
    }
  });
  return best;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}
