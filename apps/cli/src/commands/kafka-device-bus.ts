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

/** Longest a device command waits for its producer to disconnect. */
const CLOSE_TIMEOUT_MS = 3_000;

/** Closes a device command's bus; a producer that cannot say goodbye to an absent broker is not waited for. */
export async function closeDeviceBus(bus: Pick<KafkaBus, 'close'>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([bus.close(), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

/**
 * Ends the process once a run stopped by Ctrl-C has reported windows it could not send. The producer
 * keeps retrying a send the outbox gave up on (15 retries of at most 2 s, ~25 s against an absent broker) and its timers
 * would keep the process alive although nothing is left to do.
 */
export function exitIfWindowsAbandoned(unsent: number): void {
  if (unsent > 0) process.exit();
}
