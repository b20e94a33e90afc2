import { Command, Option } from 'commander';
import { BadInputError, reportBadInput } from './bad-input';
import { DistributedBenchReport, runDistributedBench } from './bench-pipeline/distributed-bench';
import { EmbeddedBenchReport, runEmbeddedBench } from './bench-pipeline/embedded-bench';
import { note } from './bench-pipeline/bench-progress';
import { interruption } from './device-feed';
import { benchCommand, integerIn } from './option-parsers';

export interface BenchPipelineOptions {
  beds: number;
  seconds: number;
  mode: 'embedded' | 'distributed';
  brokers?: string;
  redisUrl?: string;
  json?: boolean;
  drainTimeout: number;
}

type BenchPipelineReport = EmbeddedBenchReport | DistributedBenchReport;

const INTERRUPTED_EXIT_CODE = 130;

/** `aicrn bench pipeline`: N simulated beds in real time through the pipeline; latency, loss, duplicates, memory. */
export function registerBenchPipelineCommand(program: Command): void {
  benchCommand(program)
    .command('pipeline')
    .description('run the pipeline with N simulated beds (one 10-s window per bed per 10 s) and report end-to-end latency, loss, duplicates and memory')
    .option('--beds <n>', 'simulated beds', integerIn('--beds', 1, 2000), 100)
    .option('--seconds <s>', 'how long the beds publish', integerIn('--seconds', 1, 24 * 3600), 60)
    .addOption(new Option('--mode <mode>', 'embedded: one process, in-memory bus and state; distributed: the three apps as processes on Kafka and Redis').choices(['embedded', 'distributed']).default('embedded'))
    .option('--brokers <list>', 'distributed: Kafka host:port[,...] (default KAFKA_BROKERS, else a local librdkafka mock cluster)')
    .option('--redis-url <url>', 'distributed: Redis (default REDIS_URL, else redis://127.0.0.1:6379); keys go under a prefix of this run and are deleted after it')
    .option('--drain-timeout <s>', 'how long to wait for in-flight windows after the run before counting them lost', integerIn('--drain-timeout', 0, 3600), 60)
    .option('--json', 'print only the report, as one JSON object, on stdout')
    .addHelpText('after', '\nProgress goes to stderr. Ctrl-C stops the run and every process it started (exit 130). Exit 1 when a window was lost or duplicated.')
    .action(async (options: BenchPipelineOptions) => {
      const signals = interruption();
      const stop = new AbortController();
      void signals.interrupted.then((signal) => stop.abort(new Error(`interrupted by ${signal}`)));
      try {
        const report = await runBenchPipeline(options, stop.signal);
        process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
        if (report.lost > 0 || report.duplicates > 0) process.exitCode = 1;
      } catch (error) {
        if (stop.signal.aborted) {
          note(`${(stop.signal.reason as Error).message}; everything it started is stopped`);
          process.exitCode = INTERRUPTED_EXIT_CODE;
          return;
        }
        reportBadInput('bench pipeline', error);
      } finally {
        signals.dispose();
      }
    });
}

export async function runBenchPipeline(options: BenchPipelineOptions, signal: AbortSignal = new AbortController().signal): Promise<BenchPipelineReport> {
  const common = { beds: options.beds, seconds: options.seconds, drainTimeoutS: options.drainTimeout, signal };
  if (options.mode === 'distributed') return runDistributedBench({ ...common, brokers: options.brokers, redisUrl: options.redisUrl });
  if (options.brokers !== undefined || options.redisUrl !== undefined) throw new BadInputError('--brokers and --redis-url apply to --mode distributed');
  return runEmbeddedBench(common);
}

function formatReport(r: BenchPipelineReport): string {
  const memory =
    r.mode === 'distributed'
      ? `  memory: max RSS of the 3 apps together ${r.max_rss_mb} MB (${Object.entries(r.max_rss_mb_by_app).map(([app, mb]) => `${app} ${mb}`).join(', ')} MB at most; the benchmark process ${r.bench_max_rss_mb} MB)`
      : `  memory: max RSS ${r.max_rss_mb} MB`;
  return [
    `${r.mode} pipeline, ${r.beds} beds for ${r.seconds} s (${(r.beds / 10).toFixed(1)} windows/s)${r.mode === 'distributed' ? ` on ${r.kafka}` : ''}`,
    `  windows in ${r.windows_in}   measured ${r.windows_measured}   lost ${r.lost}   duplicates ${r.duplicates}${r.drained ? '' : '   (drain timed out)'}`,
    `  latency window end -> measurement published: p50 ${r.latency_ms_p50 ?? 'n/a'} ms   p99 ${r.latency_ms_p99 ?? 'n/a'} ms`,
    `${memory}   (first tenth ${r.rss_mb_first_tenth} MB, last tenth ${r.rss_mb_last_tenth} MB)`,
  ].join('\n');
}
