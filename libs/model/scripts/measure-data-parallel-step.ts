// ms per training step in this thread against the same step spread over worker threads (DataParallelTrainer),
// alternating the two on the same batches so machine load affects both alike. Run after `npm run build`:
// node dist/libs/model/scripts/measure-data-parallel-step.js [preset=serving] [batch=8] [workers=2] [rounds=4]
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { TARGETS_OUTPUT, buildAicrnModel } from '../src/aicrn-model';
import { inputSamples, presetConfig } from '../src/config';
import { selectBackend } from '../src/runtime/backend';
import { DataParallelTrainer } from '../src/training/data-parallel-trainer';
import { createOptimizer } from '../src/training/optimizers';
import { trainStep } from '../src/training/train-aicrn';
import { TrainingSample } from '../src/training/training-sample';

async function main(preset: string, batchSize: number, workers: number, rounds: number): Promise<void> {
  const config = { ...presetConfig(preset), dropout: 0.1 };
  const { backend } = await selectBackend('wasm');
  const width = inputSamples(config) * 8;
  const batch: TrainingSample[] = Array.from({ length: batchSize }, (_, i) => ({
    source: `random ${i}`,
    input: tf.tidy(() => tf.randomNormal([width], 0, 0.2, 'float32', i + 1).dataSync() as Float32Array),
    labels: { hr_bpm: 60 + i, pr_ms: 160, qrs_ms: 90, qt_ms: 380, qtc_ms: 400, r_amp_mv: 1, t_amp_mv: 0.3 } as TrainingSample['labels'],
  }));
  const standardisation = Object.fromEntries(config.targets.map((t) => [t, { mean: 0, std: 100 }]));
  const single = buildAicrnModel(config, { seed: 1 });
  const trainer = tf.model({ inputs: single.inputs, outputs: single.getLayer(TARGETS_OUTPUT).output as tf.SymbolicTensor });
  const variables = single.trainableWeights.map((w) => w.read() as tf.Variable);
  const singleOptimizer = createOptimizer('nadam', 1e-3);
  const shared = buildAicrnModel(config, { seed: 1 });
  const parallelOptimizer = createOptimizer('nadam', 1e-3);
  const parallel = await DataParallelTrainer.start({ model: shared, config, workers });
  const time = async (run: () => unknown) => {
    const t0 = performance.now();
    await run();
    return performance.now() - t0;
  };
  const oneThread = () => trainStep(trainer, singleOptimizer, variables, batch, config, standardisation);
  const spread = () => parallel.step(parallelOptimizer, batch, standardisation);
  // First steps compile kernels and allocate: not measured.
  await time(oneThread);
  await time(spread);
  const ms: { single: number[]; parallel: number[] } = { single: [], parallel: [] };
  for (let r = 0; r < rounds; r++) {
    ms.single.push(await time(oneThread));
    ms.parallel.push(await time(spread));
  }
  await parallel.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    JSON.stringify({
      preset,
      backend,
      batch: batchSize,
      workers,
      rounds,
      ms_per_step_1_thread: Math.round(median(ms.single)),
      [`ms_per_step_${workers}_workers`]: Math.round(median(ms.parallel)),
      speedup: +(median(ms.single) / median(ms.parallel)).toFixed(2),
      all_ms: { single: ms.single.map(Math.round), parallel: ms.parallel.map(Math.round) },
      load_average: os.loadavg().map((l) => +l.toFixed(2)),
      cores: os.availableParallelism(),
    }),
  );
}

const [preset, batch, workers, rounds] = process.argv.slice(2);
void main(preset ?? 'serving', Number(batch ?? 8), Number(workers ?? 2), Number(rounds ?? 4));
