import { MESSAGE_BUS, startApp } from '@aicrn/nest-platform';
import { PipelineBenchmarkReport, runPipelineBenchmark } from '@aicrn/pipeline';
import { createLogger } from '@aicrn/platform';
import { MessageBus } from '@aicrn/transport';
import { embeddedFeatures } from '../../../../embedded/src/embedded.features';
import { progressLines } from './bench-progress';

export interface EmbeddedBenchOptions {
  beds: number;
  seconds: number;
  drainTimeoutS: number;
  signal: AbortSignal;
}

export type EmbeddedBenchReport = PipelineBenchmarkReport & { mode: 'embedded' };

/** Starts the embedded pipeline in this process without the simulator or authentication, drives it, and stops it. */
export async function runEmbeddedBench(options: EmbeddedBenchOptions, baseEnv: NodeJS.ProcessEnv = process.env): Promise<EmbeddedBenchReport> {
  const env: NodeJS.ProcessEnv = { ...baseEnv, SIM_BEDS: '0', SIM_BACKFILL_S: '0', PORT: '0', HOST: '127.0.0.1', AUTH_MODE: 'open', LOG_LEVEL: baseEnv.LOG_LEVEL ?? 'warn' };
  delete env.KAFKA_BROKERS;
  delete env.REDIS_URL;
  // stdout is reserved for the report.
  const logger = createLogger('embedded', env.LOG_LEVEL, process.stderr);
  const running = await startApp('embedded', embeddedFeatures, env, { logger });
  try {
    const report = await runPipelineBenchmark({
      bus: running.app.get<MessageBus>(MESSAGE_BUS),
      beds: options.beds,
      seconds: options.seconds,
      drainTimeoutMs: options.drainTimeoutS * 1000,
      signal: options.signal,
      onProgress: progressLines(options.beds, Date.now(), ''),
    });
    return { mode: 'embedded', ...report };
  } finally {
    await running.app.close();
  }
}
