import { BeatFiducials, Unmeasured } from '@aicrn/contracts';
import { median, mean } from '../dsp/statistics';
import { correctQt } from '../qtc';
import { EcgParameters, EcgRecord } from '../types';
import { LudbWave } from './ludb-waves';

/** Annotated waves per lead name ("i", "ii", ... "v6"). */
export type LudbLeadWaves = ReadonlyMap<string, readonly LudbWave[]>;

/** The reference parameters of one LUDB record (definition in shared/docs/ludb-reference.md). */
export interface LudbReference {
  /** All seven parameters; r_amp/t_amp follow the V5 rule but are not physical on LUDB 1.0.1. */
  parameters: EcgParameters;
  unmeasured: Unmeasured[];
  /** Global fiducials per anchor beat, seconds from the record start. */
  beats: BeatFiducials[];
  /**
   * Per lead ("i" ... "v6"), the fiducials of that lead's own waves matched to each anchor beat (step 2 of the
   * definition), in anchor order; a beat whose QRS that lead has not annotated has null QRS boundaries.
   */
  leadBeats: Map<string, BeatFiducials[]>;
}

const QRS_MATCH_MS = 100;
const P_BEFORE_QRS_MS = 400;
const T_AFTER_QRS_MS = 700;
const AMPLITUDE_BASELINE_MS = 20;

interface LeadBeat {
  qrs: LudbWave;
  p: LudbWave | null;
  t: LudbWave | null;
}

/**
 * Reference derivation, step by step as the doc writes it: anchors = lead-ii QRS peaks; per lead the
 * QRS within 100 ms, the last P ending before its onset with peak <= 400 ms before, the first T
 * starting after its offset with peak <= 700 ms after; global fiducials = median over leads; per-beat
 * intervals; medians over beats; HR from the mean lead-ii RR; amplitudes in V5.
 */
export function deriveLudbReference(waves: LudbLeadWaves, sampleRateHz: number, record?: EcgRecord): LudbReference {
  const msPerSample = 1000 / sampleRateHz;
  const toSamples = (ms: number): number => ms / msPerSample;
  const anchors = (waves.get('ii') ?? []).filter((wave) => wave.kind === 'qrs').map((wave) => wave.peak);

  const perLeadBeats = new Map<string, (LeadBeat | null)[]>();
  for (const [lead, leadWaves] of waves) {
    const qrsWaves = leadWaves.filter((wave) => wave.kind === 'qrs');
    const pWaves = leadWaves.filter((wave) => wave.kind === 'p');
    const tWaves = leadWaves.filter((wave) => wave.kind === 't');
    perLeadBeats.set(
      lead,
      anchors.map((q) => {
        const qrs = nearest(qrsWaves, q, toSamples(QRS_MATCH_MS));
        if (!qrs) return null;
        const p = qrs.onset === null ? null : lastP(pWaves, qrs, toSamples(P_BEFORE_QRS_MS));
        const t = qrs.offset === null ? null : firstT(tWaves, qrs, toSamples(T_AFTER_QRS_MS));
        return { qrs, p, t };
      }),
    );
  }

  const beats: BeatFiducials[] = [];
  const pr: number[] = [];
  const qrsDurations: number[] = [];
  const qt: number[] = [];
  anchors.forEach((q, beat) => {
    const leadBeats = [...perLeadBeats.values()].map((beats) => beats[beat]).filter((b): b is LeadBeat => b !== null);
    const qrsOn = median(leadBeats.map((b) => b.qrs.onset));
    const qrsOff = median(leadBeats.map((b) => b.qrs.offset));
    const pOn = median(leadBeats.map((b) => b.p?.onset ?? null));
    const tOff = median(leadBeats.map((b) => b.t?.offset ?? null));
    const tPeak = median(leadBeats.map((b) => b.t?.peak ?? null));
    if (qrsOn !== null && pOn !== null) pr.push((qrsOn - pOn) * msPerSample);
    if (qrsOn !== null && qrsOff !== null) qrsDurations.push((qrsOff - qrsOn) * msPerSample);
    if (qrsOn !== null && tOff !== null) qt.push((tOff - qrsOn) * msPerSample);
    const seconds = (sample: number | null): number | null => (sample === null ? null : sample / sampleRateHz);
    beats.push({ r_s: q / sampleRateHz, p_on_s: seconds(pOn), qrs_on_s: seconds(qrsOn), qrs_off_s: seconds(qrsOff), t_peak_s: seconds(tPeak), t_off_s: seconds(tOff) });
  });

  const seconds = (sample: number | null | undefined): number | null => (sample === null || sample === undefined ? null : sample / sampleRateHz);
  const leadBeats = new Map<string, BeatFiducials[]>();
  for (const [lead, matched] of perLeadBeats) {
    leadBeats.set(
      lead,
      matched.map((b, i) => ({
        r_s: anchors[i] / sampleRateHz,
        p_on_s: seconds(b?.p?.onset),
        qrs_on_s: seconds(b?.qrs.onset),
        qrs_off_s: seconds(b?.qrs.offset),
        t_peak_s: seconds(b?.t?.peak),
        t_off_s: seconds(b?.t?.offset),
      })),
    );
  }

  const rrMs: number[] = [];
  for (let i = 1; i < anchors.length; i++) rrMs.push((anchors[i] - anchors[i - 1]) * msPerSample);
  const meanRr = mean(rrMs);
  const unmeasured: Unmeasured[] = [];
  const hr_bpm = meanRr === null ? null : 60000 / meanRr;
  if (hr_bpm === null) unmeasured.push({ parameter: 'hr_bpm', reason: 'fewer than two annotated QRS complexes in lead ii' });
  const pr_ms = median(pr);
  if (pr_ms === null) unmeasured.push({ parameter: 'pr_ms', reason: 'no beat has an annotated P wave' });
  const qrs_ms = median(qrsDurations);
  if (qrs_ms === null) unmeasured.push({ parameter: 'qrs_ms', reason: 'no beat has annotated QRS boundaries' });
  const qt_ms = median(qt);
  if (qt_ms === null) unmeasured.push({ parameter: 'qt_ms', reason: 'no beat has an annotated T wave offset' });
  const qtc_ms = correctQt(qt_ms, meanRr, 'bazett');
  if (qtc_ms === null) unmeasured.push({ parameter: 'qtc_ms', reason: 'needs QT and RR' });

  const amplitudes = v5Amplitudes(perLeadBeats.get('v5'), record, toSamples(AMPLITUDE_BASELINE_MS));
  if (amplitudes.r_amp_mv === null) unmeasured.push({ parameter: 'r_amp_mv', reason: amplitudes.reason });
  if (amplitudes.t_amp_mv === null) unmeasured.push({ parameter: 't_amp_mv', reason: amplitudes.reason });

  return {
    parameters: { hr_bpm, pr_ms, qrs_ms, qt_ms, qtc_ms, r_amp_mv: amplitudes.r_amp_mv, t_amp_mv: amplitudes.t_amp_mv },
    unmeasured,
    beats,
    leadBeats,
  };
}

