import { Alert } from '@aicrn/contracts';
import { AlertTransition, eventIdFor } from './alert-identity';

/**
 * IEC 60601-1-8 style lifecycle of one alert, as pure transitions on its latest state:
 *
 *   raised --(medium, unacknowledged too long)--> escalated (priority high)
 *   raised/escalated --acknowledge--> acknowledged --condition ends--> cleared
 *   raised/escalated --condition ends--> latched (physiological) | cleared (technical, non-latching)
 *   latched --acknowledge--> cleared;   latched --condition returns--> unlatched (same alert)
 *
 * Every transition yields the alert's full new state as an event with id alert_id:seq:transition.
 */
export interface TrackedAlert {
  alert: Alert;
  /** Index of the last transition (0 = raised). */
  seq: number;
}

export type NewAlert = Omit<
  Alert,
  'event_id' | 'state' | 'updated_ms' | 'acknowledged_by' | 'acknowledged_ms' | 'cleared_ms' | 'latched'
>;

export interface ConditionUpdate {
  at_ms: number;
  value: number | null;
  message: string;
}

function next(t: TrackedAlert, transition: AlertTransition, changes: Partial<Alert>): TrackedAlert {
  const seq = t.seq + 1;
  return { seq, alert: { ...t.alert, ...changes, event_id: eventIdFor(t.alert.alert_id, seq, transition) } };
}

export function raiseAlert(init: NewAlert): TrackedAlert {
  return {
    seq: 0,
    alert: {
      ...init,
      event_id: eventIdFor(init.alert_id, 0, 'raised'),
      state: 'raised',
      updated_ms: init.raised_ms,
      acknowledged_by: null,
      acknowledged_ms: null,
      cleared_ms: null,
      latched: false,
    },
  };
}

/** Escalation is due at raised_ms + delay for a medium alert nobody acknowledged; null when not applicable. */
export function escalationDueMs(t: TrackedAlert, escalateAfterMs: number): number | null {
  return t.alert.state === 'raised' && t.alert.priority === 'medium' ? t.alert.raised_ms + escalateAfterMs : null;
}

/** Escalates at the due time (not the time it was noticed), so ticks and replays agree. */
export function escalate(t: TrackedAlert, dueMs: number, message: string): TrackedAlert {
  return next(t, 'escalated', { state: 'escalated', priority: 'high', updated_ms: dueMs, message });
}

/** Null when there is nothing to acknowledge (already acknowledged or cleared). */
export function acknowledge(t: TrackedAlert, user: string, atMs: number, message: string): TrackedAlert | null {
  const a = t.alert;
  if (a.state === 'acknowledged' || a.state === 'cleared') return null;
  const ack = { acknowledged_by: user, acknowledged_ms: atMs, updated_ms: atMs, message };
  return a.latched ? next(t, 'cleared', { ...ack, state: 'cleared', cleared_ms: atMs }) : next(t, 'acknowledged', { ...ack, state: 'acknowledged' });
}

/** The alarm condition is over; `latching` false for technical alarms. Null if already cleared or latched. */
export function conditionEnded(t: TrackedAlert, update: ConditionUpdate, latching: boolean): TrackedAlert | null {
  const a = t.alert;
  if (a.state === 'cleared' || a.latched) return null;
  const changes = { updated_ms: update.at_ms, value: update.value, message: update.message };
  if (a.state === 'acknowledged' || !latching) return next(t, 'cleared', { ...changes, state: 'cleared', cleared_ms: update.at_ms });
  return next(t, 'latched', { ...changes, latched: true });
}

/** The condition of a latched, unacknowledged alert came back: the same alert is live again. */
export function conditionReturned(t: TrackedAlert, update: ConditionUpdate): TrackedAlert | null {
  if (!t.alert.latched || t.alert.state === 'cleared') return null;
  return next(t, 'unlatched', { latched: false, updated_ms: update.at_ms, value: update.value, message: update.message });
}
