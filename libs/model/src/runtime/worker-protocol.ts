import { BackendName } from './backend';
import { ModelSource } from './model-runtime';

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
  | { type: 'result'; id: number; batchSize: number; targets: Float32Array; attention: Float32Array; attentionLength: number }
  | { type: 'error'; id: number; message: string };
