import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { AicrnConfig } from '../config';
import { BackendName } from '../runtime/backend';
import { shardBounds } from '../runtime/batch-shards';
import { closeWorker } from '../runtime/close-worker';
import { resolveWorkerScript } from '../runtime/worker-script';
import { Standardisation } from '../model-metadata';
import { standardiseLabels } from './standardisation';
import { lossScales, waveShape } from './training-loss';
import { TrainingSample } from './training-sample';
import { UNKNOWN_WAVE } from './wave-labels';
import { ShardGroup } from './shard-group';
import { FromTrainingWorker, ToTrainingWorker, TrainingWorkerInit, WeightSlot } from './training-worker-protocol';

/** A training worker died or failed a step; the model in the main thread still holds the last completed step. */
export class TrainingWorkerError extends Error {}

interface Slot {
  id: number;
  worker: Worker;
  exited: boolean;
  pending: { id: number; resolve(result: ShardResult): void; reject(error: Error): void } | null;
}

interface ShardResult {
  loss: number;
  gradients: Float32Array;
  state: Float32Array;
}

export interface DataParallelOptions {
  /** The model being trained (main thread): it receives the updates and is what checkpoints save. */
  model: tf.LayersModel;
  config: AicrnConfig;
  workers: number;
  /** Weight of the delineation loss (a model with that output); 0 or absent trains the regression alone. */
  delineationWeight?: number;
  /** Default: this thread's backend. */
  backend?: BackendName;
  closeTimeoutMs?: number;
}

/**
 * Data-parallel training over worker threads. Each step the batch is split into contiguous shards, one per
 * worker; every worker loads the current weights (one shared buffer, written once per step), and returns its
 * shard's loss sums scaled by the whole batch's denominators (lossScales) and their gradients. Their sum is the
 * batch's loss gradient, which the optimizer in this thread applies, so its moments, checkpoints and resume are unchanged.
 *
 * Batch normalisation is synchronised across the workers (sync-batch-norm.ts): every shard is normalised with
 * the whole batch's statistics and the moving statistics are updated with them, so the step is the single-thread
 * step on the whole batch up to float rounding. Without it, 2 shards of 4 windows gave a serving-preset gradient
 * 26 % (relative L2) away from the whole batch's.
 */
export class DataParallelTrainer {
  private readonly slots: Slot[] = [];
  private nextStepId = 1;
  private failure: TrainingWorkerError | null = null;
  private closing = false;
  private readonly weights: tf.LayerVariable[];
  private readonly layout: WeightSlot[];
  private readonly shared: Float32Array;
  private readonly trainableSize: number;
  private readonly groupBuffer: SharedArrayBuffer;
  private readonly group: ShardGroup;
  private readonly maxReduceLength: number;

  private constructor(private readonly options: DataParallelOptions) {
    const { model } = options;
    this.weights = [...model.trainableWeights, ...model.nonTrainableWeights];
    let offset = 0;
    this.layout = this.weights.map((w, i) => {
      const size = (w.shape as number[]).reduce((a, b) => a * b, 1);
      const slot = { name: w.originalName, shape: w.shape as number[], trainable: i < model.trainableWeights.length, offset, size };
      offset += size;
      return slot;
    });
    this.shared = new Float32Array(new SharedArrayBuffer(offset * Float32Array.BYTES_PER_ELEMENT));
    this.trainableSize = this.layout.filter((s) => s.trainable).reduce((n, s) => n + s.size, 0);
    // Spatial attention's batch norm has 1 channel, never the longest.
    const channels = model.layers.filter((l) => l.getClassName() === 'BatchNormalization').map((l) => l.weights[0].shape[0] as number);
    this.maxReduceLength = 2 * Math.max(0, ...channels) + 1;
    this.groupBuffer = new SharedArrayBuffer(ShardGroup.bytes(options.workers, this.maxReduceLength));
    this.group = new ShardGroup(this.groupBuffer, options.workers, this.maxReduceLength);
  }

