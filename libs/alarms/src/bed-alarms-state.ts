import { DriftKind, PhysiologicalKind } from './alarm-settings';
import { TrackedAlert } from './alarm-lifecycle';
import { BaselineState } from './baseline';
import { BedProfile } from './bed-profile';
import { CusumState } from './cusum';
import { PersistenceState } from './persistence';

/** One alarm condition of a bed (one per kind). */
export interface ConditionState {
  hold: PersistenceState;
  /** An episode is active: the condition was held long enough and has not ended (hysteresis applies). */
  engaged: boolean;
  /** When the last episode ended; a new alert of this kind waits for the re-arm interval after it. */
  ended_ms: number | null;
  /** The alert of the current or latched episode, until it clears. */
  open_alert_id: string | null;
}

export interface TechnicalConditionState extends ConditionState {
  /** A lead_off:* reason seen during the current low-quality run: the alert is lead_off, else noisy_signal. */
  lead_off_reason: string | null;
}

export const BED_ALARMS_STATE_VERSION = 1;

/** Everything a bed's alarm engine needs to continue after a restart; plain JSON. */
export interface BedAlarmsState {
  version: typeof BED_ALARMS_STATE_VERSION;
  bed_id: string;
  /** The bed's overrides (not the resolved settings), so later changes of DEFAULTS apply. */
  profile: BedProfile;
  /** End of the last processed window: anything ending at or before it is a redelivery and ignored. */
  last_window_end_ms: number | null;
  recent_window_ids: string[];
  baseline: BaselineState;
  cusum: Record<DriftKind, CusumState>;
  conditions: Record<PhysiologicalKind, ConditionState>;
  technical: TechnicalConditionState;
  /** Alerts not yet cleared, oldest first. */
  alerts: TrackedAlert[];
  /** Recently cleared alert ids, so a late acknowledge returns null instead of an unknown-id error. */
  closed_alert_ids: string[];
}
