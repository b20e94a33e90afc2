import * as os from 'node:os';
import { AICRN_INPUT_LEADS, AicrnPresetName, inputSamples, presetConfig } from '../config';
import { BackendName } from '../runtime/backend';
import { BatchPlacement, InferenceWorkerPool, PoolEvent } from '../runtime/worker-pool';

export interface InferenceBenchOptions {
  preset: AicrnPresetName;
  batch: number;
  workers?: number;
  seconds: number;
  backend?: BackendName;
  /** See WorkerPoolOptions.placement; default 'split'. */
  placement?: BatchPlacement;
  onEvent?: (event: PoolEvent) => void;
}

export interface InferenceBenchResult {
  preset: string;
  backend: string;
  workers: number;
  batch: number;
  placement: BatchPlacement;
  windows_per_s: number;
  /** Batch wall time divided by its size, over every timed batch. */
  ms_per_window_p50: number;
  ms_per_window_p99: number;
  /** Batch wall time, submit to result. */
  batch_ms_p50: number;
  batch_ms_p99: number;
  batches: number;
  seconds: number;
  /**
   * Windows per CPU-second of this process (all threads): throughput per fully available core, which stays
   * comparable when other jobs share the machine (windows_per_s does not).
   */
  windows_per_cpu_s: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Throughput and batch latency of a preset with random weights on the worker pool, for `seconds` after
 * an untimed warm-up. 'whole': one batch in flight per worker, each on one worker. 'split': one batch in
 * flight, split over every worker; nothing waits in the pool's queue, so a batch's wall time is its
 * latency with the whole pool, and the gaps between batches count against the throughput.
 */
export async function benchInference(options: InferenceBenchOptions): Promise<InferenceBenchResult> {
  const config = presetConfig(options.preset);
  const workers = options.workers ?? os.availableParallelism();
  for (const [name, value] of [['batch', options.batch], ['workers', workers]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  if (!(options.seconds > 0)) throw new Error(`seconds must be positive, got ${options.seconds}`);
  const placement = options.placement ?? 'split';
  const lanes = placement === 'split' ? 1 : workers;
  const pool = await InferenceWorkerPool.start({ source: { kind: 'random', config, seed: 1 }, size: workers, backend: options.backend, placement, onEvent: options.onEvent });
  const windowValues = inputSamples(config) * AICRN_INPUT_LEADS.length;
  const template = Float32Array.from({ length: options.batch * windowValues }, (_, i) => Math.sin(i * 0.013) * 0.2);
  const run = () => pool.predict(template.slice(), options.batch);
  try {
    await Promise.all(Array.from({ length: workers }, run));
    const batchMs: number[] = [];
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const deadline = start + options.seconds * 1000;
    let windows = 0;
    const lane = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await run();
        batchMs.push(performance.now() - t0);
        windows += options.batch;
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    const elapsedS = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    batchMs.sort((a, b) => a - b);
    const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
    return {
      preset: options.preset,
      backend: pool.backend,
      workers,
      batch: options.batch,
      placement,
      windows_per_s: round(windows / elapsedS, 2),
      ms_per_window_p50: round(percentile(batchMs, 50) / options.batch),
      ms_per_window_p99: round(percentile(batchMs, 99) / options.batch),
      batch_ms_p50: round(percentile(batchMs, 50), 0),
      batch_ms_p99: round(percentile(batchMs, 99), 0),
      batches: batchMs.length,
      seconds: round(elapsedS, 2),
      windows_per_cpu_s: round(windows / cpuS, 2),
    };
  } finally {
    await pool.close();
  }
}
