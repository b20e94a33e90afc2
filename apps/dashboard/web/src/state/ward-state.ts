import type { Alert, BedSnapshot, EcgMeasurement } from '../contracts';
import { AlertBook } from './alert-book';
import { TimeSeries } from './time-series';

export const SPARKLINE_SPAN_MS = 3600_000;
/** One hour of 1-s windows (the fastest simulator setting); 10-s windows need only 360. */
export const SPARKLINE_MAX_POINTS = 3600;

export interface BedEntry {
  bed_id: string;
  latest: EcgMeasurement | null;
  /** QTc (ms) of the last hour, by window start. */
  qtc: TimeSeries;
  /** The sparkline's history was loaded from the trend endpoint. */
  historyLoaded: boolean;
}

export type WardChange = { kind: 'beds' } | { kind: 'bed'; bedId: string } | { kind: 'alert'; alert: Alert };

/** What the central station knows: every bed's latest numbers, a short QTc history and the alerts. */
export class WardState {
  readonly beds = new Map<string, BedEntry>();
  readonly alerts = new AlertBook();
  private readonly listeners = new Set<(change: WardChange) => void>();

  subscribe(listener: (change: WardChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bed ids in natural order (bed-2 before bed-10). */
  bedIds(): string[] {
    return [...this.beds.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  }

  /** Replaces what is known with GET /api/beds (first load, and after the live stream reconnects). */
  applySnapshot(beds: BedSnapshot[]): void {
    for (const snapshot of beds) {
      const entry = this.entry(snapshot.bed_id);
      if (snapshot.latest) this.takeMeasurement(entry, snapshot.latest);
      this.alerts.reconcileBed(snapshot.bed_id, snapshot.active_alerts);
      for (const alert of snapshot.active_alerts) this.alerts.upsert(alert);
    }
    this.emit({ kind: 'beds' });
  }

  applyMeasurement(m: EcgMeasurement): void {
    const isNew = !this.beds.has(m.bed_id);
    const entry = this.entry(m.bed_id);
    if (!this.takeMeasurement(entry, m)) return;
    this.emit(isNew ? { kind: 'beds' } : { kind: 'bed', bedId: m.bed_id });
  }

  /** History for the sparkline (oldest first), merged with what arrived live meanwhile. */
  applyHistory(bedId: string, measurements: EcgMeasurement[]): void {
    const entry = this.entry(bedId);
    for (const m of measurements) if (m.qtc_ms !== null) entry.qtc.add(m.window_start_ms, m.qtc_ms);
    entry.historyLoaded = true;
    this.emit({ kind: 'bed', bedId });
  }

  applyAlert(alert: Alert): void {
    if (!this.alerts.upsert(alert)) return;
    const isNew = !this.beds.has(alert.bed_id);
    this.entry(alert.bed_id);
    this.emit({ kind: 'alert', alert });
    this.emit(isNew ? { kind: 'beds' } : { kind: 'bed', bedId: alert.bed_id });
  }

  /** The bed's newest active alert: its priority colours the tile. */
  newestAlert(bedId: string): Alert | null {
    return this.alerts.activeForBed(bedId)[0] ?? null;
  }

  private entry(bedId: string): BedEntry {
    let entry = this.beds.get(bedId);
    if (!entry) {
      entry = { bed_id: bedId, latest: null, qtc: new TimeSeries(SPARKLINE_SPAN_MS, SPARKLINE_MAX_POINTS), historyLoaded: false };
      this.beds.set(bedId, entry);
    }
    return entry;
  }

  /** False when the measurement is older than the one shown (a late or replayed window). */
  private takeMeasurement(entry: BedEntry, m: EcgMeasurement): boolean {
    if (m.qtc_ms !== null) entry.qtc.add(m.window_start_ms, m.qtc_ms);
    if (entry.latest && entry.latest.window_start_ms > m.window_start_ms) return false;
    if (entry.latest && entry.latest.window_id === m.window_id) return false;
    entry.latest = m;
    return true;
  }

  private emit(change: WardChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
