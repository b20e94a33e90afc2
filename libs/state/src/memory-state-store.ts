import { EventEmitter } from 'node:events';
import { Alert, BedSnapshot, EcgMeasurement, isActiveAlert } from '@aicrn/contracts';
import { AlertQuery, StateStore, toTrendPoint, TREND_RETENTION_MS, Unsubscribe } from './state-store';

interface BedRecord {
  latest: EcgMeasurement | null;
  /** Sorted by window_start_ms; one entry per window id. */
  trend: EcgMeasurement[];
}

export interface MemoryStateStoreOptions {
  /** Most alerts kept (oldest cleared ones are dropped first). */
  maxAlerts?: number;
  /** Most trend points per bed, on top of the 24-h retention. */
  maxTrendPoints?: number;
}

/** The embedded state store: everything in process memory, bounded by retention limits. */
export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  private readonly beds = new Map<string, BedRecord>();
  private readonly alerts = new Map<string, Alert>();
  private readonly bedState = new Map<string, unknown>();
  private readonly marks = new Map<string, number>();
  private readonly events = new EventEmitter();
  private readonly maxAlerts: number;
  private readonly maxTrendPoints: number;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.maxAlerts = options.maxAlerts ?? 10_000;
    this.maxTrendPoints = options.maxTrendPoints ?? Math.ceil(TREND_RETENTION_MS / 10_000) + 60;
    this.events.setMaxListeners(0);
  }

  async recordMeasurement(measurement: EcgMeasurement): Promise<void> {
    const bed = this.bed(measurement.bed_id);
    const trend = bed.trend;
    const point = toTrendPoint(measurement);
    const existing = trend.findIndex((m) => m.window_id === measurement.window_id);
    if (existing >= 0) {
      trend[existing] = point;
    } else {
      let at = trend.length;
      while (at > 0 && trend[at - 1].window_start_ms > measurement.window_start_ms) at--;
      trend.splice(at, 0, point);
    }
    if (!bed.latest || measurement.window_start_ms >= bed.latest.window_start_ms) bed.latest = measurement;
    const horizon = bed.latest.window_start_ms - TREND_RETENTION_MS;
    let drop = 0;
    while (drop < trend.length && (trend[drop].window_start_ms < horizon || trend.length - drop > this.maxTrendPoints)) drop++;
    if (drop) trend.splice(0, drop);
    this.events.emit('measurement', measurement);
  }

  async listBeds(): Promise<BedSnapshot[]> {
    const ids = [...this.beds.keys()].sort(naturalCompare);
    return ids.map((id) => this.snapshot(id));
  }

  async getBed(bedId: string): Promise<BedSnapshot | null> {
    return this.beds.has(bedId) ? this.snapshot(bedId) : null;
  }

  async trend(bedId: string, sinceMs: number, limit = this.maxTrendPoints): Promise<EcgMeasurement[]> {
    const trend = this.beds.get(bedId)?.trend ?? [];
    const selected = trend.filter((m) => m.window_start_ms >= sinceMs);
    return selected.slice(Math.max(0, selected.length - limit));
  }

  async onMeasurement(listener: (m: EcgMeasurement) => void): Promise<Unsubscribe> {
    this.events.on('measurement', listener);
    return () => void this.events.off('measurement', listener);
  }

  async saveAlertEvent(alert: Alert): Promise<boolean> {
    if (!(await this.markOnce('alert-event', alert.event_id, 7 * 24 * 3600_000))) return false;
    const current = this.alerts.get(alert.alert_id);
    // Keep the newest state when events arrive out of order (e.g. after a redelivery).
    if (!current || alert.updated_ms >= current.updated_ms) this.alerts.set(alert.alert_id, alert);
    if (!this.beds.has(alert.bed_id)) this.bed(alert.bed_id);
    this.pruneAlerts();
    this.events.emit('alert', alert);
    return true;
  }

  async getAlert(alertId: string): Promise<Alert | null> {
    return this.alerts.get(alertId) ?? null;
  }

  async listAlerts(query: AlertQuery): Promise<Alert[]> {
    const matches = [...this.alerts.values()].filter(
      (a) =>
        (!query.bed_id || a.bed_id === query.bed_id) &&
        (query.since_ms === undefined || a.updated_ms >= query.since_ms) &&
        (!query.state || (query.state === 'active' ? isActiveAlert(a) : a.state === query.state)),
    );
    matches.sort((a, b) => b.raised_ms - a.raised_ms || a.alert_id.localeCompare(b.alert_id));
    return matches.slice(0, query.limit ?? 500);
  }

  async onAlert(listener: (alert: Alert) => void): Promise<Unsubscribe> {
    this.events.on('alert', listener);
    return () => void this.events.off('alert', listener);
  }

  async loadBedState<T>(bedId: string, namespace: string): Promise<T | null> {
    const value = this.bedState.get(`${bedId}\u0000${namespace}`);
    return value === undefined ? null : (structuredClone(value) as T);
  }

  async saveBedState<T>(bedId: string, namespace: string, value: T): Promise<void> {
    this.bedState.set(`${bedId}\u0000${namespace}`, structuredClone(value));
  }

  async markOnce(namespace: string, id: string, ttlMs: number): Promise<boolean> {
    const key = `${namespace}\u0000${id}`;
    const now = Date.now();
    const expires = this.marks.get(key);
    if (expires !== undefined && expires > now) return false;
    this.marks.set(key, now + ttlMs);
    if (this.marks.size > 200_000) for (const [k, exp] of this.marks) if (exp <= now) this.marks.delete(k);
    return true;
  }

  async isReady(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }

  private bed(bedId: string): BedRecord {
    let bed = this.beds.get(bedId);
    if (!bed) {
      bed = { latest: null, trend: [] };
      this.beds.set(bedId, bed);
    }
    return bed;
  }

  private snapshot(bedId: string): BedSnapshot {
    const active = [...this.alerts.values()].filter((a) => a.bed_id === bedId && isActiveAlert(a));
    active.sort((a, b) => b.raised_ms - a.raised_ms);
    return { bed_id: bedId, latest: this.beds.get(bedId)?.latest ?? null, active_alerts: active };
  }

  private pruneAlerts(): void {
    if (this.alerts.size <= this.maxAlerts) return;
    const cleared = [...this.alerts.values()].filter((a) => !isActiveAlert(a)).sort((a, b) => a.updated_ms - b.updated_ms);
    for (const alert of cleared.slice(0, this.alerts.size - this.maxAlerts)) this.alerts.delete(alert.alert_id);
  }
}

/** "bed-2" before "bed-10". */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}
