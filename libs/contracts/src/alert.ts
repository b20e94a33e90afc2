import { AttentionSpan } from './measurement';

/** IEC 60601-1-8 alarm priorities. */
export type AlertPriority = 'high' | 'medium' | 'low';
/** Physiological (the patient) or technical (the equipment / signal) alarm condition. */
export type AlertCategory = 'physiological' | 'technical';
export type AlertState = 'raised' | 'escalated' | 'acknowledged' | 'cleared';
export const ACTIVE_ALERT_STATES: readonly AlertState[] = ['raised', 'escalated', 'acknowledged'];

/**
 * One alert event (`ecg.alerts.v1`, key = bed id): the alert's full state after a transition.
 * `alert_id` is stable across the alert's life and deterministic (bed, kind, onset window), so a
 * replay produces the same id; `event_id` identifies the transition.
 */
export interface Alert {
  alert_id: string;
  event_id: string;
  bed_id: string;
  /** e.g. qtc_prolonged, qtc_increase, qrs_wide, qrs_widening, pr_prolonged, hr_high, hr_low, hr_change, t_peaking, qtc_drift, lead_off, noisy_signal. */
  kind: string;
  category: AlertCategory;
  priority: AlertPriority;
  state: AlertState;
  /** Measured parameter behind the alert (e.g. qtc_ms), null for technical alerts. */
  parameter: string | null;
  value: number | null;
  baseline: number | null;
  threshold: number | null;
  /** Human-readable rule, e.g. "QTc > 500 ms for 5 min". */
  rule: string;
  message: string;
  evidence_window_ids: string[];
  attention: AttentionSpan[];
  onset_ms: number;
  raised_ms: number;
  updated_ms: number;
  acknowledged_by: string | null;
  acknowledged_ms: number | null;
  cleared_ms: number | null;
  /** True when the condition ended before anyone acknowledged: the alert stays until acknowledged. */
  latched: boolean;
}

export function isActiveAlert(alert: Pick<Alert, 'state'>): boolean {
  return alert.state !== 'cleared';
}
