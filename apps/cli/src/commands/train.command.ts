import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import {
  DEFAULT_DELINEATION_WEIGHT,
  BackendName,
  GroupEvaluation,
  materialiseSamples,
  OPTIMIZERS,
  PAPER_INPUT_DIVISOR,
  presetConfig,
  SampleGroup,
  selectBackend,
  SELECTION_QUANTITIES,
  SelectionQuantity,
  selectionName,
  syntheticWindowAt,
  trainAicrn,
  TrainAicrnResult,
  TrainingSourceSpec,
  labelledLudbWindow,
  loadLudbRecords,
  AICRN_PRESETS,
} from '@aicrn/model';
import { listLudbRecords, MAX_LUDB_STRETCH, ptbxlWindows } from '@aicrn/signal';
import { BadInputError, reportBadInput } from './bad-input';
import { parseRecordList } from './eval-datasets';
import { integerIn } from './option-parsers';

export const TRAIN_DATASETS = ['synthetic', 'ludb', 'ptbxl', 'mixed'] as const;

export interface TrainCommandOptions {
  dataset: string;
  dir?: string;
  ptbxlPlus?: string;
  records: string;
  valRecords: string;
  valSynthetic: number;
  valCount: number;
  syntheticWeight: number;
  syntheticPopulation: number;
  ludbWarp: number;
  ludbAf: number;
  ludbPolarity: number;
  delineation?: boolean;
  delineationWeight: number;
  delineationData: string;
  selectOn?: string;
  initFrom?: string;
  preset: string;
  dropout?: number;
  out: string;
  epochs: number;
  stepsPerEpoch: number;
  batch: number;
  lr: number;
  minLr: number;
  restartEpochs: number;
  optimizer: string;
  patience: number;
  resume?: boolean;
  seed: number;
  maxMinutes?: number;
  backend: string;
  workers: number;
  json?: boolean;
}

