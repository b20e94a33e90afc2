import { joinShardOutputs, shardBounds } from './batch-shards';
import { BatchOutput } from './model-runtime';

function output(batchSize: number, first: number, delineationSteps?: number): BatchOutput {
  const values = (perWindow: number) => Float32Array.from({ length: batchSize * perWindow }, (_, i) => first + i);
  return {
    batchSize,
    targets: values(2),
    attention: values(3),
    attentionLength: 3,
    ...(delineationSteps ? { delineation: values(delineationSteps * 48), delineationSteps } : {}),
  };
}

describe('shardBounds', () => {
  const sizes = (windows: number, workers: number) => shardBounds(windows, workers).map(([start, end]) => end - start);

  it.each([
    [16, 2, [8, 8]],
    [17, 2, [9, 8]],
    [10, 4, [3, 3, 2, 2]],
    [3, 8, [1, 1, 1]],
    [5, 1, [5]],
  ])('cuts a batch of %d over %d workers into %j', (batch, parts, expected) => {
    expect(sizes(batch, parts)).toEqual(expected);
  });

  it('refuses an empty batch and a shard count below one', () => {
    expect(() => shardBounds(0, 2)).toThrow('batch size must be a positive integer');
    expect(() => shardBounds(4, 0)).toThrow('shard count must be a positive integer');
  });
});

describe('joinShardOutputs', () => {
  it('lays the shards out as one batch, window by window in shard order', () => {
    const joined = joinShardOutputs([output(2, 0, 2), output(1, 100, 2)]);
    expect(joined.batchSize).toBe(3);
    expect(Array.from(joined.targets)).toEqual([0, 1, 2, 3, 100, 101]);
    expect(Array.from(joined.attention)).toEqual([0, 1, 2, 3, 4, 5, 100, 101, 102]);
    expect(joined.attentionLength).toBe(3);
    expect(joined.delineationSteps).toBe(2);
    expect(joined.delineation).toHaveLength(3 * 2 * 48);
    expect(joined.delineation![2 * 2 * 48]).toBe(100);
  });

  it('leaves out the delineation when no shard has one', () => {
    const joined = joinShardOutputs([output(1, 0), output(1, 10)]);
    expect(joined.delineation).toBeUndefined();
    expect(joined.delineationSteps).toBeUndefined();
  });

  it('refuses shards of different shapes rather than misplace a window', () => {
    expect(() => joinShardOutputs([output(1, 0, 2), output(1, 0)])).toThrow('disagree on the delineation output');
    expect(() => joinShardOutputs([output(1, 0, 2), output(1, 0, 3)])).toThrow('disagree on their shapes');
    expect(() => joinShardOutputs([])).toThrow('no shard outputs');
  });
});
