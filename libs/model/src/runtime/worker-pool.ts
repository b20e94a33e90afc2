import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AicrnModelMetadata, METADATA_KEY, parseModelMetadata, untrainedMetadata } from '../model-metadata';
import { BackendName } from './backend';
import { joinShardOutputs, shardBounds } from './batch-shards';
import { closeWorker } from './close-worker';
import { BatchOutput, ModelRuntime, ModelSource } from './model-runtime';
import { FromWorker, ToWorker, WorkerInit } from './worker-protocol';
import { resolveWorkerScript } from './worker-script';

export type PoolEvent =
  | { type: 'worker-ready'; workerId: number; backend: string }
  | { type: 'worker-crashed'; workerId: number; error: string; lostBatch: boolean }
  | { type: 'worker-replaced'; workerId: number; replacementId: number }
  | { type: 'restart-limit'; workerId: number; restartsInWindow: number };

export interface WorkerPoolOptions {
  source: ModelSource;
  /** Threads, each with its own backend and model; default: the number of cores. */
  size?: number;
  backend?: BackendName;
  /** Forward pass in the workers (see TfjsRuntimeOptions.graph); default 'fused'. */
  graph?: 'fused' | 'layers';
  /**
   * How a batch meets the workers. 'split' (default) cuts it into one shard per ready worker, so a batch
   * takes about 1/N of its one-worker time: about the same throughput at about 1/N the batch latency.
   * 'whole' gives each batch to one worker; throughput then comes from N batches running at once.
   */
  placement?: BatchPlacement;
  /** Defaults to the inference worker; tests may pass another script (file path or eval'd code). */
  workerScript?: { path: string } | { code: string };
  onEvent?: (event: PoolEvent) => void;
  /** Replacements allowed per minute before the pool stops replacing (a crash loop). Default 10. */
  maxRestartsPerMinute?: number;
  /** How long close() waits for a worker to exit before terminating it. */
  closeTimeoutMs?: number;
}

export type BatchPlacement = 'whole' | 'split';

export class WorkerCrashedError extends Error {}
export class PoolClosedError extends Error {}

interface Job {
  id: number;
  input: Float32Array;
  batchSize: number;
  resolve(out: BatchOutput): void;
  reject(error: Error): void;
}

interface Slot {
  id: number;
  worker: Worker;
  ready: boolean;
  job: Job | null;
  exited: boolean;
}

/** Metadata without loading TensorFlow.js in this thread: the workers hold the models. */
export function metadataOfSource(source: ModelSource): AicrnModelMetadata {
  switch (source.kind) {
    case 'random':
      return untrainedMetadata(source.config, source.seed);
    case 'artifacts':
      return parseModelMetadata(source.artifacts.userDefinedMetadata);
    case 'directory': {
      const file = path.join(source.path, 'model.json');
      let json: { userDefinedMetadata?: unknown };
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new Error(`cannot read model ${file}: ${(error as Error).message}`);
      }
      return parseModelMetadata(json.userDefinedMetadata ?? { [METADATA_KEY]: undefined });
    }
  }
}

/**
 * A pool of worker threads, each running the model on its own TensorFlow.js backend. Batches (or, with
 * placement 'split', their shards) queue in order and go to the first idle worker with their input
 * buffer transferred, not copied (a shard is copied once out of its batch). A crashed worker's batch
 * is rejected, the crash reported and the worker replaced (up to maxRestartsPerMinute).
 */
export class InferenceWorkerPool implements ModelRuntime {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly restarts: number[] = [];
  private nextWorkerId = 1;
  private nextJobId = 1;
  private closing = false;
  /** Until start() has succeeded a crash fails the start instead of being replaced. */
  private started = false;
  private readonly idleWaiters: Array<() => void> = [];
  private backendName = 'unknown';
  private readonly script: { path: string } | { code: string };

  private constructor(
    private readonly options: WorkerPoolOptions,
    readonly metadata: AicrnModelMetadata,
  ) {
    this.script = options.workerScript ?? { path: resolveWorkerScript() };
  }

  /** Starts every worker and resolves when all are ready; rejects (and stops them) if one cannot start. */
  static async start(options: WorkerPoolOptions): Promise<InferenceWorkerPool> {
    const size = options.size ?? os.availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new Error(`worker pool size must be a positive integer, got ${size}`);
    const pool = new InferenceWorkerPool(options, metadataOfSource(options.source));
    const starting = Array.from({ length: size }, () => pool.spawn());
    try {
      await Promise.all(starting.map((s) => s.ready));
    } catch (error) {
      await pool.close();
      throw error;
    }
    pool.started = true;
    return pool;
  }

  get backend(): string {
    return this.backendName;
  }

  get size(): number {
    return this.slots.length;
  }

  get threadIds(): number[] {
    return this.slots.map((s) => s.worker.threadId);
  }

  get placement(): BatchPlacement {
    return this.options.placement ?? 'split';
  }

  predict(input: Float32Array, batchSize: number): Promise<BatchOutput> {
    if (this.closing) return Promise.reject(new PoolClosedError('inference worker pool is closed'));
    if (this.slots.length === 0) return Promise.reject(new WorkerCrashedError('inference worker pool has no workers left'));
    if (!Number.isInteger(batchSize) || batchSize < 1 || input.length % batchSize !== 0) {
      return Promise.reject(new Error(`input of ${input.length} values is not a batch of ${batchSize} windows`));
    }
    const workers = this.placement === 'split' ? Math.max(1, this.slots.filter((s) => s.ready && !s.exited).length) : 1;
    const bounds = shardBounds(batchSize, workers);
    return new Promise((resolve, reject) => {
      if (bounds.length === 1) this.queue.push({ id: this.nextJobId++, input, batchSize, resolve, reject });
      else this.queueShards(input, input.length / batchSize, bounds, resolve, reject);
      this.pump();
    });
  }

