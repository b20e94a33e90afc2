import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { TARGETS_OUTPUT, buildAicrnModel } from '../aicrn-model';
import { selectBackend } from '../runtime/backend';
import { loadCheckpoint } from './checkpoint';
import { shardBounds } from '../runtime/batch-shards';
import { DataParallelTrainer, TrainingWorkerError } from './data-parallel-trainer';
import { createOptimizer } from './optimizers';
import { fitStandardisation } from './standardisation';
import { trainAicrn, trainStep } from './train-aicrn';
import { trainingModel } from './training-loss';
import { TINY_DELINEATION_CONFIG, TINY_TRAINING_CONFIG as CONFIG, tinyRunOptions, tinySamples as samples } from './training-test-fixtures';

const targetsModel = (model: tf.LayersModel) => tf.model({ inputs: model.inputs, outputs: model.getLayer(TARGETS_OUTPUT).output as tf.SymbolicTensor });
const values = (model: tf.LayersModel, trainable: boolean) => (trainable ? model.trainableWeights : model.nonTrainableWeights).map((w) => Array.from(w.read().dataSync()));

/**
 * Every element within 1e-5 relative to the largest weight of the set. Not per element: conv biases in front of a
 * batch norm have a true gradient of 0, so theirs is float rounding noise (about 1e-7 after the step) in both paths.
 */
function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.map((t) => t.length)).toEqual(expected.map((t) => t.length));
  const scale = Math.max(...expected.map((t) => Math.max(...t.map(Math.abs))));
  const worst = Math.max(...actual.map((t, i) => Math.max(...t.map((a, j) => Math.abs(a - expected[i][j])))));
  expect(worst / scale).toBeLessThanOrEqual(1e-5);
}

