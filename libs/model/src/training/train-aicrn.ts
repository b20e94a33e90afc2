import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './named-tensor';
import { buildAicrnModel } from '../aicrn-model';
import { AicrnConfig } from '../config';
import { saveAicrnModel } from '../io/model-store';
import { AicrnModelMetadata, PAPER_INPUT_DIVISOR, Standardisation } from '../model-metadata';
import { BEST_DIR, hasCheckpoint, loadCheckpoint, saveCheckpoint, SelectionQuantity, selectionName, TrainingState } from './checkpoint';
import { evaluateGroups, GroupEvaluation, inputBatch, pooledLoss, pooledWaveCrossEntropy, SampleGroup } from './evaluate-samples';
import { assertValidSchedule, CosineRestartSchedule, learningRateAt } from './lr-schedule';
import { DataParallelTrainer, TrainingWorkerError } from './data-parallel-trainer';
import { DEFAULT_DELINEATION_WEIGHT, lossScales, scaledLoss, trainingModel, waveShape, waveTargets } from './training-loss';
import { createOptimizer, OptimizerName } from './optimizers';
import { fitStandardisation, standardiseLabels } from './standardisation';
import { openTrainingStream, TrainingSourceSpec } from './training-sources';
import { TrainingSample } from './training-sample';
import { unseedDropout } from './unseed-dropout';

export interface TrainAicrnOptions {
  config: AicrnConfig;
  /** Receives `checkpoint/` (resumable, latest) and `best/` (servable, lowest validation loss). */
  outDir: string;
  train: TrainingSourceSpec;
  /** Provenance written into the model metadata, e.g. "synthetic + ludb 1-80". */
  datasetDescription: string;
  validation: SampleGroup[];
  batchSize: number;
  stepsPerEpoch: number;
  /** Total epochs (a resumed run counts the epochs already done). */
  epochs: number;
  schedule: CosineRestartSchedule;
  optimizer?: OptimizerName;
  /** Epochs without a lower selection quantity before stopping. */
  patienceEpochs: number;
  /**
   * What selects `best/` and drives early stopping: `loss` (default), the training objective, or `delineation`,
   * the delineation cross-entropy alone, for a network whose product reads every interval off that output
   * (the regression MSE would otherwise choose the epoch through a head the product does not use).
   * A resumed run keeps the choice it started with.
   */
  selectOn?: SelectionQuantity;
  seed: number;
  resume?: boolean;
  /** Training windows whose labels give the per-target mean/std. Default 512. */
  standardisationSamples?: number;
  inputDivisor?: number;
  /**
   * Worker threads computing each step's gradients in parallel (DataParallelTrainer); 1 (default) trains in
   * this thread. The data stream, optimizer state and checkpoints are the same either way.
   */
  workers?: number;
  /**
   * Weight of the delineation cross-entropy against the regression MSE, for a config with `delineation`
   * (default DEFAULT_DELINEATION_WEIGHT; 0 trains the regression alone).
   */
  delineationWeight?: number;
  /**
   * A fresh run starts from this model's weights wherever a layer has the same name and shape (the rest keep their
   * initialisation) and from its standardisation, so a new output can be added to trained weights.
   */
  initFrom?: string;
  /** Stop (with a checkpoint) once this much wall time was spent in this session. */
  maxSeconds?: number;
  onStep?: (progress: StepProgress) => void;
  onEpoch?: (report: EpochReport) => void;
  onLog?: (line: string) => void;
  /** Polled between steps (e.g. set by SIGINT): save a checkpoint and stop. */
  shouldStop?: () => boolean;
}

export interface StepProgress {
  step: number;
  epoch: number;
  stepInEpoch: number;
  loss: number;
  /** Exponential moving average of the batch loss. */
  smoothedLoss: number;
  lr: number;
  msPerStep: number;
}

export interface EpochReport {
  epoch: number;
  step: number;
  trainLoss: number;
  validationLoss: number;
  /** Pooled validation delineation cross-entropy (unweighted); null without a delineation output. */
  waveCrossEntropy: number | null;
  /** Whether the selection quantity (`selectOn`) reached a new low: `best/` now holds these weights. */
  improved: boolean;
  lr: number;
  evaluations: GroupEvaluation[];
}

