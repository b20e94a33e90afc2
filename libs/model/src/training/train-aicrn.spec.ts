import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildAicrnModel } from '../aicrn-model';
import { selectBackend } from '../runtime/backend';
import { hasCheckpoint, loadCheckpoint } from './checkpoint';
import { createOptimizer } from './optimizers';
import { fitStandardisation } from './standardisation';
import { TrainAicrnOptions, trainAicrn, trainStep, versionAtStep } from './train-aicrn';
import { openTrainingStream } from './training-sources';
import { TINY_DELINEATION_CONFIG, TINY_TRAINING_CONFIG as CONFIG, tinySamples as samples } from './training-test-fixtures';

describe('trainAicrn', () => {
  let out: string;
  beforeAll(async () => {
    // The backend training runs on (with the registered gradient kernels); cpu is far slower.
    await selectBackend('wasm');
  });
  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'aicrn-train-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  /** A tiny run on synthetic windows into this test's directory: `stepsPerEpoch` steps of 2 windows per epoch. */
  const tinyRun = async (stepsPerEpoch: number, overrides: Partial<TrainAicrnOptions> = {}): Promise<TrainAicrnOptions> => ({
    config: CONFIG,
    outDir: out,
    train: { kind: 'synthetic', seed: 3, split: 'train' },
    datasetDescription: 'synthetic (test)',
    validation: [{ name: 'val', samples: await samples('val', 2) }],
    batchSize: 2,
    stepsPerEpoch,
    epochs: 1,
    schedule: { maxLr: 1e-3, minLr: 1e-4, cycleSteps: stepsPerEpoch, cycleMultiplier: 1 },
    patienceEpochs: 5,
    seed: 1,
    standardisationSamples: 16,
    ...overrides,
  });

  it('lowers the loss of a tiny model on a few synthetic batches', async () => {
    const batch = await samples('train', 8);
    const standardisation = fitStandardisation(batch.map((s) => s.labels), CONFIG.targets);
    const model = buildAicrnModel(CONFIG, { seed: 1 });
    const trainer = tf.model({ inputs: model.inputs, outputs: model.outputs[0] });
    const optimizer = createOptimizer('adam', 3e-3);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) losses.push(trainStep(trainer, optimizer, variables, batch, CONFIG, standardisation));
    const first = (losses[0] + losses[1]) / 2;
    const last = (losses[38] + losses[39]) / 2;
    expect(last).toBeLessThan(first * 0.5);
    model.dispose();
  });

  it('adds a delineation output to trained weights: copies every layer it can and the standardisation, then trains both outputs', async () => {
    await trainAicrn(await tinyRun(2, { outDir: path.join(out, 'regression') }));
    const source = path.join(out, 'regression', 'best');
    const logs: string[] = [];
    const result = await trainAicrn(
      await tinyRun(2, { config: TINY_DELINEATION_CONFIG, outDir: path.join(out, 'delineation'), initFrom: source, delineationWeight: 0.5, onLog: (l) => logs.push(l) }),
    );
    expect(logs.join('\n')).toMatch(/initialised from aicrn-tiny\/\S+-step-2: \d+ layers copied, new: delineation_conv1, delineation_conv2; its standardisation kept/);
    expect(logs.join('\n')).toMatch(/delineation output trained with weight 0.5/);
    const from = await loadCheckpoint(path.join(out, 'regression'));
    const to = await loadCheckpoint(path.join(out, 'delineation'));
    expect(to.metadata.standardisation).toEqual(from.metadata.standardisation);
    expect(to.metadata.training?.dataset).toMatch(/^from aicrn-tiny\/\S+ \(synthetic \(test\)\); then synthetic \(test\)$/);
    expect(to.model.outputNames).toEqual(['targets', 'attention', 'delineation']);
    expect(result.state.step).toBe(2);
    [from, to].forEach((c) => c.model.dispose());
    // A model whose targets differ cannot lend its standardisation.
    await expect(trainAicrn(await tinyRun(2, { config: { ...TINY_DELINEATION_CONFIG, targets: ['qt_ms'] }, outDir: path.join(out, 'bad'), initFrom: source }))).rejects.toThrow(
      /cannot initialise from .*best: its input or targets differ from the preset's/,
    );
  });

  it('resumes a checkpoint without the delineation output as it is, even when the preset has gained one', async () => {
    await trainAicrn(await tinyRun(2));
    const logs: string[] = [];
    const resumed = await trainAicrn(await tinyRun(2, { config: TINY_DELINEATION_CONFIG, epochs: 2, resume: true, onLog: (l) => logs.push(l) }));
    expect(logs.join('\n')).toMatch(/the checkpoint has no delineation output: training it as it is/);
    expect(logs.join('\n')).not.toMatch(/delineation output trained/);
    expect(resumed.state.step).toBe(4);
    const saved = await loadCheckpoint(out);
    expect(saved.model.outputNames).toEqual(['targets', 'attention']);
    saved.model.dispose();
    // Weight 0 is no objection to a network without the output...
    const again = await trainAicrn(await tinyRun(2, { config: TINY_DELINEATION_CONFIG, epochs: 3, resume: true, delineationWeight: 0 }));
    expect(again.state.step).toBe(6);
  });

  it('refuses delineation weight 0 for a network whose intervals come from its delineation output', async () => {
    await expect(trainAicrn(await tinyRun(2, { config: TINY_DELINEATION_CONFIG, delineationWeight: 0 }))).rejects.toThrow(/training needs a delineation weight above 0/);
  });

  it('selects on the delineation cross-entropy when asked, and keeps that choice across a resume', async () => {
    const validation = [{ name: 'val', samples: await samples('val', 2, TINY_DELINEATION_CONFIG) }];
    const epochs: Array<{ validationLoss: number; waveCrossEntropy: number | null; improved: boolean }> = [];
    const run = await tinyRun(2, { config: TINY_DELINEATION_CONFIG, validation, epochs: 3, delineationWeight: 0.5, selectOn: 'delineation', onEpoch: (e) => epochs.push(e) });
    const result = await trainAicrn(run);
    expect(epochs).toHaveLength(3);
    expect(result.state.selectOn).toBe('delineation');
    // The best value is the lowest cross-entropy, reached at the best step, whatever the loss did.
    const crossEntropies = epochs.map((e) => e.waveCrossEntropy!);
    expect(crossEntropies.every((c) => c > 0)).toBe(true);
    expect(result.state.bestValidationLoss).toBeCloseTo(Math.min(...crossEntropies), 6);
    expect(result.state.bestStep).toBe(2 * (crossEntropies.indexOf(Math.min(...crossEntropies)) + 1));
    expect(result.state.history.map((h) => h.validation_wave_ce)).toEqual(crossEntropies.map((c) => Math.round(c * 1e5) / 1e5));
    // The loss adds the weighted cross-entropy to the regression MSE, so it is the larger of the two.
    epochs.forEach((e) => expect(e.validationLoss).toBeGreaterThan(0.5 * e.waveCrossEntropy!));

    await expect(trainAicrn({ ...run, epochs: 4, resume: true, selectOn: 'loss' })).rejects.toThrow(/this run selects on delineation; its best value cannot be compared with loss/);
    const resumed = await trainAicrn({ ...run, epochs: 4, resume: true, selectOn: undefined });
    expect(resumed.state.selectOn).toBe('delineation');
    expect(resumed.state.step).toBe(8);
  });

  it('refuses to select on the delineation without the output or without wave boundaries to score it', async () => {
    await expect(trainAicrn(await tinyRun(2, { selectOn: 'delineation' }))).rejects.toThrow(/needs a network with a delineation output/);
    const unlabelled = (await samples('val', 2, TINY_DELINEATION_CONFIG)).map((s) => ({ ...s, waves: null }));
    await expect(trainAicrn(await tinyRun(2, { config: TINY_DELINEATION_CONFIG, validation: [{ name: 'val', samples: unlabelled }], selectOn: 'delineation' }))).rejects.toThrow(
      /needs validation windows with wave boundaries/,
    );
  });

  it('checkpoints, resumes from the checkpoint step and writes a servable best model', async () => {
    const common = await tinyRun(3, {
      validation: [{ name: 'synthetic val', samples: await samples('val', 4) }],
      schedule: { maxLr: 1e-3, minLr: 1e-4, cycleSteps: 6, cycleMultiplier: 1 },
      optimizer: 'nadam',
      patienceEpochs: 10,
      seed: 5,
    });
    const first = await trainAicrn({ ...common, epochs: 1 });
    expect(first.state.step).toBe(3);
    expect(first.state.samplesSeen).toBe(6);
    expect(first.bestDir).not.toBeNull();
    const saved = await loadCheckpoint(out);
    expect(saved.optimizerWeights[0].tensor.dataSync()[0]).toBe(3); // optimizer iterations
    expect(saved.metadata.standardisation).toEqual(first.standardisation);
    expect(saved.metadata.model_version).toMatch(/-seed-5-step-3$/);
    saved.model.dispose();

    const steps: number[] = [];
    const second = await trainAicrn({ ...common, epochs: 2, resume: true, onStep: (p) => steps.push(p.step) });
    expect(steps).toEqual([4, 5, 6]);
    expect(second.state.step).toBe(6);
    expect(second.state.samplesSeen).toBe(12);
    expect(second.state.history.map((h) => h.epoch)).toEqual([1, 2]);
    // the resumed weights name their own step, not the one the run started from
    const resumed = await loadCheckpoint(out);
    expect(resumed.metadata.model_version).toMatch(/-seed-5-step-6$/);
    resumed.model.dispose();
    // the standardisation is fixed at the start and survives the resume
    expect(second.standardisation).toEqual(first.standardisation);
    expect(second.evaluation[0].parameters.find((p) => p.parameter === 'hr_bpm')!.n + second.evaluation[0].parameters.find((p) => p.parameter === 'hr_bpm')!.missed).toBe(4);
  });

  it('resumes a checkpoint shipped without its optimizer moments', async () => {
    const common = await tinyRun(2, { schedule: { maxLr: 1e-3, minLr: 1e-4, cycleSteps: 4, cycleMultiplier: 1 } });
    await trainAicrn(common);
    fs.rmSync(path.join(out, 'checkpoint', 'optimizer.bin'));
    const logs: string[] = [];
    const resumed = await trainAicrn({ ...common, epochs: 2, resume: true, onLog: (l) => logs.push(l) });
    expect(resumed.state.step).toBe(4);
    expect(logs.join('\n')).toMatch(/moments restart from zero/);
  });

  it('stops when asked and leaves a resumable checkpoint', async () => {
    let calls = 0;
    const result = await trainAicrn(await tinyRun(5, { epochs: 3, patienceEpochs: 3, shouldStop: () => ++calls > 2 }));
    expect(result.stoppedBy).toBe('interrupted');
    expect(result.state.step).toBe(2);
    expect(result.bestDir).toBeNull();
  });

  it('stops at the time budget before the next step and keeps a resumable checkpoint', async () => {
    const common = await tinyRun(3);
    await trainAicrn(common);
    const steps: number[] = [];
    const result = await trainAicrn({ ...common, epochs: 2, resume: true, maxSeconds: 0, onStep: (p) => steps.push(p.step) });
    expect(result.stoppedBy).toBe('time_budget');
    expect(steps).toEqual([]);
    expect(result.state).toMatchObject({ step: 3, epoch: 1, samplesSeen: 6 });
    expect(hasCheckpoint(out)).toBe(true);
  });

  it('names the step in the model version, replacing the step a resumed run started from', () => {
    expect(versionAtStep('aicrn-serving/2026-11-25-seed-7', 4000)).toBe('aicrn-serving/2026-11-25-seed-7-step-4000');
    expect(versionAtStep('aicrn-serving/2026-11-25-seed-7-step-5600', 6600)).toBe('aicrn-serving/2026-11-25-seed-7-step-6600');
  });

  it('streams an indexed source deterministically from any position', async () => {
    const a = openTrainingStream({ kind: 'synthetic', seed: 9, split: 'train' }, CONFIG, 6, 0);
    await a.next();
    const second = await a.next();
    const b = openTrainingStream({ kind: 'synthetic', seed: 9, split: 'train' }, CONFIG, 6, 1);
    const resumed = await b.next();
    expect(resumed.source).toBe(second.source);
    expect(Array.from(resumed.input.subarray(0, 16))).toEqual(Array.from(second.input.subarray(0, 16)));
  });
});
