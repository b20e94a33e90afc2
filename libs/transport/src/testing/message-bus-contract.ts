import { ALL_TOPICS, EcgWindow, TOPICS, TopicName } from '@aicrn/contracts';
import { BusMessage, MessageBus, Subscription } from '../message-bus';
import { sampleRecord, windowAt } from '@aicrn/contracts/testing';
import { uniqueId, waitFor } from '@aicrn/contracts/testing';

export interface MessageBusContractOptions {
  /** Longest wait for a delivery (Kafka group joins take seconds). */
  deliveryTimeoutMs?: number;
  /** Time for a group with a new member to settle before records are published (0 in memory). */
  settleMs?: number;
  /** Jest timeout of each test. */
  testTimeoutMs?: number;
}

/**
 * The behaviour every MessageBus adapter must show. Records of other tests may share the topics
 * (a real broker keeps them), so every test uses its own keys and groups and ignores the rest.
 */
export function describeMessageBusContract(name: string, factory: () => Promise<MessageBus> | MessageBus, options: MessageBusContractOptions = {}): void {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 5_000;
  const settleMs = options.settleMs ?? 0;
  const testTimeoutMs = options.testTimeoutMs ?? 30_000;

  describe(`MessageBus contract: ${name}`, () => {
    let bus: MessageBus;
    const open: Subscription[] = [];
    const track = <S extends Subscription>(subscription: S): S => {
      open.push(subscription);
      return subscription;
    };

    beforeEach(async () => {
      bus = await factory();
    });
    afterEach(async () => {
      await Promise.allSettled(open.splice(0).map((s) => s.close()));
      await bus.close();
    });

    it('is ready once created', async () => {
      expect(await bus.isReady()).toBe(true);
    });

    it(
      'round-trips a record on every topic with its key and position',
      async () => {
        const bed = uniqueId('bed');
        const received = new Map<TopicName, BusMessage<unknown>>();
        const subscriptions = await Promise.all(
          ALL_TOPICS.map((topic) =>
            bus.subscribe(topic, { groupId: uniqueId(`rt-${topic}`) }, async (messages) => {
              for (const message of messages) if (message.key === bed) received.set(topic, message);
            }),
          ),
        );
        subscriptions.forEach(track);
        for (const topic of ALL_TOPICS) await bus.publish(topic, [{ key: bed, value: sampleRecord(topic, bed, 7) }]);
        await waitFor('a record on every topic', () => received.size === ALL_TOPICS.length, deliveryTimeoutMs);
        for (const topic of ALL_TOPICS) {
          const message = received.get(topic)!;
          expect(message.topic).toBe(topic);
          expect(message.value).toEqual(sampleRecord(topic, bed, 7));
          expect(message.partition).toBeGreaterThanOrEqual(0);
          expect(BigInt(message.offset)).toBeGreaterThanOrEqual(0n);
          expect(message.timestamp_ms).toBeGreaterThan(Date.now() - 60_000);
        }
      },
      testTimeoutMs,
    );

    it(
      'keeps the order of each key across publish calls',
      async () => {
        const beds = [uniqueId('bed-a'), uniqueId('bed-b'), uniqueId('bed-c')];
        const seen = new Map<string, number[]>(beds.map((b) => [b, []]));
        track(
          await bus.subscribe(TOPICS.raw, { groupId: uniqueId('order'), maxBatchSize: 4 }, async (messages) => {
            for (const m of messages) seen.get(m.key)?.push(m.value.seq);
          }),
        );
        for (let round = 0; round < 5; round++) {
          await bus.publish(
            TOPICS.raw,
            beds.flatMap((bed) => [0, 1].map((i) => ({ key: bed, value: windowAt(bed, round * 2 + i) }))),
          );
        }
        await waitFor('10 records per key', () => beds.every((b) => seen.get(b)!.length >= 10), deliveryTimeoutMs);
        for (const bed of beds) expect(seen.get(bed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      },
      testTimeoutMs,
    );

    it(
      'redelivers a batch whose handler failed, and commits it once handled',
      async () => {
        const bed = uniqueId('bed');
        const deliveries: number[][] = [];
        const handled = new Set<number>();
        let failures = 0;
        const subscription = track(
          await bus.subscribe(TOPICS.raw, { groupId: uniqueId('retry') }, async (messages) => {
            const mine = messages.filter((m) => m.key === bed).map((m) => m.value.seq);
            if (mine.length === 0) return;
            deliveries.push(mine);
            if (mine.includes(0) && failures < 2) {
              failures++;
              throw new Error('handler failure on purpose');
            }
            mine.forEach((seq) => handled.add(seq));
          }),
        );
        await bus.publish(TOPICS.raw, [0, 1, 2].map((seq) => ({ key: bed, value: windowAt(bed, seq) })));
        await waitFor('all three records handled', () => handled.size === 3, deliveryTimeoutMs * 2);
        const withFirst = deliveries.filter((seqs) => seqs.includes(0));
        // Two failed deliveries and the successful one, each starting again at the first uncommitted record.
        expect(withFirst).toHaveLength(3);
        expect(withFirst.every((seqs) => seqs[0] === 0)).toBe(true);
        await waitFor('lag 0 after the commit', async () => (await subscription.lag()) === 0, deliveryTimeoutMs);
        const before = deliveries.length;
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(deliveries.length).toBe(before);
      },
      testTimeoutMs,
    );

    it(
      'splits partitions between two members of a group, which together see every record once',
      async () => {
        const group = uniqueId('split');
        const beds = Array.from({ length: 12 }, (_, i) => uniqueId(`bed${i}`));
        const byMember: Array<Map<string, number>> = [new Map(), new Map()];
        const handlerFor = (member: number) => async (messages: Array<BusMessage<EcgWindow>>) => {
          for (const m of messages) {
            if (!beds.includes(m.key)) continue;
            const id = `${m.key}#${m.value.seq}`;
            byMember[member].set(id, (byMember[member].get(id) ?? 0) + 1);
          }
        };
        const members = await Promise.all([0, 1].map((member) => bus.subscribe(TOPICS.raw, { groupId: group }, handlerFor(member))));
        members.forEach(track);
        if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
        const records = beds.flatMap((bed) => [0, 1, 2].map((seq) => ({ key: bed, value: windowAt(bed, seq) })));
        await bus.publish(TOPICS.raw, records);
        const total = () => byMember[0].size + byMember[1].size;
        await waitFor(`${records.length} records across the group`, () => total() >= records.length, deliveryTimeoutMs);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(byMember[0].size).toBeGreaterThan(0);
        expect(byMember[1].size).toBeGreaterThan(0);
        const all = new Map<string, number>();
        for (const member of byMember) for (const [id, count] of member) all.set(id, (all.get(id) ?? 0) + count);
        expect(all.size).toBe(records.length);
        expect([...all.values()].every((count) => count === 1)).toBe(true);
        // A key lives on one partition, so one member sees all of it.
        for (const bed of beds) {
          const owners = byMember.filter((member) => [...member.keys()].some((id) => id.startsWith(`${bed}#`)));
          expect(owners).toHaveLength(1);
        }
      },
      testTimeoutMs,
    );

    it(
      'close() waits for the in-flight batch and commits it',
      async () => {
        const group = uniqueId('close');
        const bed = uniqueId('bed');
        let started = false;
        let finished = false;
        let closingSeen = false;
        const first = await bus.subscribe(TOPICS.raw, { groupId: group }, async (messages, context) => {
          if (!messages.some((m) => m.key === bed)) return;
          started = true;
          await new Promise((resolve) => setTimeout(resolve, 800));
          await context.heartbeat();
          closingSeen = context.closing;
          finished = true;
        });
        await bus.publish(TOPICS.raw, [{ key: bed, value: windowAt(bed, 1) }]);
        await waitFor('the slow batch to start', () => started, deliveryTimeoutMs);
        await first.close();
        expect(finished).toBe(true);
        expect(closingSeen).toBe(true);

        const again: number[] = [];
        track(
          await bus.subscribe(TOPICS.raw, { groupId: group }, async (messages) => {
            for (const m of messages) if (m.key === bed) again.push(m.value.seq);
          }),
        );
        await bus.publish(TOPICS.raw, [{ key: bed, value: windowAt(bed, 2) }]);
        await waitFor('the record published after close', () => again.includes(2), deliveryTimeoutMs);
        expect(again).toEqual([2]);
      },
      testTimeoutMs,
    );
  });
}
