import { Partitioners } from 'kafkajs';
import { partitionForKey } from './partitioner';

describe('partitionForKey', () => {
  it('puts a key on the same partition as the Kafka client does', () => {
    const kafkaPartitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
    for (const key of ['bed-01', 'bed-02', 'bed-17', 'icu-3-bed-12', 'x', 'αβγ', '']) {
      const expected = kafkaPartitioner({ topic: 'ecg.raw.v1', partitionMetadata, message: { key, value: null } });
      expect(partitionForKey(key, 12)).toBe(expected);
    }
  });
});
