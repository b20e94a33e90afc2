import { Admin, Consumer, ConsumerCrashEvent, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { DeadLetter, TOPICS, TopicName, TopicPayloads } from '@aicrn/contracts';
import type { BatchHandler, BusMessage, OutgoingRecord, Subscription } from '@aicrn/transport';
import { DecodeError } from './avro/confluent-frame';
import { TopicCodec } from './avro/topic-codec';
import { BusLogger } from './bus-logger';
import { retryDelayMs } from './retry-backoff';

export interface SubscriptionSettings {
  topic: TopicName;
  groupId: string;
  maxBatchSize: number;
  heartbeatIntervalMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

type DeadLetterSink = (records: Array<OutgoingRecord<DeadLetter>>) => Promise<void>;

interface Poison {
  message: KafkaMessage;
  error: DecodeError;
}

/**
 * One consumer-group member. Batches are at-least-once: offsets are resolved and committed only
 * after the handler resolved (so its results are already published). Poison records go to the
 * dead-letter topic and are committed with the batch, so they never block the partition.
 *
 * Handler failure policy: the same batch is retried with exponential backoff (initial .. max, capped),
 * heartbeating meanwhile, for as long as it takes, without committing. Nothing is lost or skipped;
 * a handler that keeps failing stalls its partition, which shows up as lag and as error logs.
 * Closing or losing the partition in a rebalance abandons the retry; the records stay uncommitted
 * and the next owner receives them.
 *
 * Consumer crashes: kafkajs restarts a crashed consumer by itself only after a retriable error. After
 * any other (a broker answering a group request with an error kafkajs does not retry) it leaves the
 * consumer stopped for good while the process looks healthy; the adapter then reconnects and runs it
 * again itself, with the same backoff, until it is closed.
 *
 * Backpressure: kafkajs fetches the next batches of a broker only after the handler has resolved,
 * so a slow handler holds back fetching (at most one fetch response is buffered) while the adapter
 * heartbeats for it. pause()/resume() stop fetching the topic explicitly.
 */
export class KafkaSubscription implements Subscription {
  private closing = false;
  private closed: Promise<void> | null = null;
  private wakeUp: () => void = () => undefined;
  private crashRestarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  /** The restart in progress, if any: close() waits for it, so that nothing runs the consumer after close. */
  private restarting: Promise<void> = Promise.resolve();

  constructor(
    private readonly consumer: Consumer,
    private readonly admin: Admin,
    private readonly codec: TopicCodec,
    private readonly settings: SubscriptionSettings,
    private readonly handler: BatchHandler<TopicPayloads[TopicName]>,
    private readonly deadLetter: DeadLetterSink,
    private readonly logger: BusLogger,
    private readonly onClosed: () => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.consumer.on(this.consumer.events.CRASH, (event) => this.onCrash(event));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.crashRestarts = 0));
    await this.run();
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    // A new group starts at the earliest offset: windows published before the first deployment are processed.
    await this.consumer.subscribe({ topics: [this.settings.topic], fromBeginning: true });
    await this.consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: true,
      // Commit as soon as anything was resolved: commitOffsetsIfNecessary then always commits.
      autoCommitThreshold: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private onCrash({ payload }: ConsumerCrashEvent): void {
    if (payload.restart || this.closing) return;
    this.crashRestarts += 1;
    const delayMs = retryDelayMs(this.crashRestarts, this.settings.retryInitialMs, this.settings.retryMaxMs);
    const { topic, groupId } = this.settings;
    this.logger.error({ topic, group: groupId, attempt: this.crashRestarts, retryInMs: delayMs, error: payload.error.message }, 'consumer crashed and kafkajs will not restart it; restarting it');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.closing) return;
      // A restart that cannot join crashes again (a CRASH event); one that cannot even connect rejects.
      // Either schedules the next attempt, later each time; joining the group resets the backoff.
      this.restarting = this.run().catch((error: Error) => this.onCrash({ payload: { error, groupId, restart: false } } as ConsumerCrashEvent));
    }, delayMs);
  }

  pause(): void {
    this.consumer.pause([{ topic: this.settings.topic }]);
  }

  resume(): void {
    this.consumer.resume([{ topic: this.settings.topic }]);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closing = true;
      this.wakeUp();
      if (this.restartTimer) clearTimeout(this.restartTimer);
      // stop() waits for the in-flight batch (which commits before returning); disconnect() leaves the group.
      this.closed = this.restarting
        .then(() => this.consumer.stop())
        .then(() => this.consumer.disconnect())
        .finally(this.onClosed);
    }
    return this.closed;
  }

  async lag(): Promise<number> {
    const { topic, groupId } = this.settings;
    const [committed, ends] = await Promise.all([this.admin.fetchOffsets({ groupId, topics: [topic] }), this.admin.fetchTopicOffsets(topic)]);
    const committedByPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    let lag = 0;
    for (const end of ends) {
      const high = Number(end.high);
      const done = committedByPartition.get(end.partition) ?? -1;
      lag += Math.max(0, high - (done >= 0 ? done : Number(end.low)));
    }
    return lag;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, commitOffsetsIfNecessary } = payload;
    const size = Math.max(1, this.settings.maxBatchSize);
    for (let start = 0; start < batch.messages.length; start += size) {
      if (this.closing || !payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + size);
      const done = await this.processWithRetry(batch.partition, chunk, payload);
      if (!done) return;
      for (const message of chunk) resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
    }
  }

  /** True when the chunk was handled; false when it was abandoned (closing, or the partition moved). */
  private async processWithRetry(partition: number, chunk: KafkaMessage[], payload: EachBatchPayload): Promise<boolean> {
    let deadLettered = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const { good, poison } = await this.decode(partition, chunk);
        if (!deadLettered && poison.length > 0) {
          await this.sendToDeadLetter(partition, poison);
          deadLettered = true;
        }
        if (good.length > 0) await this.runHandler(good, payload);
        return true;
      } catch (error) {
        const delayMs = retryDelayMs(attempt, this.settings.retryInitialMs, this.settings.retryMaxMs);
        this.logger.error(
          { topic: this.settings.topic, group: this.settings.groupId, partition, firstOffset: chunk[0].offset, attempt, retryInMs: delayMs, error: (error as Error).message },
          'batch failed; it will be retried without committing',
        );
        if (!(await this.backoff(delayMs, payload))) return false;
      }
    }
  }

  private async decode(partition: number, chunk: KafkaMessage[]): Promise<{ good: Array<BusMessage<TopicPayloads[TopicName]>>; poison: Poison[] }> {
    const good: Array<BusMessage<TopicPayloads[TopicName]>> = [];
    const poison: Poison[] = [];
    for (const message of chunk) {
      try {
        const value = await this.codec.decode(this.settings.topic, message.value);
        good.push({
          topic: this.settings.topic,
          key: message.key?.toString('utf8') ?? '',
          value,
          partition,
          offset: message.offset,
          timestamp_ms: Number(message.timestamp),
        });
      } catch (error) {
        // Anything but a DecodeError (schema registry unreachable) is transient: retry the chunk.
        if (!(error instanceof DecodeError)) throw error;
        poison.push({ message, error });
      }
    }
    return { good, poison };
  }

  private async sendToDeadLetter(partition: number, poison: Poison[]): Promise<void> {
    const { topic } = this.settings;
    for (const { message, error } of poison) {
      this.logger.warn({ topic, partition, offset: message.offset, code: error.code, reason: error.message }, 'poison record dead-lettered');
    }
    // A poison record on the dead-letter topic itself is only logged: re-dead-lettering it would loop.
    if (topic === TOPICS.dlq) return;
    const receivedMs = Date.now();
    await this.deadLetter(
      poison.map(({ message, error }) => {
        const key = message.key?.toString('utf8') ?? null;
        return {
          key: key ?? '',
          value: {
            source_topic: topic,
            partition,
            offset: message.offset,
            key,
            code: error.code,
            reason: error.message,
            bed_id: key,
            device_id: null,
            seq: null,
            received_ms: receivedMs,
            payload: message.value ?? null,
          },
        };
      }),
    );
  }

  private async runHandler(messages: Array<BusMessage<TopicPayloads[TopicName]>>, payload: EachBatchPayload): Promise<void> {
    const heartbeat = async () => {
      try {
        await payload.heartbeat();
      } catch (error) {
        // A rebalance in progress: the commit after the batch will tell kafkajs to rejoin.
        this.logger.debug({ error: (error as Error).message }, 'heartbeat during batch failed');
      }
    };
    // Heartbeat for the handler too, so a slow batch does not cost the group membership.
    const timer = setInterval(() => void heartbeat(), this.settings.heartbeatIntervalMs);
    const subscription = this;
    try {
      await this.handler(messages, {
        heartbeat,
        get closing() {
          return subscription.closing;
        },
      });
    } finally {
      clearInterval(timer);
    }
  }

  /** Waits delayMs heartbeating; false when the wait was cut short by close() or a rebalance. */
  private async backoff(delayMs: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + delayMs;
    while (Date.now() < until) {
      if (this.closing || !payload.isRunning() || payload.isStale()) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(this.settings.heartbeatIntervalMs, until - Date.now()));
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      try {
        await payload.heartbeat();
      } catch {
        return false;
      }
    }
    return !(this.closing || !payload.isRunning() || payload.isStale());
  }
}
