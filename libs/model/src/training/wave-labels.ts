import type { BeatFiducials } from '@aicrn/contracts';
import { AicrnConfig, backboneSamples, backboneTimebase, DELINEATION_CLASSES, DELINEATION_LEADS } from '../config';

/** A backbone step whose class the reference does not say (outside the annotated beats, or a missing boundary). */
export const UNKNOWN_WAVE = 255;

const OTHER = DELINEATION_CLASSES.indexOf('other');
const PR = DELINEATION_CLASSES.indexOf('pr');
const QRS = DELINEATION_CLASSES.indexOf('qrs');
const ST_T = DELINEATION_CLASSES.indexOf('st_t');

/**
 * The delineation output's labels for a window, [steps, 12 leads] row-major: each lead from its own wave boundaries
 * (LUDB annotates every lead), or from the window's global ones where the source has only those (the synthetic
 * generator times every lead alike). Null when the window has neither.
 */
export function leadWaveClassLabels(window: { beats?: readonly BeatFiducials[]; leadBeats?: Record<string, readonly BeatFiducials[]> }, config: AicrnConfig): Uint8Array | null {
  if (!window.beats && !window.leadBeats) return null;
  const byLead = new Map(Object.entries(window.leadBeats ?? {}).map(([lead, beats]) => [lead.toLowerCase(), beats]));
  const steps = backboneSamples(config);
  const leads = DELINEATION_LEADS.length;
  const labels = new Uint8Array(steps * leads).fill(UNKNOWN_WAVE);
  DELINEATION_LEADS.forEach((lead, l) => {
    const beats = window.leadBeats ? byLead.get(lead.toLowerCase()) : window.beats;
    if (!beats) return;
    const own = waveClassLabels(beats, config);
    for (let i = 0; i < steps; i++) labels[i * leads + l] = own[i];
  });
  return labels;
}

/**
 * The class of every backbone step from one lead's (or a window's global) reference wave boundaries (global fiducials per beat, seconds
 * from the window start): P onset to QRS onset `pr`, QRS `qrs`, QRS offset to T offset `st_t`, the rest `other`.
 * Only the span from the first beat's first boundary to the last beat's last one is known (LUDB annotates about
 * 1-9 s of a record). Inside it, a beat without a P onset leaves the stretch before its QRS unknown when other
 * beats have P waves (the P may be there, unmatched), and `other` when none has (atrial fibrillation); a beat
 * without a T offset leaves the stretch after its QRS unknown; a beat without both QRS boundaries is unknown whole.
 */
export function waveClassLabels(beats: readonly BeatFiducials[], config: AicrnConfig): Uint8Array {
  const steps = backboneSamples(config);
  const labels = new Uint8Array(steps).fill(UNKNOWN_WAVE);
  const ordered = [...beats].sort((a, b) => a.r_s - b.r_s);
  const starts = ordered.map((b) => b.p_on_s ?? b.qrs_on_s);
  const ends = ordered.map((b) => b.t_off_s ?? b.qrs_off_s);
  const first = starts.find((s) => s !== null);
  const last = [...ends].reverse().find((e) => e !== null);
  if (first == null || last == null || !(last > first)) return labels;
  const anyP = ordered.some((b) => b.p_on_s !== null);

  const { secondsPerStep, firstCentreSeconds } = backboneTimebase(config);
  const centre = (i: number) => firstCentreSeconds + i * secondsPerStep;
  const paint = (from: number | null, to: number | null, cls: number) => {
    if (from === null || to === null) return;
    for (let i = 0; i < steps; i++) {
      const t = centre(i);
      if (t >= from && t < to) labels[i] = cls;
    }
  };

  paint(first, last, OTHER);
  ordered.forEach((beat, k) => {
    const previousEnd = k > 0 ? ends[k - 1] : null;
    if (beat.qrs_on_s === null || beat.qrs_off_s === null) {
      paint(previousEnd ?? first, starts[k + 1] ?? last, UNKNOWN_WAVE);
      return;
    }
    if (beat.p_on_s !== null) paint(beat.p_on_s, beat.qrs_on_s, PR);
    else if (anyP) paint(previousEnd ?? first, beat.qrs_on_s, UNKNOWN_WAVE);
    paint(beat.qrs_on_s, beat.qrs_off_s, QRS);
    if (beat.t_off_s !== null) paint(beat.qrs_off_s, beat.t_off_s, ST_T);
    else paint(beat.qrs_off_s, starts[k + 1] ?? last, UNKNOWN_WAVE);
  });
  return labels;
}
