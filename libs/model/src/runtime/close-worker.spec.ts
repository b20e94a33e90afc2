import { Worker } from 'node:worker_threads';
import { closeWorker } from './close-worker';

function inlineWorker(source: string): Worker {
  return new Worker(source, { eval: true });
}

describe('closeWorker', () => {
  it('lets a worker that honours the close message exit on its own', async () => {
    const worker = inlineWorker(`
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', (m) => { if (m.type === 'close') { parentPort.postMessage('closing'); parentPort.close(); } });
    `);
    const said: unknown[] = [];
    worker.on('message', (m) => said.push(m));
    const started = Date.now();
    await closeWorker(worker, { type: 'close' }, 10_000);
    expect(said).toEqual(['closing']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('terminates a worker that ignores the close message once the timeout passes', async () => {
    const worker = inlineWorker(`
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', () => {});
      parentPort.postMessage('listening');
    `);
    let exitCode: number | null = null;
    worker.once('exit', (code) => (exitCode = code));
    // A thread terminated before its script ran exits with 0 too: wait until it is ignoring messages (a loaded machine starts it late).
    await new Promise((resolve) => worker.once('message', resolve));
    const started = Date.now();
    await closeWorker(worker, { type: 'close' }, 200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    // terminate() ends a thread with exit code 1; a thread that returns on its own exits with 0.
    expect(exitCode).toBe(1);
  });
});
