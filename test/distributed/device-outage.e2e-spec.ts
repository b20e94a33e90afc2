import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { EcgWindow, TOPICS } from '@aicrn/contracts';
import { KafkaBus, kafkaTestConfig } from '@aicrn/kafka';
import { describeWithKafka, kafkaPlan, TestKafka } from '../infra';
import { ChildUnderTest, ROOT } from './support/app-process';
import { eventually } from '../support/eventually';

const BEDS = 4;
/** 20 s of backfill (3 windows per bed at once), then one window per bed every 10 s: 7 per bed. */
const BACKFILL_S = 20;
const DURATION_S = 70;
const WINDOWS_PER_BED = DURATION_S / 10;
/** Longer than the ~30 s a Kafka producer send survives on its own retries. */
const DOWN_MS = 35_000;

const QUIET = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const plan = kafkaPlan();
const name = 'device outage: `aicrn simulate` keeps every window through 35 s without a broker';

/**
 * The device side of a broker outage. `aicrn simulate` publishes in real time while every broker of
 * the librdkafka mock cluster is down for 35 s; the windows that fall due meanwhile wait in the
 * device's backlog and go out, in order, when the broker returns. Afterwards every window sequence
 * number is on ecg.raw.v1 exactly once: the topic holds exactly as many records as were produced.
 */
