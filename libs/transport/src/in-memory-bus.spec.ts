import { describeMessageBusContract } from './testing';
import { sampleMeasurement, sampleWindow } from '@aicrn/contracts/testing';
import { TOPICS, EcgMeasurement } from '@aicrn/contracts';
import { InMemoryBus } from './in-memory-bus';
import { BusMessage } from './message-bus';

const measurement = (bed: string, n: number): EcgMeasurement => sampleMeasurement({ bed_id: bed, window_id: `${bed}:m:${n}` });

/** Resolves once `predicate` holds, checking after every macrotask. */
async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('InMemoryBus', () => {
  let bus: InMemoryBus;
  afterEach(() => bus.close());

  it('delivers every record once, in order per key, and commits after the handler', async () => {
    bus = new InMemoryBus({ partitions: 4 });
    const seen: string[] = [];
    await bus.subscribe(TOPICS.measurements, { groupId: 'g', maxBatchSize: 3 }, async (batch) => {
      batch.forEach((m) => seen.push(m.value.window_id));
    });
    for (let n = 0; n < 10; n++) await bus.publish(TOPICS.measurements, ['bed-1', 'bed-2'].map((b) => ({ key: b, value: measurement(b, n) })));
    await until(() => seen.length === 20);
    for (const bed of ['bed-1', 'bed-2']) {
      expect(seen.filter((id) => id.startsWith(bed))).toEqual(Array.from({ length: 10 }, (_, n) => `${bed}:m:${n}`));
    }
  });

  it('redelivers a batch whose handler failed, and loses nothing', async () => {
    bus = new InMemoryBus({ partitions: 1, retryDelayMs: 1 });
    const seen: string[] = [];
    let failures = 1;
    await bus.subscribe(TOPICS.measurements, { groupId: 'g' }, async (batch) => {
      if (failures-- > 0) throw new Error('transient');
      batch.forEach((m) => seen.push(m.value.window_id));
    });
    await bus.publish(TOPICS.measurements, [{ key: 'bed-1', value: measurement('bed-1', 0) }]);
    await until(() => seen.length === 1);
    expect(seen).toEqual(['bed-1:m:0']);
  });

  it('splits partitions between members of one group; each record is handled by exactly one', async () => {
    bus = new InMemoryBus({ partitions: 8 });
    const byMember: Array<Array<BusMessage<EcgMeasurement>>> = [[], []];
    for (const i of [0, 1]) await bus.subscribe(TOPICS.measurements, { groupId: 'g' }, async (batch) => void byMember[i].push(...batch));
    const beds = Array.from({ length: 16 }, (_, i) => `bed-${i}`);
    await bus.publish(TOPICS.measurements, beds.map((b) => ({ key: b, value: measurement(b, 0) })));
    await until(() => byMember[0].length + byMember[1].length === 16);
    expect(byMember[0].length).toBeGreaterThan(0);
    expect(byMember[1].length).toBeGreaterThan(0);
    const partitionsOf = (msgs: Array<BusMessage<EcgMeasurement>>) => new Set(msgs.map((m) => m.partition));
    const overlap = [...partitionsOf(byMember[0])].filter((p) => partitionsOf(byMember[1]).has(p));
    expect(overlap).toEqual([]);
  });

  it('lets timers run while a subscriber works through a backlog (no event-loop starvation)', async () => {
    bus = new InMemoryBus({ partitions: 1 });
    let handled = 0;
    await bus.subscribe(TOPICS.measurements, { groupId: 'g', maxBatchSize: 1 }, async () => void handled++);
    const backlog = Array.from({ length: 500 }, (_, n) => ({ key: 'bed-1', value: measurement('bed-1', n) }));
    const timerFired = new Promise<number>((resolve) => setTimeout(() => resolve(handled), 0));
    await bus.publish(TOPICS.measurements, backlog);
    const handledWhenTimerFired = await timerFired;
    expect(handledWhenTimerFired).toBeLessThan(backlog.length);
    await until(() => handled === backlog.length);
  });

  it('holds a publisher back when a group lags (backpressure), instead of growing memory', async () => {
    bus = new InMemoryBus({ partitions: 1, maxLagPerPartition: 5 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await bus.subscribe(TOPICS.measurements, { groupId: 'slow', maxBatchSize: 1 }, () => gate);
    let published = 0;
    const producer = (async () => {
      for (let n = 0; n < 20; n++) {
        await bus.publish(TOPICS.measurements, [{ key: 'bed-1', value: measurement('bed-1', n) }]);
        published++;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published).toBe(5);
    expect(await (await bus.subscribe(TOPICS.measurements, { groupId: 'slow' }, async () => undefined)).lag()).toBeGreaterThanOrEqual(5);
    release();
    await producer;
    expect(published).toBe(20);
  });

  it('releases a held-back publisher when the last consumer of the lagging group closes (shutdown order)', async () => {
    bus = new InMemoryBus({ partitions: 1, maxLagPerPartition: 2, retryDelayMs: 1 });
    // A consumer that never gets a batch through: its group's lag only grows.
    const consumer = await bus.subscribe(TOPICS.measurements, { groupId: 'failing' }, async () => {
      throw new Error('store unavailable');
    });
    await bus.publish(TOPICS.measurements, [1, 2].map((n) => ({ key: 'bed-1', value: measurement('bed-1', n) })));
    let published = false;
    const producer = bus.publish(TOPICS.measurements, [{ key: 'bed-1', value: measurement('bed-1', 3) }]).then(() => (published = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(published).toBe(false);
    await consumer.close();
    await producer;
    expect(published).toBe(true);
    // The group keeps its offsets: a consumer that joins again gets all three records.
    const seen: string[] = [];
    await bus.subscribe(TOPICS.measurements, { groupId: 'failing' }, async (batch) => {
      batch.forEach((m) => seen.push(m.value.window_id));
    });
    await until(() => seen.length === 3);
  });

  it('bounds the waveform topics far tighter than the small-record topics', async () => {
    bus = new InMemoryBus({ partitions: 1, maxLagPerPartition: 50, lagLimits: { 'ecg.raw.v1': 3 } });
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    await bus.subscribe(TOPICS.raw, { groupId: 'stuck' }, () => stuck);
    await bus.subscribe(TOPICS.measurements, { groupId: 'stuck' }, () => stuck);
    let stopped = false;
    const publishedUpTo = async <K extends 'ecg.raw.v1' | 'ecg.measurements.v1'>(topic: K, value: (n: number) => unknown, tries: number) => {
      let published = 0;
      void (async () => {
        for (let n = 0; n < tries && !stopped; n++) {
          await bus.publish(topic, [{ key: 'bed-1', value: value(n) as never }]);
          published++;
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 20));
      return published;
    };
    expect(await publishedUpTo(TOPICS.raw, (n) => sampleWindow({ seq: n }), 10)).toBe(3);
    expect(await publishedUpTo(TOPICS.measurements, (n) => measurement('bed-1', n), 60)).toBe(50);
    stopped = true;
    release();
  });

  it('keeps a bounded tail of a topic nobody consumes, for inspection', async () => {
    bus = new InMemoryBus({ partitions: 1, retainUnconsumed: 3 });
    for (let n = 0; n < 10; n++) await bus.publish(TOPICS.measurements, [{ key: 'bed-1', value: measurement('bed-1', n) }]);
    expect(bus.peek(TOPICS.measurements).map((m) => m.value.window_id)).toEqual(['bed-1:m:7', 'bed-1:m:8', 'bed-1:m:9']);
  });
});

describeMessageBusContract('InMemoryBus', () => new InMemoryBus({ partitions: 4, retryDelayMs: 5 }));