  /** One job per shard; the batch resolves when every shard has, and fails (dropping its queued shards) when one fails. */
  private queueShards(
    input: Float32Array,
    valuesPerWindow: number,
    bounds: Array<[number, number]>,
    resolve: (out: BatchOutput) => void,
    reject: (error: Error) => void,
  ): void {
    const outputs: BatchOutput[] = [];
    const ids = new Set<number>();
    let remaining = bounds.length;
    let failed = false;
    bounds.forEach(([start, end], index) => {
      const id = this.nextJobId++;
      ids.add(id);
      this.queue.push({
        id,
        input: input.slice(start * valuesPerWindow, end * valuesPerWindow),
        batchSize: end - start,
        resolve: (out) => {
          if (failed) return;
          outputs[index] = out;
          if (--remaining > 0) return;
          try {
            resolve(joinShardOutputs(outputs));
          } catch (error) {
            reject(error as Error);
          }
        },
        reject: (error) => {
          if (failed) return;
          failed = true;
          for (let i = this.queue.length - 1; i >= 0; i--) if (ids.has(this.queue[i].id)) this.queue.splice(i, 1);
          reject(error);
          this.notifyIfIdle();
        },
      });
    });
  }

  async dispose(): Promise<void> {
    await this.close();
  }

  /** Finishes queued and running batches, then stops every worker. */
  async close(): Promise<void> {
    this.closing = true;
    await this.drained();
    const timeoutMs = this.options.closeTimeoutMs ?? 5000;
    await Promise.all(
      this.slots.filter((slot) => !slot.exited).map((slot) => closeWorker(slot.worker, { type: 'close' } satisfies ToWorker, timeoutMs)),
    );
    this.slots.length = 0;
  }

  private get busy(): boolean {
    return this.queue.length > 0 || this.slots.some((s) => s.job !== null);
  }

  private drained(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIfIdle(): void {
    if (!this.busy) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  private spawn(): { slot: Slot; ready: Promise<void> } {
    const init: WorkerInit = { source: this.options.source, backend: this.options.backend, graph: this.options.graph };
    const worker = 'code' in this.script ? new Worker(this.script.code, { eval: true, workerData: init }) : new Worker(this.script.path, { workerData: init });
    const slot: Slot = { id: this.nextWorkerId++, worker, ready: false, job: null, exited: false };
    this.slots.push(slot);
    let settled = false;
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          slot.ready = true;
          this.backendName = message.backend;
          this.options.onEvent?.({ type: 'worker-ready', workerId: slot.id, backend: message.backend });
          settled = true;
          resolve();
          this.pump();
        } else if (message.type === 'init-error') {
          settled = true;
          reject(new Error(`inference worker ${slot.id} could not start: ${message.message}`));
        } else {
          this.onResult(slot, message);
        }
      });
      worker.on('error', (error) => this.onCrash(slot, error.message));
      worker.on('exit', (code) => {
        slot.exited = true;
        if (!settled) {
          settled = true;
          reject(new Error(`inference worker ${slot.id} exited with code ${code} before it was ready`));
        }
        if (!this.closing) this.onCrash(slot, code !== 0 ? `exited with code ${code}` : 'exited unexpectedly');
      });
    });
    // A replacement that never starts is reported through onCrash/exit; nobody awaits its promise.
    ready.catch(() => undefined);
    return { slot, ready };
  }

  private onResult(slot: Slot, message: Extract<FromWorker, { type: 'result' | 'error' }>): void {
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    slot.job = null;
    if (message.type === 'result') {
      const { type: _type, id: _id, ...output } = message;
      job.resolve(output);
    } else {
      job.reject(new Error(`inference worker ${slot.id}: ${message.message}`));
    }
    this.pump();
    this.notifyIfIdle();
  }

  private onCrash(slot: Slot, error: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = null;
    this.options.onEvent?.({ type: 'worker-crashed', workerId: slot.id, error, lostBatch: job !== null });
    job?.reject(new WorkerCrashedError(`inference worker ${slot.id} crashed (${error}) while running a batch of ${job.batchSize}`));
    if (!slot.exited) void slot.worker.terminate();
    if (this.closing || !this.started) {
      if (this.slots.length === 0) this.failQueued(`inference worker ${slot.id} crashed (${error}) and the pool is ${this.closing ? 'closing' : 'starting'}`);
      this.notifyIfIdle();
      return;
    }
    const now = Date.now();
    while (this.restarts.length && now - this.restarts[0] > 60_000) this.restarts.shift();
    const limit = this.options.maxRestartsPerMinute ?? 10;
    if (this.restarts.length >= limit) {
      this.options.onEvent?.({ type: 'restart-limit', workerId: slot.id, restartsInWindow: this.restarts.length });
      if (this.slots.length === 0) this.failQueued(`every inference worker crashed and the restart limit (${limit}/min) is reached`);
      this.notifyIfIdle();
      return;
    }
    this.restarts.push(now);
    const replacement = this.spawn();
    this.options.onEvent?.({ type: 'worker-replaced', workerId: slot.id, replacementId: replacement.slot.id });
    this.notifyIfIdle();
  }

  private failQueued(reason: string): void {
    for (const job of this.queue.splice(0)) job.reject(new WorkerCrashedError(reason));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.ready || slot.job || slot.exited) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      // Transfer, not copy: the caller hands the batch buffer over (a view is copied out first).
      const input = job.input.byteOffset === 0 && job.input.byteLength === job.input.buffer.byteLength ? job.input : job.input.slice();
      slot.worker.postMessage({ type: 'predict', id: job.id, input, batchSize: job.batchSize } satisfies ToWorker, [input.buffer as ArrayBuffer]);
    }
  }
}
