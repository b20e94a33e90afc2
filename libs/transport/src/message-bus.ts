import { TopicName, TopicPayloads } from '@aicrn/contracts';

/** A record to publish. Every topic is keyed by bed id, which keeps each bed's messages in order. */
export interface OutgoingRecord<T> {
  key: string;
  value: T;
}

/** A consumed record with its position, for logs, dead letters and lag. */
export interface BusMessage<T> {
  topic: TopicName;
  key: string;
  value: T;
  partition: number;
  offset: string;
  timestamp_ms: number;
}

export interface BatchContext {
  /** Keeps group membership alive during long batches (a no-op in memory). */
  heartbeat(): Promise<void>;
  /** True once the subscription is closing: finish what is in hand, take nothing new. */
  readonly closing: boolean;
}

/**
 * Handles one batch. The batch's offsets are committed only after the promise resolves, so results
 * must be published before resolving (at-least-once; consumers deduplicate by id). A rejected
 * promise redelivers the batch after a backoff. Undecodable records never reach a handler: the
 * transport sends them to the dead-letter topic itself.
 */
export type BatchHandler<T> = (messages: Array<BusMessage<T>>, context: BatchContext) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group: subscriptions sharing a group split the topic's partitions. */
  groupId: string;
  /** Largest batch handed to the handler at once. */
  maxBatchSize?: number;
}

export interface Subscription {
  /** Stops fetching, waits for the in-flight batch, commits, and leaves the group. */
  close(): Promise<void>;
  /** Records published but not yet committed by this subscription's group (consumer lag). */
  lag(): Promise<number>;
}

/** The transport port: an in-memory bus in embedded mode, Kafka in distributed mode. */
export interface MessageBus {
  readonly kind: 'memory' | 'kafka';
  publish<K extends TopicName>(topic: K, records: Array<OutgoingRecord<TopicPayloads[K]>>): Promise<void>;
  subscribe<K extends TopicName>(topic: K, options: SubscribeOptions, handler: BatchHandler<TopicPayloads[K]>): Promise<Subscription>;
  /** Readiness: true when the transport can publish and consume. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
