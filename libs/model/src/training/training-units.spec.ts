import * as tf from '@tensorflow/tfjs';
import { EcgParameters } from '@aicrn/signal';
import { selectBackend } from '../runtime/backend';
import { learningRateAt } from './lr-schedule';
import { NadamOptimizer } from './optimizers';
import { fitStandardisation, standardiseLabels } from './standardisation';

const labels = (hr: number | null, t: number | null): EcgParameters => ({ hr_bpm: hr, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: t });

describe('standardisation', () => {
  it('uses only the labels that exist and masks the missing ones', () => {
    const rows = [labels(60, 0.2), labels(80, null), labels(100, 0.4)];
    const s = fitStandardisation(rows, ['hr_bpm', 't_amp_mv']);
    expect(s.hr_bpm).toEqual({ mean: 80, std: 20 });
    expect(s.t_amp_mv!.mean).toBeCloseTo(0.3, 10);
    const { values, mask } = standardiseLabels(rows, ['hr_bpm', 't_amp_mv'], s);
    expect(Array.from(mask)).toEqual([1, 1, 1, 0, 1, 1]);
    expect(values[0]).toBeCloseTo(-1, 6);
    expect(values[3]).toBe(0);
  });

  it('refuses a target without enough labels, naming it', () => {
    expect(() => fitStandardisation([labels(60, null), labels(70, null)], ['hr_bpm', 't_amp_mv'])).toThrow(/t_amp_mv/);
  });
});

describe('cosine annealing with warm restarts', () => {
  const schedule = { maxLr: 1e-3, minLr: 1e-4, cycleSteps: 10, cycleMultiplier: 2 };
  it('starts at the peak, ends a cycle near the floor and restarts', () => {
    expect(learningRateAt(0, schedule)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(5, schedule)).toBeCloseTo(5.5e-4, 12);
    expect(learningRateAt(9, schedule)).toBeLessThan(1.3e-4);
    expect(learningRateAt(10, schedule)).toBeCloseTo(1e-3, 12);
    // the second cycle lasts 20 steps
    expect(learningRateAt(20, schedule)).toBeCloseTo(5.5e-4, 12);
    expect(learningRateAt(30, schedule)).toBeCloseTo(1e-3, 12);
  });
  it('warms up linearly', () => {
    expect(learningRateAt(0, { ...schedule, warmupSteps: 4 })).toBeCloseTo(2.5e-4, 12);
    expect(learningRateAt(4, { ...schedule, warmupSteps: 4 })).toBeCloseTo(1e-3, 12);
  });
});

describe('NadamOptimizer', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('matches the PyTorch NAdam update on a scalar for two steps', () => {
    const x = tf.scalar(1).variable();
    const opt = new NadamOptimizer(0.1);
    // f(x) = x^2, gradient 2x; reference computed by hand from torch.optim.NAdam's formulas.
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** (t * 0.004));
    let xr = 1;
    let m = 0;
    let v = 0;
    let product = 1;
    for (let t = 1; t <= 2; t++) {
      const g = 2 * xr;
      product *= mu(t);
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      const denom = Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8;
      xr -= (0.1 * (1 - mu(t)) * g) / (1 - product) / denom + (0.1 * mu(t + 1) * m) / (1 - product * mu(t + 1)) / denom;
      opt.minimize(() => tf.square(x) as tf.Scalar, false, [x]);
    }
    expect(x.dataSync()[0]).toBeCloseTo(xr, 5);
  });

  it('restores its moments and step count', async () => {
    const x = tf.scalar(1).variable();
    const a = new NadamOptimizer(0.1);
    a.minimize(() => tf.square(x) as tf.Scalar, false, [x]);
    const weights = await a.getWeights();
    const b = new NadamOptimizer(0.1);
    await b.setWeights(weights.map((w) => ({ name: w.name, tensor: w.tensor.clone() })));
    expect(b.iterations).toBe(1);
    const y = tf.scalar(x.dataSync()[0]).variable();
    a.minimize(() => tf.square(x) as tf.Scalar, false, [x]);
    b.minimize(() => tf.square(y) as tf.Scalar, false, [y]);
    expect(y.dataSync()[0]).toBeCloseTo(x.dataSync()[0], 6);
  });
});
