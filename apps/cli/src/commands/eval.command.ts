import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { AgreementTally, EcgParameters, EcgRecord, EVALUATED_PARAMETERS, MethodComparison, MethodComparisonTally, ParameterAgreement, renderBlandAltmanPng, selectMeasurer } from '@aicrn/signal';
import { BadInputError, reportBadInput } from './bad-input';
import { EVAL_DATASETS, openEvalSource, parseRecordList } from './eval-datasets';
import { attributionOf, availableMeasurers, chooseMethod, CliMeasurer, MeasurerSelection } from './measurement-methods';

export interface EvalOptions {
  dataset: string;
  dir?: string;
  /** Default: aicrn with --model, else dsp. */
  method?: string;
  model?: string;
  /** A second method measuring the same windows, compared with the first per parameter. */
  compare?: string;
  json?: boolean;
  plots?: string;
  /** JSON-lines file with one row per window (EvalWindowRow). */
  windows?: string;
  records?: string;
  count?: number;
  seed: number;
  ptbxlPlus?: string;
  split?: string;
}

/** What an evaluation run produced (also the --json output). */
export interface EvalReport {
  dataset: string;
  method: string;
  model: string;
  windows: number;
  /** Windows measured per method and version: more than one entry when aicrn fell back to dsp. */
  measured_by: { method: string; model: string; windows: number }[];
  /** Why the network declined windows it left to dsp, with how many windows each reason covers. */
  fallbacks: { reason: string; windows: number }[];
  /** Windows the method failed on (bad signal), with the reason. */
  failures: { source: string; reason: string }[];
  interrupted: boolean;
  parameters: ParameterAgreement[];
  /** With --compare: the second method, and per parameter which one is closer to the reference (A = `method`). */
  comparison?: { method: string; model: string; parameters: MethodComparison[] };
}

/** One window of an evaluation, as `--windows` writes it: where a summary hides which records the errors come from. */
export interface EvalWindowRow {
  source: string;
  /** Null when the method could not measure the window (reason in `failure`). */
  method: string | null;
  model: string | null;
  fallback_reason: string | null;
  failure: string | null;
  reference: Partial<EcgParameters>;
  measured: Partial<EcgParameters> | null;
  /** With --compare: the second method's measurement of the window (null when it could not measure it). */
  compared?: Partial<EcgParameters> | null;
}

const positiveInt = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};

/** `aicrn eval`: agreement of a method with a dataset's reference parameters. */
export function registerEvalCommand(program: Command, measurers: (selection: MeasurerSelection) => CliMeasurer[] = availableMeasurers): void {
  program
    .command('eval')
    .description('score a measurement method against reference parameters: n, MAE, RMSE, R2 and Bland-Altman limits per parameter')
    .requiredOption('--dataset <name>', `dataset (${EVAL_DATASETS.join(', ')})`)
    .option('--dir <dir>', 'dataset directory (LUDB: the directory with <id>.hea files or its parent)')
    .option('--method <method>', `measurement method (${measurers({}).map((m) => m.method).join(', ')}; default: aicrn with --model, else dsp)`)
    .option('--model <dir>', 'trained AICRN model directory (model.json with training metadata, as `aicrn train --out` writes); overrides MODEL_DIR')
    .option('--compare <method>', 'also measure every window with this method and report, per parameter, which method is closer to the reference (paired, with a 95 % bootstrap interval over records)')
    .option('--json', 'print the report as one JSON object on stdout')
    .option('--plots <dir>', 'write one Bland-Altman PNG per parameter into this directory')
    .option('--windows <file>', 'write one JSON line per window: source, method, model, reference and measured parameters')
    .option('--records <list>', 'LUDB record ids, e.g. 1-80 or 3,5,9')
    .option('--count <n>', 'windows to evaluate (synthetic: generated, default 200; ptbxl: at most this many records)', positiveInt('--count'))
    .option('--ptbxl-plus <dir>', 'PTB-XL+ root with features/12sl_features.csv (for --dataset ptbxl)')
    .option('--split <split>', 'PTB-XL split by strat_fold: train, val, test or all', 'test')
    .option('--seed <n>', 'synthetic dataset seed', positiveInt('--seed'), 1)
    .action(async (options: EvalOptions) => {
      try {
        const report = await runEval(options, measurers({ modelDir: options.model }), { progress: process.stderr.isTTY === true });
        process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
        if (report.interrupted) process.exitCode = 130;
      } catch (error) {
        reportBadInput('eval', error);
      }
    });
}

