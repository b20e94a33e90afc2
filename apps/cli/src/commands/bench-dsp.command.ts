import { Command } from 'commander';
import { benchCommand, positiveNumberUpTo } from './option-parsers';
import { EcgRecord, generateWindow, measureDsp, readWfdbRecord, recordWindows, restingHeart } from '@aicrn/signal';
import { reportBadInput, BadInputError } from './bad-input';

export interface BenchDspOptions {
  seconds: number;
  json?: boolean;
  record?: string;
}

/** Timing of measureDsp over repeated calls on one window. */
export interface BenchDspReport {
  window: string;
  leads: number;
  sample_rate_hz: number;
  window_s: number;
  runs: number;
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
  windows_per_s: number;
}


/** `aicrn bench dsp`: milliseconds per 12-lead 10-s window of the classical measurement. */
export function registerBenchDspCommand(program: Command): void {
  benchCommand(program)
    .command('dsp')
    .description('time measureDsp on one 12-lead 10-s window (p50/p99 ms per window, one core)')
    .option('--seconds <s>', 'how long to keep measuring', positiveNumberUpTo('--seconds', 600), 3)
    .option('--record <file.hea>', 'time the first 10-s window of this WFDB record instead of a synthetic 12-lead 500 Hz window')
    .option('--json', 'print the report as one JSON object')
    .action((options: BenchDspOptions) => {
      try {
        const report = runBenchDsp(options);
        process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatBench(report)}\n`);
      } catch (error) {
        reportBadInput('bench dsp', error);
      }
    });
}

/** Runs the benchmark synchronously (it is CPU-bound by design). */
export function runBenchDsp(options: BenchDspOptions): BenchDspReport {
  const { record, label } = benchWindow(options.record);
  for (let i = 0; i < 5; i++) measureDsp(record);
  const times: number[] = [];
  const until = performance.now() + options.seconds * 1000;
  do {
    const started = performance.now();
    measureDsp(record);
    times.push(performance.now() - started);
  } while (performance.now() < until);
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const round = (v: number): number => Math.round(v * 100) / 100;
  return {
    window: label,
    leads: record.leads.length,
    sample_rate_hz: record.sampleRateHz,
    window_s: record.leads[0].mv.length / record.sampleRateHz,
    runs: times.length,
    p50_ms: round(at(0.5)),
    p99_ms: round(at(0.99)),
    mean_ms: round(mean),
    windows_per_s: round(1000 / mean),
  };
}

function benchWindow(recordPath: string | undefined): { record: EcgRecord; label: string } {
  if (recordPath) {
    const { record } = readWfdbRecord(recordPath);
    const first = recordWindows(record, 10).next();
    if (first.done) throw new BadInputError(`${recordPath}: shorter than one 10-s window`);
    return { record: first.value.record, label: recordPath };
  }
  const seed = 7;
  const window = generateWindow({ ...restingHeart(seed), sampleRateHz: 500, durationS: 10 }, seed, 'synthetic/bench');
  return { record: window.record, label: 'synthetic resting heart, seed 7' };
}

function formatBench(r: BenchDspReport): string {
  return [
    `measureDsp on ${r.window} (${r.leads} leads, ${r.sample_rate_hz} Hz, ${r.window_s} s)`,
    `  runs ${r.runs}   p50 ${r.p50_ms} ms   p99 ${r.p99_ms} ms   mean ${r.mean_ms} ms   ${r.windows_per_s} windows/s (one core)`,
  ].join('\n');
}
