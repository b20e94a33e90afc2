import { Command, Option } from 'commander';
import { benchCommand, integerIn } from './option-parsers';
import { MESSAGE_BUS, startApp } from '@aicrn/nest-platform';
import { PipelineBenchmarkReport, runPipelineBenchmark } from '@aicrn/pipeline';
import { createLogger } from '@aicrn/platform';
import { MessageBus } from '@aicrn/transport';
import { embeddedFeatures } from '../../../embedded/src/embedded.features';

export interface BenchPipelineOptions {
  beds: number;
  seconds: number;
  mode: 'embedded';
  json?: boolean;
  drainTimeout: number;
}


/** `aicrn bench pipeline`: N simulated beds in real time through the embedded pipeline; latency, loss, duplicates, memory. */
export function registerBenchPipelineCommand(program: Command): void {
  benchCommand(program)
    .command('pipeline')
    .description('run the embedded pipeline in this process with N simulated beds (one 10-s window per bed per 10 s) and report end-to-end latency, loss, duplicates and memory')
    .option('--beds <n>', 'simulated beds', integerIn('--beds', 1, 2000), 100)
    .option('--seconds <s>', 'how long the beds publish', integerIn('--seconds', 1, 24 * 3600), 60)
    // Distributed mode (Kafka + separate apps) is not implemented yet; the option exists so scripts can name the mode.
    .addOption(new Option('--mode <mode>', 'pipeline under test').choices(['embedded']).default('embedded'))
    .option('--drain-timeout <s>', 'how long to wait for in-flight windows after the run before counting them lost', integerIn('--drain-timeout', 0, 3600), 60)
    .option('--json', 'print only the report, as one JSON object, on stdout')
    .action(async (options: BenchPipelineOptions) => {
      const report = await runBenchPipeline(options);
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
      if (report.lost > 0 || report.duplicates > 0) process.exitCode = 1;
    });
}

/** Starts the embedded pipeline without the simulator or authentication, drives it, and stops it. */
export async function runBenchPipeline(options: BenchPipelineOptions): Promise<PipelineBenchmarkReport> {
  const env: NodeJS.ProcessEnv = { ...process.env, SIM_BEDS: '0', SIM_BACKFILL_S: '0', PORT: '0', HOST: '127.0.0.1', AUTH_MODE: 'open', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  delete env.KAFKA_BROKERS;
  delete env.REDIS_URL;
  // stdout is reserved for the report.
  const logger = createLogger('embedded', env.LOG_LEVEL, process.stderr);
  const running = await startApp('embedded', embeddedFeatures, env, { logger });
  const started = Date.now();
  try {
    return await runPipelineBenchmark({
      bus: running.app.get<MessageBus>(MESSAGE_BUS),
      beds: options.beds,
      seconds: options.seconds,
      drainTimeoutMs: options.drainTimeout * 1000,
      onProgress: (p) => {
        if (p.phase === 'generating') {
          if (p.windows_in === options.beds) process.stderr.write(`aicrn bench pipeline: synthesised ${p.windows_in} bed waveforms in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
          return;
        }
        process.stderr.write(`aicrn bench pipeline: ${p.phase} t=${p.elapsed_s}s in=${p.windows_in} measured=${p.windows_measured} rss=${p.rss_mb}MB\n`);
      },
    });
  } finally {
    await running.app.close();
  }
}

function formatReport(r: PipelineBenchmarkReport): string {
  return [
    `embedded pipeline, ${r.beds} beds for ${r.seconds} s (${(r.beds / 10).toFixed(1)} windows/s)`,
    `  windows in ${r.windows_in}   measured ${r.windows_measured}   lost ${r.lost}   duplicates ${r.duplicates}${r.drained ? '' : '   (drain timed out)'}`,
    `  latency window end -> measurement published: p50 ${r.latency_ms_p50 ?? 'n/a'} ms   p99 ${r.latency_ms_p99 ?? 'n/a'} ms`,
    `  memory: max RSS ${r.max_rss_mb} MB   (first tenth ${r.rss_mb_first_tenth} MB, last tenth ${r.rss_mb_last_tenth} MB)`,
  ].join('\n');
}
