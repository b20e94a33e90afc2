import { Rng } from '../synth/random';
import { LeadSignal } from '../types';
import { LudbRecord } from './ludb';
import { LudbWave } from './ludb-waves';

/** How the atrial activity of a fibrillating record is drawn (see drawFibrillation). */
export interface AtrialFibrillation {
  /** Dominant f-wave rate (AF: about 4-9 Hz, 240-540 per minute). */
  fWaveHz: number;
  /** f-wave amplitude per lead as a share of the lead's peak-to-peak range (LUDB scales each lead on its own). */
  v1Share: number;
  inferiorShare: number;
  otherShare: number;
  /** Phases (radians) of the two f-wave sources, so that leads do not all see the same wave. */
  phases: [number, number];
}

/** Ranges of the random f-waves: coarse and fine fibrillation, largest in V1 and the inferior leads as in real AF. */
export const FIBRILLATION_RANGES = {
  fWaveHz: [4.5, 8.5],
  v1Share: [0.04, 0.15],
  inferiorShare: [0.02, 0.08],
  otherShare: [0.01, 0.05],
} as const;

/** A flat stretch no longer than this (ms) between two ventricular complexes is left as it is: no room for atrial activity. */
const MIN_ATRIAL_SEGMENT_MS = 10;
/** Where a lead lacks a boundary, the ventricular complex is taken to reach this far from its peak (ms), so it is never flattened. */
const QRS_HALF_WIDTH_MS = 100;
const T_HALF_WIDTH_MS = 200;

export function drawFibrillation(rng: Rng): AtrialFibrillation {
  const r = FIBRILLATION_RANGES;
  return {
    fWaveHz: rng.uniform(r.fWaveHz[0], r.fWaveHz[1]),
    v1Share: rng.uniform(r.v1Share[0], r.v1Share[1]),
    inferiorShare: rng.uniform(r.inferiorShare[0], r.inferiorShare[1]),
    otherShare: rng.uniform(r.otherShare[0], r.otherShare[1]),
    phases: [rng.uniform(0, 2 * Math.PI), rng.uniform(0, 2 * Math.PI)],
  };
}

/**
 * The record as atrial fibrillation, annotated the way the LUDB cardiologists annotate AF: every lead's atrial
 * stretches (outside QRS onset to T offset) lose their P waves and become a straight line between the complexes
 * either side, fibrillatory f-waves run under the whole trace, and the P annotations are removed, so the reference
 * finds no PR and the delineation labels call the stretch before each QRS `other`. QRS and T boundaries do not move.
 *
 * LUDB has only nine AF records among its first hundred; the networks trained on the other rhythms widened the QRS of
 * unseen AF records (f-waves read as QRS onset). Irregular RR comes from the warp (a large `tpJitter`), not from here.
 */
export function fibrillateLudbRecord(ludb: LudbRecord, af: AtrialFibrillation): LudbRecord {
  const fs = ludb.record.sampleRateHz;
  const length = ludb.record.leads[0]?.mv.length ?? 0;
  const sources = fibrillatorySources(length, fs, af);
  const leads: LeadSignal[] = ludb.record.leads.map((lead) => {
    const mv = Float32Array.from(lead.mv);
    for (const [from, to] of atrialSegments(ludb.waves.get(lead.name.toLowerCase()) ?? [], length, fs)) {
      const a = mv[from];
      const b = mv[to];
      for (let i = from + 1; i < to; i++) mv[i] = a + ((b - a) * (i - from)) / (to - from);
    }
    const range = peakToPeak(lead.mv);
    const f = fWaveOfLead(lead.name.toLowerCase(), sources, af);
    for (let i = 0; i < length; i++) mv[i] += range * f[i];
    return { name: lead.name, mv };
  });
  const waves = new Map<string, LudbWave[]>();
  for (const [lead, leadWaves] of ludb.waves) waves.set(lead, leadWaves.filter((w) => w.kind !== 'p'));
  return { id: ludb.id, source: `${ludb.source}/af-${af.fWaveHz.toFixed(1)}hz`, record: { sampleRateHz: fs, leads }, waves };
}

/**
 * The stretches of one lead outside its ventricular activity (QRS onset to T offset), as [first, last] samples whose
 * ends stay: the inside is where P waves live. The window edges count as boundaries; a lead with no annotated QRS or
 * T has none.
 */
