import { Kafka, KafkaConfig as KafkaJsConfig, SASLOptions, logLevel } from 'kafkajs';
import { BusLogger } from './bus-logger';
import { KafkaConfig } from './kafka-config';

/** The kafkajs client for a config. kafkajs log lines go to `logger` (they never carry credentials). */
export function createKafkaClient(config: KafkaConfig, logger: BusLogger): Kafka {
  const options: KafkaJsConfig = {
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    // kafkajs restarts a crashed consumer after its last retry delay, and a producer waiting for a new leader
    // sleeps out its current delay: a 2 s cap keeps a broker failover to seconds (a 10 s cap measured 25-28 s
    // from broker loss to measured windows in the broker-down fault suite). 15 retries still span ~25 s.
    retry: { initialRetryTime: 250, retries: 15, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...fields } = entry.log;
      const target = entry.level <= logLevel.ERROR ? logger.error : entry.level === logLevel.WARN ? logger.warn : logger.debug;
      target.call(logger, { kafkajs: entry.namespace, ...fields }, message);
    },
  };
  if (config.tls) options.ssl = { rejectUnauthorized: config.tls.rejectUnauthorized, ...(config.tls.ca ? { ca: [config.tls.ca] } : {}) };
  if (config.sasl) {
    options.sasl = { mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password } as SASLOptions;
  }
  return new Kafka(options);
}
