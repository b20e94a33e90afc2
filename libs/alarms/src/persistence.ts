/**
 * Persistence ("hold") of an alarm condition across windows.
 *
 * A hold starts at the start of the first window meeting the condition and is satisfied once the
 * latest qualifying window ends at least `hold_ms` later. Windows that cannot be judged (low quality,
 * parameter unmeasured, or no window at all) neither extend nor break the hold, as long as the run
 * without a qualifying window stays within `gap_tolerance_ms`; a longer gap restarts the hold at the
 * next qualifying window. Because gaps count towards the elapsed time, `min_coverage` requires that
 * most of the held time was actually observed meeting the condition. A judged window that does not
 * meet the condition always restarts the hold.
 */
export interface PersistenceState {
  onset_ms: number | null;
  onset_window_id: string | null;
  last_end_ms: number | null;
  /** Summed duration of the windows that met the condition since onset. */
  covered_ms: number;
  /** Ids of the windows that met the condition, newest last, bounded. */
  evidence: string[];
}

export interface HoldWindow {
  window_id: string;
  window_start_ms: number;
  window_end_ms: number;
}

export interface HoldSettings {
  hold_ms: number;
  gap_tolerance_ms: number;
  min_coverage: number;
  evidence_limit: number;
}

export function emptyHold(): PersistenceState {
  return { onset_ms: null, onset_window_id: null, last_end_ms: null, covered_ms: 0, evidence: [] };
}

/** The window met the condition. */
export function holdOn(state: PersistenceState, w: HoldWindow, s: HoldSettings): PersistenceState {
  const duration = Math.max(0, w.window_end_ms - w.window_start_ms);
  const continues = state.onset_ms !== null && state.last_end_ms !== null && w.window_start_ms - state.last_end_ms <= s.gap_tolerance_ms;
  if (!continues) {
    return { onset_ms: w.window_start_ms, onset_window_id: w.window_id, last_end_ms: w.window_end_ms, covered_ms: duration, evidence: [w.window_id] };
  }
  const evidence = [...state.evidence, w.window_id].slice(-s.evidence_limit);
  return { ...state, last_end_ms: w.window_end_ms, covered_ms: state.covered_ms + duration, evidence };
}

/** The window was judged and did not meet the condition. */
export function holdOff(): PersistenceState {
  return emptyHold();
}

export function heldMs(state: PersistenceState): number {
  return state.onset_ms === null || state.last_end_ms === null ? 0 : state.last_end_ms - state.onset_ms;
}

export function isHeld(state: PersistenceState, s: HoldSettings): boolean {
  if (state.onset_ms === null) return false;
  const held = heldMs(state);
  return held >= s.hold_ms && state.covered_ms >= s.min_coverage * held;
}
