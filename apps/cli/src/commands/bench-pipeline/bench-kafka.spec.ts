import { BadInputError } from '../bad-input';
import { provideBenchKafka } from './bench-kafka';

describe('provideBenchKafka', () => {
  it('uses --brokers before KAFKA_BROKERS and starts nothing', async () => {
    const kafka = await provideBenchKafka('10.0.0.1:9092,10.0.0.2:9092', { KAFKA_BROKERS: 'elsewhere:9092' });
    expect(kafka.env).toEqual({ KAFKA_BROKERS: '10.0.0.1:9092,10.0.0.2:9092' });
    expect(kafka.description).toBe('brokers 10.0.0.1:9092,10.0.0.2:9092');
    await kafka.stop();
    expect((await provideBenchKafka(undefined, { KAFKA_BROKERS: 'kafka:9092' })).env).toEqual({ KAFKA_BROKERS: 'kafka:9092' });
  });

  it('reports a malformed broker list or Kafka setting as bad input, naming it', async () => {
    await expect(provideBenchKafka('kafka', {})).rejects.toThrow(BadInputError);
    await expect(provideBenchKafka('kafka', {})).rejects.toThrow(/"kafka" is not host:port/);
    await expect(provideBenchKafka('kafka:9092', { KAFKA_SASL_MECHANISM: 'md5' })).rejects.toThrow(/KAFKA_SASL_MECHANISM/);
  });
});
