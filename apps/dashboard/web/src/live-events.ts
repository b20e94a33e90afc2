import type { Alert, EcgMeasurement } from './contracts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface LiveHandlers {
  measurement(m: EcgMeasurement): void;
  alert(a: Alert): void;
  status(status: LiveStatus): void;
  /** After a reconnect: events may have been missed, so state must be refetched. */
  resync(): void;
}

/**
 * The server-sent event stream (GET /api/events). The browser's EventSource reconnects by itself after
 * a dropped connection; when the server refuses the stream (e.g. 401) it gives up, so this retries
 * with backoff, capped at 30 s.
 */
export class LiveEvents {
  private source: EventSource | null = null;
  private retryTimer: number | null = null;
  private retryMs = 1000;
  private everOpened = false;
  private stopped = false;

  constructor(
    private readonly url: () => string,
    private readonly handlers: LiveHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  /** Reopens with a fresh URL (e.g. a new token). */
  restart(): void {
    this.close();
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.close();
    this.handlers.status('closed');
  }

  private open(): void {
    this.handlers.status(this.everOpened ? 'reconnecting' : 'connecting');
    const source = new EventSource(this.url());
    this.source = source;
    source.addEventListener('open', () => {
      this.retryMs = 1000;
      const reopened = this.everOpened;
      this.everOpened = true;
      this.handlers.status('live');
      if (reopened) this.handlers.resync();
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        this.close();
        if (!this.stopped) this.scheduleRetry();
      } else this.handlers.status('reconnecting');
    });
    source.addEventListener('measurement', (event) => this.dispatch(event as MessageEvent<string>, (v) => this.handlers.measurement(v as EcgMeasurement)));
    source.addEventListener('alert', (event) => this.dispatch(event as MessageEvent<string>, (v) => this.handlers.alert(v as Alert)));
  }

  private dispatch(event: MessageEvent<string>, handle: (value: unknown) => void): void {
    let value: unknown;
    try {
      value = JSON.parse(event.data);
    } catch {
      console.warn('live events: ignored an event that is not JSON', event.type);
      return;
    }
    handle(value);
  }

  private scheduleRetry(): void {
    this.handlers.status('reconnecting');
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      this.everOpened = true;
      this.open();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }

  private close(): void {
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.source?.close();
    this.source = null;
  }
}
