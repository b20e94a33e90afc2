import { ALL_TOPICS } from '@aicrn/contracts';
import { startKafkaContainer, startRedisContainer } from './containers';
import { dockerEngine } from './docker-engine';
import { MockKafkaCluster, mockClusterBinary } from './kafka-mock';
import { RedisProcess, redisServerAvailable } from './redis-process';

export type InfraSource = 'env' | 'container' | 'local';

export interface TestKafka {
  source: InfraSource;
  brokers: string[];
  /** Partitions of the five topics (unknown = the broker's default, for KAFKA_BROKERS). */
  partitions: number | null;
  /**
   * Whether kafkajs's idempotent producer works here. The librdkafka 2.0.2 mock reports controller
   * id 0, which is no broker, and kafkajs asks the controller for a producer id, so not on the mock.
   */
  idempotentProducer: boolean;
  /** Whether the cluster implements CreateTopics (the mock does not; its topics exist from the start). */
  createTopics: boolean;
  /** Fault injection, local mock cluster only (brokers numbered from 1; -1 = all). */
  brokerDown(id: number): Promise<void>;
  brokerUp(id: number): Promise<void>;
  stop(): Promise<void>;
}

export interface TestRedis {
  source: InfraSource;
  url: string;
  stop(): Promise<void>;
}

type Plan = { source: InfraSource; detail: string } | { skip: string };

/** Where a Kafka for tests comes from: KAFKA_BROKERS, then testcontainers, then the local mock cluster. */
export function kafkaPlan(): Plan {
  if (process.env.KAFKA_BROKERS) return { source: 'env', detail: `KAFKA_BROKERS=${process.env.KAFKA_BROKERS}` };
  const docker = dockerEngine();
  if (docker.available) return { source: 'container', detail: docker.reason };
  const build = mockClusterBinary();
  if ('binary' in build) return { source: 'local', detail: `librdkafka mock cluster (${docker.reason})` };
  return { skip: `no Kafka for tests: KAFKA_BROKERS unset, ${docker.reason}, and the librdkafka mock cluster is unavailable: ${build.error}` };
}

/** Where a Redis for tests comes from: REDIS_URL, then testcontainers, then a local redis-server. */
export function redisPlan(): Plan {
  if (process.env.REDIS_URL) return { source: 'env', detail: 'REDIS_URL' };
  const docker = dockerEngine();
  if (docker.available) return { source: 'container', detail: docker.reason };
  const local = redisServerAvailable();
  if (local.available) return { source: 'local', detail: `local redis-server (${docker.reason})` };
  return { skip: `no Redis for tests: REDIS_URL unset, ${docker.reason}, and ${local.reason}` };
}

function unsupportedFault(source: InfraSource): () => Promise<void> {
  return async () => {
    throw new Error(`broker fault injection needs the local mock cluster; this Kafka comes from ${source}`);
  };
}

export async function getTestKafka(options: { partitions?: number } = {}): Promise<TestKafka> {
  const partitions = options.partitions ?? 3;
  const plan = kafkaPlan();
  if ('skip' in plan) throw new Error(plan.skip);
  if (plan.source === 'env') {
    const brokers = process.env.KAFKA_BROKERS!.split(',').map((b) => b.trim()).filter(Boolean);
    const fault = unsupportedFault('env');
    return { source: 'env', brokers, partitions: null, idempotentProducer: true, createTopics: true, brokerDown: fault, brokerUp: fault, stop: async () => undefined };
  }
  if (plan.source === 'container') {
    const { brokers, container } = await startKafkaContainer(partitions);
    const fault = unsupportedFault('container');
    return { source: 'container', brokers, partitions, idempotentProducer: true, createTopics: true, brokerDown: fault, brokerUp: fault, stop: () => container.stop() };
  }
  const cluster = await MockKafkaCluster.start({ partitions, topics: ALL_TOPICS });
  return {
    source: 'local',
    brokers: cluster.brokers,
    partitions,
    idempotentProducer: false,
    createTopics: false,
    brokerDown: (id) => cluster.brokerDown(id),
    brokerUp: (id) => cluster.brokerUp(id),
    stop: () => cluster.stop(),
  };
}

export async function getTestRedis(): Promise<TestRedis> {
  const plan = redisPlan();
  if ('skip' in plan) throw new Error(plan.skip);
  if (plan.source === 'env') return { source: 'env', url: process.env.REDIS_URL!, stop: async () => undefined };
  if (plan.source === 'container') {
    const { url, container } = await startRedisContainer();
    return { source: 'container', url, stop: () => container.stop() };
  }
  const server = await RedisProcess.start();
  return { source: 'local', url: server.url, stop: () => server.stop() };
}

const STARTUP_TIMEOUT_MS = { env: 10_000, container: 180_000, local: 30_000 } as const;
const reported = new Set<string>();

function skipWithReason(kind: string, name: string, reason: string): void {
  const line = `[test-infra] skipping "${name}": ${reason}`;
  if (!reported.has(line)) {
    reported.add(line);
    process.stderr.write(`${line}\n`);
  }
  describe.skip(`${name} (skipped: no ${kind})`, () => it('needs infrastructure', () => undefined));
}

/**
 * describe() with a Kafka started before the suite and stopped after it; the suite is skipped, with
 * one line saying why, when no Kafka can be had. `kafka()` is valid inside hooks and tests.
 */
export function describeWithKafka(name: string, body: (kafka: () => TestKafka) => void, options: { partitions?: number } = {}): void {
  const plan = kafkaPlan();
  if ('skip' in plan) return skipWithReason('Kafka', name, plan.skip);
  let kafka: TestKafka | undefined;
  describe(`${name} [kafka: ${plan.source}]`, () => {
    beforeAll(async () => {
      kafka = await getTestKafka(options);
    }, STARTUP_TIMEOUT_MS[plan.source]);
    body(() => {
      if (!kafka) throw new Error('the test Kafka is not started (use it inside hooks and tests)');
      return kafka;
    });
    // Declared after the body: Jest runs a block's afterAll hooks in declaration order, so the suite's own
    // teardown (closing its clients) runs while the Kafka is still up.
    afterAll(async () => {
      await kafka?.stop();
    });
  });
}

/** describe() with a Redis for the suite; skipped with one line saying why when none can be had. */
export function describeWithRedis(name: string, body: (redis: () => TestRedis) => void): void {
  const plan = redisPlan();
  if ('skip' in plan) return skipWithReason('Redis', name, plan.skip);
  let redis: TestRedis | undefined;
  describe(`${name} [redis: ${plan.source}]`, () => {
    beforeAll(async () => {
      redis = await getTestRedis();
    }, STARTUP_TIMEOUT_MS[plan.source]);
    body(() => {
      if (!redis) throw new Error('the test Redis is not started (use it inside hooks and tests)');
      return redis;
    });
    // Declared after the body: Jest runs a block's afterAll hooks in declaration order, so the suite's own
    // teardown (closing its clients) runs while the Redis is still up.
    afterAll(async () => {
      await redis?.stop();
    });
  });
}
