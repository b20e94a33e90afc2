import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './backend';
import { conv2DBackpropFilter, conv2DBackpropInput } from './wasm-training-kernels';

type Case = { name: string; batch: number; length: number; inC: number; outC: number; k: number; stride: number; pad: 'same' | 'valid' };

const CASES: Case[] = [
  { name: 'same padding, even kernel', batch: 2, length: 37, inC: 3, outC: 5, k: 8, stride: 1, pad: 'same' },
  { name: 'valid padding', batch: 3, length: 29, inC: 4, outC: 2, k: 5, stride: 1, pad: 'valid' },
  { name: 'odd kernel same', batch: 1, length: 16, inC: 2, outC: 3, k: 3, stride: 1, pad: 'same' },
  { name: 'strided valid', batch: 2, length: 30, inC: 3, outC: 4, k: 4, stride: 2, pad: 'valid' },
  { name: 'strided same', batch: 2, length: 31, inC: 2, outC: 3, k: 5, stride: 3, pad: 'same' },
];

function gradients(c: Case, xv: Float32Array, wv: Float32Array, dyScale: Float32Array) {
  return tf.tidy(() => {
    const x = tf.tensor3d(xv, [c.batch, c.length, c.inC]);
    const w = tf.tensor3d(wv, [c.k, c.inC, c.outC]);
    const f = (a: tf.Tensor, b: tf.Tensor) => {
      const y = tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, c.stride, c.pad);
      // A non-uniform upstream gradient so every output position is weighted differently.
      return tf.sum(tf.mul(y, tf.tensor(dyScale.subarray(0, y.size), y.shape)));
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    return { dx: Float32Array.from(dx.dataSync()), dw: Float32Array.from(dw.dataSync()) };
  });
}

function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let err = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

describe('wasm training kernels', () => {
  afterAll(async () => {
    await selectBackend('wasm');
  });

  it.each(CASES)('filter and input gradients match the cpu backend ($name)', async (c) => {
    const rand = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
    const xv = rand(c.batch * c.length * c.inC, 1);
    const wv = rand(c.k * c.inC * c.outC, 2);
    const dy = rand(c.batch * c.length * c.outC, 3);
    await selectBackend('cpu');
    const expected = gradients(c, xv, wv, dy);
    const selection = await selectBackend('wasm');
    expect(selection.backend).toBe('wasm');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')?.kernelFunc).toBe(conv2DBackpropFilter);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc).toBe(conv2DBackpropInput);
    const actual = gradients(c, xv, wv, dy);
    expect(actual.dw.length).toBe(expected.dw.length);
    expect(actual.dx.length).toBe(expected.dx.length);
    expect(maxRelativeError(actual.dw, expected.dw)).toBeLessThan(1e-5);
    expect(maxRelativeError(actual.dx, expected.dx)).toBeLessThan(1e-5);
  });

  it('does not leak tensors or wasm memory across gradient steps', async () => {
    await selectBackend('wasm');
    const c = CASES[0];
    const xv = new Float32Array(c.batch * c.length * c.inC).fill(0.1);
    const wv = new Float32Array(c.k * c.inC * c.outC).fill(0.2);
    const dy = new Float32Array(c.batch * c.length * c.outC).fill(1);
    gradients(c, xv, wv, dy);
    const before = tf.memory();
    for (let i = 0; i < 3; i++) gradients(c, xv, wv, dy);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    // Intermediates of the kernels live only in the backend: a leak shows as extra data buffers.
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  });
});

describe('wasm broadcast fast paths (Equal, Tile)', () => {
  const values = (shape: number[], seed: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    // Rounded so that equalities actually occur.
    return Float32Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 1.7 + seed) * 3));
  };
  const onBoth = async (f: () => tf.Tensor) => {
    await selectBackend('cpu');
    const expected = tf.tidy(() => Array.from(f().dataSync()));
    await selectBackend('wasm');
    const actual = tf.tidy(() => Array.from(f().dataSync()));
    return { expected, actual };
  };

  it.each([
    [[2, 5, 3], [2, 1, 3]],
    [[2, 5, 3], [2, 5, 1]],
    [[1, 5, 1], [2, 1, 3]],
    [[4], [4]],
  ])('Equal %j vs %j matches the cpu backend', async (sa, sb) => {
    const { expected, actual } = await onBoth(() => tf.equal(tf.tensor(values(sa, 1), sa), tf.tensor(values(sb, 2), sb)));
    expect(actual).toEqual(expected);
    expect(expected).toContain(1);
  });

  it('Equal keeps NaN unequal and int32 inputs on the built-in path', async () => {
    const { expected, actual } = await onBoth(() => tf.equal(tf.tensor([[NaN, 1, 2]]), tf.tensor([[NaN], [1]])));
    expect(actual).toEqual(expected);
    const ints = await onBoth(() => tf.equal(tf.tensor([[1, 2, 3]], undefined, 'int32'), tf.tensor([[2]], undefined, 'int32')));
    expect(ints.actual).toEqual(ints.expected);
  });

  it.each([
    [[1, 1, 3], [2, 4, 1]],
    [[2, 1, 3], [1, 5, 1]],
    [[2, 3], [2, 2]],
  ])('Tile %j by %j matches the cpu backend', async (shape, reps) => {
    const { expected, actual } = await onBoth(() => tf.tile(tf.tensor(values(shape, 3), shape), reps));
    expect(actual).toEqual(expected);
  });

  it('max-pool gradients (CBAM) match the cpu backend', async () => {
    const shape = [2, 6, 4];
    const grads = () => {
      const x = tf.tensor(values(shape, 4), shape);
      return tf.grad((t: tf.Tensor) => tf.add(tf.sum(tf.max(t, 1)), tf.sum(tf.max(t, -1))))(x);
    };
    const { expected, actual } = await onBoth(grads);
    expect(actual).toEqual(expected);
  });
});
