import { Command, Option } from 'commander';
import { benchCommand, integerIn, positiveNumberUpTo } from './option-parsers';
import { AICRN_PRESETS, AicrnPresetName, benchInference, InferenceBenchResult } from '@aicrn/model';

export interface BenchInferenceOptions {
  preset: AicrnPresetName;
  batch: number;
  workers?: number;
  seconds: number;
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
    .option('--json', 'print the report as one JSON object')
    .action(async (options: BenchInferenceOptions) => {
      const result = await benchInference({
        preset: options.preset,
        batch: options.batch,
        workers: options.workers,
        seconds: options.seconds,
        onEvent: (event) => {
          if (event.type === 'worker-crashed') process.stderr.write(`aicrn bench inference: worker ${event.workerId} crashed: ${event.error}\n`);
        },
      });
      process.stderr.write(
        `aicrn bench inference: backend ${result.backend}, ${result.workers} worker(s), ${result.batches} timed batches in ${result.seconds} s, ${result.windows_per_cpu_s} windows per CPU-second\n`,
      );
      const { preset, backend, workers, batch, windows_per_s, ms_per_window_p50, ms_per_window_p99 } = result;
      const report = { preset, backend, workers, batch, windows_per_s, ms_per_window_p50, ms_per_window_p99 };
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatBench(result)}\n`);
    });
}

function formatBench(r: InferenceBenchResult): string {
  return [
    `preset ${r.preset} on ${r.backend}, ${r.workers} worker(s), batch ${r.batch}`,
    `  ${r.windows_per_s} windows/s`,
    `  ms per window (batch time / batch): p50 ${r.ms_per_window_p50}, p99 ${r.ms_per_window_p99}`,
    `  ${r.windows_per_cpu_s} windows per CPU-second (per fully available core; largely independent of other load)`,
  ].join('\n');
}
