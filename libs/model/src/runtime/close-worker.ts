import { Worker } from 'node:worker_threads';

/**
 * Asks a worker thread to stop with `message` (each protocol has its own close message) and terminates it if it
 * has not exited within `timeoutMs`, so a worker stuck in a long kernel cannot hold a shutdown forever.
 * Resolves once the thread has exited; the caller must not pass a worker that already has.
 */
export async function closeWorker(worker: Worker, message: unknown, timeoutMs: number): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage(message);
  const timer = setTimeout(() => void worker.terminate(), timeoutMs);
  await exited;
  clearTimeout(timer);
}
