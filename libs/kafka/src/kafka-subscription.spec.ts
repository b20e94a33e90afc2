import { EventEmitter } from 'node:events';
import type { Admin, Consumer } from 'kafkajs';
import { TOPICS } from '@aicrn/contracts';
import { TopicCodec } from './avro/topic-codec';
import { KafkaSubscription } from './kafka-subscription';

const EVENTS = { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' };

/** The part of a kafkajs Consumer the subscription drives, recording the calls; `failConnects` makes the next connects fail. */
class ScriptedConsumer extends EventEmitter {
  readonly events = EVENTS;
  readonly calls: string[] = [];
  failConnects = 0;

  async connect(): Promise<void> {
    this.calls.push('connect');
    if (this.failConnects > 0) {
      this.failConnects -= 1;
      throw new Error('Connection error: connect ECONNREFUSED');
    }
  }
  async subscribe(): Promise<void> {
    this.calls.push('subscribe');
  }
  async run(): Promise<void> {
    this.calls.push('run');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  async disconnect(): Promise<void> {
    this.calls.push('disconnect');
  }
  crash(restart: boolean): void {
    this.emit(EVENTS.CRASH, { payload: { error: new Error('The coordinator is not aware of this member'), groupId: 'g', restart } });
  }
  runs(): number {
    return this.calls.filter((call) => call === 'run').length;
  }
}

const QUIET = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function subscription(consumer: ScriptedConsumer): KafkaSubscription {
  const settings = { topic: TOPICS.raw, groupId: 'g', maxBatchSize: 10, heartbeatIntervalMs: 1_000, retryInitialMs: 20, retryMaxMs: 200 };
  return new KafkaSubscription(consumer as unknown as Consumer, {} as Admin, {} as TopicCodec, settings, async () => undefined, async () => undefined, QUIET);
}

describe('KafkaSubscription after a consumer crash', () => {
  it('runs the consumer again when kafkajs will not restart it', async () => {
    const consumer = new ScriptedConsumer();
    const sub = subscription(consumer);
    await sub.start();
    consumer.crash(false);
    await sleep(100);
    expect(consumer.calls).toEqual(['connect', 'subscribe', 'run', 'connect', 'subscribe', 'run']);
    await sub.close();
  });

  it('leaves the restart to kafkajs when kafkajs restarts it', async () => {
    const consumer = new ScriptedConsumer();
    const sub = subscription(consumer);
    await sub.start();
    consumer.crash(true);
    await sleep(100);
    expect(consumer.runs()).toBe(1);
    await sub.close();
  });

  it('backs off further after each failed restart and resets once the group is joined', async () => {
    const consumer = new ScriptedConsumer();
    const sub = subscription(consumer);
    await sub.start();
    consumer.failConnects = 3;
    const crashedAt = Date.now();
    consumer.crash(false);
    // 20, 40, 80 ms (+-20 %) before the three failed connects, then 160 ms before the fourth.
    while (consumer.runs() < 2) await sleep(5);
    const restartedAfterMs = Date.now() - crashedAt;
    expect(consumer.calls.filter((call) => call === 'connect')).toHaveLength(5);
    expect(restartedAfterMs).toBeGreaterThanOrEqual(0.8 * (20 + 40 + 80 + 160));
    consumer.emit(EVENTS.GROUP_JOIN, {});
    const again = Date.now();
    consumer.crash(false);
    while (consumer.runs() < 3) await sleep(2);
    expect(Date.now() - again).toBeLessThan(160);
    await sub.close();
  });

  it('does not run the consumer again once closed', async () => {
    const consumer = new ScriptedConsumer();
    const sub = subscription(consumer);
    await sub.start();
    consumer.crash(false);
    await sub.close();
    await sleep(100);
    expect(consumer.runs()).toBe(1);
    expect(consumer.calls.slice(-2)).toEqual(['stop', 'disconnect']);
  });
});
