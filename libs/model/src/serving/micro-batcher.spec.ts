import { MicroBatcher, BatcherClosedError } from './micro-batcher';
import { Scheduler } from './scheduler';

/** A manual clock: timers fire only in advance(), in deadline order. */
class FakeScheduler implements Scheduler {
  private time = 0;
  private nextId = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  now() {
    return this.time;
  }
  setTimer(fn: () => void, delayMs: number) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + delayMs, fn });
    return id;
  }
  clearTimer(handle: unknown) {
    this.timers.delete(handle as number);
  }
  advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = end;
  }
}

/** A runner whose batches finish only when the test says so. */
class ControlledRunner {
  readonly batches: Array<{ items: number[]; finish: () => void; fail: (e: Error) => void }> = [];
  readonly run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      this.batches.push({ items, finish: () => resolve(items.map((i) => `r${i}`)), fail: reject });
    });
  sizes() {
    return this.batches.map((b) => b.items.length);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: Partial<ConstructorParameters<typeof MicroBatcher>[1]> = {}) {
  const scheduler = new FakeScheduler();
  const runner = new ControlledRunner();
  const events: string[] = [];
  const latencies: number[] = [];
  const batcher = new MicroBatcher<number, string>(runner.run, {
    maxBatchSize: 4,
    maxQueueDelayMs: 10,
    maxQueueSize: 8,
    scheduler,
    metrics: {
      batchDispatched: (size, depth) => events.push(`batch ${size} left ${depth}`),
      itemCompleted: (ms, ok) => latencies.push(ok ? ms : -ms),
      rejectedFull: () => events.push('full'),
    },
    ...options,
  });
  return { scheduler, runner, batcher, events, latencies };
}

describe('MicroBatcher', () => {
  it('dispatches a full batch at once, without waiting for the delay', async () => {
    const { runner, batcher, scheduler } = setup();
    const results = [1, 2, 3, 4].map((i) => batcher.submit(i));
    expect(runner.sizes()).toEqual([4]);
    expect(scheduler.timers.size).toBe(0);
    runner.batches[0].finish();
    await expect(Promise.all(results)).resolves.toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('dispatches a partial batch when the oldest item has waited maxQueueDelayMs', async () => {
    const { runner, batcher, scheduler, latencies } = setup();
    const a = batcher.submit(1);
    scheduler.advance(6);
    const b = batcher.submit(2);
    scheduler.advance(3);
    expect(runner.sizes()).toEqual([]);
    scheduler.advance(1);
    expect(runner.batches.map((x) => x.items)).toEqual([[1, 2]]);
    scheduler.advance(5);
    runner.batches[0].finish();
    await expect(Promise.all([a, b])).resolves.toEqual(['r1', 'r2']);
    expect(latencies).toEqual([15, 9]);
  });

  it('runs at most maxConcurrentBatches; the queue keeps filling and goes when a slot frees', async () => {
    const { runner, batcher, scheduler } = setup({ maxConcurrentBatches: 2 });
    for (let i = 0; i < 4; i++) void batcher.submit(i);
    for (let i = 4; i < 8; i++) void batcher.submit(i);
    expect(runner.sizes()).toEqual([4, 4]);
    for (let i = 8; i < 11; i++) void batcher.submit(i);
    scheduler.advance(50);
    expect(runner.sizes()).toEqual([4, 4]);
    expect(batcher.queueDepth).toBe(3);
    runner.batches[1].finish();
    await settle();
    // The delay has long passed: the partial batch goes as soon as a slot is free.
    expect(runner.batches.map((b) => b.items)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10],
    ]);
  });

  it('bounds the queue: offer says full, submit waits in order, whenRoom resolves when room frees', async () => {
    const { runner, batcher, events } = setup({ maxBatchSize: 2, maxQueueSize: 3 });
    void batcher.submit(0);
    void batcher.submit(1);
    // Batch [0, 1] is in flight; three more fill the queue.
    [2, 3, 4].forEach((i) => expect(batcher.offer(i).accepted).toBe(true));
    expect(batcher.isFull).toBe(true);
    expect(batcher.offer(5)).toEqual({ accepted: false, reason: 'full' });
    expect(events).toContain('full');
    const waited = batcher.submit(6);
    let roomAt = -1;
    void batcher.whenRoom().then(() => (roomAt = runner.batches.length));
    // A later offer may not overtake the waiting submit.
    expect(batcher.offer(7).accepted).toBe(false);
    runner.batches[0].finish();
    await settle();
    // [2, 3] dispatched; 6 moved from waiting into the queue behind 4.
    expect(runner.batches[1].items).toEqual([2, 3]);
    expect(batcher.queueDepth).toBe(2);
    expect(roomAt).toBe(2);
    runner.batches[1].finish();
    await settle();
    expect(runner.batches[2].items).toEqual([4, 6]);
    runner.batches[2].finish();
    await expect(waited).resolves.toBe('r6');
  });

  it('rejects every item of a failed batch and keeps serving later batches', async () => {
    const { runner, batcher, latencies } = setup({ maxBatchSize: 2 });
    const failed = [batcher.submit(1), batcher.submit(2)];
    runner.batches[0].fail(new Error('worker crashed'));
    for (const p of failed) await expect(p).rejects.toThrow('worker crashed');
    const ok = [batcher.submit(3), batcher.submit(4)];
    runner.batches[1].finish();
    await expect(Promise.all(ok)).resolves.toEqual(['r3', 'r4']);
    expect(latencies.filter((l) => l < 0 || Object.is(l, -0))).toHaveLength(2);
  });

  it('rejects a batch whose runner returns the wrong number of results', async () => {
    const scheduler = new FakeScheduler();
    const batcher = new MicroBatcher<number, number>(async (items) => items.slice(1), { maxBatchSize: 2, maxQueueDelayMs: 5, maxQueueSize: 4, scheduler });
    const results = [batcher.submit(1), batcher.submit(2)];
    for (const p of results) await expect(p).rejects.toThrow('batch runner returned 1 results for 2 items');
  });

  it('close flushes queued items without waiting for the delay and refuses new ones', async () => {
    const { runner, batcher } = setup();
    const pending = [batcher.submit(1), batcher.submit(2)];
    const closed = batcher.close();
    expect(runner.batches.map((b) => b.items)).toEqual([[1, 2]]);
    expect(batcher.offer(3)).toEqual({ accepted: false, reason: 'closed' });
    await expect(batcher.submit(4)).rejects.toBeInstanceOf(BatcherClosedError);
    let done = false;
    void closed.then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    runner.batches[0].finish();
    await closed;
    await expect(Promise.all(pending)).resolves.toEqual(['r1', 'r2']);
  });

  it('reports batch sizes and queue depth to the metrics hooks', async () => {
    const { runner, batcher, scheduler, events } = setup({ maxConcurrentBatches: 1 });
    for (let i = 0; i < 6; i++) void batcher.submit(i);
    runner.batches[0].finish();
    await settle();
    scheduler.advance(10);
    expect(events).toEqual(['batch 4 left 0', 'batch 2 left 0']);
  });

  it('validates its options', () => {
    expect(() => new MicroBatcher(async () => [], { maxBatchSize: 0, maxQueueDelayMs: 1, maxQueueSize: 1 })).toThrow(/maxBatchSize must be a positive integer/);
    expect(() => new MicroBatcher(async () => [], { maxBatchSize: 1, maxQueueDelayMs: -1, maxQueueSize: 1 })).toThrow(/maxQueueDelayMs/);
  });
});