const positiveInt = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};
const nonNegativeInt = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};
const positiveNumber = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
const nonNegativeNumber = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a non-negative number`);
  return n;
};
const fraction = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`${name} must be in [0, 1)`);
  return n;
};

/** `aicrn train`: trains AICRN and writes a servable model (best/) and a resumable checkpoint (checkpoint/). */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the AICRN network (masked MSE on standardised targets, Adam/NAdam, cosine warm restarts, early stopping, checkpoints)')
    .requiredOption('--dataset <name>', `training data (${TRAIN_DATASETS.join(', ')}); mixed = synthetic + LUDB`)
    .requiredOption('--out <dir>', 'output directory: best/ (servable model) and checkpoint/ (resumable)')
    .option('--dir <dir>', 'LUDB directory (ludb, mixed) or PTB-XL root (ptbxl)')
    .option('--ptbxl-plus <dir>', 'PTB-XL+ root with features/12sl_features.csv (ptbxl)')
    .option('--records <list>', 'LUDB training records', '1-80')
    .option('--val-records <list>', 'LUDB validation records (never trained on)', '81-100')
    .option('--val-synthetic <n>', 'synthetic validation windows (synthetic, mixed)', nonNegativeInt('--val-synthetic'), 64)
    .option('--val-count <n>', 'PTB-XL validation windows from strat_fold 9 (ptbxl)', positiveInt('--val-count'), 500)
    .option('--synthetic-weight <w>', 'share of synthetic windows in mixed training (0..1)', fraction('--synthetic-weight'), 0.5)
    .option('--synthetic-population <share>', 'share of synthetic training windows with adult resting HR and intervals instead of uniform clinical ranges (0..1)', fraction('--synthetic-population'), 0)
    .option('--ludb-warp <share>', 'share of augmented LUDB windows rebuilt from their beats with P-R, QRS, ST-T and T-P each warped on its own (0..1)', fraction('--ludb-warp'), 0)
    .option('--ludb-af <share>', 'share of the warped LUDB windows turned into atrial fibrillation: irregular RR, f-waves, P waves removed from signal and annotations (0..1; needs --ludb-warp)', fraction('--ludb-af'), 0)
    .option('--ludb-polarity <share>', 'share of augmented LUDB windows with random leads inverted (chest leads each, I and II together; boundaries do not move) (0..1)', fraction('--ludb-polarity'), 0)
    .option('--preset <name>', `network preset (${Object.keys(AICRN_PRESETS).join(', ')})`, 'serving')
    .option('--dropout <rate>', 'override the preset dropout (training only; inference ignores dropout)', fraction('--dropout'))
    .option('--delineation', 'add the per-lead wave-class output (P-R, QRS, ST-T) to a preset without it (serving has it) and train it from the reference wave boundaries beside the regression')
    .option('--delineation-weight <w>', 'weight of the delineation cross-entropy against the regression MSE', nonNegativeNumber('--delineation-weight'), DEFAULT_DELINEATION_WEIGHT)
    .option('--delineation-data <which>', 'windows whose wave boundaries train the delineation: all, or ludb (the cardiologists\' convention only)', 'all')
    .option('--init-from <dir>', 'start a new run from this model\'s weights (layers of the same name and shape) and standardisation')
    .option('--epochs <n>', 'epochs (validation + checkpoint after each)', positiveInt('--epochs'), 100)
    .option('--steps-per-epoch <n>', 'optimizer steps per epoch', positiveInt('--steps-per-epoch'), 100)
    .option('--batch <n>', 'windows per step', positiveInt('--batch'), 8)
    .option('--lr <rate>', 'peak learning rate', positiveNumber('--lr'), 1e-3)
    .option('--min-lr <rate>', 'learning-rate floor of the cosine schedule', positiveNumber('--min-lr'), 1e-4)
    .option('--restart-epochs <n>', 'epochs per cosine cycle before a warm restart', positiveInt('--restart-epochs'), 10)
    .option('--optimizer <name>', `optimizer (${OPTIMIZERS.join(', ')})`, 'nadam')
    .option('--patience <n>', 'epochs without a lower selection quantity (--select-on) before stopping', positiveInt('--patience'), 10)
    .option('--select-on <what>', 'what picks best/ and stops early: loss (the training objective) or delineation (its cross-entropy alone: the output the product reads)')
    .option('--resume', 'continue from <out>/checkpoint')
    .option('--seed <n>', 'seed for weights and data', nonNegativeInt('--seed'), 1)
    .option('--max-minutes <n>', 'stop with a checkpoint after this much wall time', positiveNumber('--max-minutes'))
    .option('--backend <name>', 'TensorFlow.js backend (wasm, cpu, tensorflow)', 'wasm')
    .option('--workers <n>', `worker threads sharing each step's batch (data-parallel; 1 = this thread), up to the ${availableParallelism()} cores`, integerIn('--workers', 1, availableParallelism()), 1)
    .option('--json', 'print the final evaluation as one JSON object on stdout')
    .action(async (options: TrainCommandOptions) => {
      try {
        const result = await runTrain(options, { progress: process.stderr.isTTY === true });
        process.stdout.write(options.json ? `${JSON.stringify(trainReport(result))}\n` : `${formatEvaluation(result)}\n`);
        if (result.stoppedBy === 'interrupted') process.exitCode = 130;
      } catch (error) {
        if (error instanceof Error && !(error instanceof BadInputError) && /^(unknown|cannot|--resume|no checkpoint|training needs)/.test(error.message)) {
          process.stderr.write(`aicrn train: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        reportBadInput('train', error);
      }
    });
}

/** Builds the data sources and runs training; progress on stderr, Ctrl-C saves a checkpoint and stops. */
export async function runTrain(options: TrainCommandOptions, ui: { progress: boolean }): Promise<TrainAicrnResult> {
  if (!(TRAIN_DATASETS as readonly string[]).includes(options.dataset)) throw new BadInputError(`unknown dataset "${options.dataset}" (options: ${TRAIN_DATASETS.join(', ')})`);
  if (!(OPTIMIZERS as readonly string[]).includes(options.optimizer)) throw new BadInputError(`unknown optimizer "${options.optimizer}" (options: ${OPTIMIZERS.join(', ')})`);
  let config;
  try {
    config = presetConfig(options.preset);
  } catch (error) {
    throw new BadInputError((error as Error).message);
  }
  if (options.dropout !== undefined) config.dropout = options.dropout;
  if (options.delineation) config.delineation = true;
  if (!['all', 'ludb'].includes(options.delineationData)) throw new BadInputError(`--delineation-data must be all or ludb, got "${options.delineationData}"`);
  if (options.selectOn !== undefined && !SELECTION_QUANTITIES.includes(options.selectOn as SelectionQuantity)) throw new BadInputError(`--select-on must be ${SELECTION_QUANTITIES.join(' or ')}, got "${options.selectOn}"`);
  if (options.initFrom && options.resume) throw new BadInputError('--init-from starts a new run; --resume continues one: pass one of them');
  if (options.initFrom && !existsSync(join(options.initFrom, 'model.json'))) throw new BadInputError(`--init-from ${options.initFrom}: no model.json in it`);
  if (options.ludbAf > 0 && options.ludbWarp === 0) throw new BadInputError('--ludb-af turns warped LUDB windows into atrial fibrillation: it needs --ludb-warp above 0');
  if (options.minLr > options.lr) throw new BadInputError(`--min-lr ${options.minLr} is above --lr ${options.lr}`);
  const { train, validation, description } = await buildSources(options, config);
  const log = (line: string) => process.stderr.write(`aicrn train: ${line}\n`);
  const backend = await selectBackend(options.backend as BackendName);
  log(`backend ${backend.backend}; preset ${options.preset} (dropout ${config.dropout}); data ${description}; validation ${validation.map((g) => `${g.name} (${g.samples.length})`).join(', ')}`);

  let stopRequested = false;
  const onSigint = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    process.stderr.write('\naicrn train: stopping after this step and saving a checkpoint (Ctrl-C again to quit without it)\n');
  };
  process.on('SIGINT', onSigint);
  const bar = ui.progress
    ? new SingleBar({ stream: process.stderr, hideCursor: true, format: 'epoch {epoch} {bar} {value}/{total} steps | loss {loss} | lr {lr} | {ms} ms/step | ETA {eta_formatted}' })
    : null;
  let lastLogged = 0;
  try {
    return await trainAicrn({
      config,
      outDir: options.out,
      train,
      datasetDescription: config.delineation ? `${description}; wave classes from ${options.delineationData === 'ludb' ? 'the LUDB annotations only' : 'every window with boundaries'}` : description,
      validation,
      batchSize: options.batch,
      stepsPerEpoch: options.stepsPerEpoch,
      epochs: options.epochs,
      schedule: { maxLr: options.lr, minLr: options.minLr, cycleSteps: options.restartEpochs * options.stepsPerEpoch, cycleMultiplier: 1, warmupSteps: Math.min(50, options.stepsPerEpoch) },
      optimizer: options.optimizer as (typeof OPTIMIZERS)[number],
      patienceEpochs: options.patience,
      selectOn: options.selectOn as SelectionQuantity | undefined,
      seed: options.seed,
      resume: options.resume,
      workers: options.workers,
      delineationWeight: options.delineationWeight,
      initFrom: options.initFrom,
      inputDivisor: PAPER_INPUT_DIVISOR,
      maxSeconds: options.maxMinutes === undefined ? undefined : options.maxMinutes * 60,
      shouldStop: () => stopRequested,
      onLog: log,
      onStep: (p) => {
        if (bar) {
          if (p.stepInEpoch === 1 || !bar.isActive) bar.start(options.stepsPerEpoch, p.stepInEpoch - 1, { epoch: p.epoch + 1, loss: '-', lr: '-', ms: '-' });
          bar.update(p.stepInEpoch, { epoch: p.epoch + 1, loss: p.smoothedLoss.toFixed(4), lr: p.lr.toExponential(2), ms: Math.round(p.msPerStep) });
        } else if (Date.now() - lastLogged > 30_000) {
          lastLogged = Date.now();
          log(`step ${p.step} (epoch ${p.epoch + 1}, ${p.stepInEpoch}/${options.stepsPerEpoch}) loss ${p.smoothedLoss.toFixed(4)} lr ${p.lr.toExponential(2)} ${Math.round(p.msPerStep)} ms/step`);
        }
      },
      onEpoch: (e) => {
        bar?.stop();
        const maes = e.evaluations.map((g) => `${g.name}: ${g.parameters.filter((p) => p.mae !== null && p.parameter !== 'qtc_ms').map((p) => `${p.parameter} ${p.mae!.toFixed(p.parameter.endsWith('_mv') ? 3 : 1)}`).join(' ')}`).join(' | ');
        const crossEntropy = e.waveCrossEntropy === null ? '' : `, wave cross-entropy ${e.waveCrossEntropy.toFixed(4)}`;
        log(`epoch ${e.epoch} step ${e.step}: train loss ${e.trainLoss.toFixed(4)}, validation loss ${e.validationLoss.toFixed(4)}${crossEntropy}${e.improved ? ' (best)' : ''}; MAE ${maes}`);
      },
    });
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', onSigint);
  }
}

/** How LUDB training windows are augmented (training-sources.ts), as the model's provenance says it. */
const ludbAugmentation = (warpShare: number, afShare: number, polarityShare: number) => {
  const af = afShare > 0 ? ` (${Math.round(afShare * 100)} % of them as atrial fibrillation)` : '';
  const polarity = polarityShare > 0 ? `, ${Math.round(polarityShare * 100)} % with inverted leads` : '';
  return `(augmented: gains, noise, ${warpShare > 0 ? `${Math.round(warpShare * 100)} % beat-part warps${af}, ` : ''}1-${MAX_LUDB_STRETCH}x time stretch${polarity})`;
};

async function buildSources(options: TrainCommandOptions, config: ReturnType<typeof presetConfig>): Promise<{ train: TrainingSourceSpec; validation: SampleGroup[]; description: string }> {
  const seed = options.seed;
  const population = options.syntheticPopulation;
  const ludbTrain = (dir: string, records: number[]): TrainingSourceSpec => ({
    kind: 'ludb',
    dir,
    records,
    seed,
    augment: true,
    ...(options.ludbWarp > 0 ? { warpShare: options.ludbWarp } : {}),
    ...(options.ludbAf > 0 ? { fibrillationShare: options.ludbAf } : {}),
    ...(options.ludbPolarity > 0 ? { polarityShare: options.ludbPolarity } : {}),
  });
  const LUDB_AUGMENTATION = ludbAugmentation(options.ludbWarp, options.ludbAf, options.ludbPolarity);
  const syntheticTrain: TrainingSourceSpec = {
    kind: 'synthetic',
    seed,
    split: 'train',
    ...(population > 0 ? { populationShare: population } : {}),
    ...(options.delineationData === 'ludb' ? { waveLabels: false } : {}),
  };
  const syntheticDescription = population > 0 ? `(seed ${seed}, ${Math.round(population * 100)} % adult intervals)` : `(seed ${seed})`;
  const materialisedSyntheticVal = async (): Promise<SampleGroup> => {
    const windows = Array.from({ length: options.valSynthetic }, (_, i) => syntheticWindowAt(seed, 'val', i));
    const { samples } = await materialiseSamples(windows, config, PAPER_INPUT_DIVISOR);
    return { name: 'synthetic val', samples };
  };
  const ludbSplit = () => {
    if (!options.dir) throw new BadInputError(`--dir is required for --dataset ${options.dataset} (the LUDB directory with <id>.hea files)`);
    const available = listLudbRecords(options.dir);
    const trainIds = parseRecordList(options.records).filter((id) => available.includes(id));
    const valIds = parseRecordList(options.valRecords).filter((id) => available.includes(id));
    if (trainIds.length === 0) throw new BadInputError(`none of --records ${options.records} is in ${options.dir}`);
    const overlap = trainIds.filter((id) => valIds.includes(id));
    if (overlap.length) throw new BadInputError(`records ${overlap.join(', ')} are in both --records and --val-records`);
    return { dir: options.dir, trainIds, valIds };
  };
  const ludbVal = async (dir: string, ids: number[]): Promise<SampleGroup[]> => {
    if (ids.length === 0) return [];
    const { samples, skipped } = await materialiseSamples(loadLudbRecords(dir, ids).map(labelledLudbWindow), config, PAPER_INPUT_DIVISOR);
    for (const s of skipped) process.stderr.write(`aicrn train: validation window skipped: ${s}\n`);
    return [{ name: `ludb ${options.valRecords}`, samples }];
  };
  switch (options.dataset) {
    case 'synthetic':
      return { train: syntheticTrain, validation: [await materialisedSyntheticVal()], description: `synthetic ${syntheticDescription}` };
    case 'ludb': {
      const { dir, trainIds, valIds } = ludbSplit();
      return { train: ludbTrain(dir, trainIds), validation: await ludbVal(dir, valIds), description: `ludb ${options.records} ${LUDB_AUGMENTATION}` };
    }
    case 'mixed': {
      const { dir, trainIds, valIds } = ludbSplit();
      const w = options.syntheticWeight;
      return {
        train: {
          kind: 'mixed',
          seed,
          parts: [
            ...(w > 0 ? [{ weight: w, source: syntheticTrain }] : []),
            { weight: 1 - w, source: ludbTrain(dir, trainIds) },
          ],
        },
        validation: [...(await ludbVal(dir, valIds)), ...(options.valSynthetic > 0 ? [await materialisedSyntheticVal()] : [])],
        description: `${Math.round(w * 100)} % synthetic ${syntheticDescription} + ${Math.round((1 - w) * 100)} % ludb ${options.records} ${LUDB_AUGMENTATION}`,
      };
    }
    case 'ptbxl': {
      if (!options.dir || !existsSync(join(options.dir, 'ptbxl_database.csv'))) throw new BadInputError('--dir must be the PTB-XL root (with ptbxl_database.csv) for --dataset ptbxl');
      if (!options.ptbxlPlus) throw new BadInputError('--ptbxl-plus is required for --dataset ptbxl (PTB-XL+ root with features/12sl_features.csv)');
      const featuresPath = join(options.ptbxlPlus, 'features', '12sl_features.csv');
      const { samples } = await materialiseSamples(ptbxlWindows({ ptbxlDir: options.dir, featuresPath, split: 'val', limit: options.valCount }), config, PAPER_INPUT_DIVISOR);
      return {
        train: { kind: 'ptbxl', seed, options: { ptbxlDir: options.dir, featuresPath, split: 'train' } },
        validation: [{ name: 'ptbxl fold 9', samples }],
        description: 'ptbxl NORM strat_fold 1-8 (12SL labels)',
      };
    }
    default:
      throw new BadInputError(`unknown dataset "${options.dataset}"`);
  }
}

/** The --json output: how training ended and the best model's per-parameter scores per validation group. */
export function trainReport(result: TrainAicrnResult) {
  return {
    stopped_by: result.stoppedBy,
    steps: result.state.step,
    epochs: result.state.epoch,
    training_seconds: Math.round(result.state.trainingSeconds),
    best_validation_loss: result.state.bestValidationLoss,
    best_step: result.state.bestStep,
    best_dir: result.bestDir,
    checkpoint_dir: result.checkpointDir,
    standardisation: result.standardisation,
    validation: result.evaluation,
  };
}

/** The final evaluation table: one block per validation group, MAE / RMSE / R2 per parameter. */
export function formatEvaluation(result: TrainAicrnResult): string {
  const lines = [
    `training stopped (${result.stoppedBy}) after ${result.state.step} steps, ${result.state.epoch} epochs, ${(result.state.trainingSeconds / 60).toFixed(1)} min; best ${selectionName(result.state.selectOn)} ${result.state.bestValidationLoss?.toFixed(4) ?? '-'} at step ${result.state.bestStep ?? '-'}`,
    `best model: ${result.bestDir ?? '(none yet)'}; resume from: ${result.checkpointDir}`,
  ];
  for (const group of result.evaluation) lines.push('', ...groupTable(group));
  return lines.join('\n');
}

function groupTable(group: GroupEvaluation): string[] {
  const cell = (v: number | null, d: number) => (v === null ? '-' : v.toFixed(d));
  const lines = [`${group.name}: ${group.windows} windows, validation loss ${group.loss.toFixed(4)}`, ['parameter'.padEnd(10), 'n'.padStart(5), 'missed'.padStart(6), 'MAE'.padStart(8), 'RMSE'.padStart(8), 'R2'.padStart(7)].join(' ')];
  for (const p of group.parameters) {
    if (p.n === 0 && p.missed === 0) continue;
    const d = p.parameter.endsWith('_mv') ? 3 : 1;
    lines.push([p.parameter.padEnd(10), String(p.n).padStart(5), String(p.missed).padStart(6), cell(p.mae, d).padStart(8), cell(p.rmse, d).padStart(8), cell(p.r2, 3).padStart(7)].join(' '));
  }
  return lines;
}