export type StopReason = 'epochs' | 'early_stopping' | 'interrupted' | 'time_budget';

export interface TrainAicrnResult {
  stoppedBy: StopReason;
  state: TrainingState;
  standardisation: Partial<Standardisation>;
  /** The best model's scores on every validation group (the final table). */
  evaluation: GroupEvaluation[];
  bestDir: string | null;
  checkpointDir: string;
}

/**
 * Trains AICRN with masked MSE on standardised targets, Adam/NAdam, cosine annealing with warm restarts and
 * early stopping on the validation loss. Checkpoints after every epoch and on stop; `resume` continues from
 * `<outDir>/checkpoint` (weights, optimizer moments, schedule position, data-stream position).
 */
export async function trainAicrn(options: TrainAicrnOptions): Promise<TrainAicrnResult> {
  const { outDir, batchSize, stepsPerEpoch } = options;
  let config = options.config;
  assertValidSchedule(options.schedule);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) throw new Error(`steps per epoch must be a positive integer, got ${stepsPerEpoch}`);
  if (options.validation.every((g) => g.samples.length === 0)) throw new Error('training needs at least one validation window (early stopping watches the validation loss)');
  const log = options.onLog ?? (() => undefined);
  const inputDivisor = options.inputDivisor ?? PAPER_INPUT_DIVISOR;
  fs.mkdirSync(outDir, { recursive: true });

  let model: tf.LayersModel;
  let metadata: AicrnModelMetadata;
  let state: Omit<TrainingState, 'optimizerWeights'>;
  let restoredOptimizer: NamedTensor[] | null = null;
  if (options.resume) {
    if (!hasCheckpoint(outDir)) throw new Error(`--resume: no checkpoint in ${outDir}`);
    const loaded = await loadCheckpoint(outDir);
    model = loaded.model;
    metadata = loaded.metadata;
    if (!metadata.standardisation) throw new Error('checkpoint has no standardisation');
    if (Boolean(metadata.config.delineation) !== Boolean(config.delineation)) {
      // The checkpoint's network is what trains on: a preset that gained the output since does not change it.
      config = { ...config, delineation: metadata.config.delineation };
      log(`the checkpoint ${config.delineation ? 'has a' : 'has no'} delineation output: training it as it is`);
    }
    const { optimizerWeights: _specs, ...rest } = loaded.state;
    state = rest;
    const startedOn = state.selectOn ?? 'loss';
    if (options.selectOn !== undefined && options.selectOn !== startedOn) {
      model.dispose();
      throw new Error(`--resume: this run selects on ${startedOn}; its best value cannot be compared with ${options.selectOn} (start a new run with --init-from instead)`);
    }
    state.selectOn = startedOn;
    restoredOptimizer = loaded.optimizerWeights;
    log(`resumed at step ${state.step} (epoch ${state.epoch}, best ${selectionName(startedOn)} ${state.bestValidationLoss ?? '-'})`);
  } else {
    model = buildAicrnModel(config, { seed: options.seed });
    let standardisation: Partial<Standardisation>;
    let dataset = options.datasetDescription;
    if (options.initFrom) {
      const init = await initialiseFrom(model, options.initFrom, config);
      standardisation = init.standardisation;
      dataset = `from ${init.version} (${init.dataset}); then ${dataset}`;
      log(`initialised from ${init.version}: ${init.copied} layers copied, new: ${init.fresh.join(', ') || 'none'}; its standardisation kept`);
    } else {
      const stdStream = openTrainingStream(options.train, config, inputDivisor, 0);
      const labels = [];
      for (let i = 0; i < (options.standardisationSamples ?? 512); i++) labels.push((await stdStream.next()).labels);
      standardisation = fitStandardisation(labels, config.targets);
      log(`standardisation from ${labels.length} training labels: ${config.targets.map((t) => `${t} ${standardisation[t]!.mean.toFixed(3)}+-${standardisation[t]!.std.toFixed(3)}`).join(', ')}`);
    }
    metadata = {
      model_version: `${config.name}/${new Date().toISOString().slice(0, 10)}-seed-${options.seed}`,
      config,
      standardisation,
      input_divisor: inputDivisor,
      training: { dataset, finished_at: '' },
    };
    state = {
      step: 0,
      epoch: 0,
      samplesSeen: 0,
      bestValidationLoss: null,
      bestStep: null,
      selectOn: options.selectOn ?? 'loss',
      epochsWithoutImprovement: 0,
      trainingSeconds: 0,
      optimizer: options.optimizer ?? 'adam',
      schedule: options.schedule,
      batchSize,
      seed: options.seed,
      dataset: options.datasetDescription,
      history: [],
    };
  }
  unseedDropout(model);
  const standardisation = metadata.standardisation as Partial<Standardisation>;
  // Checked here rather than by the caller: only now is it known whether a resumed checkpoint has the output.
  if (config.delineation && options.delineationWeight === 0) {
    model.dispose();
    throw new Error('training needs a delineation weight above 0: this network reads its intervals from the delineation output, which weight 0 would leave untrained');
  }
  const delineationWeight = config.delineation ? (options.delineationWeight ?? DEFAULT_DELINEATION_WEIGHT) : 0;
  const selectOn = state.selectOn ?? 'loss';
  if (selectOn === 'delineation' && !config.delineation) {
    model.dispose();
    throw new Error('selecting on the delineation cross-entropy needs a network with a delineation output');
  }
  if (selectOn === 'delineation' && !options.validation.some((g) => g.samples.some((s) => s.waves))) {
    model.dispose();
    throw new Error('selecting on the delineation cross-entropy needs validation windows with wave boundaries (e.g. LUDB records)');
  }
  if (delineationWeight > 0) log(`delineation output trained with weight ${delineationWeight}`);
  // The attention output is not trained and costs a concatenation: the trainer has the trained outputs only.
  const trainer = trainingModel(model, delineationWeight);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = createOptimizer(state.optimizer, learningRateAt(state.step, state.schedule));
  if (restoredOptimizer && restoredOptimizer.length === 0) log('checkpoint has no optimizer state (optimizer.bin): moments restart from zero');
  if (restoredOptimizer && restoredOptimizer.length > 0) {
    await optimizer.setWeights(restoredOptimizer);
    restoredOptimizer.forEach((w) => w.tensor.dispose());
  }
  const stream = openTrainingStream(options.train, config, inputDivisor, state.samplesSeen);

  const sessionStart = performance.now();
  const sessionSecondsBefore = state.trainingSeconds;
  const elapsed = () => (performance.now() - sessionStart) / 1000;
  /** Metadata of the weights as they are now: every save names its step, so measurements say which weights made them. */
  const currentMetadata = (): AicrnModelMetadata => ({
    ...metadata,
    model_version: versionAtStep(metadata.model_version, state.step),
    training: { ...metadata.training!, finished_at: new Date().toISOString(), notes: checkpointNotes(state) },
  });
  const checkpoint = async () => {
    state.trainingSeconds = sessionSecondsBefore + elapsed();
    await saveCheckpoint(outDir, model, currentMetadata(), optimizer, state);
  };

  let smoothed = Number.NaN;
  const parallel = (options.workers ?? 1) > 1 ? await DataParallelTrainer.start({ model, config, workers: options.workers!, delineationWeight }) : null;
  if (parallel) log(`data-parallel training on ${parallel.size} worker threads`);

  /** One optimizer step on the next batch; returns its loss. */
  const step = async (stepInEpoch: number): Promise<number> => {
    const t0 = performance.now();
    const batch: TrainingSample[] = [];
    for (let i = 0; i < batchSize; i++) batch.push(await stream.next());
    const lr = learningRateAt(state.step, state.schedule);
    setLearningRate(optimizer, lr);
    let loss: number;
    try {
      loss = parallel ? await parallel.step(optimizer, batch, standardisation) : trainStep(trainer, optimizer, variables, batch, config, standardisation, delineationWeight);
    } catch (error) {
      if (!(error instanceof TrainingWorkerError)) throw error;
      // The model still holds the last completed step and samplesSeen excludes this batch: a resume redraws it.
      await checkpoint();
      throw new TrainingWorkerError(`${error.message}; training stopped at step ${state.step} with a checkpoint in ${path.join(outDir, 'checkpoint')} (resume with --resume)`);
    }
    if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss} at step ${state.step} (the last checkpoint is kept; resume with a lower --lr)`);
    state.step++;
    state.samplesSeen += batchSize;
    smoothed = Number.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
    options.onStep?.({ step: state.step, epoch: state.epoch, stepInEpoch, loss, smoothedLoss: smoothed, lr, msPerStep: performance.now() - t0 });
    // Let signal handlers and the progress bar run: a training step never yields to the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    return loss;
  };

  /** The rest of the current epoch's steps (a resumed run may start mid-epoch), unless a stop request or the time budget ends it first. */
  const runEpoch = async (): Promise<{ trainLoss: number } | { stop: StopReason }> => {
    let lossSum = 0;
    let steps = 0;
    for (let s = state.step % stepsPerEpoch; s < stepsPerEpoch; s++) {
      if (options.shouldStop?.()) return { stop: 'interrupted' };
      if (options.maxSeconds !== undefined && elapsed() > options.maxSeconds) return { stop: 'time_budget' };
      lossSum += await step(s + 1);
      steps++;
    }
    return { trainLoss: steps > 0 ? lossSum / steps : Number.NaN };
  };

  /** Validation, history, the best model and the checkpoint after a completed epoch; returns whether patience ran out. */
  const endEpoch = async (trainLoss: number): Promise<boolean> => {
    state.epoch++;
    const evaluations = evaluateGroups(model, options.validation, config, standardisation, metadata.model_version, metadata.input_divisor, 8, delineationWeight);
    const validationLoss = pooledLoss(evaluations);
    const waveCrossEntropy = pooledWaveCrossEntropy(evaluations);
    const selected = selectOn === 'delineation' ? waveCrossEntropy : validationLoss;
    const improved = state.bestValidationLoss === null || selected < state.bestValidationLoss;
    const lr = learningRateAt(state.step, state.schedule);
    state.history.push({
      epoch: state.epoch,
      step: state.step,
      train_loss: round(trainLoss),
      validation_loss: round(validationLoss),
      validation_wave_ce: Number.isNaN(waveCrossEntropy) ? null : round(waveCrossEntropy),
      lr,
      seconds: Math.round(sessionSecondsBefore + elapsed()),
    });
    if (improved) {
      state.bestValidationLoss = selected;
      state.bestStep = state.step;
      state.epochsWithoutImprovement = 0;
      await saveAicrnModel(model, path.join(outDir, BEST_DIR), currentMetadata());
    } else {
      state.epochsWithoutImprovement++;
    }
    await checkpoint();
    options.onEpoch?.({ epoch: state.epoch, step: state.step, trainLoss, validationLoss, waveCrossEntropy: Number.isNaN(waveCrossEntropy) ? null : waveCrossEntropy, improved, lr, evaluations });
    return state.epochsWithoutImprovement >= options.patienceEpochs;
  };

  let stoppedBy: StopReason = 'epochs';
  try {
    while (state.epoch < options.epochs) {
      const epoch = await runEpoch();
      if ('stop' in epoch) {
        stoppedBy = epoch.stop;
        await checkpoint();
        break;
      }
      if (await endEpoch(epoch.trainLoss)) {
        stoppedBy = 'early_stopping';
        break;
      }
    }
  } finally {
    await parallel?.close();
  }
  optimizer.dispose();

  const bestDir = fs.existsSync(path.join(outDir, BEST_DIR, 'model.json')) ? path.join(outDir, BEST_DIR) : null;
  let evaluation: GroupEvaluation[] = [];
  if (bestDir) {
    model.dispose();
    const { loadAicrnModel } = await import('../runtime/tfjs-model-runtime');
    const best = await loadAicrnModel({ kind: 'directory', path: bestDir });
    evaluation = evaluateGroups(best.model, options.validation, config, standardisation, best.metadata.model_version, best.metadata.input_divisor, 8, delineationWeight);
    best.model.dispose();
  } else {
    model.dispose();
  }
  const finalState = JSON.parse(await fs.promises.readFile(path.join(outDir, 'checkpoint', 'training-state.json'), 'utf8')) as TrainingState;
  return { stoppedBy, state: finalState, standardisation, evaluation, bestDir, checkpointDir: path.join(outDir, 'checkpoint') };
}

/**
 * The version of a run's weights after `step` optimizer steps ("aicrn-serving/2026-11-25-seed-7" -> "...-seed-7-step-5600").
 * A resumed run replaces the step of the version it started from: its weights are no longer those.
 */
export function versionAtStep(version: string, step: number): string {
  return `${version.replace(/-step-\d+$/, '')}-step-${step}`;
}

/**
 * A fresh model takes the weights of the model in `dir` wherever a layer has the same name and weight shapes; the
 * configs must agree on the input and the targets, so the copied standardisation still fits the regression head.
 */
async function initialiseFrom(model: tf.LayersModel, dir: string, config: AicrnConfig) {
  const { loadAicrnModel } = await import('../runtime/tfjs-model-runtime');
  const source = await loadAicrnModel({ kind: 'directory', path: dir });
  try {
    const from = source.metadata.config;
    if (from.sampleRateHz !== config.sampleRateHz || from.windowSeconds !== config.windowSeconds || JSON.stringify(from.targets) !== JSON.stringify(config.targets)) {
      throw new Error(`cannot initialise from ${dir}: its input or targets differ from the preset's`);
    }
    if (!source.metadata.standardisation) throw new Error(`cannot initialise from ${dir}: it has no standardisation (untrained)`);
    let copied = 0;
    const fresh: string[] = [];
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      const match = source.model.layers.find((l) => l.name === layer.name);
      const weights = match?.getWeights();
      if (!weights || weights.length !== layer.weights.length || weights.some((w, i) => JSON.stringify(w.shape) !== JSON.stringify(layer.weights[i].shape))) {
        fresh.push(layer.name);
        continue;
      }
      layer.setWeights(weights);
      copied++;
    }
    return { copied, fresh, standardisation: source.metadata.standardisation, version: source.metadata.model_version, dataset: source.metadata.training?.dataset ?? 'unknown data' };
  } finally {
    source.model.dispose();
  }
}

