import { BadInputError, isBadInput } from '../bad-input';
import { provideBenchKafka } from './bench-kafka';

// As on a machine without gcc: the launcher reports why it cannot build the mock cluster.
jest.mock('@aicrn/kafka', () => ({
  ...jest.requireActual('@aicrn/kafka'),
  mockClusterBinary: () => ({ error: 'gcc could not run: spawnSync gcc ENOENT (apt-get install gcc librdkafka-dev)' }),
  MockKafkaCluster: { start: () => Promise.reject(new Error('must not be started')) },
}));

describe('provideBenchKafka without brokers and without the means to build the mock cluster', () => {
  it('fails as bad input (isBadInput: exit 2), naming both ways out: the apt packages and --brokers', async () => {
    const failure = await provideBenchKafka(undefined, {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BadInputError);
    expect(isBadInput(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/neither --brokers nor KAFKA_BROKERS/);
    expect((failure as Error).message).toMatch(/gcc could not run/);
    expect((failure as Error).message).toMatch(/apt packages gcc and librdkafka-dev/);
  });
});
