import { Scheduler, systemScheduler } from './scheduler';

/** Runs one batch; must return one result per item, in order. */
export type BatchRunner<I, O> = (items: I[]) => Promise<O[]>;

/** Hooks for Prometheus-style metrics; all optional. */
export interface BatcherMetrics {
  batchDispatched?(size: number, queueDepthAfter: number): void;
  queueDepthChanged?(depth: number): void;
  /** Submit-to-result time of one item, queueing included. */
  itemCompleted?(latencyMs: number, ok: boolean): void;
  rejectedFull?(): void;
}

export interface MicroBatcherOptions {
  /** Largest batch handed to the runner. */
  maxBatchSize: number;
  /** Longest an item waits for a batch to fill before a partial batch goes (Triton's max_queue_delay). */
  maxQueueDelayMs: number;
  /** Items waiting (not yet dispatched) before `offer` answers 'full' and `submit` waits. */
  maxQueueSize: number;
  /** Batches running at once; one per model instance (worker). */
  maxConcurrentBatches?: number;
  scheduler?: Scheduler;
  metrics?: BatcherMetrics;
}

export type Offer<O> = { accepted: true; result: Promise<O> } | { accepted: false; reason: 'full' | 'closed' };

export class BatcherClosedError extends Error {
  constructor() {
    super('micro-batcher is closed');
  }
}

interface Queued<I, O> {
  item: I;
  submittedAt: number;
  enqueuedAt: number;
  resolve(value: O): void;
  reject(error: Error): void;
}

/**
 * A dynamic batcher in the style of Triton's: items queue until a batch is full or the oldest item has
 * waited maxQueueDelayMs, then go to the runner, at most maxConcurrentBatches at a time. The queue is
 * bounded: `offer` says 'full' (a Kafka consumer pauses and awaits `whenRoom`), `submit` waits its turn.
 */
export class MicroBatcher<I, O> {
  private readonly queue: Queued<I, O>[] = [];
  /** Submits waiting for room, in arrival order; they enter the queue before any later offer. */
  private readonly waiting: Array<{ entry: Omit<Queued<I, O>, 'enqueuedAt' | 'submittedAt'>; submittedAt: number }> = [];
  private readonly roomWaiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  private inFlight = 0;
  private timer: { handle: unknown; deadline: number } | null = null;
  private closed = false;
  private readonly maxConcurrent: number;
  private readonly scheduler: Scheduler;
  private readonly metrics: BatcherMetrics;

  constructor(
    private readonly runner: BatchRunner<I, O>,
    private readonly options: MicroBatcherOptions,
  ) {
    for (const key of ['maxBatchSize', 'maxQueueSize'] as const) {
      if (!Number.isInteger(options[key]) || options[key] < 1) throw new Error(`MicroBatcher ${key} must be a positive integer, got ${options[key]}`);
    }
    if (!(options.maxQueueDelayMs >= 0)) throw new Error(`MicroBatcher maxQueueDelayMs must be >= 0, got ${options.maxQueueDelayMs}`);
    this.maxConcurrent = options.maxConcurrentBatches ?? 1;
    if (!Number.isInteger(this.maxConcurrent) || this.maxConcurrent < 1) throw new Error(`MicroBatcher maxConcurrentBatches must be a positive integer, got ${this.maxConcurrent}`);
    this.scheduler = options.scheduler ?? systemScheduler;
    this.metrics = options.metrics ?? {};
  }

  get queueDepth(): number {
    return this.queue.length;
  }

  get batchesInFlight(): number {
    return this.inFlight;
  }

  get isFull(): boolean {
    return this.queue.length >= this.options.maxQueueSize || this.waiting.length > 0;
  }

  /** Enqueues if there is room; never waits. */
  offer(item: I): Offer<O> {
    if (this.closed) return { accepted: false, reason: 'closed' };
    if (this.isFull) {
      this.metrics.rejectedFull?.();
      return { accepted: false, reason: 'full' };
    }
    let entry!: Omit<Queued<I, O>, 'enqueuedAt' | 'submittedAt'>;
    const result = new Promise<O>((resolve, reject) => (entry = { item, resolve, reject }));
    this.enqueue(entry);
    return { accepted: true, result };
  }

