import type { Alert } from '../contracts';

/** How many ended (cleared) alerts the page remembers for the alarm review; older ones are refetched on demand. */
export const MAX_PAST_ALERTS = 500;

/** The alerts the page knows, by id, newest state wins; bounded so a long shift does not grow the page. */
export class AlertBook {
  private readonly byId = new Map<string, Alert>();

  constructor(private readonly maxPast = MAX_PAST_ALERTS) {}

  get size(): number {
    return this.byId.size;
  }

  get(alertId: string): Alert | undefined {
    return this.byId.get(alertId);
  }

  /** Stores the alert unless a newer state of it is known; true when something changed. */
  upsert(alert: Alert): boolean {
    const known = this.byId.get(alert.alert_id);
    if (known && (known.updated_ms > alert.updated_ms || known.event_id === alert.event_id)) return false;
    this.byId.set(alert.alert_id, alert);
    if (alert.state === 'cleared') this.prunePast();
    return true;
  }

  /** Forgets a bed's active alerts that the server no longer lists (they ended while the page was disconnected). */
  reconcileBed(bedId: string, serverActive: Alert[]): string[] {
    const keep = new Set(serverActive.map((a) => a.alert_id));
    const dropped: string[] = [];
    for (const [id, alert] of this.byId) {
      if (alert.bed_id === bedId && alert.state !== 'cleared' && !keep.has(id)) {
        this.byId.delete(id);
        dropped.push(id);
      }
    }
    return dropped;
  }

  all(): Alert[] {
    return [...this.byId.values()];
  }

  active(): Alert[] {
    return this.all().filter((a) => a.state !== 'cleared');
  }

  /** A bed's active alerts, newest raised first. */
  activeForBed(bedId: string): Alert[] {
    return this.active()
      .filter((a) => a.bed_id === bedId)
      .sort((a, b) => b.raised_ms - a.raised_ms);
  }

  private prunePast(): void {
    const past = this.all().filter((a) => a.state === 'cleared');
    if (past.length <= this.maxPast) return;
    past.sort((a, b) => a.updated_ms - b.updated_ms);
    for (const alert of past.slice(0, past.length - this.maxPast)) this.byId.delete(alert.alert_id);
  }
}
