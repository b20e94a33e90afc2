import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { describeWithKafka, describeWithRedis, mockClusterBinary } from '../infra';
import { ChildUnderTest, ROOT } from './support/app-process';
import { eventually } from '../support/eventually';

const BEDS = 5;
const SECONDS = 20;

/** `node bin/aicrn.js bench pipeline --mode distributed ...` with only PATH, HOME and `env`. */
function benchCli(args: string[], env: Record<string, string> = {}): ChildUnderTest {
  return new ChildUnderTest(
    'aicrn bench pipeline',
    spawn(process.execPath, [join(ROOT, 'bin', 'aicrn.js'), 'bench', 'pipeline', '--mode', 'distributed', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** The app pids and the Redis key prefix the benchmark announced on stderr. */
function announced(cli: ChildUnderTest): { pids: Record<string, number>; keyPrefix: string | undefined } {
  const output = cli.output();
  const pids = Object.fromEntries([...output.matchAll(/(ingestion|inference|alerting) \(pid (\d+)\)/g)].map((m) => [m[1], Number(m[2])]));
  return { pids, keyPrefix: /key prefix (aicrn-bench-[0-9a-f]+:)/.exec(output)?.[1] };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function keysUnder(redisUrl: string, prefix: string): Promise<string[]> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return await redis.keys(`${prefix}*`);
  } finally {
    redis.disconnect();
  }
}

describeWithKafka(
  'aicrn bench pipeline --mode distributed',
  (kafka) => {
    describeWithRedis('three app processes driven over Kafka', (redis) => {
      let cli: ChildUnderTest | undefined;

      afterEach(async () => {
        await cli?.stop(15_000);
        cli = undefined;
      }, 30_000);

      it(`${BEDS} beds x ${SECONDS} s: every window measured exactly once, latency and the apps' memory reported, nothing left running or stored`, async () => {
        const k = kafka();
        cli = benchCli(['--beds', String(BEDS), '--seconds', String(SECONDS), '--drain-timeout', '60', '--brokers', k.brokers.join(','), '--redis-url', redis().url, '--json'], {
          KAFKA_IDEMPOTENT: String(k.idempotentProducer),
          KAFKA_CREATE_TOPICS: String(k.createTopics),
          KAFKA_PARTITIONS: String(k.partitions ?? 8),
          // The mock broker holds an empty fetch for the whole wait; keep hops short as the other distributed suites do.
          KAFKA_FETCH_MAX_WAIT_MS: '200',
        });
        const { code } = await cli.waitForExit(240_000);
        expect({ code, output: code === 0 ? '' : cli.output() }).toEqual({ code: 0, output: '' });

        // stdout is the report alone: one JSON object.
        const lines = cli.stdout.trim().split('\n');
        expect(lines).toHaveLength(1);
        const report = JSON.parse(lines[0]);
        // Bed i's first window ends i/5 of 10 s after the start, so in 20 s every bed publishes 2 (bed 1 a 3rd if a tick lands on 20 s).
        expect(report.windows_in).toBeGreaterThanOrEqual(2 * BEDS);
        expect(report).toMatchObject({ mode: 'distributed', beds: BEDS, seconds: SECONDS, windows_measured: report.windows_in, lost: 0, duplicates: 0, drained: true });
        expect(report.kafka).toBe(`brokers ${k.brokers.join(',')}`);
        expect(report.latency_ms_p50).toEqual(expect.any(Number));
        expect(report.latency_ms_p99).toBeGreaterThanOrEqual(report.latency_ms_p50);
        // Memory is the apps' (three Node processes of >= 40 MB each), not the benchmark process's.
        for (const app of ['ingestion', 'inference', 'alerting']) expect(report.max_rss_mb_by_app[app]).toBeGreaterThan(40);
        const sumOfMaxima = Object.values(report.max_rss_mb_by_app as Record<string, number>).reduce((a, b) => a + b, 0);
        expect(report.max_rss_mb).toBeGreaterThan(Math.max(...Object.values(report.max_rss_mb_by_app as Record<string, number>)));
        expect(report.max_rss_mb).toBeLessThanOrEqual(sumOfMaxima + 1);
        expect(report.bench_max_rss_mb).toBeGreaterThan(0);

        const { pids, keyPrefix } = announced(cli);
        expect(Object.keys(pids).sort()).toEqual(['alerting', 'inference', 'ingestion']);
        expect(Object.values(pids).filter(alive)).toEqual([]);
        expect(keyPrefix).toBeDefined();
        expect(await keysUnder(redis().url, keyPrefix!)).toEqual([]);
      }, 300_000);

      (('binary' in mockClusterBinary()) ? it : it.skip)('without brokers it runs its own mock cluster; Ctrl-C stops every process it started and deletes its Redis keys (exit 130)', async () => {
        cli = benchCli(['--beds', String(BEDS), '--seconds', '300', '--redis-url', redis().url, '--json']);
        const running = cli;
        await eventually('the benchmark to be running on its own mock cluster', () => /librdkafka mock cluster/.test(running.output()) && /running t=\d+s/.test(running.output()), {
          timeoutMs: 180_000,
          context: () => running.output(),
        });
        const { pids, keyPrefix } = announced(running);
        const children = childPids(running.pid);
        // The three apps and the mock cluster.
        expect(children).toEqual(expect.arrayContaining(Object.values(pids)));
        expect(children).toHaveLength(4);
        expect(await keysUnder(redis().url, keyPrefix!)).not.toEqual([]);

        running.child.kill('SIGINT');
        const { code } = await running.waitForExit(60_000);
        expect({ code, output: code === 130 ? '' : running.output() }).toEqual({ code: 130, output: '' });
        expect(running.stdout).toBe('');
        expect(running.output()).toMatch(/interrupted by SIGINT; everything it started is stopped/);
        expect(children.filter(alive)).toEqual([]);
        expect(await keysUnder(redis().url, keyPrefix!)).toEqual([]);
      }, 300_000);
    });
  },
  { partitions: 8 },
);