/** Runs the evaluation; Ctrl-C (SIGINT) stops after the current window and returns the partial report. */
export async function runEval(options: EvalOptions, measurers: CliMeasurer[], ui: { progress: boolean }): Promise<EvalReport> {
  const measurer: CliMeasurer = selectMeasurer(chooseMethod(options), measurers);
  const compared: CliMeasurer | null = options.compare === undefined ? null : selectMeasurer(options.compare, measurers);
  if (compared?.method === measurer.method) throw new BadInputError(`--compare ${options.compare} is the method being evaluated; compare with another method`);
  const source = openEvalSource({
    dataset: options.dataset,
    dir: options.dir,
    records: options.records === undefined ? undefined : parseRecordList(options.records),
    count: options.count,
    seed: options.seed,
    ptbxlPlusDir: options.ptbxlPlus,
    split: options.split,
  });
  // After the dataset checks (no empty output for a bad dataset), before the model opens its workers.
  prepareOutputs(options);
  // A bad model fails here, before the first window and the progress bar.
  await measurer.open?.();
  await compared?.open?.();
  const tally = new AgreementTally();
  const comparison = new MethodComparisonTally();
  const byMethod = new Counts<{ method: string; model: string }>();
  const fallbacks = new Counts<{ reason: string }>();
  const failures: EvalReport['failures'] = [];
  const rows: EvalWindowRow[] = [];
  let windows = 0;
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.once('SIGINT', onInterrupt);
  const bar = ui.progress && source.total !== null ? new SingleBar({ stream: process.stderr, format: 'eval {bar} {value}/{total} windows | ETA {eta_formatted}', hideCursor: true }) : null;
  bar?.start(source.total!, 0);
  try {
    for await (const window of source.windows) {
      let row: EvalWindowRow;
      let measured: EcgParameters | null = null;
      try {
        const measurement = await measurer.measure(window.record);
        measured = measurement.parameters;
        tally.add(measurement.parameters, window.labels);
        const { method, version, fallbackReason } = attributionOf(measurer, measurement);
        byMethod.add({ method, model: version });
        if (fallbackReason !== null) fallbacks.add({ reason: fallbackReason });
        row = { source: window.source, method, model: version, fallback_reason: fallbackReason, failure: null, reference: evaluated(window.labels), measured: evaluated(measurement.parameters) };
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        failures.push({ source: window.source, reason: error.message });
        row = { source: window.source, method: null, model: null, fallback_reason: null, failure: error.message, reference: evaluated(window.labels), measured: null };
      }
      if (compared) {
        const other = await measureOrNull(compared, window.record);
        comparison.add(window.source, measured, other, window.labels);
        row.compared = other === null ? null : evaluated(other);
      }
      if (options.windows) rows.push(row);
      windows++;
      bar?.increment();
      // Let the SIGINT handler run between windows: measuring alone never yields to the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      if (interrupted) break;
    }
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', onInterrupt);
    await measurer.close?.();
    await compared?.close?.();
  }
  const parameters = tally.summary();
  if (options.windows) writeFileSync(options.windows, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  if (options.plots) {
    for (const agreement of parameters) {
      if (agreement.n === 0) continue;
      const title = `${options.dataset} ${measurer.method} ${agreement.parameter.replace(/_/g, ' ')}`;
      writeFileSync(join(options.plots, `bland-altman-${agreement.parameter}.png`), renderBlandAltmanPng(agreement, tally.pairsOf(agreement.parameter), title));
    }
  }
  return {
    dataset: options.dataset,
    method: measurer.method,
    model: measurer.version,
    windows,
    measured_by: byMethod.entries(),
    fallbacks: fallbacks.entries(),
    failures,
    interrupted,
    parameters,
    ...(compared ? { comparison: { method: compared.method, model: compared.version, parameters: comparison.summary() } } : {}),
  };
}

/** The compared method's parameters, or null for a window it cannot measure (bad signal), as the evaluated method's failures. */
async function measureOrNull(measurer: CliMeasurer, record: EcgRecord): Promise<EcgParameters | null> {
  try {
    return (await measurer.measure(record)).parameters;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return null;
  }
}

/** Creates the output directory and file before the first window, so a bad path fails before minutes of measuring. */
function prepareOutputs(options: EvalOptions): void {
  try {
    if (options.plots) mkdirSync(options.plots, { recursive: true });
    if (options.windows) writeFileSync(options.windows, '');
  } catch (error) {
    throw new BadInputError(`cannot write the output: ${(error as Error).message}`);
  }
}

function evaluated(parameters: EcgParameters): Partial<EcgParameters> {
  return Object.fromEntries(EVALUATED_PARAMETERS.map((p) => [p, parameters[p]]));
}

/** Windows per distinct key (e.g. method and version), in order of first appearance. */
class Counts<K extends Record<string, string>> {
  private readonly counts = new Map<string, K & { windows: number }>();

  add(key: K): void {
    const id = JSON.stringify(key);
    const entry = this.counts.get(id) ?? { ...key, windows: 0 };
    entry.windows++;
    this.counts.set(id, entry);
  }

  entries(): Array<K & { windows: number }> {
    return [...this.counts.values()];
  }
}

/** A table cell: the number to the given digits, or '-' for none. */
function cell(value: number | null, digits: number): string {
  return value === null ? '-' : value.toFixed(digits);
}

/** The report as a readable table. */
export function formatReport(report: EvalReport): string {
  const lines = [
    `${report.dataset}: ${report.windows} windows, method ${report.method} (${report.model})${report.interrupted ? ' -- INTERRUPTED, partial results' : ''}`,
    ['parameter'.padEnd(10), 'n'.padStart(5), 'missed'.padStart(6), 'MAE'.padStart(8), 'RMSE'.padStart(8), 'R2'.padStart(7), 'mean diff'.padStart(10), 'SD diff'.padStart(8), 'LoA low'.padStart(9), 'LoA high'.padStart(9)].join(' '),
  ];
  // Said only when the network left windows to dsp: otherwise the first line names the one method.
  if (report.fallbacks.length > 0) {
    lines.splice(1, 0, `measured by: ${report.measured_by.map((m) => `${m.method} (${m.model}) ${m.windows} windows`).join(', ')}`, ...report.fallbacks.map((f) => `  dsp for ${f.windows} windows: ${f.reason}`));
  }
  for (const p of report.parameters) {
    const digits = p.parameter.endsWith('_mv') ? 3 : 1;
    lines.push(
      [
        p.parameter.padEnd(10),
        String(p.n).padStart(5),
        String(p.missed).padStart(6),
        cell(p.mae, digits).padStart(8),
        cell(p.rmse, digits).padStart(8),
        cell(p.r2, 3).padStart(7),
        cell(p.meanDifference, digits).padStart(10),
        cell(p.sdDifference, digits).padStart(8),
        cell(p.lowerLimit, digits).padStart(9),
        cell(p.upperLimit, digits).padStart(9),
      ].join(' '),
    );
  }
  for (const failure of report.failures) lines.push(`not measured: ${failure.source}: ${failure.reason}`);
  if (report.comparison) lines.push('', ...formatComparison(report.method, report.comparison));
  return lines.join('\n');
}

/** --compare as a table: the paired difference of absolute errors and whether its interval excludes zero. */
function formatComparison(method: string, comparison: NonNullable<EvalReport['comparison']>): string[] {
  const other = comparison.method;
  const signed = (value: number | null, digits: number): string => (value === null ? '-' : `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`);
  const lines = [
    `compared with ${other} (${comparison.model}) on the windows both measured: mean of |${method} error| - |${other} error|, 95 % bootstrap interval over records`,
    ['parameter'.padEnd(10), 'n'.padStart(5), `only ${method}`.padStart(11), `only ${other}`.padStart(11), `MAE ${method}`.padStart(10), `MAE ${other}`.padStart(10), 'mean diff'.padStart(10), '95 % interval'.padStart(19), '  closer'].join(' '),
  ];
  for (const c of comparison.parameters) {
    if (c.n === 0 && c.onlyA === 0 && c.onlyB === 0) continue;
    // HR differences between methods are fractions of a beat per minute.
    const digits = c.parameter.endsWith('_mv') ? 3 : c.parameter === 'hr_bpm' ? 2 : 1;
    const interval = c.lower95 === null || c.upper95 === null ? '-' : `${signed(c.lower95, digits)} .. ${signed(c.upper95, digits)}`;
    const closer = c.closer === 'a' ? method : c.closer === 'b' ? other : c.lower95 === null ? 'too few records' : 'not separable';
    lines.push(
      [
        c.parameter.padEnd(10),
        String(c.n).padStart(5),
        String(c.onlyA).padStart(11),
        String(c.onlyB).padStart(11),
        cell(c.maeA, digits).padStart(10),
        cell(c.maeB, digits).padStart(10),
        signed(c.meanDifference, digits).padStart(10),
        interval.padStart(19),
        `  ${closer}`,
      ].join(' '),
    );
  }
  return lines;
}
