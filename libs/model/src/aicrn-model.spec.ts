import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildAicrnModel, parameterCounts } from './aicrn-model';
import { backboneSamples, inputSamples, PAPER_PRESET, SERVING_PRESET } from './config';
import { fileSystemIO, modelArtifactsOf } from './io/fs-io-handler';
import { ChannelAttention } from './layers/channel-attention';
import { SpatialAttention } from './layers/spatial-attention';
import { selectBackend } from './runtime/backend';
import { TINY_CONFIG } from './test-configs';

const randomInput = (batch: number, samples: number, seed = 1) =>
  tf.tensor3d(Float32Array.from({ length: batch * samples * 8 }, (_, i) => Math.sin(i * 0.37 + seed) * 0.2), [batch, samples, 8]);

describe('AICRN model', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('paper preset: published architecture, 1.69 M parameters (within 1 %), output and attention shapes', () => {
    const model = buildAicrnModel(PAPER_PRESET, { seed: 1 });
    const { trainable } = parameterCounts(model);
    expect(Math.abs(trainable - 1.69e6) / 1.69e6).toBeLessThan(0.01);
    expect(model.inputs[0].shape).toEqual([null, 5000, 8]);
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 1],
      [null, 2495, 16],
    ]);
    expect(backboneSamples(PAPER_PRESET)).toBe(2495);
    // The 16 convolutions of the modules: 32->64 and 64->32 with k=50.
    const moduleConvs = model.layers.filter((l) => /^module\d+_conv/.test(l.name));
    expect(moduleConvs).toHaveLength(16);
    expect(moduleConvs.map((l) => (l.getWeights()[0].shape as number[]).join('x'))).toEqual(Array(8).fill(['50x32x64', '50x64x32']).flat());
    const [out, attention] = tf.tidy(() => model.predict(randomInput(1, 5000)) as tf.Tensor[]).map((t) => t);
    expect(out.shape).toEqual([1, 1]);
    expect(attention.shape).toEqual([1, 2495, 16]);
    // sigmoid(relu(.)) lies in [0.5, 1).
    expect(attention.min().dataSync()[0]).toBeGreaterThanOrEqual(0.5);
    expect(attention.max().dataSync()[0]).toBeLessThanOrEqual(1);
    tf.dispose([out, attention]);
    model.dispose();
  });

  it('serving preset: six outputs and no more parameters than one paper model', () => {
    const serving = buildAicrnModel(SERVING_PRESET, { seed: 1 });
    const paper = buildAicrnModel(PAPER_PRESET, { seed: 1 });
    expect(serving.outputs[0].shape).toEqual([null, 6]);
    expect(serving.inputs[0].shape).toEqual([null, inputSamples(SERVING_PRESET), 8]);
    expect(parameterCounts(serving).trainable).toBeLessThanOrEqual(parameterCounts(paper).trainable);
    serving.dispose();
    paper.dispose();
  });

  it('the same seed gives the same weights', () => {
    const a = buildAicrnModel(TINY_CONFIG, { seed: 5 });
    const b = buildAicrnModel(TINY_CONFIG, { seed: 5 });
    const c = buildAicrnModel(TINY_CONFIG, { seed: 6 });
    const flat = (m: tf.LayersModel) => Array.from(tf.tidy(() => tf.concat(m.getWeights().map((w) => w.flatten()))).dataSync());
    expect(flat(a)).toEqual(flat(b));
    expect(flat(a)).not.toEqual(flat(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('custom CBAM layers save and load with model.json + weights.bin and give identical outputs', async () => {
    const model = buildAicrnModel(TINY_CONFIG, { seed: 3 });
    model.setUserDefinedMetadata({ aicrn: { model_version: 'tiny/test' } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aicrn-model-'));
    try {
      await model.save(fileSystemIO(dir));
      expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const classNames = JSON.stringify(json.modelTopology);
      expect(classNames).toContain(ChannelAttention.className);
      expect(classNames).toContain(SpatialAttention.className);
      const loaded = await tf.loadLayersModel(fileSystemIO(dir));
      expect(loaded.getUserDefinedMetadata()).toEqual({ aicrn: { model_version: 'tiny/test' } });
      const x = randomInput(3, inputSamples(TINY_CONFIG));
      const before = model.predict(x) as tf.Tensor[];
      const after = loaded.predict(x) as tf.Tensor[];
      expect(after.map((t) => t.shape)).toEqual(before.map((t) => t.shape));
      for (let i = 0; i < before.length; i++) expect(Array.from(after[i].dataSync())).toEqual(Array.from(before[i].dataSync()));
      tf.dispose([x, ...before, ...after]);
      loaded.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  it('with delineation: per step and lead a softmax over the four wave classes beside unchanged targets and attention; saves and loads', async () => {
    const config = { ...TINY_CONFIG, delineation: true };
    const plain = buildAicrnModel(TINY_CONFIG, { seed: 3 });
    const model = buildAicrnModel(config, { seed: 3 });
    expect(model.outputNames).toEqual(['targets', 'attention', 'delineation']);
    expect(model.outputs[2].shape).toEqual([null, backboneSamples(config), 12, 4]);
    // The head adds only its two convolutions: 4 -> 4 channels over 9 steps, then 4 -> 12 leads x 4 classes.
    expect(parameterCounts(model).trainable - parameterCounts(plain).trainable).toBe(4 * 9 * 4 + 4 + 4 * 48 + 48);
    const x = randomInput(2, inputSamples(config));
    const [, , waves] = model.predict(x) as tf.Tensor[];
    const sums = tf.sum(waves, -1);
    expect(tf.max(tf.abs(tf.sub(sums, 1))).dataSync()[0]).toBeLessThan(1e-5);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aicrn-model-'));
    try {
      await model.save(fileSystemIO(dir));
      const loaded = await tf.loadLayersModel(fileSystemIO(dir));
      const again = (loaded.predict(x) as tf.Tensor[])[2];
      expect(Array.from(again.dataSync())).toEqual(Array.from(waves.dataSync()));
      tf.dispose(again);
      loaded.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      tf.dispose([x, waves, sums]);
      model.dispose();
      plain.dispose();
    }
  });

  it('loads from in-memory artifacts (what worker threads receive)', async () => {
    const model = buildAicrnModel(TINY_CONFIG, { seed: 4 });
    const artifacts = await modelArtifactsOf(model);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = randomInput(2, inputSamples(TINY_CONFIG), 2);
    const a = (model.predict(x) as tf.Tensor[])[0].dataSync();
    const b = (loaded.predict(x) as tf.Tensor[])[0].dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
  });

  it('trains on wasm: one fit step changes weights and the spatial-attention moving statistics', async () => {
    const model = buildAicrnModel(TINY_CONFIG, { seed: 8 });
    const trainer = tf.model({ inputs: model.inputs, outputs: model.outputs[0] });
    trainer.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const sam = model.getLayer('module1_a_sam');
    const movingMeanBefore = sam.getWeights()[3].dataSync()[0];
    const convBefore = model.getLayer('module1_conv1').getWeights()[0].dataSync().slice();
    const x = randomInput(4, inputSamples(TINY_CONFIG));
    const y = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const history = await trainer.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(Number.isFinite(history.history.loss[0] as number)).toBe(true);
    expect(sam.getWeights()[3].dataSync()[0]).not.toBe(movingMeanBefore);
    expect(Array.from(model.getLayer('module1_conv1').getWeights()[0].dataSync())).not.toEqual(Array.from(convBefore));
    tf.dispose([x, y]);
    model.dispose();
  });
});
