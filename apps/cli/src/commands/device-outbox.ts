import type { EcgWindow } from '@aicrn/contracts';
import { retryDelayMs } from '@aicrn/kafka';
import type { MessageBus } from '@aicrn/transport';
import { MAX_SEND_BYTES, publishWindows, windowBytes } from './device-feed';

/** 30 windows of 10 s: five minutes of a bed's data held while the broker is away. */
export const DEFAULT_BACKLOG_WINDOWS_PER_BED = 30;

export interface DeviceOutboxOptions {
  /** One send of windows, in order; rejects when the broker did not take them (they are sent again). */
  send: (windows: EcgWindow[]) => Promise<void>;
  /** Stderr lines: outages, recoveries, drops and what was left unsent. */
  log: (line: string) => void;
  /** After every successful send, with the windows it carried. */
  onSent?: (windows: EcgWindow[]) => void;
  /** Windows a bed may hold, counting those in a send not yet answered; beyond it the oldest is dropped. */
  backlogWindowsPerBed?: number;
  maxSendBytes?: number;
  /** Backoff between failed sends: doubles from the first to the last delay, +-20 % jitter. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /**
   * A send unanswered this long is reported as an outage. The Kafka producer retries inside one send
   * for about 30 s before rejecting it, so waiting for the rejection would announce outages late.
   */
  stallMs?: number;
  /** How often a lasting outage and continuing drops are reported again. */
  reportEveryMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface OutboxTotals {
  sent: number;
  /** Windows still held when the run ended (never acknowledged by the broker). */
  unsent: number;
  /** Of the unsent, those in a send the broker never answered: they may have arrived after all. */
  unanswered: number;
  /** Windows dropped because their bed's backlog was full (oldest first). */
  dropped: number;
  failed_sends: number;
  outages: number;
  unsent_by_bed: Record<string, number>;
  dropped_by_bed: Record<string, number>;
}

interface Held {
  window: EcgWindow;
  bytes: number;
  /** Order of arrival, across beds. */
  ordinal: number;
}

/**
 * The memory of a bedside device between it and the broker. Windows go out in arrival order, one send
 * at a time, so each bed's windows stay in order; a failed send is retried whole with exponential
 * backoff and jitter until the broker takes it. Each bed holds at most `backlogWindowsPerBed` windows:
 * live windows (`offer`) push out the bed's oldest held window when it is full, counted and logged;
 * history (`put`) waits for room instead, since it can wait without being lost.
 */
export class DeviceOutbox {
  private readonly queue: Held[] = [];
  private inFlight: Held[] = [];
  private readonly heldByBed = new Map<string, number>();
  private readonly droppedByBed = new Map<string, number>();
  private readonly recentDrops = new Map<string, number>();
  private ordinal = 0;
  private sent = 0;
  private failedSends = 0;
  private outages = 0;
  private attempt = 0;
  private pumping: Promise<void> | null = null;
  private intakeClosed = false;
  private abandoned = false;
  private outage: { sinceMs: number; droppedBefore: number; reportTimer: NodeJS.Timeout } | null = null;
  private recovery: { afterS: number; throughOrdinal: number; resent: number; droppedBefore: number } | null = null;
  /** Drops counted when the broker last took a send: later ones are the current outage's. */
  private droppedAtLastSend = 0;
  private lastDropReportMs = -Infinity;
  private dropTimer: NodeJS.Timeout | null = null;
  private wakeBackoff: (() => void) | null = null;
  private roomWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  private readonly backlog: number;
  private readonly maxSendBytes: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly stallMs: number;
  private readonly reportEveryMs: number;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: DeviceOutboxOptions) {
    this.backlog = options.backlogWindowsPerBed ?? DEFAULT_BACKLOG_WINDOWS_PER_BED;
    if (!Number.isInteger(this.backlog) || this.backlog < 1) throw new RangeError(`the backlog must be a whole number of windows >= 1 (got ${this.backlog})`);
    this.maxSendBytes = options.maxSendBytes ?? MAX_SEND_BYTES;
    this.retryInitialMs = options.retryInitialMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
    this.stallMs = options.stallMs ?? 5_000;
    this.reportEveryMs = options.reportEveryMs ?? 15_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** A live window: never waits; if its bed's backlog is full, the bed's oldest held window is dropped. */
  offer(window: EcgWindow): void {
    this.hold(window);
    if (this.heldFor(window.bed_id) > this.backlog) this.dropOldest(window.bed_id);
    this.kick();
  }

  /**
   * A window of history: waits until its bed has room, so nothing is dropped. Resolves false once
   * intake is closed (stop producing); the window is held all the same, and sent or reported unsent.
   */
  async put(window: EcgWindow): Promise<boolean> {
    while (!this.intakeClosed && this.heldFor(window.bed_id) >= this.backlog) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    this.hold(window);
    this.kick();
    return !this.intakeClosed;
  }

  /** No more windows are coming: waiting `put`s return false. */
  closeIntake(): void {
    this.intakeClosed = true;
    this.wakeRoomWaiters();
  }

  /** Windows held now (queued and in a send). */
  get held(): number {
    return this.queue.length + this.inFlight.length;
  }

  /**
   * Ends the run: closes intake and waits until every held window is sent, however long an outage
   * lasts, unless `stop` resolves (Ctrl-C); from then on it waits at most `graceMs` more. Whatever is
   * still held is then given up and reported.
   */
  async settle(stop: Promise<unknown>, graceMs: number): Promise<OutboxTotals> {
    this.closeIntake();
    const idle = new Promise<void>((resolve) => (this.isIdle() ? resolve() : this.idleWaiters.push(resolve)));
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = stop.then(() => {
      if (this.isIdle()) return;
      this.options.log(`stopping: sending the ${this.held} held windows for up to ${graceMs / 1000} s`);
      return new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, graceMs)));
    });
    await Promise.race([idle, grace]);
    clearTimeout(graceTimer);
    if (!this.isIdle()) this.abandon();
    this.reportDrops();
    return this.totals();
  }

  totals(): OutboxTotals {
    const unsentByBed = new Map<string, number>();
    for (const held of [...this.inFlight, ...this.queue]) unsentByBed.set(held.window.bed_id, (unsentByBed.get(held.window.bed_id) ?? 0) + 1);
    return {
      sent: this.sent,
      unsent: this.held,
      unanswered: this.inFlight.length,
      dropped: sum(this.droppedByBed),
      failed_sends: this.failedSends,
      outages: this.outages,
      unsent_by_bed: Object.fromEntries(unsentByBed),
      dropped_by_bed: Object.fromEntries(this.droppedByBed),
    };
  }

  private heldFor(bedId: string): number {
    return this.heldByBed.get(bedId) ?? 0;
  }

  private hold(window: EcgWindow): void {
    this.queue.push({ window, bytes: windowBytes(window), ordinal: this.ordinal++ });
    this.heldByBed.set(window.bed_id, this.heldFor(window.bed_id) + 1);
  }

  private release(held: Held[]): void {
    for (const { window } of held) this.heldByBed.set(window.bed_id, this.heldFor(window.bed_id) - 1);
    this.wakeRoomWaiters();
  }

  /** The bed's oldest queued window goes; one in a send not yet answered cannot be taken back. */
  private dropOldest(bedId: string): void {
    const index = this.queue.findIndex((held) => held.window.bed_id === bedId);
    const [dropped] = this.queue.splice(index, 1);
    this.release([dropped]);
    this.droppedByBed.set(bedId, (this.droppedByBed.get(bedId) ?? 0) + 1);
    this.recentDrops.set(bedId, (this.recentDrops.get(bedId) ?? 0) + 1);
    // Loud but not flooding: at once, then at most every reportEveryMs.
    const sinceLast = this.now() - this.lastDropReportMs;
    if (sinceLast >= this.reportEveryMs) this.reportDrops();
    else this.dropTimer ??= unref(setTimeout(() => this.reportDrops(), this.reportEveryMs - sinceLast));
  }

  private reportDrops(): void {
    if (this.dropTimer) clearTimeout(this.dropTimer);
    this.dropTimer = null;
    if (this.recentDrops.size === 0) return;
    this.lastDropReportMs = this.now();
    this.options.log(
      `backlog full (${this.backlog} windows per bed): DROPPED the oldest ${plural(sum(this.recentDrops), 'window')} (${countsText(this.recentDrops)}); ` +
        `${sum(this.droppedByBed)} dropped in total`,
    );
    this.recentDrops.clear();
  }

  private kick(): void {
    if (!this.pumping && !this.abandoned && this.queue.length) this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (this.queue.length && !this.abandoned) {
        const batch = this.takeBatch();
        this.inFlight = batch;
        const startedMs = this.now();
        const stall = unref(setTimeout(() => this.outageBegins(startedMs, `a send unanswered for ${this.stallMs / 1000} s`), this.stallMs));
        let failure: unknown = null;
        try {
          await this.options.send(batch.map((held) => held.window));
        } catch (error) {
          failure = error ?? new Error('send failed');
        }
        clearTimeout(stall);
        // Given up by settle(): reported as unanswered, whatever the broker finally said.
        if (this.abandoned) return;
        this.inFlight = [];
        if (!failure) {
          this.delivered(batch);
          continue;
        }
        this.queue.unshift(...batch);
        this.failedSends++;
        this.attempt++;
        this.outageBegins(startedMs, failure instanceof Error ? failure.message : String(failure));
        await this.backoff(retryDelayMs(this.attempt, this.retryInitialMs, this.retryMaxMs, this.random));
      }
    } finally {
      this.pumping = null;
      if (this.isIdle() || this.abandoned) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  /** The oldest held windows, up to one send's worth of bytes (at least one window). */
  private takeBatch(): Held[] {
    const batch = [this.queue.shift()!];
    let bytes = batch[0].bytes;
    while (this.queue.length && bytes + this.queue[0].bytes <= this.maxSendBytes) {
      bytes += this.queue[0].bytes;
      batch.push(this.queue.shift()!);
    }
    return batch;
  }

  private delivered(batch: Held[]): void {
    this.sent += batch.length;
    this.attempt = 0;
    this.release(batch);
    this.options.onSent?.(batch.map((held) => held.window));
    if (this.outage) {
      clearInterval(this.outage.reportTimer);
      const last = this.queue.length ? this.queue[this.queue.length - 1] : batch[batch.length - 1];
      this.recovery = { afterS: (this.now() - this.outage.sinceMs) / 1000, throughOrdinal: last.ordinal, resent: 0, droppedBefore: this.outage.droppedBefore };
      this.outage = null;
    }
    this.droppedAtLastSend = sum(this.droppedByBed);
    if (!this.recovery) return;
    this.recovery.resent += batch.filter((held) => held.ordinal <= this.recovery!.throughOrdinal).length;
    // Recovered once everything held back by the outage has gone out (or been dropped).
    if (!this.queue.length || this.queue[0].ordinal > this.recovery.throughOrdinal) this.reportRecovery();
  }

  private reportRecovery(): void {
    const recovery = this.recovery!;
    this.recovery = null;
    const dropped = sum(this.droppedByBed) - recovery.droppedBefore;
    this.options.log(`recovered after ${recovery.afterS.toFixed(1)} s, resent ${plural(recovery.resent, 'window')}${dropped ? `; ${dropped} DROPPED while the backlog was full` : ''}`);
  }

  private outageBegins(sinceMs: number, reason: string): void {
    if (this.outage || this.abandoned) return;
    if (this.recovery) this.reportRecovery();
    this.outages++;
    const reportTimer = unref(setInterval(() => this.reportOutage(), this.reportEveryMs));
    this.outage = { sinceMs, droppedBefore: this.droppedAtLastSend, reportTimer };
    this.options.log(`broker unreachable since ${new Date(sinceMs).toISOString()} (${reason}), ${plural(this.held, 'window')} queued`);
  }

  private reportOutage(): void {
    if (!this.outage) return;
    const forS = ((this.now() - this.outage.sinceMs) / 1000).toFixed(0);
    this.options.log(`broker still unreachable after ${forS} s: ${plural(this.held, 'window')} queued, ${sum(this.droppedByBed)} dropped so far`);
  }

  private backoff(delayMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wakeBackoff?.(), delayMs);
      this.wakeBackoff = () => {
        clearTimeout(timer);
        this.wakeBackoff = null;
        resolve();
      };
    });
  }

  private abandon(): void {
    this.abandoned = true;
    this.wakeBackoff?.();
    if (this.outage) clearInterval(this.outage.reportTimer);
    const totals = this.totals();
    const unanswered = totals.unanswered ? `; ${totals.unanswered} of them in a send the broker never answered (they may have arrived)` : '';
    this.options.log(`${plural(totals.unsent, 'window')} NOT SENT (${countsText(new Map(Object.entries(totals.unsent_by_bed)))})${unanswered}`);
  }

  private isIdle(): boolean {
    return this.held === 0 && !this.pumping;
  }

  private wakeRoomWaiters(): void {
    this.roomWaiters.splice(0).forEach((resolve) => resolve());
  }
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}

