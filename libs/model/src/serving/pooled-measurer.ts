import { AicrnMeasurer, AicrnMeasurerOptions } from './aicrn-measurer';
import { InferenceWorkerPool, WorkerPoolOptions } from '../runtime/worker-pool';

export interface PooledMeasurer {
  measurer: AicrnMeasurer;
  pool: InferenceWorkerPool;
  /** Drains the batcher, then stops the workers. */
  close(): Promise<void>;
}

/**
 * Starts a worker pool and a measurer feeding it, with up to one batch in flight per worker: whole batches
 * then keep every worker busy, and split batches queue their shards so no worker waits for the next batch.
 */
export async function startPooledMeasurer(pool: WorkerPoolOptions, measurer: Omit<AicrnMeasurerOptions, 'runtime' | 'maxConcurrentBatches'> = {}): Promise<PooledMeasurer> {
  const started = await InferenceWorkerPool.start(pool);
  let built: AicrnMeasurer;
  try {
    built = new AicrnMeasurer({ ...measurer, runtime: started, maxConcurrentBatches: started.size });
  } catch (error) {
    await started.close();
    throw error;
  }
  return {
    measurer: built,
    pool: started,
    close: async () => {
      await built.close();
      await started.close();
    },
  };
}
