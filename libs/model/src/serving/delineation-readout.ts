/**
 * Reads beats and ECG intervals off the AICRN delineation head: per backbone step, the probabilities of four
 * classes, row-major [steps, 4]. One heartbeat reads as a run of `pr`, then `qrs`, then `st_t`, then `other`.
 * Intervals follow the reference definitions the project evaluates against: per beat PR = QRSon - Pon,
 * QRS = QRSoff - QRSon, QT = Toff - QRSon; per window the median over beats; HR = 60000 / mean RR (ms).
 */

import { DelineationClass, DELINEATION_CLASSES, DELINEATION_LEADS, DelineationLead } from '../config';

/** Step i is centred at firstCentreSeconds + i * secondsPerStep of the input (backboneTimebase). */
export interface DelineationTimebase {
  secondsPerStep: number;
  firstCentreSeconds: number;
}

export interface DelineatedBeat {
  p_on_s: number | null;
  qrs_on_s: number;
  qrs_off_s: number;
  t_off_s: number | null;
  r_s: number;
}

export interface DelineationReadout {
  beats: DelineatedBeat[];
  hr_bpm: number | null;
  pr_ms: number | null;
  qrs_ms: number | null;
  qt_ms: number | null;
  /** Why a parameter is null, e.g. { parameter: 'pr_ms', reason: 'no beat has a P wave' }. */
  unmeasured: Array<{ parameter: 'hr_bpm' | 'pr_ms' | 'qrs_ms' | 'qt_ms'; reason: string }>;
  /** readLeadDelineation only: every lead's own beats, by lead name (DELINEATION_LEADS), before the medians over leads. */
  leadBeats?: Record<DelineationLead, DelineatedBeat[]>;
}

const OTHER = DELINEATION_CLASSES.indexOf('other');
const PR = DELINEATION_CLASSES.indexOf('pr');
const QRS = DELINEATION_CLASSES.indexOf('qrs');
const ST_T = DELINEATION_CLASSES.indexOf('st_t');
const CLASSES = DELINEATION_CLASSES.length;

/**
 * Shortest run (ms) of each class that is taken as a wave rather than flicker; shorter runs are absorbed by a
 * neighbour. All sit well below the physiological minimum of their segment, so real waves survive even when the
 * model under-segments them, while 1-2 step blips do not:
 * - qrs 24 ms: the narrowest QRS (neonates) is ~40 ms.
 * - pr 24 ms: the P wave alone lasts >= ~40 ms; even pre-excited (WPW) PR intervals are >= ~60 ms.
 * - st_t 40 ms: QT - QRS is >= ~150 ms even at high rates; the extra margin keeps a stray T-like blip after a
 *   QRS from supplying a T offset.
 * - other 16 ms: a one-step `other` dip inside a QRS would otherwise split it into two beats. A real T-P segment
 *   this short (tachycardia) carries no measurement, so losing it is harmless.
 */
export const MIN_RUN_MS: Readonly<Record<DelineationClass, number>> = { other: 16, pr: 24, qrs: 24, st_t: 40 };

/** Longest `other` stretch (ms) between a P wave and its QRS, or a QRS and its T wave, that still links them. */
export const MAX_LINK_GAP_MS = 20;

interface Run {
  cls: number;
  /** First and last step, inclusive. */
  start: number;
  end: number;
}