/** "bed-01 3, bed-02 1", the first eight beds, then how many more. */
function countsText(counts: Map<string, number>): string {
  const entries = [...counts].map(([bed, n]) => `${bed} ${n}`);
  return entries.length > 8 ? `${entries.slice(0, 8).join(', ')} and ${entries.length - 8} more beds` : entries.join(', ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function unref<T extends NodeJS.Timeout>(timer: T): T {
  timer.unref?.();
  return timer;
}

/** How a device command's outbox behaves; every field has a default. */
export type DeviceLink = Partial<Omit<DeviceOutboxOptions, 'send' | 'onSent'>> & {
  /** After Ctrl-C, how long held windows may still be sent before they are reported unsent. */
  flushGraceMs?: number;
};

export const DEFAULT_FLUSH_GRACE_MS = 5_000;

/** An outbox publishing to `ecg.raw.v1` on `bus`; logs go to stderr unless `link.log` says otherwise. */
export function deviceOutbox(bus: Pick<MessageBus, 'publish'>, link: DeviceLink, onSent: (windows: EcgWindow[]) => void): DeviceOutbox {
  return new DeviceOutbox({ log: (line) => process.stderr.write(`${line}\n`), ...link, send: (windows) => publishWindows(bus, windows), onSent });
}

/** The delivery counts of a device run's summary. */
export interface DeliveryCounts {
  /** Acknowledged by the broker. */
  windows_published: number;
  /** Still held when the run ended (Ctrl-C during an outage). */
  windows_unsent: number;
  /** Dropped, oldest first, because a bed's backlog was full. */
  windows_dropped: number;
  failed_sends: number;
  outages: number;
}

export function deliveryCounts(totals: OutboxTotals): DeliveryCounts {
  return { windows_published: totals.sent, windows_unsent: totals.unsent, windows_dropped: totals.dropped, failed_sends: totals.failed_sends, outages: totals.outages };
}

/** "28 windows sent, 0 unsent, 0 dropped (backlog full), 1 broker outage, 2 failed sends retried". */
export function deliveryText(counts: DeliveryCounts): string {
  const outages = counts.outages ? `, ${plural(counts.outages, 'broker outage')}, ${plural(counts.failed_sends, 'failed send')} retried` : '';
  return `${plural(counts.windows_published, 'window')} sent, ${counts.windows_unsent} ${counts.windows_unsent ? 'NOT SENT' : 'unsent'}, ${counts.windows_dropped} ${counts.windows_dropped ? 'DROPPED' : 'dropped'} (backlog full)${outages}`;
}
