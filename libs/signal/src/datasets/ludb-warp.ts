import { BeatFiducials } from '@aicrn/contracts';
import { Rng } from '../synth/random';
import { EcgRecord } from '../types';
import { LudbRecord, ludbReference } from './ludb';
import { LudbWave } from './ludb-waves';

/**
 * Factors on the source duration of each part of every beat. The warp is piecewise linear in time with knots at
 * the reference's global fiducials, so each interval of the reference changes by its own factor: PR by `pr`,
 * QRS by `qrs`, QT by a mix of `qrs` and `stT`, RR by all of them with `tp` (T offset to the next P onset).
 */
export interface LudbWarp {
  pr: number;
  qrs: number;
  /** QRS offset to T offset. */
  stT: number;
  /** T offset to the next P onset (QRS onset where a beat has no P wave). */
  tp: number;
  /** Beat-to-beat spread of `tp` (0.05 = each diastole +-5 %), drawn from the rng given to the warp. */
  tpJitter: number;
  /** Where the output window sits in the tiled, warped beats, in [0, 1]. */
  startFraction: number;
}

/** The beats that can be tiled: a run of whole cycles, each between two cuts in the T-P segment. */
export interface LudbCycles {
  /** Source samples (fractional) of the cuts; cycle k spans cuts[k] to cuts[k + 1]. */
  cuts: number[];
  /** Per cycle: P onset (null where the beat has none), QRS onset, QRS offset, T offset, in source samples. */
  beats: Array<{ pOn: number | null; qrsOn: number; qrsOff: number; tOff: number }>;
}

/** A diastole shorter than this (source samples at any rate are converted) is too short to cut the record in. */
const MIN_CUT_GAP_MS = 20;
/** No warped T-P segment is made shorter than this: the next P wave would run into the T wave. */
const MIN_WARPED_TP_MS = 60;

/**
 * The longest run of consecutive annotated beats with a T-P gap on both sides. LUDB annotates about 1-9 s of each
 * record; its first and last beats lack the neighbouring T offset or P onset and are left out.
 */
export function ludbCycles(beats: readonly BeatFiducials[], sampleRateHz: number): LudbCycles | null {
  const at = (s: number | null) => (s === null ? null : s * sampleRateHz);
  const minGap = (MIN_CUT_GAP_MS / 1000) * sampleRateHz;
  // cutAfter[i]: the cut between beat i and beat i + 1, midway through the T-P gap, or null.
  const cutAfter = beats.map((beat, i) => {
    const next = beats[i + 1];
    const tOff = at(beat.t_off_s);
    const nextStart = next ? (at(next.p_on_s) ?? at(next.qrs_on_s)) : null;
    return tOff !== null && nextStart !== null && nextStart - tOff >= minGap ? (tOff + nextStart) / 2 : null;
  });
  const whole = (i: number) => {
    const b = beats[i];
    return i > 0 && cutAfter[i - 1] !== null && cutAfter[i] !== null && b.qrs_on_s !== null && b.qrs_off_s !== null && b.t_off_s !== null;
  };
  let best: [number, number] | null = null;
  for (let i = 0; i < beats.length; i++) {
    if (!whole(i)) continue;
    let j = i;
    while (j + 1 < beats.length && whole(j + 1)) j++;
    if (!best || j - i > best[1] - best[0]) best = [i, j];
    i = j;
  }
  if (!best) return null;
  const cycles: LudbCycles = { cuts: [cutAfter[best[0] - 1]!], beats: [] };
  for (let i = best[0]; i <= best[1]; i++) {
    const b = beats[i];
    cycles.cuts.push(cutAfter[i]!);
    cycles.beats.push({ pOn: at(b.p_on_s), qrsOn: at(b.qrs_on_s)!, qrsOff: at(b.qrs_off_s)!, tOff: at(b.t_off_s)! });
  }
  return cycles;
}

/**
 * A new window from a LUDB record: its whole annotated cycles repeated end to end, each part of every beat
 * stretched or compressed by its own factor, and a window of the original length cut out. The cardiologists'
 * annotations move with the samples, so the labels derived again by the reference definition are exact for the
 * warped signal; this gives PR, QRS, QT and HR combinations and heart rates (faster too) the 100 records lack.
 *
 * Each copy of the cycles is detrended by a straight line so that the copies join without a step. Returns null
 * when the record has no whole cycle (no annotated T-P gap on both sides of any beat).
 */
