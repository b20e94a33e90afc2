import { AppConfig, Logger } from '@aicrn/platform';
import { MemoryStateStore, StateStore } from '@aicrn/state';
import { InMemoryBus, MessageBus } from '@aicrn/transport';

/** Selects the transport adapter from configuration: Kafka when KAFKA_BROKERS is set, else in memory. */
export async function createMessageBus(config: AppConfig, logger: Logger): Promise<MessageBus> {
  if (config.transport === 'memory') {
    return new InMemoryBus({
      onHandlerError: (topic, group, error) => logger.error({ topic, group, err: error }, 'batch handler failed; redelivering after backoff'),
    });
  }
  const { createKafkaBus } = await import('@aicrn/kafka');
  return createKafkaBus(config.source, logger);
}

/** Selects the state adapter: Redis when REDIS_URL is set, else in memory. */
export async function createStateStore(config: AppConfig, logger: Logger): Promise<StateStore> {
  if (config.state === 'memory') return new MemoryStateStore();
  const { createRedisStateStore } = await import('@aicrn/redis');
  return createRedisStateStore(config.source, logger);
}