export function readDelineation(probabilities: Float32Array, steps: number, timebase: DelineationTimebase): DelineationReadout {
  if (!Number.isInteger(steps) || steps < 0 || probabilities.length !== steps * CLASSES) {
    throw new RangeError(`delineation needs ${CLASSES} probabilities per step: got ${probabilities.length} values for ${steps} steps`);
  }
  const stepMs = timebase.secondsPerStep * 1000;
  const p = (step: number, cls: number) => probabilities[step * CLASSES + cls];
  const toSeconds = (step: number) => timebase.firstCentreSeconds + step * timebase.secondsPerStep;

  const labels = new Uint8Array(steps);
  for (let i = 0; i < steps; i++) {
    for (let c = 1; c < CLASSES; c++) if (p(i, c) > p(i, labels[i])) labels[i] = c;
  }
  const minSteps = DELINEATION_CLASSES.map((name) => Math.max(1, Math.round(MIN_RUN_MS[name] / stepMs)));
  const runs = absorbShortRuns(labels, minSteps, p);

  /** Fractional step where `from` hands over to `to`: where the two classes' probabilities cross. */
  const boundary = (from: Run, to: Run): number => {
    const before = p(from.end, to.cls) - p(from.end, from.cls);
    const after = p(to.start, to.cls) - p(to.start, from.cls);
    // Absorbed flicker relabels steps against the argmax, so the difference need not change sign here.
    const fraction = before <= 0 && after >= 0 && after > before ? -before / (after - before) : 0.5;
    return from.end + fraction;
  };
  const linked = (k: number, direction: -1 | 1, cls: number): number => {
    let j = k + direction;
    const gap = runs[j];
    if (gap?.cls === OTHER && (gap.end - gap.start + 1) * stepMs <= MAX_LINK_GAP_MS + 1e-9) j += direction;
    return runs[j]?.cls === cls ? j : -1;
  };

  const beats: DelineatedBeat[] = [];
  runs.forEach((run, k) => {
    // A QRS cut by the window edge would give a short duration and a shifted R.
    if (run.cls !== QRS || run.start === 0 || run.end === steps - 1) return;
    const qrs_on_s = toSeconds(boundary(runs[k - 1], run));
    const qrs_off_s = toSeconds(boundary(run, runs[k + 1]));
    const pr = linked(k, -1, PR);
    const stT = linked(k, 1, ST_T);
    beats.push({
      p_on_s: pr >= 0 && runs[pr].start > 0 ? toSeconds(boundary(runs[pr - 1], runs[pr])) : null,
      qrs_on_s,
      qrs_off_s,
      t_off_s: stT >= 0 && runs[stT].end < steps - 1 ? toSeconds(boundary(runs[stT], runs[stT + 1])) : null,
      // The QRS probability is flat across the complex, so its argmax jitters; the interpolated midpoint does not.
      r_s: (qrs_on_s + qrs_off_s) / 2,
    });
  });
  return summarise(beats);
}

/** The reference's window for matching a lead's QRS to an anchor beat (step 2 of ludb-reference.md). */
const QRS_MATCH_S = 0.1;

/**
 * The whole delineation output, [steps, 12 leads, 4] row-major, read as the reference reads the cardiologists'
 * per-lead annotations: every lead delineated on its own (readDelineation), anchor beats from lead II, per anchor
 * each lead's QRS within 100 ms, global P onset, QRS onset and offset and T offset the median over the leads that
 * have them, then the same per-beat intervals, medians and HR.
 */
export function readLeadDelineation(probabilities: Float32Array, steps: number, timebase: DelineationTimebase): DelineationReadout {
  const leads = DELINEATION_LEADS.length;
  if (probabilities.length !== steps * leads * CLASSES) {
    throw new RangeError(`lead delineation needs ${leads} x ${CLASSES} probabilities per step: got ${probabilities.length} values for ${steps} steps`);
  }
  const perLead = DELINEATION_LEADS.map((_, l) => {
    const own = new Float32Array(steps * CLASSES);
    for (let i = 0; i < steps; i++) for (let c = 0; c < CLASSES; c++) own[i * CLASSES + c] = probabilities[(i * leads + l) * CLASSES + c];
    return readDelineation(own, steps, timebase).beats;
  });
  const anchors = perLead[DELINEATION_LEADS.indexOf('II')];
  const beats = anchors.map((anchor) => {
    const matched = perLead.map((beats) => nearestBeat(beats, anchor.r_s)).filter((b): b is DelineatedBeat => b !== null);
    const medianOf = (pick: (b: DelineatedBeat) => number | null) => {
      const values = matched.map(pick).filter((v): v is number => v !== null);
      return values.length > 0 ? median(values) : null;
    };
    return { r_s: anchor.r_s, p_on_s: medianOf((b) => b.p_on_s), qrs_on_s: medianOf((b) => b.qrs_on_s)!, qrs_off_s: medianOf((b) => b.qrs_off_s)!, t_off_s: medianOf((b) => b.t_off_s) };
  });
  const leadBeats = Object.fromEntries(DELINEATION_LEADS.map((lead, l) => [lead, perLead[l]])) as Record<DelineationLead, DelineatedBeat[]>;
  return { ...summarise(beats), leadBeats };
}

