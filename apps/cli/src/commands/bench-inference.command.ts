import { Command, Option } from 'commander';
import { benchCommand, integerIn, positiveNumberUpTo } from './option-parsers';
import { AICRN_PRESETS, AicrnPresetName, BatchPlacement, benchInference, InferenceBenchResult } from '@aicrn/model';

export interface BenchInferenceOptions {
  preset: AicrnPresetName;
  batch: number;
  workers?: number;
  seconds: number;
  placement: BatchPlacement;
  json?: boolean;
}

/** `aicrn bench inference`: AICRN throughput on the worker pool (random weights; speed only). */
export function registerBenchInferenceCommand(program: Command): void {
  benchCommand(program)
    .command('inference')
    .description('AICRN windows per second on the inference worker pool (random-initialised weights: speed, not accuracy)')
    .addOption(new Option('--preset <name>', 'model preset').choices(Object.keys(AICRN_PRESETS)).default('serving'))
    .option('--batch <n>', 'windows per batch', integerIn('--batch', 1, 256), 16)
    .option('--workers <n>', 'worker threads, each with its own backend and model (default: number of cores)', integerIn('--workers', 1, 64))
    .option('--seconds <s>', 'how long to keep every worker busy after warm-up', positiveNumberUpTo('--seconds', 600), 10)
    .addOption(
      new Option('--placement <how>', 'split: one batch at a time, cut into one shard per worker (lower batch latency); whole: one batch per worker at a time')
        .choices(['split', 'whole'])
        .default('split'),
    )
    .option('--json', 'print the report as one JSON object')
    .action(async (options: BenchInferenceOptions) => {
      const result = await benchInference({
        preset: options.preset,
        batch: options.batch,
        workers: options.workers,
        seconds: options.seconds,
        placement: options.placement,
        onEvent: (event) => {
          if (event.type === 'worker-crashed') process.stderr.write(`aicrn bench inference: worker ${event.workerId} crashed: ${event.error}\n`);
        },
      });
      process.stderr.write(
        `aicrn bench inference: backend ${result.backend}, ${result.workers} worker(s), ${result.batches} timed batches in ${result.seconds} s, ${result.windows_per_cpu_s} windows per CPU-second\n`,
      );
      const { preset, backend, workers, batch, placement, windows_per_s, ms_per_window_p50, ms_per_window_p99, batch_ms_p50, batch_ms_p99 } = result;
      const report = { preset, backend, workers, batch, placement, windows_per_s, ms_per_window_p50, ms_per_window_p99, batch_ms_p50, batch_ms_p99 };
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatBench(result)}\n`);
    });
}

function formatBench(r: InferenceBenchResult): string {
  return [
    `preset ${r.preset} on ${r.backend}, ${r.workers} worker(s), batch ${r.batch}, placement ${r.placement}`,
    `  ${r.windows_per_s} windows/s`,
    `  batch latency: p50 ${r.batch_ms_p50} ms, p99 ${r.batch_ms_p99} ms`,
    `  ms per window (batch time / batch): p50 ${r.ms_per_window_p50}, p99 ${r.ms_per_window_p99}`,
    `  ${r.windows_per_cpu_s} windows per CPU-second (per fully available core; largely independent of other load)`,
  ].join('\n');
}