if ('skip' in plan || plan.source === 'local') {
  describeWithKafka(
    name,
    (kafka) => {
      const clis: ChildUnderTest[] = [];

      afterAll(async () => {
        await Promise.allSettled(clis.map((cli) => cli.stop()));
      }, 20_000);

      /** `aicrn simulate --realtime` on the test cluster, as its own process; stderr kept whole. */
      function simulate(args: string[]): { cli: ChildUnderTest; stderr: () => string; context: () => string } {
        let stderr = '';
        const cli = new ChildUnderTest(
          'aicrn simulate',
          spawn(process.execPath, [join(__dirname, 'support', 'device-cli.js'), 'simulate', '--realtime', '--kafka', kafka().brokers.join(','), '--json', ...args], {
            cwd: ROOT,
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', KAFKA_IDEMPOTENT: String(kafka().idempotentProducer), KAFKA_CREATE_TOPICS: String(kafka().createTopics) },
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        );
        clis.push(cli);
        cli.child.stderr!.on('data', (chunk) => (stderr += chunk));
        return { cli, stderr: () => stderr, context: () => `--- full stderr of the CLI:\n${stderr}` };
      }

      it('publishes through the outage: every (bed, seq) once on ecg.raw.v1, each bed in order, counted in the summary', async () => {
        const { cli, stderr: output, context } = simulate(['--beds', String(BEDS), '--backfill-s', String(BACKFILL_S), '--duration-s', String(DURATION_S)]);

        // The backfill is on the broker: then every broker goes away.
        await eventually('the backfill to be sent', () => new RegExp(`aicrn simulate: ${BEDS * (BACKFILL_S / 10 + 1)} windows,`).test(output()), { timeoutMs: 30_000, context });
        await kafka().brokerDown(-1);
        const downAt = Date.now();
        await sleep(DOWN_MS);
        expect(cli.exited).toBe(false);
        await kafka().brokerUp(-1);
        const upAt = Date.now();

        const { code } = await cli.waitForExit(60_000);
        const exitedAfterUpMs = Date.now() - upAt;
        const stderr = output();
        expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
        const summary = JSON.parse(cli.stdout.trim().split('\n').pop()!);
        expect(summary).toMatchObject({ windows_published: BEDS * WINDOWS_PER_BED, windows_unsent: 0, windows_dropped: 0, stopped_by: 'duration' });
        expect(summary.outages).toBeGreaterThanOrEqual(1);
        expect(stderr).toMatch(/aicrn simulate: broker unreachable since \S+ \(.+\), \d+ windows? queued/);
        const recovered = /aicrn simulate: recovered after (\S+) s, resent (\d+) windows?/.exec(stderr);
        expect(recovered).not.toBeNull();
        expect(Number(recovered![2])).toBeGreaterThan(0);

        const records = await rawTopic(kafka(), BEDS * WINDOWS_PER_BED, context);
        const expected = Array.from({ length: WINDOWS_PER_BED }, (_, seq) => seq);
        for (let bed = 1; bed <= BEDS; bed++) {
          const own = records.filter((r) => r.window.bed_id === `bed-0${bed}`);
          // One partition per bed: offset order is the order the broker took them in.
          expect(own.map((r) => r.window.seq)).toEqual(expected);
        }
        process.stderr.write(
          `[device-outage] down_ms=${upAt - downAt} windows=${records.length} duplicates=0 lost=0 recovered_after_s=${recovered![1]} resent=${recovered![2]} ` +
            `failed_sends=${summary.failed_sends} cli_done_after_up_ms=${exitedAfterUpMs}\n`,
        );
      }, 150_000);

      it('Ctrl-C during an outage: exits within the grace period and reports the windows not sent', async () => {
        const { cli, stderr: output, context } = simulate(['--beds', '2', '--flush-grace-s', '2']);
        await eventually('the first windows to be sent', () => /aicrn simulate: 2 windows,/.test(output()), { timeoutMs: 30_000, context });
        await kafka().brokerDown(-1);
        try {
          // The next windows fall due 10 s after the start; 5 s unanswered, the outage is declared.
          await eventually('the outage to be reported', () => /broker unreachable since/.test(output()), { timeoutMs: 30_000, context });
          const interruptedAt = Date.now();
          cli.child.kill('SIGINT');
          const { code } = await cli.waitForExit(15_000);
          const exitMs = Date.now() - interruptedAt;
          const stderr = output();
          expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
          const summary = JSON.parse(cli.stdout.trim().split('\n').pop()!);
          expect(summary).toMatchObject({ stopped_by: 'signal', windows_published: 2, windows_unsent: 2, windows_dropped: 0 });
          expect(stderr).toMatch(/aicrn simulate: stopping: sending the 2 held windows for up to 2 s/);
          expect(stderr).toMatch(/aicrn simulate: 2 windows NOT SENT \(bed-01 1, bed-02 1\); [12] of them in a send the broker never answered/);
          expect(stderr).toMatch(/aicrn simulate: 2 windows sent, 2 NOT SENT, 0 dropped \(backlog full\), 1 broker outage/);
          // Grace 2 s, then the producer disconnects: the send given up on does not keep the process alive.
          expect(exitMs).toBeLessThan(10_000);
          process.stderr.write(`[device-outage] ctrl_c_in_outage_exit_ms=${exitMs} unsent=${summary.windows_unsent}\n`);
        } finally {
          await kafka().brokerUp(-1);
        }
      }, 60_000);

      /**
       * Every record on ecg.raw.v1 in offset order per partition, once all `count` are there; fails if
       * the topic holds more records than that (a window sent twice).
       */
      async function rawTopic(test: TestKafka, count: number, context: () => string): Promise<Array<{ window: EcgWindow; partition: number; offset: number }>> {
        const total = await recordsOnTopic(test, TOPICS.raw);
        expect(total).toBe(count);
        const seen: Array<{ window: EcgWindow; partition: number; offset: number }> = [];
        // Closed here, not in afterAll: that runs after the suite's cluster is stopped, and a consumer
        // closing against a vanished broker keeps retrying (and Jest from exiting).
        const reader = await KafkaBus.connect(kafkaTestConfig(test, { clientId: 'device-outage-reader' }), { logger: QUIET });
        try {
          await reader.subscribe(TOPICS.raw, { groupId: 'device-outage-reader' }, async (batch) => {
            for (const m of batch) seen.push({ window: m.value, partition: m.partition, offset: Number(m.offset) });
          });
          await eventually(`all ${count} records read back`, () => seen.length >= count, { timeoutMs: 30_000, observe: () => `${seen.length}/${count}`, context });
        } finally {
          await reader.close();
        }
        return seen.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
      }
    },
    { partitions: 4 },
  );
} else {
  const reason = `taking the brokers down needs the local librdkafka mock cluster; this Kafka comes from ${plan.source}`;
  process.stderr.write(`[test-infra] skipping "${name}": ${reason}\n`);
  describe.skip(`${name} (skipped: ${reason})`, () => it('needs infrastructure', () => undefined));
}

/** Records a topic holds: the sum of its partitions' high-water marks (the topic is new with the cluster). */
async function recordsOnTopic(test: TestKafka, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'device-outage-admin', brokers: test.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
}
