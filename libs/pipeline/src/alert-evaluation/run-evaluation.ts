import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AlarmSettings, DEFAULTS } from '@aicrn/alarms';
import { QTC_FORMULAS, QtcFormula } from '@aicrn/signal';
import { BedRunResult, EVALUATION_EPOCH_MS, EvaluationAborted, MeasurementSetup, runBedWindows } from './bed-run';
import { bedWindows, evaluationWard, measurementSetup, windowCount } from './evaluation-beds';
import { EvaluationBed, EvaluationProfile, EVALUATION_SCENARIOS, FULL_PROFILE, planEvaluation, QUICK_PROFILE } from './evaluation-scenarios';
import { EvaluationWorkerData, EvaluationWorkerMessage } from './evaluation-worker';
import { groundTruth } from './ground-truth';
import { EvaluatedBed, EvaluationScores, scoreEvaluation } from './score-evaluation';

export interface AlertEvaluationOptions {
  /** Bed-hours of the stable + motion-artefact scenarios (default 10). */
  falseAlarmHours?: number;
  /** Beds (seeds) per condition scenario (default 3). */
  bedsPerCondition?: number;
  seed?: number;
  /** The reduced timing (conditions right after the baseline, 20 min of QT ramp). */
  quick?: boolean;
  scenarios?: readonly string[];
  /** Measurement method by name (default dsp); ignored when `measurement` is given. */
  method?: string;
  /** A measurement setup to use instead of a named method (in-process runs only), e.g. a future AICRN primary. */
  measurement?: MeasurementSetup;
  /** QTc formula of the measurements (the pipeline's QTC_FORMULA; default bazett, as the services). */
  qtcFormula?: QtcFormula;
  /** Worker threads; 1 = in this thread. Default: available cores up to 4 when the compiled worker exists. */
  workers?: number;
  /**
   * In this thread (a given `measurement`, or one worker): beds run at once, interleaved, so that a batched
   * measurement (the network behind a micro-batcher and worker pool) gets full batches. Default 1.
   */
  concurrentBeds?: number;
  /** Compiled worker entry (default: evaluation-worker.js beside this module, present in dist/). */
  workerFile?: string;
  signal?: AbortSignal;
  onProgress?: (progress: EvaluationProgress) => void;
}

export interface EvaluationProgress {
  windows_done: number;
  windows_total: number;
  beds_done: number;
  beds_total: number;
}

export interface EvaluationReport extends EvaluationScores {
  settings: {
    seed: number;
    beds_per_condition: number;
    false_alarm_hours: number;
    profile: 'full' | 'quick';
    method: string;
    method_version: string;
    qtc_formula: QtcFormula;
    epoch_ms: number;
    window_s: number;
    workers: number;
    /** Beds run at once in this thread (1 with worker threads: each runs its beds one by one). */
    concurrent_beds: number;
  };
  scenario_descriptions: Record<string, string>;
  beds: Array<{ bed_id: string; scenario: string; seed: number; duration_s: number; alerts: string[] }>;
  windows: number;
  elapsed_s: number;
}

/** Compiled worker entry (present in dist/, absent when running from TypeScript sources, e.g. under jest). */
const WORKER_FILE = join(__dirname, 'evaluation-worker.js');

/**
 * `aicrn eval-alerts`: runs scripted patients through ingestWindow -> measureWindows -> BedAlarms in
 * scenario time and scores the alerts against the scripts' ground truth.
 */
