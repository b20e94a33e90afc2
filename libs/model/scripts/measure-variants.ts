// Measures forward cost per window of candidate configurations on the wasm backend (one thread),
// the evidence behind the serving preset (libs/model/MODEL_CARD.md).
// Run after `npm run build`: node dist/libs/model/scripts/measure-variants.js [label filter] [batch]
import * as tf from '@tensorflow/tfjs';
import { buildAicrnModel, parameterCounts } from '../src/aicrn-model';
import { AicrnConfig, inputSamples, PAPER_PRESET, SERVING_PRESET } from '../src/config';
import { selectBackend } from '../src/runtime/backend';

const VARIANTS: Array<[string, AicrnConfig]> = [
  ['paper (500 Hz, k50, 8 modules, 1 output)', PAPER_PRESET],
  ['500 Hz, k25, 8 modules, 6 outputs', { ...SERVING_PRESET, sampleRateHz: 500, stem: { ...SERVING_PRESET.stem, kernel: 8 }, samKernel: 8 }],
  ['250 Hz, k25, 8 modules, 6 outputs (serving)', SERVING_PRESET],
  ['250 Hz, k25, 6 modules, 6 outputs', { ...SERVING_PRESET, modules: 6 }],
  ['250 Hz, k15, 8 modules, 6 outputs', { ...SERVING_PRESET, moduleKernel: 15 }],
];

async function main() {
  const only = process.argv[2];
  const batch = Number(process.argv[3] ?? 16);
  const { backend } = await selectBackend('wasm');
  for (const [label, config] of VARIANTS) {
    if (only && !label.includes(only)) continue;
    const model = buildAicrnModel(config, { seed: 1 });
    const x = tf.randomNormal([batch, inputSamples(config), 8]);
    tf.dispose(model.predict(x) as tf.Tensor[]);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const outs = model.predict(x) as tf.Tensor[];
      await Promise.all(outs.map((o) => o.data()));
      times.push((performance.now() - t0) / batch);
      tf.dispose(outs);
    }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ label, backend, batch, params: parameterCounts(model).trainable, ms_per_window_median: +times[1].toFixed(1), ms_per_window_min: +times[0].toFixed(1) }));
    x.dispose();
    model.dispose();
  }
}
void main();
