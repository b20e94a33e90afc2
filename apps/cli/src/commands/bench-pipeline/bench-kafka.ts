import { ALL_TOPICS } from '@aicrn/contracts';
import { KafkaConfigError, kafkaConfigFromEnv, MOCK_CLUSTER_APT_PACKAGES, MockKafkaCluster, mockClusterBinary } from '@aicrn/kafka';
import { BadInputError } from '../bad-input';

/** Partitions of the benchmark's own mock cluster: the production default, so consumers fetch as in production. */
export const BENCH_MOCK_PARTITIONS = 12;

export interface BenchKafka {
  /** For the report: where the brokers came from. */
  description: string;
  /** Kafka variables for the apps and the benchmark's own client. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Against the mock, how long a fetch that finds no data waits. A real broker answers a waiting fetch
 * as soon as a record arrives; the mock always holds an empty fetch for the full wait, which would
 * add up to KAFKA_FETCH_MAX_WAIT_MS (default 1 s) to every hop and measure the mock, not the pipeline.
 */
export const BENCH_MOCK_FETCH_MAX_WAIT_MS = 100;

/**
 * The Kafka the distributed benchmark runs on: `--brokers`, else KAFKA_BROKERS (every other Kafka
 * setting from the environment, like the apps), else a librdkafka mock cluster started for this run
 * and stopped after it. The mock has no CreateTopics API (its topics are created at start) and no
 * idempotent producer ids (controller id 0), so the apps are told so.
 */
export async function provideBenchKafka(brokers: string | undefined, env: NodeJS.ProcessEnv): Promise<BenchKafka> {
  const given = (brokers ?? env.KAFKA_BROKERS)?.trim();
  if (given) {
    // A configuration mistake is bad input (exit 2), found before any app is started.
    try {
      kafkaConfigFromEnv({ ...env, KAFKA_BROKERS: given });
    } catch (error) {
      if (error instanceof KafkaConfigError) throw new BadInputError(error.message);
      throw error;
    }
    return { description: `brokers ${given}`, env: { KAFKA_BROKERS: given }, stop: async () => undefined };
  }

  const build = mockClusterBinary();
  if ('error' in build) {
    throw new BadInputError(
      `no Kafka: neither --brokers nor KAFKA_BROKERS is set, and the local librdkafka mock cluster cannot be built: ${build.error}. ` +
        `Install the apt packages ${MOCK_CLUSTER_APT_PACKAGES.join(' and ')} (apt-get install ${MOCK_CLUSTER_APT_PACKAGES.join(' ')}), or give --brokers host:port.`,
    );
  }
  const cluster = await MockKafkaCluster.start({ partitions: BENCH_MOCK_PARTITIONS, topics: ALL_TOPICS });
  return {
    description: `librdkafka mock cluster ${cluster.brokers.join(',')} (${BENCH_MOCK_PARTITIONS} partitions)`,
    env: {
      KAFKA_BROKERS: cluster.brokers.join(','),
      KAFKA_IDEMPOTENT: 'false',
      KAFKA_CREATE_TOPICS: 'false',
      KAFKA_PARTITIONS: String(BENCH_MOCK_PARTITIONS),
      KAFKA_FETCH_MAX_WAIT_MS: String(BENCH_MOCK_FETCH_MAX_WAIT_MS),
    },
    stop: () => cluster.stop(),
  };
}