export function warpLudbRecord(ludb: LudbRecord, warp: LudbWarp, rng: Rng): LudbRecord | null {
  assertWarp(warp);
  const fs = ludb.record.sampleRateHz;
  const cycles = ludbCycles(ludbReference(ludb).beats, fs);
  if (!cycles) return null;
  const length = ludb.record.leads[0]?.mv.length ?? 0;
  const start = cycles.cuts[0];
  const period = cycles.cuts[cycles.cuts.length - 1] - start;

  // Knots of the warp for one copy of the cycles: source offsets from `start` and the factor of the part after each.
  const copyKnots: Array<{ at: number; factor: number; tp: boolean }> = [];
  cycles.beats.forEach((b, k) => {
    const cut = cycles.cuts[k];
    copyKnots.push({ at: cut - start, factor: warp.tp, tp: true });
    if (b.pOn !== null) copyKnots.push({ at: b.pOn - start, factor: warp.pr, tp: false });
    copyKnots.push({ at: b.qrsOn - start, factor: warp.qrs, tp: false });
    copyKnots.push({ at: b.qrsOff - start, factor: warp.stT, tp: false });
    copyKnots.push({ at: b.tOff - start, factor: warp.tp, tp: true });
  });

  // Unroll copies until the warped time covers a window with room to place it: knots u (source, unrolled) -> t (output).
  const us: number[] = [0];
  const ts: number[] = [0];
  const minTp = (MIN_WARPED_TP_MS / 1000) * fs;
  for (let copy = 0; ts[ts.length - 1] < 2 * length; copy++) {
    copyKnots.forEach((knot, i) => {
      const nextAt = i + 1 < copyKnots.length ? copyKnots[i + 1].at : period;
      const sourceSpan = nextAt - knot.at;
      let factor = knot.factor;
      if (knot.tp) factor *= 1 + warp.tpJitter * (2 * rng.next() - 1);
      const span = knot.tp ? Math.max(sourceSpan * factor, Math.min(sourceSpan, minTp / 2)) : sourceSpan * factor;
      us.push(copy * period + nextAt);
      ts.push(ts[ts.length - 1] + span);
    });
  }
  const offset = warp.startFraction * (ts[ts.length - 1] - length);
  const toOutput = (u: number): number => interpolateKnots(us, ts, u) - offset;

  const detrended = ludb.record.leads.map((lead) => {
    const step = levelAt(lead.mv, start + period) - levelAt(lead.mv, start);
    return (s: number) => sampleAt(lead.mv, s) - (step * (s - start)) / period;
  });
  const record: EcgRecord = {
    sampleRateHz: fs,
    leads: ludb.record.leads.map((lead, li) => {
      const mv = new Float32Array(length);
      const value = detrended[li];
      let knot = 0;
      for (let j = 0; j < length; j++) {
        const t = j + offset;
        while (knot + 2 < ts.length && ts[knot + 1] <= t) knot++;
        const u = us[knot] + ((t - ts[knot]) * (us[knot + 1] - us[knot])) / (ts[knot + 1] - ts[knot]);
        mv[j] = value(start + (u % period));
      }
      return { name: lead.name, mv };
    }),
  };

  const copies = Math.round(us[us.length - 1] / period);
  const waves = new Map<string, LudbWave[]>();
  for (const [lead, leadWaves] of ludb.waves) {
    const inCycles = leadWaves.filter((w) => [w.onset, w.peak, w.offset].every((s) => s === null || (s >= start && s < start + period)));
    const moved: LudbWave[] = [];
    for (let copy = 0; copy < copies; copy++) {
      const move = (s: number | null) => (s === null ? null : Math.round(toOutput(s - start + copy * period)));
      for (const w of inCycles) {
        const wave: LudbWave = { kind: w.kind, onset: move(w.onset), peak: move(w.peak)!, offset: move(w.offset) };
        if ([wave.onset, wave.peak, wave.offset].every((s) => s === null || (s >= 0 && s < length))) moved.push(wave);
      }
    }
    waves.set(lead, moved.sort((a, b) => a.peak - b.peak));
  }
  const name = `warp-pr${warp.pr.toFixed(2)}-qrs${warp.qrs.toFixed(2)}-st${warp.stT.toFixed(2)}-tp${warp.tp.toFixed(2)}@${warp.startFraction.toFixed(3)}`;
  return { id: ludb.id, source: `${ludb.source}/${name}`, record, waves };
}