function nearest(qrsWaves: readonly LudbWave[], q: number, limit: number): LudbWave | null {
  let best: LudbWave | null = null;
  for (const wave of qrsWaves) {
    const distance = Math.abs(wave.peak - q);
    if (distance <= limit && (best === null || distance < Math.abs(best.peak - q))) best = wave;
  }
  return best;
}

function lastP(pWaves: readonly LudbWave[], qrs: LudbWave, limit: number): LudbWave | null {
  let found: LudbWave | null = null;
  for (const p of pWaves) if (p.offset !== null && p.offset <= qrs.onset! && qrs.peak - p.peak <= limit) found = p;
  return found;
}

function firstT(tWaves: readonly LudbWave[], qrs: LudbWave, limit: number): LudbWave | null {
  for (const t of tWaves) if (t.onset !== null && t.onset >= qrs.offset! && t.peak - qrs.peak <= limit) return t;
  return null;
}

function v5Amplitudes(
  beats: (LeadBeat | null)[] | undefined,
  record: EcgRecord | undefined,
  baselineSamples: number,
): { r_amp_mv: number | null; t_amp_mv: number | null; reason: string } {
  const v5 = record?.leads.find((lead) => lead.name.toLowerCase() === 'v5');
  if (!beats || !v5) return { r_amp_mv: null, t_amp_mv: null, reason: record ? 'no V5 lead' : 'no signal given for the V5 amplitudes' };
  const rAmps: number[] = [];
  const tAmps: number[] = [];
  for (const beat of beats) {
    if (!beat || beat.qrs.onset === null) continue;
    const start = Math.max(0, Math.round(beat.qrs.onset - baselineSamples));
    if (beat.qrs.onset - start < 1) continue;
    let baseline = 0;
    for (let i = start; i < beat.qrs.onset; i++) baseline += v5.mv[i];
    baseline /= beat.qrs.onset - start;
    if (beat.qrs.offset !== null) {
      let max = -Infinity;
      for (let i = beat.qrs.onset; i <= beat.qrs.offset; i++) max = Math.max(max, v5.mv[i]);
      rAmps.push(max - baseline);
    }
    if (beat.t) tAmps.push(v5.mv[beat.t.peak] - baseline);
  }
  return { r_amp_mv: median(rAmps), t_amp_mv: median(tAmps), reason: 'no V5 beat with annotated boundaries' };
}
