import { KafkaConfig, kafkaConfig } from './kafka-config';

/** Settings for test brokers: fast heartbeats, short fetch waits and retries, so suites take seconds. */
export function kafkaTestConfig(
  broker: { brokers: string[]; partitions: number | null; idempotentProducer: boolean; createTopics: boolean },
  overrides: Partial<KafkaConfig> = {},
): KafkaConfig {
  return kafkaConfig(broker.brokers, {
    clientId: 'aicrn-test',
    partitions: broker.partitions ?? 3,
    replicationFactor: -1,
    createTopics: broker.createTopics,
    idempotent: broker.idempotentProducer,
    // The mock waits session timeout - 1 s for members to rejoin on every rebalance: keep it short.
    sessionTimeoutMs: 3_000,
    heartbeatIntervalMs: 500,
    fetchMaxWaitMs: 100,
    retryInitialMs: 50,
    retryMaxMs: 400,
    ...overrides,
  });
}
