import { describeWithKafka } from '../../../test/infra';
import { describeMessageBusContract } from '../../transport/src/testing/message-bus-contract';
import { KafkaBus } from './kafka-bus';
import { kafkaTestConfig } from './kafka-test-config';
import { BusLogger } from './bus-logger';

const quiet: BusLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describeWithKafka('KafkaBus', (kafka) => {
  describeMessageBusContract('kafka', () => KafkaBus.connect(kafkaTestConfig(kafka()), { logger: quiet }), {
    deliveryTimeoutMs: 20_000,
    settleMs: 2_500,
    testTimeoutMs: 60_000,
  });
});