export async function runAlertEvaluation(options: AlertEvaluationOptions = {}): Promise<EvaluationReport> {
  const started = performance.now();
  const profile: EvaluationProfile = options.quick ? QUICK_PROFILE : FULL_PROFILE;
  const qtcFormula = options.qtcFormula ?? 'bazett';
  if (!(QTC_FORMULAS as readonly string[]).includes(qtcFormula)) throw new Error(`unknown QTc formula '${qtcFormula}'; options: ${QTC_FORMULAS.join(', ')}`);
  const seed = options.seed ?? 1;
  const bedsPerCondition = options.bedsPerCondition ?? 3;
  const falseAlarmHours = options.falseAlarmHours ?? 10;
  const beds = planEvaluation({ falseAlarmHours, bedsPerCondition, seed, profile, scenarios: options.scenarios });
  if (beds.length === 0) throw new Error('nothing to evaluate: no beds planned (check --hours, --beds and --scenario)');
  const methodName = options.measurement ? (options.measurement.primary ?? options.measurement.fallback).method : (options.method ?? 'dsp');
  const measurement = options.measurement ?? measurementSetup(methodName, qtcFormula);
  const workerFile = options.workerFile ?? WORKER_FILE;
  if (options.workerFile && !existsSync(options.workerFile)) throw new Error(`worker file ${options.workerFile} does not exist`);
  const threaded = !options.measurement && existsSync(workerFile);
  const workers = threaded ? Math.max(1, Math.min(options.workers ?? defaultWorkers(), beds.length)) : 1;
  const concurrentBeds = workers > 1 ? 1 : Math.min(options.concurrentBeds ?? 1, beds.length);
  if (!Number.isInteger(concurrentBeds) || concurrentBeds < 1) throw new Error(`concurrentBeds must be a positive integer, got ${options.concurrentBeds}`);

  const total = beds.reduce((n, b) => n + windowCount(b), 0);
  const progress = { windows_done: 0, windows_total: total, beds_done: 0, beds_total: beds.length };
  const tick = () => options.onProgress?.({ ...progress });
  const results = new Map<number, BedRunResult>();
  const onBed = (index: number, result: BedRunResult) => {
    results.set(index, result);
    progress.beds_done++;
    tick();
  };
  const onWindow = () => {
    progress.windows_done++;
    if (progress.windows_done % 6 === 0) tick();
  };
  tick();
  // The scripts the beds follow: this thread's beds play them, and the ground truth is read off them.
  const ward = evaluationWard(beds, profile);
  if (workers > 1) {
    await runInWorkers(workerFile, beds, profile, methodName, qtcFormula, workers, options.signal, onWindow, onBed);
  } else {
    // Each bed's windows come from its own scenario and its alarms from its own engine, so interleaving beds changes nothing but speed.
    const queue = [...beds];
    const runBeds = async () => {
      for (let bed = queue.shift(); bed; bed = queue.shift()) {
        const simulated = ward.beds[bed.index];
        const { measurements: _, ...result } = await runBedWindows(simulated.bedId, bedWindows(ward, simulated, bed.durationS), {
          measurement: { ...measurement, qtcFormula },
          signal: options.signal,
          onWindow,
        });
        onBed(bed.index, result);
      }
    };
    await Promise.all(Array.from({ length: concurrentBeds }, runBeds));
  }

  const settings: AlarmSettings = DEFAULTS;
  const evaluated: EvaluatedBed[] = beds.map((bed) => {
    const result = results.get(bed.index)!;
    const truth = groundTruth({ bedId: result.bed_id, scenario: ward.beds[bed.index].scenario, durationS: bed.durationS, startedMs: EVALUATION_EPOCH_MS, settings, qtcFormula });
    return { bed, result, truth };
  });
  const scores = scoreEvaluation(evaluated, settings);
  const method = measurement.primary ?? measurement.fallback;
  return {
    settings: {
      seed,
      beds_per_condition: bedsPerCondition,
      false_alarm_hours: falseAlarmHours,
      profile: options.quick ? 'quick' : 'full',
      method: method.method,
      method_version: method.version,
      qtc_formula: qtcFormula,
      epoch_ms: EVALUATION_EPOCH_MS,
      window_s: 10,
      workers,
      concurrent_beds: concurrentBeds,
    },
    ...scores,
    scenario_descriptions: Object.fromEntries(EVALUATION_SCENARIOS.map((s) => [s.name, s.description])),
    beds: evaluated.map((e) => ({
      bed_id: e.result.bed_id,
      scenario: e.bed.scenario,
      seed: e.bed.seed,
      duration_s: e.bed.durationS,
      alerts: [...new Set(e.result.events.map((a) => a.alert_id))].map((id) => {
        const a = e.result.events.find((x) => x.alert_id === id)!;
        return `${a.kind}@${(a.raised_ms - EVALUATION_EPOCH_MS) / 1000}s`;
      }),
    })),
    windows: total,
    elapsed_s: Math.round((performance.now() - started) / 100) / 10,
  };
}

function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Spreads the beds over worker threads, longest first onto the least loaded worker. */
async function runInWorkers(
  workerFile: string,
  beds: readonly EvaluationBed[],
  profile: EvaluationProfile,
  method: string,
  qtcFormula: QtcFormula,
  count: number,
  signal: AbortSignal | undefined,
  onWindow: () => void,
  onBed: (index: number, result: BedRunResult) => void,
): Promise<void> {
  const loads = Array.from({ length: count }, () => ({ windows: 0, run: [] as number[] }));
  for (const bed of [...beds].sort((a, b) => b.durationS - a.durationS || a.index - b.index)) {
    const least = loads.reduce((m, l) => (l.windows < m.windows ? l : m));
    least.windows += windowCount(bed);
    least.run.push(bed.index);
  }
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = loads.filter((l) => l.run.length > 0).length;
      const abort = () => reject(new EvaluationAborted());
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      for (const load of loads.filter((l) => l.run.length > 0)) {
        const data: EvaluationWorkerData = { beds: [...beds], profile, method, qtcFormula, run: load.run };
        const worker = new Worker(workerFile, { workerData: data });
        threads.push(worker);
        let left = load.run.length;
        worker.on('message', (message: EvaluationWorkerMessage) => {
          if (message.type === 'window') onWindow();
          else if (message.type === 'error') reject(new Error(`evaluation worker failed: ${message.message}`));
          else {
            const { measurements: _, ...result } = message.result;
            onBed(message.index, result);
            if (--left === 0 && --pending === 0) resolve();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (left > 0) reject(new Error(`evaluation worker exited with code ${code} before finishing its beds`));
        });
      }
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}


