import { fork } from 'node:child_process';
import { join } from 'node:path';
import * as avro from 'avsc';
import { Kafka, Partitioners, Producer, logLevel } from 'kafkajs';
import { DeadLetter, EcgMeasurement, TOPICS, encodeAvro, topicSchemaText } from '@aicrn/contracts';
import { bundleChild, describeWithKafka } from '../../../test/infra';
import { measurementAt, windowAt } from '@aicrn/contracts/testing';
import { uniqueId, waitFor } from '@aicrn/contracts/testing';
import { BuiltinSchemaRegistry } from './avro/builtin-schema-registry';
import { encodeFrame } from './avro/confluent-frame';
import { BusLogger } from './bus-logger';
import { KafkaBus } from './kafka-bus';
import { kafkaTestConfig } from './kafka-test-config';

const quiet: BusLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describeWithKafka('KafkaBus on a real Kafka protocol broker', (kafka) => {
  let raw: Producer;
  const buses: KafkaBus[] = [];
  const connect = async (options: Parameters<typeof KafkaBus.connect>[1] = {}) => {
    const bus = await KafkaBus.connect(kafkaTestConfig(kafka()), { logger: quiet, ...options });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    // A plain producer, to write bytes the bus itself would never write.
    raw = new Kafka({ clientId: 'poison-writer', brokers: kafka().brokers, logLevel: logLevel.NOTHING }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await raw.connect();
  });
  afterEach(async () => {
    await Promise.allSettled(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    await raw.disconnect();
  });

  it('dead-letters poison records with their position and keeps consuming the partition', async () => {
    const bus = await connect();
    const bed = uniqueId('bed');
    const valid = encodeFrame(1, encodeAvro(TOPICS.raw, windowAt(bed, 5)));
    const poison = [
      { bytes: Buffer.from('{"not":"avro"}'), code: 'undecodable', reason: /wrong magic byte 123/ },
      { bytes: encodeFrame(999, encodeAvro(TOPICS.raw, windowAt(bed, 1))), code: 'unknown_schema', reason: /unknown schema id 999/ },
      { bytes: valid.subarray(0, 12), code: 'undecodable', reason: /schema id 1 .*EcgWindow/ },
    ];
    const handled: number[] = [];
    const dead: DeadLetter[] = [];
    const subscription = await bus.subscribe(TOPICS.raw, { groupId: uniqueId('poison') }, async (messages) => {
      for (const m of messages) if (m.key === bed) handled.push(m.value.seq);
    });
    await bus.subscribe(TOPICS.dlq, { groupId: uniqueId('dlq-reader') }, async (messages) => {
      for (const m of messages) if (m.value.key === bed) dead.push(m.value);
    });
    const sent = await raw.send({ topic: TOPICS.raw, messages: [...poison.map((p) => ({ key: bed, value: p.bytes })), { key: bed, value: valid }] });
    const firstOffset = BigInt(sent[0].baseOffset!);

    await waitFor('the valid record after the poison', () => handled.length === 1, 20_000);
    expect(handled).toEqual([5]);
    await waitFor('three dead letters', () => dead.length === 3, 20_000);
    dead.sort((a, b) => Number(a.offset) - Number(b.offset));
    poison.forEach((p, i) => {
      expect(dead[i]).toMatchObject({ source_topic: TOPICS.raw, partition: sent[0].partition, offset: String(firstOffset + BigInt(i)), key: bed, bed_id: bed, code: p.code });
      expect(dead[i].reason).toMatch(p.reason);
      expect(Buffer.compare(dead[i].payload!, p.bytes)).toBe(0);
    });
    await waitFor('lag 0: poison offsets were committed', async () => (await subscription.lag()) === 0, 10_000);
  }, 60_000);

  it('reads records written with an older schema that lacked an added optional field', async () => {
    const old = JSON.parse(topicSchemaText(TOPICS.measurements));
    old.fields = old.fields.filter((field: { name: string }) => field.name !== 'beats');
    const bus = await connect({ registry: new BuiltinSchemaRegistry([{ id: 103, topic: TOPICS.measurements, schema: old }]) });
    const bed = uniqueId('bed');
    const { beats: _added, ...written } = measurementAt(bed, 2);
    const body = avro.Type.forSchema(old, { wrapUnions: false }).toBuffer(written);
    const received: EcgMeasurement[] = [];
    await bus.subscribe(TOPICS.measurements, { groupId: uniqueId('evolution') }, async (messages) => {
      for (const m of messages) if (m.key === bed) received.push(m.value);
    });
    await raw.send({ topic: TOPICS.measurements, messages: [{ key: bed, value: encodeFrame(103, body) }] });
    await bus.publish(TOPICS.measurements, [{ key: bed, value: measurementAt(bed, 3) }]);
    await waitFor('old and new measurements', () => received.length === 2, 20_000);
    expect(received[0]).toEqual({ ...written, beats: [] });
    expect(received[1]).toEqual(measurementAt(bed, 3));
  }, 60_000);

  it('re-delivers the uncommitted records of a consumer killed mid-batch', async () => {
    const bed = uniqueId('bed');
    const groupId = uniqueId('crash');
    const bus = await connect();
    await bus.publish(TOPICS.raw, [1, 2, 3].map((seq) => ({ key: bed, value: windowAt(bed, seq) })));

    const script = bundleChild(join(__dirname, '..', '..', '..', 'test', 'infra', 'kafka-crash-consumer.ts'));
    const child = fork(script, [JSON.stringify({ brokers: kafka().brokers, groupId, bed, sessionTimeoutMs: 3_000 })], { stdio: 'ignore' });
    const gotInChild = await new Promise<number[]>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the child consumer exited early with ${code}`)));
      const timer = setTimeout(() => reject(new Error('the child consumer received nothing within 20 s')), 20_000);
      child.on('message', (message: { got?: number[]; error?: string }) => {
        if (message.error) reject(new Error(`child consumer failed: ${message.error}`));
        if (message.got) {
          clearTimeout(timer);
          resolve(message.got);
        }
      });
    }).catch((error) => {
      child.kill('SIGKILL');
      throw error;
    });
    expect(gotInChild).toContain(1);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const seen: number[] = [];
    await bus.subscribe(TOPICS.raw, { groupId }, async (messages) => {
      for (const m of messages) if (m.key === bed) seen.push(m.value.seq);
    });
    // The dead member is evicted after its session timeout; then the records come again.
    await waitFor('the killed consumer\'s records', () => seen.length >= 3, 30_000);
    expect(seen).toEqual([1, 2, 3]);
  }, 60_000);

  it('heartbeats for a handler slower than the session timeout, so the batch is not redelivered', async () => {
    const bus = await connect();
    const bed = uniqueId('bed');
    let deliveries = 0;
    let done = false;
    const subscription = await bus.subscribe(TOPICS.raw, { groupId: uniqueId('slow') }, async (messages) => {
      if (!messages.some((m) => m.key === bed)) return;
      deliveries++;
      // Longer than the 3-s session timeout, without calling context.heartbeat().
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      done = true;
    });
    await bus.publish(TOPICS.raw, [{ key: bed, value: windowAt(bed, 1) }]);
    await waitFor('the slow batch to finish', () => done, 20_000);
    await waitFor('lag 0', async () => (await subscription.lag()) === 0, 10_000);
    expect(deliveries).toBe(1);
  }, 60_000);

  it('publishes and consumes again after the broker was down', async () => {
    const bus = await connect();
    const bed = uniqueId('bed');
    const seen: number[] = [];
    await bus.subscribe(TOPICS.raw, { groupId: uniqueId('outage') }, async (messages) => {
      for (const m of messages) if (m.key === bed) seen.push(m.value.seq);
    });
    await bus.publish(TOPICS.raw, [{ key: bed, value: windowAt(bed, 1) }]);
    await waitFor('the record before the outage', () => seen.length === 1, 20_000);
    await kafka().brokerDown(1);
    const during = bus.publish(TOPICS.raw, [{ key: bed, value: windowAt(bed, 2) }]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await bus.isReady()).toBe(false);
    await kafka().brokerUp(1);
    await during;
    await waitFor('the record published during the outage', () => seen.includes(2), 30_000);
    expect(seen.filter((seq) => seq === 1)).toHaveLength(1);
    expect(await bus.isReady()).toBe(true);
  }, 60_000);

  it('reports readiness and refuses use after close', async () => {
    const bus = await connect();
    expect(await bus.isReady()).toBe(true);
    await bus.close();
    expect(await bus.isReady()).toBe(false);
    await expect(bus.publish(TOPICS.raw, [{ key: 'b', value: windowAt('b', 1) }])).rejects.toThrow(/closed/);
  });
});
