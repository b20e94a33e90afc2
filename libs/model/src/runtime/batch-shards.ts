import { BatchOutput } from './model-runtime';

/** Sizes of `parts` contiguous shards of a batch, as equal as possible, the larger first; never an empty shard. */
export function shardSizes(batchSize: number, parts: number): number[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(parts) || parts < 1) throw new Error(`shard count must be a positive integer, got ${parts}`);
  const count = Math.min(parts, batchSize);
  const base = Math.floor(batchSize / count);
  const larger = batchSize % count;
  return Array.from({ length: count }, (_, i) => base + (i < larger ? 1 : 0));
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
