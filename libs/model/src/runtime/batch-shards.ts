import { BatchOutput } from './model-runtime';

/**
 * [start, end) of each contiguous shard of a batch of `windows` over `workers`: as many shards as workers (or
 * windows, if fewer), differing by at most one window, the larger first. Inference (worker pool) and
 * data-parallel training split batches alike.
 */
export function shardBounds(windows: number, workers: number): Array<[number, number]> {
  if (!Number.isInteger(windows) || windows < 1) throw new Error(`batch size must be a positive integer, got ${windows}`);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`shard count must be a positive integer, got ${workers}`);
  const shards = Math.min(windows, workers);
  const bounds: Array<[number, number]> = [];
  for (let i = 0, start = 0; i < shards; i++) {
    const end = start + Math.floor(windows / shards) + (i < windows % shards ? 1 : 0);
    bounds.push([start, end]);
    start = end;
  }
  return bounds;
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** The output of a whole batch from the outputs of its consecutive shards, in order. */
export function joinShardOutputs(parts: BatchOutput[]): BatchOutput {
  if (!parts.length) throw new Error('no shard outputs to join');
  if (parts.length === 1) return parts[0];
  const [first] = parts;
  const withDelineation = parts.filter((p) => p.delineation !== undefined).length;
  if (withDelineation !== 0 && withDelineation !== parts.length) throw new Error('shard outputs disagree on the delineation output');
  for (const p of parts) {
    if (p.attentionLength !== first.attentionLength || p.delineationSteps !== first.delineationSteps) {
      throw new Error(`shard outputs disagree on their shapes (attention ${p.attentionLength} vs ${first.attentionLength}, delineation steps ${p.delineationSteps} vs ${first.delineationSteps})`);
    }
  }
  const joined: BatchOutput = {
    batchSize: parts.reduce((n, p) => n + p.batchSize, 0),
    targets: concat(parts.map((p) => p.targets)),
    attention: concat(parts.map((p) => p.attention)),
    attentionLength: first.attentionLength,
  };
  if (withDelineation) {
    joined.delineation = concat(parts.map((p) => p.delineation!));
    joined.delineationSteps = first.delineationSteps;
  }
  return joined;
}
