import { Admin, Kafka, Partitioners, Producer } from 'kafkajs';
import { ALL_TOPICS, DeadLetter, TOPICS, TopicName, TopicPayloads } from '@aicrn/contracts';
import type { BatchHandler, MessageBus, OutgoingRecord, SubscribeOptions, Subscription } from '@aicrn/transport';
import { BuiltinSchemaRegistry } from './avro/builtin-schema-registry';
import { ConfluentSchemaRegistry } from './avro/confluent-schema-registry';
import { SchemaRegistry } from './avro/schema-registry';
import { TopicCodec } from './avro/topic-codec';
import { BusLogger, STDERR_LOGGER } from './bus-logger';
import { createKafkaClient } from './kafka-client';
import { KafkaConfig, kafkaConfigFromEnv, redactKafkaConfig } from './kafka-config';
import { KafkaSubscription } from './kafka-subscription';
import { chunkBySize, DEFAULT_MAX_SEND_BYTES } from './send-chunks';
import { ensureTopics } from './topic-bootstrap';

export interface KafkaBusOptions {
  logger?: BusLogger;
  /** Overrides the registry chosen from the config (tests, custom schema histories). */
  registry?: SchemaRegistry;
  /** Largest batch handed to a handler when subscribe() does not say. */
  defaultMaxBatchSize?: number;
  /** How long isReady() waits for the cluster to answer. */
  readinessTimeoutMs?: number;
  /** Largest encoded size of one producer send; bigger publishes go out as several sends, in order. */
  maxSendBytes?: number;
}

/** The MessageBus over Kafka: Confluent-framed Avro values, key = bed id, at-least-once consumption. */
export class KafkaBus implements MessageBus {
  readonly kind = 'kafka' as const;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private producerConnected = false;
  private closed = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly admin: Admin,
    private readonly codec: TopicCodec,
    private readonly config: KafkaConfig,
    private readonly options: Required<Omit<KafkaBusOptions, 'registry'>>,
  ) {
    producer.on(producer.events.CONNECT, () => (this.producerConnected = true));
    producer.on(producer.events.DISCONNECT, () => (this.producerConnected = false));
  }

  /** Connects the producer and admin client, registers the schemas and creates missing topics. */
  static async connect(config: KafkaConfig, options: KafkaBusOptions = {}): Promise<KafkaBus> {
    const logger = options.logger ?? STDERR_LOGGER;
    const registry = options.registry ?? (config.schemaRegistry ? new ConfluentSchemaRegistry(config.schemaRegistry) : new BuiltinSchemaRegistry());
    const kafka = createKafkaClient(config, logger);
    const producer = kafka.producer({
      idempotent: config.idempotent,
      // kafkajs keeps per-partition order with idempotence only with one request in flight.
      maxInFlightRequests: config.idempotent ? 1 : undefined,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const admin = kafka.admin();
    const bus = new KafkaBus(kafka, producer, admin, new TopicCodec(registry), config, {
      logger,
      defaultMaxBatchSize: options.defaultMaxBatchSize ?? 100,
      readinessTimeoutMs: options.readinessTimeoutMs ?? 2_000,
      maxSendBytes: options.maxSendBytes ?? DEFAULT_MAX_SEND_BYTES,
    });
    try {
      await admin.connect();
      if (config.createTopics) {
        await ensureTopics(admin, ALL_TOPICS, { partitions: config.partitions, replicationFactor: config.replicationFactor }, logger);
      }
      await registry.register();
      await producer.connect();
    } catch (error) {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      throw error;
    }
    return bus;
  }

  async publish<K extends TopicName>(topic: K, records: Array<OutgoingRecord<TopicPayloads[K]>>): Promise<void> {
    if (records.length === 0) return;
    if (this.closed) throw new Error(`cannot publish to ${topic}: the Kafka bus is closed`);
    const messages = records.map((record) => ({ key: record.key, value: this.codec.encode(topic, record.value) }));
    // One send per chunk, awaited in turn: a record batch over the broker's limit would be refused.
    for (const chunk of chunkBySize(messages, this.options.maxSendBytes)) await this.producer.send({ topic, messages: chunk, acks: -1 });
  }

  async subscribe<K extends TopicName>(topic: K, options: SubscribeOptions, handler: BatchHandler<TopicPayloads[K]>): Promise<KafkaSubscription> {
    if (this.closed) throw new Error(`cannot subscribe to ${topic}: the Kafka bus is closed`);
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.config.sessionTimeoutMs,
      heartbeatInterval: this.config.heartbeatIntervalMs,
      maxWaitTimeInMs: this.config.fetchMaxWaitMs,
    });
    const subscription = new KafkaSubscription(
      consumer,
      this.admin,
      this.codec,
      {
        topic,
        groupId: options.groupId,
        maxBatchSize: options.maxBatchSize ?? this.options.defaultMaxBatchSize,
        heartbeatIntervalMs: this.config.heartbeatIntervalMs,
        retryInitialMs: this.config.retryInitialMs,
        retryMaxMs: this.config.retryMaxMs,
      },
      handler as BatchHandler<TopicPayloads[TopicName]>,
      (records: Array<OutgoingRecord<DeadLetter>>) => this.publish(TOPICS.dlq, records),
      this.options.logger,
      () => this.subscriptions.delete(subscription),
    );
    await subscription.start();
    this.subscriptions.add(subscription);
    return subscription;
  }

  async isReady(): Promise<boolean> {
    if (this.closed || !this.producerConnected) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.options.readinessTimeoutMs)));
    const probe = this.admin.fetchTopicMetadata({ topics: [...ALL_TOPICS] }).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes every subscription (each finishes and commits its in-flight batch), then the producer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}

export type { Subscription };

/** KafkaBus from environment variables (see kafkaConfigFromEnv); throws KafkaConfigError naming every bad variable. */
export async function createKafkaBus(env: Record<string, string | undefined> = process.env, logger: BusLogger = STDERR_LOGGER): Promise<KafkaBus> {
  const config = kafkaConfigFromEnv(env);
  logger.info({ kafka: redactKafkaConfig(config) }, 'connecting to Kafka');
  return KafkaBus.connect(config, { logger });
}
