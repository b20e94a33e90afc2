import { BackendName } from './backend';
import { BatchOutput, ModelSource } from './model-runtime';

/** What a worker thread is started with. */
export interface WorkerInit {
  source: ModelSource;
  backend?: BackendName;
  graph?: 'fused' | 'layers';
}

export type ToWorker = { type: 'predict'; id: number; input: Float32Array; batchSize: number } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; backend: string; modelVersion: string }
  | { type: 'init-error'; message: string }
  | ({ type: 'result'; id: number } & BatchOutput)
  | { type: 'error'; id: number; message: string };
