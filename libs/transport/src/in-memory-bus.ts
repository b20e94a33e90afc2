import { setImmediate } from 'node:timers/promises';
import { ALL_TOPICS, TopicName, TopicPayloads } from '@aicrn/contracts';
import { BatchHandler, BusMessage, MessageBus, OutgoingRecord, SubscribeOptions, Subscription } from './message-bus';
import { partitionForKey } from './partitioner';

export interface InMemoryBusOptions {
  partitions?: number;
  /**
   * Most uncommitted records a consumer group may have on one partition. Publishing past it waits
   * (backpressure reaches the producer) instead of growing memory.
   */
  maxLagPerPartition?: number;
  /** Per-topic overrides of maxLagPerPartition (default: WINDOW_TOPIC_LAG_LIMITS for the waveform topics). */
  lagLimits?: Partial<Record<TopicName, number>>;
  /** Records kept on topics that no group consumes (e.g. the dead-letter topic), newest first. */
  retainUnconsumed?: number;
  /** Delay before a failed batch is redelivered; doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  onHandlerError?: (topic: TopicName, groupId: string, error: unknown) => void;
}

/**
 * A waveform record is ~1,000 times larger than a measurement (12 leads x 5,000 samples), so the
 * waveform topics get a far smaller lag bound: 8 partitions x 64 windows is about 75 MB per topic and
 * 51 s of data at 100 beds. Past it the producer waits, which is how overload must show: as lag and
 * latency, not as a heap that grows until the process dies.
 */
export const WINDOW_TOPIC_LAG_LIMITS: Partial<Record<TopicName, number>> = { 'ecg.raw.v1': 64, 'ecg.windows.v1': 64 };

interface StoredRecord {
  key: string;
  value: unknown;
  offset: number;
  timestamp_ms: number;
}

class Partition {
  /** records[i] has offset base + i. */
  records: StoredRecord[] = [];
  base = 0;
  get end(): number {
    return this.base + this.records.length;
  }
  trimBelow(offset: number): void {
    const drop = Math.min(offset - this.base, this.records.length);
    if (drop > 0) {
      this.records.splice(0, drop);
      this.base += drop;
    }
  }
}

class Group {
  readonly committed: number[];
  readonly members: MemberSubscription[] = [];
  constructor(partitions: number, start: number[]) {
    this.committed = start.slice(0, partitions);
  }
  /** Round-robin assignment, like Kafka's RoundRobinAssignor. */
  rebalance(partitions: number): void {
    this.members.forEach((member) => (member.assigned = []));
    if (!this.members.length) return;
    for (let p = 0; p < partitions; p++) this.members[p % this.members.length].assigned.push(p);
    this.members.forEach((member) => member.wake());
  }
}

class TopicLog {
  readonly partitions: Partition[];
  readonly groups = new Map<string, Group>();
  private waiters: Array<() => void> = [];
  constructor(
    readonly topic: TopicName,
    count: number,
    /** Records a partition may hold beyond its slowest group's commit before publishers wait. */
    readonly lagLimit: number,
  ) {
    this.partitions = Array.from({ length: count }, () => new Partition());
  }
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  /** Lowest commit on the partition over all groups, or only over those with a member (Infinity when none counts). */
  lowestCommitted(partition: number, consumingOnly = false): number {
    let low = Infinity;
    for (const group of this.groups.values()) if (!consumingOnly || group.members.length > 0) low = Math.min(low, group.committed[partition]);
    return low;
  }
}

/**
 * The embedded transport: Kafka semantics (partitions by key, consumer groups, batch commit after the
 * handler, redelivery of failed batches) in one process, with bounded memory through backpressure.
 */
export class InMemoryBus implements MessageBus {
  readonly kind = 'memory' as const;
  private readonly logs = new Map<TopicName, TopicLog>();
  private readonly options: Required<Omit<InMemoryBusOptions, 'onHandlerError'>> & Pick<InMemoryBusOptions, 'onHandlerError'>;
  private closed = false;

  constructor(options: InMemoryBusOptions = {}) {
    this.options = {
      partitions: options.partitions ?? 8,
      maxLagPerPartition: options.maxLagPerPartition ?? 2000,
      lagLimits: options.lagLimits ?? WINDOW_TOPIC_LAG_LIMITS,
      retainUnconsumed: options.retainUnconsumed ?? 1000,
      retryDelayMs: options.retryDelayMs ?? 100,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 5000,
      onHandlerError: options.onHandlerError,
    };
    for (const topic of ALL_TOPICS) {
      this.logs.set(topic, new TopicLog(topic, this.options.partitions, this.options.lagLimits[topic] ?? this.options.maxLagPerPartition));
    }
  }

  async publish<K extends TopicName>(topic: K, records: Array<OutgoingRecord<TopicPayloads[K]>>): Promise<void> {
    if (this.closed) throw new Error('message bus is closed');
    const log = this.log(topic);
    for (const record of records) {
      const partition = partitionForKey(record.key, log.partitions.length);
      await this.waitForRoom(log, partition);
      const part = log.partitions[partition];
      part.records.push({ key: record.key, value: record.value, offset: part.end, timestamp_ms: Date.now() });
      if (log.groups.size === 0 && part.records.length > this.options.retainUnconsumed) {
        part.trimBelow(part.end - this.options.retainUnconsumed);
      }
    }
    log.notify();
  }

