// One optimizer step (forward + backward + Adam update) of an AICRN preset on a backend, and one
// paper layer's input gradient with our forward-convolution kernel vs the built-in wasm kernel.
// Run after `npm run build`: node dist/libs/model/scripts/measure-training-step.js <paper|serving> <wasm|cpu> [batch] [steps]
// (steps 0 = time the first step only), or ... measure-training-step.js layer
import * as tf from '@tensorflow/tfjs';
import { buildAicrnModel } from '../src/aicrn-model';
import { inputSamples, presetConfig } from '../src/config';
import { BackendName, selectBackend } from '../src/runtime/backend';
import { registerWasmTrainingKernels } from '../src/runtime/wasm-training-kernels';

async function trainingStep(preset: string, backendName: BackendName, batch: number, steps: number) {
  const config = presetConfig(preset);
  const { backend } = await selectBackend(backendName);
  const model = buildAicrnModel(config, { seed: 1 });
  const trainer = tf.model({ inputs: model.inputs, outputs: model.outputs[0] });
  trainer.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomNormal([batch, inputSamples(config), 8], 0, 0.2, 'float32', 1);
  const y = tf.randomNormal([batch, config.targets.length], 0, 1, 'float32', 2);
  // The first step includes one-time setup (kernel compilation on wasm); with steps = 0 it is the measurement.
  const first = performance.now();
  await trainer.trainOnBatch(x, y);
  const times: number[] = [performance.now() - first];
  if (steps > 0) times.length = 0;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await trainer.trainOnBatch(x, y);
    times.push(performance.now() - t0);
  }
  const ms = Math.min(...times);
  console.log(JSON.stringify({ preset, backend, batch, ms_per_step: Math.round(ms), ms_per_window: +(ms / batch).toFixed(1) }));
}

async function layerInputGradient() {
  await selectBackend('wasm');
  const x = tf.randomNormal([8, 2495, 32]) as tf.Tensor3D;
  const w = tf.randomNormal([50, 32, 64], 0, 0.05) as tf.Tensor3D;
  const dy = tf.randomNormal([8, 2495, 64]) as tf.Tensor3D;
  const time = (label: string) => {
    const g = tf.conv1d(x, w, 1, 'same');
    g.dispose();
    let best = Infinity;
    let result: Float32Array | undefined;
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(xx as tf.Tensor3D, w, 1, 'same'), dy)))(x);
      result = (dx.dataSync() as Float32Array).slice();
      best = Math.min(best, performance.now() - t0);
      dx.dispose();
    }
    return { label, ms_forward_plus_input_grad: Math.round(best), result: result! };
  };
  registerWasmTrainingKernels({ backpropInput: 'built-in' });
  const builtIn = time('built-in Conv2DBackpropInput');
  registerWasmTrainingKernels({ backpropInput: 'forward-conv' });
  const ours = time('forward-convolution Conv2DBackpropInput');
  let maxDiff = 0;
  for (let i = 0; i < ours.result.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours.result[i] - builtIn.result[i]));
  console.log(JSON.stringify({ layer: '8x2495x32 -> 64, k=50', built_in_ms: builtIn.ms_forward_plus_input_grad, forward_conv_ms: ours.ms_forward_plus_input_grad, max_abs_diff: maxDiff }));
}

const [what, backend, batch, steps] = process.argv.slice(2);
void (what === 'layer' ? layerInputGradient() : trainingStep(what ?? 'serving', (backend ?? 'wasm') as BackendName, Number(batch ?? 4), Number(steps ?? 2)));
