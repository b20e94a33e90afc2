import { inputSamples } from '../config';
import { TINY_CONFIG } from '../test-configs';
import { TfjsModelRuntime } from './tfjs-model-runtime';
import { InferenceWorkerPool, PoolEvent, WorkerCrashedError } from './worker-pool';

/** A stand-in worker speaking the real protocol: doubles the first value per window; batch 13 crashes it. */
const FAKE_WORKER = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type === 'close') return parentPort.close();
  if (m.batchSize === 13) process.exit(3);
  if (m.batchSize === 7) return parentPort.postMessage({ type: 'error', id: m.id, message: 'bad batch' });
  const per = m.input.length / m.batchSize;
  const targets = Float32Array.from({ length: m.batchSize }, (_, i) => m.input[i * per] * 2);
  const attention = new Float32Array([threadId]);
  parentPort.postMessage({ type: 'result', id: m.id, batchSize: m.batchSize, targets, attention, attentionLength: 1 }, [targets.buffer]);
});
parentPort.postMessage({ type: 'ready', backend: 'fake', modelVersion: 'fake' });
`;

const source = { kind: 'random' as const, config: TINY_CONFIG, seed: 11 };

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
}

describe('InferenceWorkerPool (protocol, with a stand-in worker)', () => {
  it("with placement 'whole' spreads whole batches over the workers, transfers the input and returns results", async () => {
    const pool = await InferenceWorkerPool.start({ source, size: 2, placement: 'whole', workerScript: { code: FAKE_WORKER } });
    try {
      expect(pool.backend).toBe('fake');
      expect(pool.metadata.model_version).toBe('aicrn-tiny/untrained-seed-11');
      const inputs = [1, 2, 3, 4].map((v) => new Float32Array([v, 0, v, 0]));
      const outs = await Promise.all(inputs.map((input) => pool.predict(input, 2)));
      expect(outs.map((o) => Array.from(o.targets))).toEqual([
        [2, 2],
        [4, 4],
        [6, 6],
        [8, 8],
      ]);
      // Transferred: the caller's buffers are detached.
      expect(inputs.every((i) => i.byteLength === 0)).toBe(true);
      expect(outs.every((o) => o.attention.length === 1)).toBe(true);
      expect(new Set(outs.map((o) => o.attention[0])).size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('splits a batch into one shard per worker and returns the windows in order', async () => {
    const pool = await InferenceWorkerPool.start({ source, size: 2, workerScript: { code: FAKE_WORKER } });
    try {
      expect(pool.placement).toBe('split');
      const out = await pool.predict(new Float32Array([1, 0, 2, 0, 3, 0, 4, 0, 5, 0]), 5);
      expect(out.batchSize).toBe(5);
      expect(Array.from(out.targets)).toEqual([2, 4, 6, 8, 10]);
      // One attention value per shard, each the thread id of the worker that ran it.
      expect(out.attention).toHaveLength(2);
      expect(new Set(out.attention).size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('fails the whole batch once when a shard fails, and keeps serving', async () => {
    const pool = await InferenceWorkerPool.start({ source, size: 2, workerScript: { code: FAKE_WORKER } });
    try {
      // 14 windows -> shards of 7 and 7; the stand-in refuses batches of 7.
      await expect(pool.predict(new Float32Array(14), 14)).rejects.toThrow('bad batch');
      await expect(pool.predict(new Float32Array(16), 5)).rejects.toThrow('input of 16 values is not a batch of 5 windows');
      expect(Array.from((await pool.predict(new Float32Array([3, 4]), 2)).targets)).toEqual([6, 8]);
    } finally {
      await pool.close();
    }
  });

  it('reports a crashed worker, rejects its batch, replaces it and keeps serving', async () => {
    const events: PoolEvent[] = [];
    const pool = await InferenceWorkerPool.start({ source, size: 2, placement: 'whole', workerScript: { code: FAKE_WORKER }, onEvent: (e) => events.push(e) });
    try {
      const threadsBefore = pool.threadIds;
      await expect(pool.predict(new Float32Array(13), 13)).rejects.toBeInstanceOf(WorkerCrashedError);
      await expect(pool.predict(new Float32Array(7), 7)).rejects.toThrow('bad batch');
      const outs = await Promise.all([1, 2, 3].map((v) => pool.predict(new Float32Array([v]), 1)));
      expect(outs.map((o) => o.targets[0])).toEqual([2, 4, 6]);
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['worker-crashed', 'worker-replaced']));
      expect(events.find((e) => e.type === 'worker-crashed')).toMatchObject({ error: 'exited with code 3', lostBatch: true });
      expect(pool.size).toBe(2);
      expect(pool.threadIds).not.toEqual(threadsBefore);
    } finally {
      await pool.close();
    }
  });

  it('stops replacing at the restart limit and fails queued work instead of hanging', async () => {
    const pool = await InferenceWorkerPool.start({ source, size: 1, workerScript: { code: FAKE_WORKER }, maxRestartsPerMinute: 1 });
    try {
      await expect(pool.predict(new Float32Array(13), 13)).rejects.toBeInstanceOf(WorkerCrashedError);
      await expect(pool.predict(new Float32Array(13), 13)).rejects.toBeInstanceOf(WorkerCrashedError);
      await expect(pool.predict(new Float32Array([1]), 1)).rejects.toThrow(/no workers left/);
    } finally {
      await pool.close();
    }
  });

  it('fails start() when a worker cannot start', async () => {
    await expect(InferenceWorkerPool.start({ source, size: 1, workerScript: { code: "require('node:worker_threads').parentPort.postMessage({ type: 'init-error', message: 'no model' }); process.exit(1);" } })).rejects.toThrow(
      'could not start: no model',
    );
  });

  it('close() finishes queued batches before stopping and refuses new ones', async () => {
    const pool = await InferenceWorkerPool.start({ source, size: 1, workerScript: { code: FAKE_WORKER } });
    const pending = [1, 2, 3].map((v) => pool.predict(new Float32Array([v]), 1));
    await pool.close();
    expect((await Promise.all(pending)).map((o) => o.targets[0])).toEqual([2, 4, 6]);
    await expect(pool.predict(new Float32Array([1]), 1)).rejects.toThrow('closed');
  });
});

describe('InferenceWorkerPool (real inference workers, tiny model)', () => {
  it('gives the same outputs as the model run in this thread', async () => {
    const samples = inputSamples(TINY_CONFIG);
    const batch = 3;
    const input = Float32Array.from({ length: batch * samples * 8 }, (_, i) => Math.sin(i * 0.01));
    const local = await TfjsModelRuntime.create(source, { backend: 'wasm' });
    const expected = await local.predict(input, batch);
    local.dispose();
    const pool = await InferenceWorkerPool.start({ source, size: 2, backend: 'wasm' });
    try {
      expect(pool.backend).toBe('wasm');
      // Split over both workers (2 + 1 windows), as every batch is by default.
      const [a, b] = await Promise.all([pool.predict(input.slice(), batch), pool.predict(input.slice(), batch)]);
      for (const out of [a, b]) {
        expect(out.batchSize).toBe(batch);
        expect(out.attentionLength).toBe(expected.attentionLength);
        expectClose(out.targets, expected.targets);
        expectClose(out.attention, expected.attention);
      }
    } finally {
      await pool.close();
    }
  });
});
