// Worker-thread entry: one TensorFlow.js engine, backend and model per thread (the wasm backend is
// single-threaded under Node, so parallelism comes from several of these).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { TfjsModelRuntime } from './tfjs-model-runtime';
import { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

async function serve(): Promise<void> {
  const port = parentPort!;
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const init = workerData as WorkerInit;
  let runtime: TfjsModelRuntime;
  try {
    runtime = await TfjsModelRuntime.create(init.source, { backend: init.backend, graph: init.graph });
  } catch (error) {
    post({ type: 'init-error', message: (error as Error).message });
    process.exit(1);
  }
  // Batches run one at a time: the pool sends a worker its next batch only after the last result.
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      runtime.dispose();
      port.close();
      return;
    }
    runtime.predict(message.input, message.batchSize).then(
      (out) => post({ type: 'result', id: message.id, ...out }, [out.targets.buffer, out.attention.buffer, ...(out.delineation ? [out.delineation.buffer] : [])] as ArrayBuffer[]),
      (error: Error) => post({ type: 'error', id: message.id, message: error.message }),
    );
  });
  post({ type: 'ready', backend: runtime.backend, modelVersion: runtime.metadata.model_version });
}

if (!isMainThread && parentPort) void serve();
