/** Every Redis key and channel of the state store, in one place (documented in libs/redis/README.md). */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** Set of bed ids. */
  beds(): string {
    return `${this.prefix}ecg:beds`;
  }
  /** Hash: `latest` (measurement JSON), `latest_start_ms`, and `alert:<alertId>` = raised_ms for each active alert. */
  bed(bedId: string): string {
    return `${this.prefix}ecg:bed:${bedId}`;
  }
  /** Sorted set of window ids by window_start_ms. */
  trend(bedId: string): string {
    return `${this.prefix}ecg:trend:${bedId}`;
  }
  /** Hash window id -> measurement JSON, the values of the trend. */
  trendValues(bedId: string): string {
    return `${this.prefix}ecg:trendval:${bedId}`;
  }
  /** Sorted set of the bed's alert ids by raised_ms. */
  bedAlerts(bedId: string): string {
    return `${this.prefix}ecg:bedalerts:${bedId}`;
  }
  /** Hash: `data` (alert JSON), `state`, `bed_id`, `raised_ms`, `updated_ms`. */
  alert(alertId: string): string {
    return `${this.prefix}ecg:alert:${alertId}`;
  }
  /** Sorted set of every alert id by raised_ms. */
  alerts(): string {
    return `${this.prefix}ecg:alerts:index`;
  }
  /** Stream of every alert event (field `alert` = JSON), trimmed to about N entries. */
  alertStream(): string {
    return `${this.prefix}ecg:alerts:stream`;
  }
  alertEvent(eventId: string): string {
    return `${this.prefix}ecg:event:${eventId}`;
  }
  bedState(bedId: string, namespace: string): string {
    return `${this.prefix}ecg:bedstate:${bedId}:${namespace}`;
  }
  mark(namespace: string, id: string): string {
    return `${this.prefix}ecg:once:${namespace}:${id}`;
  }
  /** Pub/Sub channel of alert events (JSON). */
  alertChannel(): string {
    return `${this.prefix}ecg:alerts`;
  }
  /** Pub/Sub channel of measurements (JSON), for live dashboards. */
  measurementChannel(): string {
    return `${this.prefix}ecg:measurements`;
  }
}
