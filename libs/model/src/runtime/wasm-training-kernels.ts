import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;
type Backend = tf.KernelBackend & { disposeData(dataId: object): boolean };
type Explicit = [[number, number], [number, number], [number, number], [number, number]];

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | Explicit;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const BACKEND = 'wasm';
let builtInBackpropInput: tf.KernelConfig | undefined;

/**
 * Makes the wasm backend able to train AICRN, and fast at it. It has no `Conv2DBackpropFilter` kernel at all and
 * its `Conv2DBackpropInput` is about 13x slower than its forward convolution (measured: 1836 ms against
 * 136 ms on one AICRN layer), so both gradients are computed as forward convolutions (XNNPACK):
 *  - filter gradient: dW[j] = sum_t xpad[t*s + j] dy[t] is a convolution of the padded input with batch
 *    and channels swapped ([Cin, H, W, B]) by dy as the filter ([outH, outW, B, Cout]), dilated by the stride;
 *  - input gradient (stride 1): the output gradient, padded by k-1-pad, convolved with the spatially
 *    reversed filter whose in/out channels are swapped.
 * Broadcasting Equal and Tile (max-pool and batch-norm gradients) get exact fast paths too.
 * Idempotent; a no-op when the wasm backend is not registered.
 */
export function registerWasmTrainingKernels(options: { backpropInput?: 'forward-conv' | 'built-in' } = {}): void {
  if (!tf.findBackendFactory(BACKEND)) return;
  if (!tf.getKernel(tf.Conv2DBackpropFilter, BACKEND)) {
    tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc });
  }
  const current = tf.getKernel(tf.Conv2DBackpropInput, BACKEND);
  const ours = conv2DBackpropInput as unknown as tf.KernelFunc;
  if (current && current.kernelFunc !== ours) builtInBackpropInput = current;
  const wanted = options.backpropInput === 'built-in' ? builtInBackpropInput : { kernelName: tf.Conv2DBackpropInput, backendName: BACKEND, kernelFunc: ours };
  if (wanted && current?.kernelFunc !== wanted.kernelFunc) {
    if (current) tf.unregisterKernel(tf.Conv2DBackpropInput, BACKEND);
    tf.registerKernel(wanted);
  }
  wrapBroadcastKernel(tf.Equal, equalWithBroadcast);
  wrapBroadcastKernel(tf.Tile, tileOfSingletons);
}

/** Built-in kernels that our faster paths fall back to, by kernel name. */
const builtIns = new Map<string, tf.KernelConfig>();

function wrapBroadcastKernel(name: string, fast: (args: KernelArgs, builtIn: tf.KernelConfig) => TensorInfo): void {
  const current = tf.getKernel(name, BACKEND);
  if (!current || builtIns.has(name)) return;
  builtIns.set(name, current);
  tf.unregisterKernel(name, BACKEND);
  tf.registerKernel({ ...current, kernelFunc: ((args: KernelArgs) => fast(args, current)) as unknown as tf.KernelFunc });
}

type KernelArgs = { inputs: Record<string, TensorInfo>; backend: Backend; attrs: Record<string, unknown> };

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The wasm Equal kernel takes a slow generic path when it broadcasts (70 ms against 2 ms for a broadcast
 * Sub on [4, 1247, 64]); every max-pool gradient of CBAM broadcasts. Expanding the smaller operand by an
 * exact multiplication with ones and comparing equal shapes gives identical results much faster.
 */