/** One optimizer step on a batch; returns the batch loss (regression MSE, plus the weighted delineation cross-entropy). */
export function trainStep(
  trainer: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: readonly TrainingSample[],
  config: AicrnConfig,
  standardisation: Partial<Standardisation>,
  delineationWeight = 0,
): number {
  const { values, mask } = standardiseLabels(batch.map((s) => s.labels), config.targets, standardisation);
  const waves = batch.map((s) => s.waves);
  const scales = lossScales(mask, delineationWeight > 0 ? waves : [], delineationWeight);
  const k = config.targets.length;
  const loss = tf.tidy(() => {
    const x = inputBatch(batch, config);
    const targets = {
      values: tf.tensor2d(values, [batch.length, k]),
      mask: tf.tensor2d(mask, [batch.length, k]),
      waves: scales.delineation > 0 ? waveTargets(waves, waveShape(config)) : null,
    };
    return optimizer.minimize(() => scaledLoss(trainer.apply(x, { training: true }) as tf.Tensor | tf.Tensor[], targets, scales), true, variables) as tf.Scalar;
  });
  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
}

function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

function checkpointNotes(state: Omit<TrainingState, 'optimizerWeights'>): string {
  return `step ${state.step}, epoch ${state.epoch}, batch ${state.batchSize}, ${state.optimizer}, best ${selectionName(state.selectOn)} ${state.bestValidationLoss?.toFixed(4) ?? '-'} at step ${state.bestStep ?? '-'}`;
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e5) / 1e5 : x;
}
