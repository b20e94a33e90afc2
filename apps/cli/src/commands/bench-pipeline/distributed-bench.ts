import { createKafkaBus, STDERR_LOGGER } from '@aicrn/kafka';
import { PipelineBenchmarkReport, runPipelineBenchmark } from '@aicrn/pipeline';
import { provideBenchKafka } from './bench-kafka';
import { note, progressLines } from './bench-progress';
import { BenchRedis, DEFAULT_BENCH_REDIS_URL } from './bench-redis';
import { awaitPipelineFlowing } from './pipeline-probe';
import { PipelineApp, PipelineApps } from './pipeline-apps';
import { MemorySampler } from './process-memory';

export interface DistributedBenchOptions {
  beds: number;
  seconds: number;
  drainTimeoutS: number;
  /** host:port,...; default KAFKA_BROKERS, else a local mock cluster. */
  brokers?: string;
  /** default REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Ctrl-C: the run stops, everything started is stopped and cleaned up, and the promise rejects. */
  signal: AbortSignal;
}

export type DistributedBenchReport = PipelineBenchmarkReport & {
  mode: 'distributed';
  /** max_rss_mb is the highest sum of the three apps' RSS; these are each app's own maximum. */
  max_rss_mb_by_app: Record<PipelineApp, number>;
  /** The benchmark process itself (the simulated monitors and the measurement reader), not part of the pipeline. */
  bench_max_rss_mb: number;
  kafka: string;
};

const READY_TIMEOUT_MS = 120_000;
const PROBE_TIMEOUT_MS = 120_000;
const RSS_SAMPLE_MS = 500;

/**
 * The distributed pipeline under load: Kafka (given or a mock cluster), Redis under a key prefix of
 * this run, ingestion, inference and alerting as three processes, then runPipelineBenchmark over a
 * KafkaBus. Memory is the apps' resident set, read from /proc. Whatever was started is stopped, and
 * the run's Redis keys deleted, however the run ends.
 */
export async function runDistributedBench(options: DistributedBenchOptions, env: NodeJS.ProcessEnv = process.env): Promise<DistributedBenchReport> {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  try {
    const redis = await BenchRedis.connect(options.redisUrl ?? env.REDIS_URL ?? DEFAULT_BENCH_REDIS_URL);
    cleanups.push(async () => {
      note(`removed ${await redis.removeKeys()} Redis keys under ${redis.keyPrefix}`);
      redis.close();
    });
    note(`redis: ${redis.description}`);
    const swept = await redis.begin();
    if (swept.runs > 0) note(`removed ${swept.keys} Redis keys left by ${swept.runs} benchmark run(s) that were killed before their cleanup`);

    const kafka = await provideBenchKafka(options.brokers, env);
    cleanups.push(() => kafka.stop());
    note(`kafka: ${kafka.description}`);

    const apps = new PipelineApps();
    cleanups.push(() => apps.stopAll());
    const startedMs = Date.now();
    await apps.start({ ...env, ...kafka.env, ...redis.env, AUTH_MODE: 'open', LOG_LEVEL: env.LOG_LEVEL ?? 'warn', SHUTDOWN_TIMEOUT_MS: '5000' });
    note(`started ${Object.entries(apps.pids()).map(([app, pid]) => `${app} (pid ${pid})`).join(', ')}`);
    // From here on a crashed app ends the run at once, with its last output.
    const signal = AbortSignal.any([options.signal, apps.crashed]);
    await apps.waitReady(READY_TIMEOUT_MS, signal);
    note(`apps ready in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);

    const bus = await createKafkaBus({ ...env, ...kafka.env, KAFKA_CLIENT_ID: 'aicrn-bench' }, STDERR_LOGGER);
    cleanups.push(() => bus.close());
    const probeMs = await awaitPipelineFlowing(bus, apps.url('alerting'), PROBE_TIMEOUT_MS, signal);
    note(`pipeline flowing: a probe window went through all three apps into Redis in ${(probeMs / 1000).toFixed(1)} s`);

    const memory = new MemorySampler(apps.pids(), RSS_SAMPLE_MS);
    const bench = new MemorySampler({ bench: process.pid }, RSS_SAMPLE_MS);
    memory.start();
    bench.start();
    cleanups.push(() => (memory.stop(), bench.stop()));
    const report = await runPipelineBenchmark({
      bus,
      beds: options.beds,
      seconds: options.seconds,
      drainTimeoutMs: options.drainTimeoutS * 1000,
      rssMb: () => memory.totalMb(),
      signal,
      onProgress: progressLines(options.beds, Date.now(), 'sum of the 3 apps'),
    });
    return {
      mode: 'distributed',
      ...report,
      max_rss_mb: Math.round(Math.max(report.max_rss_mb, memory.maxTotalMb())),
      max_rss_mb_by_app: memory.maxByName() as Record<PipelineApp, number>,
      bench_max_rss_mb: bench.maxByName().bench,
      kafka: kafka.description,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        note(`cleanup failed: ${(error as Error).message}`);
      }
    }
  }
}