function equalWithBroadcast(args: KernelArgs, builtIn: tf.KernelConfig): TensorInfo {
  const { a, b } = args.inputs;
  const callBuiltIn = (inputs: Record<string, TensorInfo>) => builtIn.kernelFunc({ ...args, inputs } as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  if (sameShape(a.shape, b.shape) || a.dtype !== 'float32' || b.dtype !== 'float32') return callBuiltIn({ a, b });
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  return withScratch(args.backend, (keep) => {
    const ones = keep(run(tf.Fill, args.backend, {}, { shape: outShape, value: 1, dtype: 'float32' }));
    const full = (t: TensorInfo) => (sameShape(t.shape, outShape) ? t : keep(run(tf.Multiply, args.backend, { a: t, b: ones })));
    return callBuiltIn({ a: full(a), b: full(b) });
  });
}

/**
 * Tiling along size-1 axes is a broadcast; the wasm Tile kernel is generic and slow (36 ms against 1 ms
 * for a broadcast multiply on [4, 1247, 64]), and batch-norm gradients tile exactly this way.
 */
function tileOfSingletons(args: KernelArgs, builtIn: tf.KernelConfig): TensorInfo {
  const { x } = args.inputs;
  const reps = args.attrs.reps as number[];
  const broadcastable = x.dtype === 'float32' && reps.length === x.shape.length && reps.every((r, i) => r === 1 || x.shape[i] === 1);
  if (!broadcastable) return builtIn.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  const outShape = x.shape.map((d, i) => d * reps[i]);
  return withScratch(args.backend, (keep) => {
    const ones = keep(run(tf.Fill, args.backend, {}, { shape: outShape, value: 1, dtype: 'float32' }));
    return run(tf.Multiply, args.backend, { a: x, b: ones });
  });
}

function run(name: string, backend: Backend, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
  const kernel = tf.getKernel(name, BACKEND);
  if (!kernel) throw new Error(`wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

/** Runs `fn`, then frees every intermediate it registered except the result. */
function withScratch(backend: Backend, fn: (keep: (t: TensorInfo) => TensorInfo) => TensorInfo): TensorInfo {
  const scratch: TensorInfo[] = [];
  try {
    const result = fn((t) => (scratch.push(t), t));
    for (const t of scratch) if (t.dataId !== result.dataId) backend.disposeData(t.dataId);
    return result;
  } catch (error) {
    for (const t of scratch) backend.disposeData(t.dataId);
    throw error;
  }
}

function assertChannelsLast(kernel: string, attrs: ConvAttrs): void {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`${kernel} (wasm training kernel) supports dataFormat NHWC only, got ${attrs.dataFormat}`);
}

function convInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs) {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

export function conv2DBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: Backend; attrs: ConvAttrs & { filterShape: number[] } }): TensorInfo {
  const { inputs, backend, attrs } = args;
  assertChannelsLast('Conv2DBackpropFilter', attrs);
  const { x, dy } = inputs;
  const [fh, fw, inC, outC] = attrs.filterShape;
  const info = convInfo(x.shape, attrs.filterShape, attrs);
  const { top, bottom, left, right } = info.padInfo;
  return withScratch(backend, (keep) => {
    const xT = keep(run(tf.Transpose, backend, { x }, { perm: [3, 1, 2, 0] }));
    const dyT = keep(run(tf.Transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] }));
    const grad = keep(
      run(tf.Conv2D, backend, { x: xT, filter: dyT }, {
        strides: [1, 1],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dataFormat: 'NHWC',
      }),
    );
    // With strides the tail of the padded input may hold more positions than the filter has taps.
    const exact = grad.shape[1] === fh && grad.shape[2] === fw ? grad : keep(run(tf.Slice, backend, { x: grad }, { begin: [0, 0, 0, 0], size: [inC, fh, fw, outC] }));
    return run(tf.Transpose, backend, { x: exact }, { perm: [1, 2, 0, 3] });
  });
}

export function conv2DBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: Backend; attrs: ConvAttrs & { inputShape: number[] } }): TensorInfo {
  const { inputs, backend, attrs } = args;
  assertChannelsLast('Conv2DBackpropInput', attrs);
  const { dy, filter } = inputs;
  const [fh, fw] = filter.shape;
  const info = convInfo(attrs.inputShape, filter.shape, attrs);
  const { top, bottom, left, right } = info.padInfo;
  const pads = [fh - 1 - top, fh - 1 - bottom, fw - 1 - left, fw - 1 - right];
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || pads.some((p) => p < 0)) {
    if (!builtInBackpropInput) throw new Error('Conv2DBackpropInput: strided or over-padded convolutions need the built-in wasm kernel, which is not registered');
    return builtInBackpropInput.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  }
  return withScratch(backend, (keep) => {
    const reversed = keep(run(tf.Reverse, backend, { x: filter }, { dims: [0, 1] }));
    const swapped = keep(run(tf.Transpose, backend, { x: reversed }, { perm: [0, 1, 3, 2] }));
    return run(tf.Conv2D, backend, { x: dy, filter: swapped }, {
      strides: [1, 1],
      dilations: [1, 1],
      pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
      dataFormat: 'NHWC',
    });
  });
}
