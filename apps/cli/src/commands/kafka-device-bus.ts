import { KafkaBus, KafkaConfigError, STDERR_LOGGER, createKafkaBus } from '@aicrn/kafka';
import { BadInputError } from './bad-input';

/**
 * The Kafka bus of a device-side command: brokers from --kafka (else KAFKA_BROKERS), every other
 * Kafka setting (SASL, TLS, KAFKA_IDEMPOTENT, SCHEMA_REGISTRY_URL) from the environment like the apps.
 * Configuration mistakes are bad input (exit 2); an unreachable cluster is a plain error.
 */
export async function connectDeviceBus(command: string, brokers: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<KafkaBus> {
  const list = brokers ?? env.KAFKA_BROKERS;
  if (!list?.trim()) throw new BadInputError('--kafka <brokers> is required (host:port[,host:port...]), or set KAFKA_BROKERS');
  try {
    return await createKafkaBus({ ...env, KAFKA_BROKERS: list, KAFKA_CLIENT_ID: env.KAFKA_CLIENT_ID ?? `aicrn-${command}` }, STDERR_LOGGER);
  } catch (error) {
    if (error instanceof KafkaConfigError) throw new BadInputError(error.message);
    throw new Error(`cannot connect to Kafka at ${list}: ${(error as Error).message}`);
  }
}
