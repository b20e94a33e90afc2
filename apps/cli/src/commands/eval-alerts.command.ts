import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { EVALUATION_SCENARIOS, EvaluationAborted, formatEvaluationReport, runAlertEvaluation } from '@aicrn/pipeline';
import { QTC_FORMULAS, QtcFormula } from '@aicrn/signal';
import { BadInputError, reportBadInput } from './bad-input';
import { aicrnPipelineMeasurement, chooseMethod, isNetworkMethod, NETWORK_EVALUATION_BEDS } from './measurement-methods';

export interface EvalAlertsOptions {
  hours?: number;
  beds?: number;
  seed: number;
  quick?: boolean;
  scenario?: string[];
  method?: string;
  model?: string;
  qtcFormula: string;
  workers?: number;
  json?: boolean;
  progress?: boolean;
}

const QUICK_HOURS = 2;
const QUICK_BEDS = 1;

const numberIn = (name: string, min: number, max: number, integer: boolean) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new InvalidArgumentError(`${name} must be ${integer ? 'a whole number' : 'a number'} in ${min}..${max}`);
  }
  return n;
};

/** `aicrn eval-alerts`: scripted patients through the real pipeline, scored per alert kind. */
export function registerEvalAlertsCommand(program: Command): void {
  program
    .command('eval-alerts')
    .description(
      'run scripted synthetic patients (stable, QT prolongation, tachycardia, bradycardia, QRS widening, T peaking, lead-off, motion artefact) ' +
        'through ingestWindow -> measureWindows -> BedAlarms in scenario time and report, per alert kind, sensitivity, false alarms per bed-hour and time to alert',
    )
    .option('--hours <h>', 'bed-hours of the stable + motion-artefact (false-alarm) scenarios (default 10; --quick: 2)', numberIn('--hours', 0, 1000, false))
    .option('--beds <n>', 'beds (seeds) per condition scenario (default 3; --quick: 1)', numberIn('--beds', 0, 100, true))
    .option('--seed <n>', 'base seed of the beds', numberIn('--seed', 0, 2 ** 31 - 1, true), 1)
    .option('--quick', 'reduced run: conditions right after the 5-min baseline, 20 min of the QT ramp, 1 bed each, 2 false-alarm hours')
    .option('--scenario <name...>', `only these scenarios (${EVALUATION_SCENARIOS.map((s) => s.name).join(', ')})`)
    .option('--method <name>', 'measurement method: dsp, aicrn (the network on a worker pool, DSP for the windows it declines) or consensus (the mean of the network and DSP, the same fallback) (default: aicrn with --model, else dsp)')
    .option('--model <dir>', 'AICRN model directory for --method aicrn or consensus (default: MODEL_DIR, else the shipped weights)')
    .option('--qtc-formula <name>', `QTc formula of the measurements (${QTC_FORMULAS.join(', ')}), as the pipeline's QTC_FORMULA`, 'bazett')
    .option('--workers <n>', 'worker threads: beds with dsp (default: cores, up to 4), the network with aicrn (default: cores)', numberIn('--workers', 1, 64, true))
    .option('--no-progress', 'no progress bar on stderr')
    .option('--json', 'print the report as one JSON object on stdout')
    .action(async (options: EvalAlertsOptions) => {
      try {
        const report = await evalAlerts(options);
        if (!report) return;
        process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatEvaluationReport(report)}\n`);
        if (report.checks.some((c) => !c.passed)) process.exitCode = 1;
      } catch (error) {
        if (error instanceof EvaluationAborted) {
          process.stderr.write('aicrn eval-alerts: interrupted; no report\n');
          process.exitCode = 130;
          return;
        }
        reportBadInput('eval-alerts', error instanceof Error && /^unknown |method 'aicrn'/.test(error.message) ? new BadInputError(error.message) : error);
      }
    });
}

/** Runs the evaluation with a progress bar on stderr; Ctrl-C stops the workers and returns null. */
export async function evalAlerts(options: EvalAlertsOptions) {
  if (!(QTC_FORMULAS as readonly string[]).includes(options.qtcFormula)) {
    throw new BadInputError(`unknown QTc formula '${options.qtcFormula}'; options: ${QTC_FORMULAS.join(', ')}`);
  }
  const method = chooseMethod(options);
  // The network runs on its own worker pool, fed by beds interleaved in this thread; the named-method worker threads build DSP only.
  const network = isNetworkMethod(method) ? await aicrnPipelineMeasurement({ modelDir: options.model, workers: options.workers }, options.qtcFormula as QtcFormula, method) : null;
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.once('SIGINT', onInterrupt);
  const showBar = options.progress !== false && process.stderr.isTTY === true;
  const bar = showBar ? new SingleBar({ stream: process.stderr, format: 'eval-alerts {bar} {value}/{total} windows | beds {beds} | ETA {eta_formatted}', hideCursor: true }) : null;
  let barStarted = false;
  try {
    return await runAlertEvaluation({
      falseAlarmHours: options.hours ?? (options.quick ? QUICK_HOURS : undefined),
      bedsPerCondition: options.beds ?? (options.quick ? QUICK_BEDS : undefined),
      seed: options.seed,
      quick: options.quick,
      scenarios: options.scenario,
      method,
      measurement: network ?? undefined,
      concurrentBeds: network ? NETWORK_EVALUATION_BEDS : undefined,
      qtcFormula: options.qtcFormula as QtcFormula,
      workers: network ? undefined : options.workers,
      signal: abort.signal,
      onProgress: (p) => {
        if (!bar) return;
        const beds = `${p.beds_done}/${p.beds_total}`;
        if (!barStarted) {
          bar.start(p.windows_total, p.windows_done, { beds });
          barStarted = true;
        } else bar.update(p.windows_done, { beds });
      },
    });
  } finally {
    if (barStarted) bar?.stop();
    process.removeListener('SIGINT', onInterrupt);
    await network?.close();
  }
}
