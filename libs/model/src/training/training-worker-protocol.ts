import type { BackendName } from '../runtime/backend';
import type { LossScales } from './training-loss';

/** Where one model weight lives in the shared weight buffer (trainable weights first, model.weights order). */
export interface WeightSlot {
  name: string;
  shape: number[];
  trainable: boolean;
  /** Offset and length in float32 elements. */
  offset: number;
  size: number;
}

/** What a training worker thread is started with. */
export interface TrainingWorkerInit {
  /** The model's topology (LayersModel.toJSON), so the worker has exactly the main thread's network. */
  topology: unknown;
  layout: WeightSlot[];
  /** Float32 view of every weight: the main thread writes it between steps, workers read it at the start of one. */
  weights: SharedArrayBuffer;
  backend: BackendName;
  /** Shared memory of the ShardGroup through which the workers synchronise batch norm within a step. */
  group: SharedArrayBuffer;
  workers: number;
  /** Longest vector a batch-norm layer all-reduces (2 x its channels + 1). */
  maxReduceLength: number;
}

/**
 * One shard: inputs [windows, time, 8] row-major, standardised labels and their 0/1 mask [windows, targets], wave
 * classes per backbone step [windows, steps] (null: the delineation is not trained this step) and the whole batch's
 * loss scales.
 */
export type ToTrainingWorker =
  | {
      type: 'step';
      id: number;
      rank: number;
      windows: number;
      input: Float32Array;
      labels: Float32Array;
      mask: Float32Array;
      waves: Uint8Array | null;
      scales: LossScales;
    }
  | { type: 'close' };

export type FromTrainingWorker =
  | { type: 'ready'; backend: string }
  | { type: 'init-error'; message: string }
  /**
   * loss: the shard's loss sums times the batch's scales (scaledLoss); gradients: of that loss, trainable slots
   * concatenated; state: the non-trainable weights (batch-norm moving statistics) after the step.
   */
  | { type: 'result'; id: number; loss: number; gradients: Float32Array; state: Float32Array }
  | { type: 'error'; id: number; message: string };
