import { describeWithKafka } from '../../../test/infra';
import { describeMessageBusContract } from '../../transport/src/testing/message-bus-contract';
import { KafkaBus } from './kafka-bus';
import { kafkaTestConfig } from './kafka-test-config';
import { BusLogger } from './bus-logger';

const quiet: BusLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describeWithKafka('KafkaBus', (kafka) => {
  describeMessageBusContract('kafka', () => KafkaBus.connect(kafkaTestConfig(kafka()), { logger: quiet }), {
    deliveryTimeoutMs: 20_000,
    // The mock broker takes about 3 s to form a group; the second member joins and triggers a rebalance after that.
    settleMs: 6_000,
    testTimeoutMs: 60_000,
  });
});
