import { generateWindow, SyntheticWindow } from '../synth/generator';
import { mixSeed, Rng } from '../synth/random';
import { randomSpec, SpecRanges } from '../synth/random-spec';

export type DatasetSplit = 'train' | 'val' | 'test';
const SPLITS: readonly DatasetSplit[] = ['train', 'val', 'test'];
const SPLIT_SPAN = 2 ** 30;

export interface SyntheticDatasetOptions {
  seed: number;
  count: number;
  split: DatasetSplit;
  ranges?: Partial<SpecRanges>;
}

/**
 * Window seed of the i-th window of a split. The split owns the top two bits of the 32-bit seed, so
 * train, val and test can never share a window, whatever the base seed; within a split seeds are distinct
 * for i < 2^30.
 */
export function syntheticWindowSeed(seed: number, split: DatasetSplit, index: number): number {
  const s = SPLITS.indexOf(split);
  if (s < 0) throw new Error(`unknown split '${String(split)}'; options: ${SPLITS.join(', ')}`);
  if (!Number.isInteger(index) || index < 0 || index >= SPLIT_SPAN) throw new Error(`window index must be an integer in [0, 2^30), got ${index}`);
  return s * SPLIT_SPAN + ((mixSeed(seed) + index) % SPLIT_SPAN);
}

/** Lazily generated labelled windows covering the clinical ranges (one random spec per window). */
export function* syntheticWindows(options: SyntheticDatasetOptions): Generator<SyntheticWindow> {
  const { seed, count, split, ranges } = options;
  if (!Number.isInteger(seed)) throw new Error(`syntheticWindows seed must be an integer, got ${seed}`);
  if (!Number.isInteger(count) || count < 0) throw new Error(`syntheticWindows count must be a non-negative integer, got ${count}`);
  for (let i = 0; i < count; i++) {
    const windowSeed = syntheticWindowSeed(seed, split, i);
    const spec = randomSpec(new Rng(mixSeed(windowSeed, 0x59ec)), ranges);
    yield generateWindow(spec, windowSeed, `synthetic/${split}/seed-${seed}/${i}`);
  }
}