export function atrialSegments(waves: readonly LudbWave[], length: number, sampleRateHz: number): Array<[number, number]> {
  const ms = (v: number) => Math.round((v / 1000) * sampleRateHz);
  const ventricular: Array<[number, number]> = [];
  const complexes = waves.filter((w) => w.kind !== 'p').sort((x, y) => x.peak - y.peak);
  // A lead without annotated complexes says nothing about where its atria are: flattening it would erase the lead.
  if (complexes.length === 0) return [];
  complexes.forEach((w, i) => {
    const previous = complexes[i - 1];
    const next = complexes[i + 1];
    const tEnd = (t: LudbWave) => t.offset ?? t.peak + ms(T_HALF_WIDTH_MS);
    if (w.kind === 'qrs') {
      // Without its T annotated (cut by the window edge, or not marked), what follows the QRS up to the next one is not known to be atrial.
      const end = next?.kind === 't' ? tEnd(next) : next ? (next.onset ?? next.peak - ms(QRS_HALF_WIDTH_MS)) : length - 1;
      ventricular.push([w.onset ?? w.peak - ms(QRS_HALF_WIDTH_MS), end]);
    } else if (previous?.kind !== 'qrs') {
      // A T without its QRS (cut by the window edge): its complex began somewhere before it.
      ventricular.push([previous ? tEnd(previous) : 0, tEnd(w)]);
    }
  });
  ventricular.sort((x, y) => x[0] - y[0]);
  const segments: Array<[number, number]> = [];
  let cursor = 0;
  for (const [start, end] of ventricular) {
    const to = Math.min(start, length - 1);
    if (to - cursor > ms(MIN_ATRIAL_SEGMENT_MS)) segments.push([cursor, to]);
    cursor = Math.max(cursor, Math.min(end, length - 1));
  }
  if (length - 1 - cursor > ms(MIN_ATRIAL_SEGMENT_MS)) segments.push([cursor, length - 1]);
  return segments;
}

interface FibrillatorySources {
  a: Float32Array;
  b: Float32Array;
}

/**
 * Two irregular atrial sources: the dominant rate wanders by +-12 % over a few seconds, the wave is not a pure sine
 * (a second harmonic gives the saw-tooth look), and its size breathes by +-30 %.
 */
function fibrillatorySources(length: number, fs: number, af: AtrialFibrillation): FibrillatorySources {
  const make = (phase: number, detune: number) => {
    const out = new Float32Array(length);
    let theta = phase;
    for (let i = 0; i < length; i++) {
      const t = i / fs;
      const hz = af.fWaveHz * detune * (1 + 0.12 * Math.sin(2 * Math.PI * 0.23 * t + phase));
      theta += (2 * Math.PI * hz) / fs;
      const envelope = 1 + 0.3 * Math.sin(2 * Math.PI * 0.37 * t + 2 * phase);
      out[i] = 0.5 * envelope * (Math.sin(theta) + 0.35 * Math.sin(2 * theta + phase));
    }
    return out;
  };
  return { a: make(af.phases[0], 1), b: make(af.phases[1], 1.07) };
}

/**
 * Per lead, a mix of the two sources scaled to the lead's share. Limb leads follow Einthoven (III = II - I, aVR, aVL
 * and aVF from I and II), so a network that derives limb leads sees the same f-waves the recording would have.
 */
function fWaveOfLead(name: string, s: FibrillatorySources, af: AtrialFibrillation): Float32Array {
  const n = s.a.length;
  /** wx * x + wy * y, sample by sample. */
  const weighted = (x: Float32Array, wx: number, y: Float32Array, wy: number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = wx * x[i] + wy * y[i];
    return out;
  };
  const mix = (wa: number, wb: number) => weighted(s.a, wa, s.b, wb);
  const inf = af.inferiorShare;
  const lead1 = mix(af.otherShare, 0.3 * af.otherShare);
  const lead2 = mix(0.4 * inf, inf);
  const combine = (c1: number, c2: number) => weighted(lead1, c1, lead2, c2);
  switch (name) {
    case 'i':
      return lead1;
    case 'ii':
      return lead2;
    case 'iii':
      return combine(-1, 1);
    case 'avr':
      return combine(-0.5, -0.5);
    case 'avl':
      return combine(1, -0.5);
    case 'avf':
      return combine(-0.5, 1);
    case 'v1':
      return mix(af.v1Share, 0.5 * af.v1Share);
    case 'v2':
      return mix(0.6 * af.v1Share, 0.6 * af.otherShare);
    default:
      return mix(0.6 * af.otherShare, af.otherShare);
  }
}

function peakToPeak(mv: Float32Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of mv) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(hi - lo) ? hi - lo : 0;
}
