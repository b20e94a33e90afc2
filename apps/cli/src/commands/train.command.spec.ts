import { BadInputError } from './bad-input';
import { runTrain, TrainCommandOptions } from './train.command';

/** What `aicrn train --dataset mixed --dir LUDB --out OUT` parses to with every other option at its default. */
const DEFAULTS: TrainCommandOptions = {
  dataset: 'mixed',
  dir: '/work/shared/data/ludb',
  records: '1-80',
  valRecords: '81-100',
  valSynthetic: 64,
  valCount: 500,
  syntheticWeight: 0.5,
  syntheticPopulation: 0,
  ludbWarp: 0,
  ludbAf: 0,
  ludbPolarity: 0,
  delineationWeight: 0.2,
  delineationData: 'all',
  preset: 'serving',
  out: '/nonexistent/aicrn-train-spec',
  epochs: 1,
  stepsPerEpoch: 1,
  batch: 1,
  lr: 1e-3,
  minLr: 1e-4,
  restartEpochs: 10,
  optimizer: 'nadam',
  patience: 10,
  seed: 1,
  backend: 'wasm',
  workers: 1,
};

describe('aicrn train option checks (before any data is read or a model is built)', () => {
  it('refuses atrial-fibrillation draws without beat-part warps: they are made from warped beats', async () => {
    const error = await runTrain({ ...DEFAULTS, ludbAf: 0.3 }, { progress: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toBe('--ludb-af turns warped LUDB windows into atrial fibrillation: it needs --ludb-warp above 0');
  });

  it('refuses a learning-rate floor above the peak and --init-from together with --resume', async () => {
    await expect(runTrain({ ...DEFAULTS, minLr: 1e-2 }, { progress: false })).rejects.toThrow('--min-lr 0.01 is above --lr 0.001');
    await expect(runTrain({ ...DEFAULTS, initFrom: '/tmp', resume: true }, { progress: false })).rejects.toThrow('--init-from starts a new run; --resume continues one');
  });

  it('refuses a selection quantity it does not know', async () => {
    const error = await runTrain({ ...DEFAULTS, selectOn: 'mae' }, { progress: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toBe('--select-on must be loss or delineation, got "mae"');
  });
});
