import { Alert, AlertState, BedSnapshot, EcgMeasurement } from '@aicrn/contracts';

export interface AlertQuery {
  /** 'active' = raised, escalated or acknowledged; or one exact state. */
  state?: 'active' | AlertState;
  bed_id?: string;
  since_ms?: number;
  limit?: number;
}

export type Unsubscribe = () => Promise<void> | void;

/** Latest measurement and trend per bed. */
export interface MeasurementStore {
  recordMeasurement(measurement: EcgMeasurement): Promise<void>;
  listBeds(): Promise<BedSnapshot[]>;
  getBed(bedId: string): Promise<BedSnapshot | null>;
  /**
   * Measurements of a bed with window_start_ms >= sinceMs, oldest first; at most `limit` (newest kept).
   * Trend points are compact (see `toTrendPoint`): the latest measurement carries beats and attention.
   */
  trend(bedId: string, sinceMs: number, limit?: number): Promise<EcgMeasurement[]>;
  /** Live measurements across all instances (for server-sent events). */
  onMeasurement(listener: (m: EcgMeasurement) => void): Promise<Unsubscribe>;
}

/** Alerts: current state by id, and fan-out of every transition. */
export interface AlertStore {
  /**
   * Stores the alert's new state and fans the event out (Redis: Pub/Sub `ecg:alerts` and stream
   * `ecg:alerts:stream`). Returns false, without fanning out, when this event_id was stored before,
   * so a replayed window never produces a second event.
   */
  saveAlertEvent(alert: Alert): Promise<boolean>;
  getAlert(alertId: string): Promise<Alert | null>;
  listAlerts(query: AlertQuery): Promise<Alert[]>;
  onAlert(listener: (alert: Alert) => void): Promise<Unsubscribe>;
}

/** Opaque per-bed state of the domain (baselines, detectors, alarm lifecycle) and idempotence marks. */
export interface BedStateStore {
  loadBedState<T>(bedId: string, namespace: string): Promise<T | null>;
  saveBedState<T>(bedId: string, namespace: string, value: T): Promise<void>;
  /** Marks `id` as seen in `namespace`; true the first time, false on a repeat. Marks expire after ttlMs. */
  markOnce(namespace: string, id: string, ttlMs: number): Promise<boolean>;
}

/** The state port: in memory in embedded mode, Redis in distributed mode. */
export interface StateStore extends MeasurementStore, AlertStore, BedStateStore {
  readonly kind: 'memory' | 'redis';
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export const STATE_STORE = Symbol('STATE_STORE');
/** How much trend a bed keeps: 24 h of 10-s windows. */
export const TREND_RETENTION_MS = 24 * 3600_000;

/**
 * A measurement as kept in a trend: without per-beat fiducials and attention spans, which are most of
 * its size and matter only for the window on screen. Keeps 24 h of 100 beds within bounded memory.
 */
export function toTrendPoint(m: EcgMeasurement): EcgMeasurement {
  return m.beats.length || m.attention.length ? { ...m, beats: [], attention: [] } : m;
}
