import * as os from 'node:os';
import { AICRN_INPUT_LEADS, AicrnPresetName, inputSamples, presetConfig } from '../config';
import { BackendName } from '../runtime/backend';
import { InferenceWorkerPool, PoolEvent } from '../runtime/worker-pool';

export interface InferenceBenchOptions {
  preset: AicrnPresetName;
  batch: number;
  workers?: number;
  seconds: number;
  backend?: BackendName;
  onEvent?: (event: PoolEvent) => void;
}

export interface InferenceBenchResult {
  preset: string;
  backend: string;
  workers: number;
  batch: number;
  windows_per_s: number;
  /** Batch wall time divided by its size, over every timed batch. */
  ms_per_window_p50: number;
  ms_per_window_p99: number;
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
 * Throughput of a preset with random weights on the worker pool: every worker kept busy with
 * `batch`-window batches for `seconds`, after one untimed warm-up batch per worker.
 */
export async function benchInference(options: InferenceBenchOptions): Promise<InferenceBenchResult> {
  const config = presetConfig(options.preset);
  const workers = options.workers ?? os.availableParallelism();
  for (const [name, value] of [['batch', options.batch], ['workers', workers]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  if (!(options.seconds > 0)) throw new Error(`seconds must be positive, got ${options.seconds}`);
  const pool = await InferenceWorkerPool.start({ source: { kind: 'random', config, seed: 1 }, size: workers, backend: options.backend, onEvent: options.onEvent });
  const windowValues = inputSamples(config) * AICRN_INPUT_LEADS.length;
  const template = Float32Array.from({ length: options.batch * windowValues }, (_, i) => Math.sin(i * 0.013) * 0.2);
  const run = () => pool.predict(template.slice(), options.batch);
  try {
    await Promise.all(Array.from({ length: workers }, run));
    const perWindowMs: number[] = [];
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const deadline = start + options.seconds * 1000;
    let windows = 0;
    const lane = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await run();
        perWindowMs.push((performance.now() - t0) / options.batch);
        windows += options.batch;
      }
    };
    await Promise.all(Array.from({ length: workers }, lane));
    const elapsedS = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    perWindowMs.sort((a, b) => a - b);
    const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
    return {
      preset: options.preset,
      backend: pool.backend,
      workers,
      batch: options.batch,
      windows_per_s: round(windows / elapsedS, 2),
      ms_per_window_p50: round(percentile(perWindowMs, 50)),
      ms_per_window_p99: round(percentile(perWindowMs, 99)),
      batches: perWindowMs.length,
      seconds: round(elapsedS, 2),
      windows_per_cpu_s: round(windows / cpuS, 2),
    };
  } finally {
    await pool.close();
  }
}
