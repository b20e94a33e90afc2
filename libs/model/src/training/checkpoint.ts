import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './named-tensor';
import { AicrnModelMetadata } from '../model-metadata';
import { saveAicrnModel } from '../io/model-store';
import { loadAicrnModel } from '../runtime/tfjs-model-runtime';
import { CosineRestartSchedule } from './lr-schedule';

export const CHECKPOINT_DIR = 'checkpoint';
export const BEST_DIR = 'best';
const STATE_FILE = 'training-state.json';
const OPTIMIZER_FILE = 'optimizer.bin';

/** The validation quantity that selects the best weights and drives early stopping. */
export const SELECTION_QUANTITIES = ['loss', 'delineation'] as const;
export type SelectionQuantity = (typeof SELECTION_QUANTITIES)[number];

/** How reports name a run's best value: what its `selectOn` measures. */
export function selectionName(selectOn: SelectionQuantity | undefined): string {
  return selectOn === 'delineation' ? 'wave cross-entropy' : 'validation loss';
}

/** Everything besides the weights that a resumed run needs, and the history people want to see. */
export interface TrainingState {
  /** Optimizer steps taken (the next step's index). */
  step: number;
  epoch: number;
  /** Training windows drawn so far: the stream position to resume at. */
  samplesSeen: number;
  /** The lowest selection quantity so far (see `selectOn`). */
  bestValidationLoss: number | null;
  bestStep: number | null;
  /**
   * What picks `best/`: the validation loss (the training objective) or the delineation cross-entropy alone.
   * Absent in checkpoints written before the choice existed, which selected on the loss.
   */
  selectOn?: SelectionQuantity;
  epochsWithoutImprovement: number;
  /** Wall time spent training across all sessions, seconds. */
  trainingSeconds: number;
  optimizer: 'adam' | 'nadam';
  schedule: CosineRestartSchedule;
  batchSize: number;
  seed: number;
  dataset: string;
  history: Array<{ epoch: number; step: number; train_loss: number; validation_loss: number; validation_wave_ce?: number | null; lr: number; seconds: number }>;
  /** Optimizer variables (moments, iteration count) stored in optimizer.bin. */
  optimizerWeights: tf.io.WeightsManifestEntry[];
}

/**
 * Writes model + metadata + optimizer state + training state into `<out>/checkpoint`. The new checkpoint is
 * written beside the old one and renamed over it, so an interruption mid-write leaves the previous one intact.
 */
export async function saveCheckpoint(
  outDir: string,
  model: tf.LayersModel,
  metadata: AicrnModelMetadata,
  optimizer: tf.Optimizer,
  state: Omit<TrainingState, 'optimizerWeights'>,
): Promise<void> {
  const final = path.join(outDir, CHECKPOINT_DIR);
  const staging = `${final}.tmp-${process.pid}`;
  await fs.promises.rm(staging, { recursive: true, force: true });
  await saveAicrnModel(model, staging, metadata);
  const named = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(named);
  await fs.promises.writeFile(path.join(staging, OPTIMIZER_FILE), Buffer.from(tf.io.CompositeArrayBuffer.join(data)));
  const full: TrainingState = { ...state, optimizerWeights: specs };
  await fs.promises.writeFile(path.join(staging, STATE_FILE), `${JSON.stringify(full, null, 2)}\n`);
  const previous = `${final}.old-${process.pid}`;
  if (fs.existsSync(final)) await fs.promises.rename(final, previous);
  await fs.promises.rename(staging, final);
  await fs.promises.rm(previous, { recursive: true, force: true });
}

export function hasCheckpoint(outDir: string): boolean {
  return fs.existsSync(path.join(outDir, CHECKPOINT_DIR, STATE_FILE));
}

/** Loads a checkpoint: the model (with its metadata), the training state, and the optimizer variables to restore (empty if not saved). */
export async function loadCheckpoint(
  outDir: string,
): Promise<{ model: tf.LayersModel; metadata: AicrnModelMetadata; state: TrainingState; optimizerWeights: NamedTensor[] }> {
  const dir = path.join(outDir, CHECKPOINT_DIR);
  const statePath = path.join(dir, STATE_FILE);
  if (!fs.existsSync(statePath)) throw new Error(`no checkpoint to resume in ${dir} (missing ${STATE_FILE})`);
  const state = JSON.parse(await fs.promises.readFile(statePath, 'utf8')) as TrainingState;
  if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`${statePath}: step must be a non-negative integer, got ${state.step}`);
  const { model, metadata } = await loadAicrnModel({ kind: 'directory', path: dir });
  // Shipped checkpoints may leave the optimizer moments out (they are twice the model's size): the run then
  // resumes with fresh moments, which the caller logs.
  const optimizerPath = path.join(dir, OPTIMIZER_FILE);
  if (!fs.existsSync(optimizerPath)) return { model, metadata, state, optimizerWeights: [] };
  const buffer = await fs.promises.readFile(optimizerPath);
  const bytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const decoded = tf.io.decodeWeights(bytes, state.optimizerWeights);
  const optimizerWeights = state.optimizerWeights.map((spec) => ({ name: spec.name, tensor: decoded[spec.name] }));
  return { model, metadata, state, optimizerWeights };
}