describe('DataParallelTrainer', () => {
  let out: string;
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'aicrn-dp-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  it('splits a batch into contiguous shards differing by at most one window', () => {
    expect(shardBounds(4, 2)).toEqual([[0, 2], [2, 4]]);
    expect(shardBounds(5, 2)).toEqual([[0, 3], [3, 5]]);
    expect(shardBounds(1, 2)).toEqual([[0, 1]]);
  });

  it.each([4, 3])('gives the single-thread step on the whole batch (%i windows) with 2 workers, including masked labels', async (windows) => {
    const batch = await samples('train', windows);
    const standardisation = fitStandardisation((await samples('train', 16)).map((s) => s.labels), CONFIG.targets);
    // Shards with different label counts (4 + 2 of 6; 3 + 1 of 4): a mean of per-shard means would weigh them wrongly.
    batch[windows - 2] = { ...batch[windows - 2], labels: { ...batch[windows - 2].labels, qt_ms: null } };
    batch[windows - 1] = { ...batch[windows - 1], labels: { ...batch[windows - 1].labels, hr_bpm: null } };

    // Reference: today's in-process step; plain SGD so the update is the gradient itself.
    const reference = buildAicrnModel(CONFIG, { seed: 1 });
    const variables = reference.trainableWeights.map((w) => w.read() as tf.Variable);
    const referenceLoss = trainStep(targetsModel(reference), tf.train.sgd(0.1), variables, batch, CONFIG, standardisation);

    const model = buildAicrnModel(CONFIG, { seed: 1 });
    const before = values(model, true);
    const parallel = await DataParallelTrainer.start({ model, config: CONFIG, workers: 2 });
    try {
      const loss = await parallel.step(tf.train.sgd(0.1), batch, standardisation);
      expect(Math.abs(loss - referenceLoss)).toBeLessThanOrEqual(1e-5 * referenceLoss);
    } finally {
      await parallel.close();
    }
    expect(values(model, true)).not.toEqual(before);
    expectClose(values(model, true), values(reference, true));
    // Batch-norm moving statistics, updated with the whole batch's mean and variance.
    expectClose(values(model, false), values(reference, false));
    model.dispose();
    reference.dispose();
  });

  it('gives the single-thread step with the delineation loss too, windows without wave classes included', async () => {
    const batch = await samples('train', 4, TINY_DELINEATION_CONFIG);
    expect(batch.every((s) => s.waves && s.waves.some((c) => c !== 255))).toBe(true);
    // The second shard has no wave classes at all: it still trains the regression.
    batch[2] = { ...batch[2], waves: null };
    batch[3] = { ...batch[3], waves: null };
    const standardisation = fitStandardisation(batch.map((s) => s.labels), CONFIG.targets);

    const reference = buildAicrnModel(TINY_DELINEATION_CONFIG, { seed: 1 });
    const variables = reference.trainableWeights.map((w) => w.read() as tf.Variable);
    const referenceLoss = trainStep(trainingModel(reference, 0.5), tf.train.sgd(0.1), variables, batch, TINY_DELINEATION_CONFIG, standardisation, 0.5);
    const regressionOnly = buildAicrnModel(TINY_DELINEATION_CONFIG, { seed: 1 });
    const regressionLoss = trainStep(trainingModel(regressionOnly, 0), tf.train.sgd(0.1), regressionOnly.trainableWeights.map((w) => w.read() as tf.Variable), batch, TINY_DELINEATION_CONFIG, standardisation);
    expect(referenceLoss).toBeGreaterThan(regressionLoss + 0.1); // the cross-entropy term is in it

    const model = buildAicrnModel(TINY_DELINEATION_CONFIG, { seed: 1 });
    const parallel = await DataParallelTrainer.start({ model, config: TINY_DELINEATION_CONFIG, workers: 2, delineationWeight: 0.5 });
    try {
      const loss = await parallel.step(tf.train.sgd(0.1), batch, standardisation);
      expect(Math.abs(loss - referenceLoss)).toBeLessThanOrEqual(1e-5 * referenceLoss);
    } finally {
      await parallel.close();
    }
    expectClose(values(model, true), values(reference, true));
    expectClose(values(model, false), values(reference, false));

    // A batch without any wave classes trains the regression alone; the head's weights get no gradient, not a crash.
    const plainBatch = batch.map((s) => ({ ...s, waves: null }));
    trainStep(trainingModel(reference, 0.5), tf.train.sgd(0.1), variables, plainBatch, TINY_DELINEATION_CONFIG, standardisation, 0.5);
    const again = await DataParallelTrainer.start({ model, config: TINY_DELINEATION_CONFIG, workers: 2, delineationWeight: 0.5 });
    try {
      await again.step(tf.train.sgd(0.1), plainBatch, standardisation);
    } finally {
      await again.close();
    }
    expectClose(values(model, true), values(reference, true));
    [model, reference, regressionOnly].forEach((m) => m.dispose());
  });

  it('fails the step with a clear error when a worker dies mid-step, leaving the model unchanged', async () => {
    const batch = await samples('train', 2);
    const standardisation = fitStandardisation((await samples('train', 16)).map((s) => s.labels), CONFIG.targets);
    const model = buildAicrnModel(CONFIG, { seed: 2 });
    const before = values(model, true);
    const parallel = await DataParallelTrainer.start({ model, config: CONFIG, workers: 2 });
    try {
      // Worker 1 is then left waiting for worker 2 inside a synchronised batch norm: the crash must release it.
      const running = parallel.step(createOptimizer('adam', 1e-3), batch, standardisation);
      await parallel.workers[1].terminate();
      await expect(running).rejects.toThrow(/training worker 2 crashed \(exited with code 1\)/);
      await expect(parallel.step(createOptimizer('adam', 1e-3), batch, standardisation)).rejects.toThrow(TrainingWorkerError);
    } finally {
      await parallel.close();
    }
    expect(values(model, true)).toEqual(before);
    model.dispose();
  });

  it('stops trainAicrn with a checkpoint of the last completed step when a worker fails', async () => {
    const realStep = DataParallelTrainer.prototype.step;
    let calls = 0;
    const step = jest.spyOn(DataParallelTrainer.prototype, 'step').mockImplementation(function (this: DataParallelTrainer, ...args) {
      if (++calls === 2) return Promise.reject(new TrainingWorkerError('training worker 2 crashed (exited with code 1)'));
      return realStep.apply(this, args);
    });
    try {
      const run = trainAicrn({ ...tinyRunOptions(out, [{ name: 'val', samples: await samples('val', 2) }]), epochs: 1, workers: 2 });
      await expect(run).rejects.toThrow(/training worker 2 crashed \(exited with code 1\); training stopped at step 1 with a checkpoint in .*checkpoint \(resume with --resume\)/);
    } finally {
      step.mockRestore();
    }
    const saved = await loadCheckpoint(out);
    expect(saved.state.step).toBe(1);
    expect(saved.state.samplesSeen).toBe(2); // the failed step's batch is drawn again on resume
    saved.model.dispose();
  });

  it('continues a single-thread checkpoint with 2 workers from the same step and stream position', async () => {
    const common = tinyRunOptions(out, [{ name: 'val', samples: await samples('val', 2) }]);
    await trainAicrn({ ...common, epochs: 1 });
    const first = await loadCheckpoint(out);
    const weightsAfterFirst = first.model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    first.model.dispose();

    const steps: number[] = [];
    const losses: number[] = [];
    const logs: string[] = [];
    const resumed = await trainAicrn({ ...common, epochs: 2, resume: true, workers: 2, onLog: (l) => logs.push(l), onStep: (p) => (steps.push(p.step), losses.push(p.loss)) });
    expect(logs.join('\n')).toMatch(/data-parallel training on 2 worker threads/);
    expect(steps).toEqual([4, 5, 6]);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(resumed.state.step).toBe(6);
    expect(resumed.state.samplesSeen).toBe(12);
    const saved = await loadCheckpoint(out);
    expect(saved.optimizerWeights[0].tensor.dataSync()[0]).toBe(6); // NAdam iterations carried on in this thread
    expect(saved.model.trainableWeights.map((w) => Array.from(w.read().dataSync()))).not.toEqual(weightsAfterFirst);
    saved.model.dispose();
  });
});
