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
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
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