  /** Enqueues, waiting for room first if the queue is full (arrival order is kept). */
  submit(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    return new Promise<O>((resolve, reject) => {
      const entry = { item, resolve, reject };
      if (this.isFull) this.waiting.push({ entry, submittedAt: this.scheduler.now() });
      else this.enqueue(entry);
    });
  }

  /** Resolves when `offer` would accept again (immediately if it would now). */
  whenRoom(): Promise<void> {
    if (!this.isFull || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Stops accepting, sends every queued item without waiting for the delay, and resolves when all are done. */
  async close(): Promise<void> {
    this.closed = true;
    this.pump();
    if (this.queue.length || this.waiting.length || this.inFlight) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.roomWaiters.splice(0).forEach((wake) => wake());
  }

  private enqueue(entry: Omit<Queued<I, O>, 'enqueuedAt' | 'submittedAt'>): void {
    const now = this.scheduler.now();
    this.queue.push({ ...entry, submittedAt: now, enqueuedAt: now });
    this.metrics.queueDepthChanged?.(this.queue.length);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.maxConcurrent && this.queue.length > 0) {
      const waitedMs = this.scheduler.now() - this.queue[0].enqueuedAt;
      if (this.queue.length >= this.options.maxBatchSize || waitedMs >= this.options.maxQueueDelayMs || this.closed) {
        this.dispatch(this.queue.splice(0, this.options.maxBatchSize));
      } else {
        this.armTimer(this.queue[0].enqueuedAt + this.options.maxQueueDelayMs);
        return;
      }
    }
    // Nothing waits on a timer: either the queue is empty or every slot is busy (completion pumps again).
    this.disarmTimer();
  }

  private armTimer(deadline: number): void {
    if (this.timer?.deadline === deadline) return;
    this.disarmTimer();
    const handle = this.scheduler.setTimer(() => {
      this.timer = null;
      this.pump();
    }, Math.max(0, deadline - this.scheduler.now()));
    this.timer = { handle, deadline };
  }

  private disarmTimer(): void {
    if (!this.timer) return;
    this.scheduler.clearTimer(this.timer.handle);
    this.timer = null;
  }

  private dispatch(batch: Queued<I, O>[]): void {
    this.inFlight++;
    this.admitWaiting();
    this.metrics.batchDispatched?.(batch.length, this.queue.length);
    this.metrics.queueDepthChanged?.(this.queue.length);
    const settle = (ok: boolean) => {
      const now = this.scheduler.now();
      for (const entry of batch) this.metrics.itemCompleted?.(now - entry.submittedAt, ok);
    };
    let running: Promise<O[]>;
    try {
      // Called synchronously so a batch starts in the same tick it is formed.
      running = Promise.resolve(this.runner(batch.map((entry) => entry.item)));
    } catch (error) {
      running = Promise.reject(error);
    }
    running
      .then(
        (results) => {
          if (!Array.isArray(results) || results.length !== batch.length) {
            throw new Error(`batch runner returned ${Array.isArray(results) ? results.length : typeof results} results for ${batch.length} items`);
          }
          settle(true);
          batch.forEach((entry, i) => entry.resolve(results[i]));
        },
      )
      .catch((error: unknown) => {
        settle(false);
        const err = error instanceof Error ? error : new Error(String(error));
        batch.forEach((entry) => entry.reject(err));
      })
      .finally(() => {
        this.inFlight--;
        this.pump();
        if (!this.queue.length && !this.waiting.length && !this.inFlight) this.idleWaiters.splice(0).forEach((done) => done());
      });
  }

  /** Moves waiting submits into freed queue room, then wakes `whenRoom` callers if room is left. */
  private admitWaiting(): void {
    while (this.waiting.length && this.queue.length < this.options.maxQueueSize) {
      const { entry, submittedAt } = this.waiting.shift()!;
      this.queue.push({ ...entry, submittedAt, enqueuedAt: this.scheduler.now() });
    }
    if (!this.isFull) this.roomWaiters.splice(0).forEach((wake) => wake());
  }
}