function nearestBeat(beats: readonly DelineatedBeat[], r_s: number): DelineatedBeat | null {
  let best: DelineatedBeat | null = null;
  for (const b of beats) if (Math.abs(b.r_s - r_s) <= QRS_MATCH_S && (!best || Math.abs(b.r_s - r_s) < Math.abs(best.r_s - r_s))) best = b;
  return best;
}

/** Relabels runs shorter than their class minimum, shortest first, until none is left. */
function absorbShortRuns(labels: Uint8Array, minSteps: number[], p: (step: number, cls: number) => number): Run[] {
  for (;;) {
    const runs = toRuns(labels);
    const length = (run: Run) => run.end - run.start + 1;
    let shortest = -1;
    runs.forEach((run, k) => {
      if (length(run) < minSteps[run.cls] && (shortest < 0 || length(run) < length(runs[shortest]))) shortest = k;
    });
    if (shortest < 0 || runs.length === 1) return runs;
    const run = runs[shortest];
    const left = runs[shortest - 1];
    const right = runs[shortest + 1];
    // Between two different neighbours take the model's second choice over the run's steps.
    const support = (cls: number) => {
      let sum = 0;
      for (let i = run.start; i <= run.end; i++) sum += p(i, cls);
      return sum;
    };
    const into = !right || (left && support(left.cls) >= support(right.cls)) ? left.cls : right.cls;
    labels.fill(into, run.start, run.end + 1);
  }
}

function toRuns(labels: Uint8Array): Run[] {
  const runs: Run[] = [];
  labels.forEach((cls, i) => {
    const last = runs[runs.length - 1];
    if (last?.cls === cls) last.end = i;
    else runs.push({ cls, start: i, end: i });
  });
  return runs;
}

function summarise(beats: DelineatedBeat[]): DelineationReadout {
  const unmeasured: DelineationReadout['unmeasured'] = [];
  const noBeat = 'no complete QRS complex in the window';
  const medianMs = (parameter: 'pr_ms' | 'qrs_ms' | 'qt_ms', values: number[], reason: string): number | null => {
    if (values.length > 0) return median(values) * 1000;
    unmeasured.push({ parameter, reason: beats.length === 0 ? noBeat : reason });
    return null;
  };

  let hr_bpm: number | null = null;
  if (beats.length >= 2) {
    const meanRrMs = ((beats[beats.length - 1].r_s - beats[0].r_s) / (beats.length - 1)) * 1000;
    hr_bpm = 60_000 / meanRrMs;
  } else {
    unmeasured.push({ parameter: 'hr_bpm', reason: `HR needs at least 2 complete beats, the window has ${beats.length}` });
  }
  const pr_ms = medianMs('pr_ms', beats.flatMap((b) => (b.p_on_s === null ? [] : [b.qrs_on_s - b.p_on_s])), 'no beat has a P wave');
  const qrs_ms = medianMs('qrs_ms', beats.map((b) => b.qrs_off_s - b.qrs_on_s), noBeat);
  const qt_ms = medianMs('qt_ms', beats.flatMap((b) => (b.t_off_s === null ? [] : [b.t_off_s - b.qrs_on_s])), 'no beat has a T-wave offset');
  return { beats, hr_bpm, pr_ms, qrs_ms, qt_ms, unmeasured };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