  /** Starts the workers; resolves when every one has its backend and model, rejects (stopping them) otherwise. */
  static async start(options: DataParallelOptions): Promise<DataParallelTrainer> {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`workers must be a positive integer, got ${options.workers}`);
    const trainer = new DataParallelTrainer(options);
    const init: TrainingWorkerInit = {
      topology: options.model.toJSON(undefined, false),
      layout: trainer.layout,
      weights: trainer.shared.buffer as SharedArrayBuffer,
      backend: options.backend ?? (tf.getBackend() as BackendName),
      group: trainer.groupBuffer,
      workers: options.workers,
      maxReduceLength: trainer.maxReduceLength,
    };
    const script = resolveWorkerScript(__dirname, 'training-worker');
    try {
      await Promise.all(Array.from({ length: options.workers }, (_, i) => trainer.spawn(i + 1, script, init)));
    } catch (error) {
      await trainer.close();
      throw error;
    }
    return trainer;
  }

  get size(): number {
    return this.slots.length;
  }

  /** The worker threads (tests stop one to check crash handling). */
  get workers(): Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /**
   * One optimizer step on the batch, spread over the workers; returns the batch's masked MSE. Rejects with
   * TrainingWorkerError, leaving the model unchanged, when a worker crashes or fails its shard.
   */
  async step(optimizer: tf.Optimizer, batch: readonly TrainingSample[], standardisation: Partial<Standardisation>): Promise<number> {
    if (this.failure) throw this.failure;
    const targets = this.options.config.targets.length;
    const { values, mask } = standardiseLabels(batch.map((s) => s.labels), this.options.config.targets, standardisation);
    const weight = this.options.delineationWeight ?? 0;
    const scales = lossScales(mask, weight > 0 ? batch.map((s) => s.waves) : [], weight);
    this.weights.forEach((w, i) => this.shared.set(w.read().dataSync() as Float32Array, this.layout[i].offset));

    const shards = shardBounds(batch.length, this.slots.length);
    this.group.beginStep(shards.length);
    const settled = await Promise.allSettled(
      shards.map(([start, end], i) => {
        const width = batch[0].input.length;
        const input = new Float32Array((end - start) * width);
        for (let w = start; w < end; w++) input.set(batch[w].input, (w - start) * width);
        return this.run(this.slots[i], {
          type: 'step',
          id: this.nextStepId++,
          rank: i,
          windows: end - start,
          input,
          labels: values.slice(start * targets, end * targets),
          mask: mask.slice(start * targets, end * targets),
          waves: scales.delineation > 0 ? shardWaves(batch.slice(start, end), waveShape(this.options.config).reduce((a, b) => a * b, 1)) : null,
          scales,
        });
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason instanceof TrainingWorkerError ? failed.reason : new TrainingWorkerError(String(failed.reason));
    const results = settled.map((s) => (s as PromiseFulfilledResult<ShardResult>).value);

    // The shards' scaled sums add up to the whole batch's loss and gradient.
    const gradients = new Float32Array(this.trainableSize);
    for (const r of results) for (let j = 0; j < gradients.length; j++) gradients[j] += r.gradients[j];
    // Every worker updated the moving statistics with the same (whole-batch) mean and variance.
    const { state } = results[0];

    tf.tidy(() => {
      const named: tf.NamedTensorMap = {};
      // Same order as the single-thread path (model.trainableWeights): optimizers keep their moments by position.
      this.layout.forEach((slot, i) => {
        if (slot.trainable) named[(this.weights[i].read() as tf.Variable).name] = tf.tensor(gradients.subarray(slot.offset, slot.offset + slot.size), slot.shape);
        else this.weights[i].write(tf.tensor(state.subarray(slot.offset - this.trainableSize, slot.offset - this.trainableSize + slot.size), slot.shape));
      });
      optimizer.applyGradients(named);
    });
    return results.reduce((sum, r) => sum + r.loss, 0);
  }

  /** Stops every worker (asks first, terminates after closeTimeoutMs). */
  async close(): Promise<void> {
    this.closing = true;
    const timeoutMs = this.options.closeTimeoutMs ?? 5000;
    await Promise.all(
      this.slots
        .splice(0)
        .filter((slot) => !slot.exited)
        .map((slot) => closeWorker(slot.worker, { type: 'close' } satisfies ToTrainingWorker, timeoutMs)),
    );
  }

  private spawn(id: number, script: string, init: TrainingWorkerInit): Promise<void> {
    const worker = new Worker(script, { workerData: init });
    const slot: Slot = { id, worker, exited: false, pending: null };
    this.slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromTrainingWorker) => {
        if (message.type === 'ready') {
          ready = true;
          resolve();
        } else if (message.type === 'init-error') {
          reject(new TrainingWorkerError(`training worker ${id} could not start: ${message.message}`));
        } else if (slot.pending && slot.pending.id === message.id) {
          const pending = slot.pending;
          slot.pending = null;
          if (message.type === 'result') pending.resolve({ loss: message.loss, gradients: message.gradients, state: message.state });
          else pending.reject(this.fail(`training worker ${id} failed its shard: ${message.message}`));
        }
      });
      worker.on('error', (error) => this.crashed(slot, error.message));
      worker.on('exit', (code) => {
        slot.exited = true;
        if (!ready) reject(new TrainingWorkerError(`training worker ${id} exited with code ${code} before it was ready`));
        if (!this.closing) this.crashed(slot, `exited with code ${code}`);
      });
    });
  }

  private run(slot: Slot, message: Extract<ToTrainingWorker, { type: 'step' }>): Promise<ShardResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ShardResult>((resolve, reject) => {
      slot.pending = { id: message.id, resolve, reject };
      const transfer = [message.input.buffer, message.labels.buffer, message.mask.buffer, ...(message.waves ? [message.waves.buffer] : [])] as ArrayBuffer[];
      slot.worker.postMessage(message, transfer);
    });
  }

  /** A crash fails the running step and every later one: the trainer does not replace workers mid-run. */
  private crashed(slot: Slot, reason: string): void {
    const error = this.fail(`training worker ${slot.id} crashed (${reason})`);
    const pending = slot.pending;
    slot.pending = null;
    pending?.reject(error);
  }

  private fail(message: string): TrainingWorkerError {
    if (!this.failure) {
      this.failure = new TrainingWorkerError(message);
      // Workers waiting for the failed one inside a synchronised batch norm would otherwise wait forever.
      this.group.abort();
    }
    return this.failure;
  }
}

/** The shard's wave classes, window after window; a window without them is all unknown (so is a shard without any). */
function shardWaves(samples: readonly TrainingSample[], perWindow: number): Uint8Array {
  const out = new Uint8Array(samples.length * perWindow).fill(UNKNOWN_WAVE);
  samples.forEach((s, i) => s.waves && out.set(s.waves, i * perWindow));
  return out;
}