  async subscribe<K extends TopicName>(topic: K, options: SubscribeOptions, handler: BatchHandler<TopicPayloads[K]>): Promise<Subscription> {
    if (this.closed) throw new Error('message bus is closed');
    const log = this.log(topic);
    let group = log.groups.get(options.groupId);
    if (!group) {
      // A new group starts at the earliest retained record, like auto.offset.reset=earliest.
      group = new Group(log.partitions.length, log.partitions.map((p) => p.base));
      log.groups.set(options.groupId, group);
    }
    const member = new MemberSubscription(topic, log, group, options, handler as BatchHandler<unknown>, this.options);
    group.members.push(member);
    group.rebalance(log.partitions.length);
    member.start();
    return member;
  }

  async isReady(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    const members = [...this.logs.values()].flatMap((log) => [...log.groups.values()].flatMap((g) => g.members));
    await Promise.all(members.map((member) => member.close()));
    this.logs.forEach((log) => log.notify());
  }

  /** Messages retained on a topic (for inspection of topics nobody consumes, such as the DLQ). */
  peek<K extends TopicName>(topic: K): Array<BusMessage<TopicPayloads[K]>> {
    const log = this.log(topic);
    return log.partitions.flatMap((part, partition) =>
      part.records.map((r) => ({ topic, key: r.key, value: r.value as TopicPayloads[K], partition, offset: String(r.offset), timestamp_ms: r.timestamp_ms })),
    );
  }

  private log(topic: TopicName): TopicLog {
    const log = this.logs.get(topic);
    if (!log) throw new Error(`unknown topic ${topic}`);
    return log;
  }

  /**
   * Only groups with a member hold producers back: a group whose consumers have all closed will not drain, and an
   * app shutting down closes its consumers before its producers (the simulator's last publish waited forever).
   */
  private async waitForRoom(log: TopicLog, partition: number): Promise<void> {
    while (!this.closed && log.partitions[partition].end - log.lowestCommitted(partition, true) >= log.lagLimit) {
      await log.changed();
    }
  }
}

class MemberSubscription implements Subscription {
  assigned: number[] = [];
  private closing = false;
  private loop: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly topic: TopicName,
    private readonly log: TopicLog,
    private readonly group: Group,
    private readonly options: SubscribeOptions,
    private readonly handler: BatchHandler<unknown>,
    private readonly busOptions: { retryDelayMs: number; maxRetryDelayMs: number; onHandlerError?: InMemoryBusOptions['onHandlerError'] },
  ) {}

  start(): void {
    this.loop = this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async lag(): Promise<number> {
    return this.log.partitions.reduce((sum, part, p) => sum + (part.end - this.group.committed[p]), 0);
  }

  async close(): Promise<void> {
    if (this.closing) return this.loop;
    this.closing = true;
    this.wake();
    await this.loop;
    const index = this.group.members.indexOf(this);
    if (index >= 0) this.group.members.splice(index, 1);
    this.group.rebalance(this.log.partitions.length);
    // Producers waiting for this group's lag to shrink re-check: it may no longer hold them back.
    this.log.notify();
  }

  private async run(): Promise<void> {
    const maxBatch = this.options.maxBatchSize ?? 100;
    let retryDelay = this.busOptions.retryDelayMs;
    while (!this.closing) {
      const batch = this.nextBatch(maxBatch);
      if (!batch.length) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          void this.log.changed().then(resolve);
        });
        this.wakeUp = null;
        continue;
      }
      const context = { heartbeat: async () => undefined, closing: false };
      Object.defineProperty(context, 'closing', { get: () => this.closing });
      try {
        await this.handler(batch, context);
        for (const message of batch) this.group.committed[message.partition] = Number(message.offset) + 1;
        this.trimConsumed(batch);
        retryDelay = this.busOptions.retryDelayMs;
        this.log.notify();
        // Handlers without real I/O resolve as microtasks: without this, a backlog would be worked through
        // in one unbroken microtask chain and starve timers, HTTP and SSE (the API froze under overload).
        await setImmediate();
      } catch (error) {
        this.busOptions.onHandlerError?.(this.topic, this.options.groupId, error);
        await new Promise((resolve) => setTimeout(resolve, retryDelay));
        retryDelay = Math.min(retryDelay * 2, this.busOptions.maxRetryDelayMs);
      }
    }
  }

  private nextBatch(maxBatch: number): Array<BusMessage<unknown>> {
    const batch: Array<BusMessage<unknown>> = [];
    // Take from every assigned partition in turn so one busy bed cannot starve the others.
    const cursors = new Map(this.assigned.map((p) => [p, this.group.committed[p]]));
    let progressed = true;
    while (batch.length < maxBatch && progressed) {
      progressed = false;
      for (const p of this.assigned) {
        const part = this.log.partitions[p];
        const offset = cursors.get(p)!;
        if (offset >= part.end || batch.length >= maxBatch) continue;
        const record = part.records[offset - part.base];
        batch.push({ topic: this.topic, key: record.key, value: record.value, partition: p, offset: String(offset), timestamp_ms: record.timestamp_ms });
        cursors.set(p, offset + 1);
        progressed = true;
      }
    }
    return batch;
  }

  private trimConsumed(batch: Array<BusMessage<unknown>>): void {
    const touched = new Set(batch.map((m) => m.partition));
    touched.forEach((p) => this.log.partitions[p].trimBelow(this.log.lowestCommitted(p)));
  }
}
