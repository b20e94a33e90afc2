import { freePort } from './free-port';

/** Image tags of the real brokers used where a Docker engine exists (same as docker-compose.yml). */
export const KAFKA_IMAGE = process.env.AICRN_TEST_KAFKA_IMAGE ?? 'apache/kafka:3.9.0';
export const REDIS_IMAGE = process.env.AICRN_TEST_REDIS_IMAGE ?? 'redis:7-alpine';

export interface StartedContainer {
  stop(): Promise<void>;
}

/**
 * A single-node KRaft Kafka. The advertised listener must name the host port, which is therefore
 * chosen up front and bound explicitly instead of letting Docker pick it.
 */
export async function startKafkaContainer(partitions: number): Promise<{ brokers: string[]; container: StartedContainer }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const hostPort = await freePort();
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_NUM_PARTITIONS: String(partitions),
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return { brokers: [`127.0.0.1:${hostPort}`], container: { stop: async () => void (await container.stop()) } };
}

export async function startRedisContainer(): Promise<{ url: string; container: StartedContainer }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(REDIS_IMAGE)
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .withStartupTimeout(60_000)
    .start();
  return { url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`, container: { stop: async () => void (await container.stop()) } };
}