/** Ranges of the random warp (see drawLudbWarp). */
export const LUDB_WARP_RANGES = {
  pr: [0.75, 1.3],
  qrs: [0.75, 1.25],
  /** RR of the warped record over the source's; drawn log-uniformly, then raised where the T-P segment would vanish. */
  rr: [0.55, 1.35],
  /** ST-T follows RR like Fridericia's QT (cube root), times this spread. */
  stTSpread: [0.92, 1.08],
} as const;

/**
 * A random warp for a record's cycles: PR and QRS factors drawn independently, a target RR, ST-T following RR by a cube
 * root (QT shortens with rate), and the T-P factor that makes the cycle length come out at the target RR.
 */
export function drawLudbWarp(cycles: LudbCycles, rng: Rng): LudbWarp {
  const r = LUDB_WARP_RANGES;
  const pr = rng.uniform(r.pr[0], r.pr[1]);
  const qrs = rng.uniform(r.qrs[0], r.qrs[1]);
  let rr = Math.exp(rng.uniform(Math.log(r.rr[0]), Math.log(r.rr[1])));
  const parts = { pr: 0, qrs: 0, stT: 0, tp: 0 };
  cycles.beats.forEach((b, k) => {
    const pStart = b.pOn ?? b.qrsOn;
    parts.tp += pStart - cycles.cuts[k] + (cycles.cuts[k + 1] - b.tOff);
    parts.pr += b.qrsOn - pStart;
    parts.qrs += b.qrsOff - b.qrsOn;
    parts.stT += b.tOff - b.qrsOff;
  });
  const cycle = parts.pr + parts.qrs + parts.stT + parts.tp;
  const stTFor = (ratio: number) => Math.cbrt(ratio) * rng.uniform(r.stTSpread[0], r.stTSpread[1]);
  let stT = stTFor(rr);
  // The T-P segment takes what the cycle has left; at least a quarter of its source length.
  const tpFor = (ratio: number, st: number) => (ratio * cycle - pr * parts.pr - qrs * parts.qrs - st * parts.stT) / parts.tp;
  if (parts.tp > 0 && tpFor(rr, stT) < 0.25) {
    rr = (0.25 * parts.tp + pr * parts.pr + qrs * parts.qrs + stT * parts.stT) / cycle;
  }
  const tp = parts.tp > 0 ? Math.max(0.25, tpFor(rr, stT)) : 1;
  return { pr, qrs, stT, tp, tpJitter: 0.05, startFraction: rng.next() };
}

function assertWarp(warp: LudbWarp): void {
  for (const key of ['pr', 'qrs', 'stT', 'tp'] as const) {
    if (!(warp[key] >= 0.2 && warp[key] <= 5)) throw new RangeError(`warp factor ${key} must be in [0.2, 5], got ${warp[key]}`);
  }
  if (!(warp.tpJitter >= 0 && warp.tpJitter < 0.5)) throw new RangeError(`warp tpJitter must be in [0, 0.5), got ${warp.tpJitter}`);
  if (!(warp.startFraction >= 0 && warp.startFraction <= 1)) throw new RangeError(`warp startFraction must be in [0, 1], got ${warp.startFraction}`);
}

function interpolateKnots(xs: readonly number[], ys: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  return ys[lo] + ((x - xs[lo]) * (ys[hi] - ys[lo])) / (xs[hi] - xs[lo]);
}

function sampleAt(mv: Float32Array, s: number): number {
  const i = Math.floor(s);
  if (i >= mv.length - 1) return mv[mv.length - 1];
  if (i < 0) return mv[0];
  const frac = s - i;
  return mv[i] * (1 - frac) + mv[i + 1] * frac;
}

/** Mean of the 21 samples around s: one sample of noise must not set the level a copy is detrended to. */
function levelAt(mv: Float32Array, s: number): number {
  const c = Math.round(s);
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, c - 10); i <= Math.min(mv.length - 1, c + 10); i++, n++) sum += mv[i];
  return n > 0 ? sum / n : 0;
}
