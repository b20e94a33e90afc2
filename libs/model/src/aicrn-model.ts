import * as tf from '@tensorflow/tfjs';
import { AICRN_INPUT_LEADS, AicrnConfig, assertValidConfig, backboneSamples, DELINEATION_CLASSES, DELINEATION_LEADS, inputSamples } from './config';
import { ChannelAttention } from './layers/channel-attention';
import { SpatialAttention } from './layers/spatial-attention';

/** Output names of a built model, in output order. */
export const TARGETS_OUTPUT = 'targets';
export const ATTENTION_OUTPUT = 'attention';
export const DELINEATION_OUTPUT = 'delineation';
/** Kernel of the delineation head's first convolution: 9 backbone steps (72 ms at 250 Hz with pooling 2). */
const DELINEATION_KERNEL = 9;

export interface BuildOptions {
  /** Seeds every initializer, so two builds with the same seed have the same weights. */
  seed?: number;
}

/**
 * Builds AICRN as a tfjs functional model. Input [batch, time, 8] (channels-last);
 * outputs: `targets` [batch, targets.length] (standardised regressions), `attention`
 * [batch, backboneSamples, 2 * modules] (every spatial-attention map, module order, 2 per module) and, with
 * `config.delineation`, `delineation` [batch, backboneSamples, 12, 4] (per DELINEATION_LEADS lead, a softmax over
 * DELINEATION_CLASSES).
 */
export function buildAicrnModel(config: AicrnConfig, options: BuildOptions = {}): tf.LayersModel {
  assertValidConfig(config);
  let seedCounter = options.seed;
  const seed = () => (seedCounter === undefined ? undefined : seedCounter++);
  const kernelInit = () => tf.initializers.heUniform({ seed: seed() });
  const bn = (name: string) => tf.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5 });
  const act = (name: string) => tf.layers.leakyReLU({ name, alpha: config.leakyAlpha });
  const conv = (name: string, filters: number, kernelSize: number, padding: 'valid' | 'same') =>
    tf.layers.conv1d({ name, filters, kernelSize, padding, kernelInitializer: kernelInit() });

  const input = tf.input({ shape: [inputSamples(config), AICRN_INPUT_LEADS.length], name: 'ecg' });
  const { stem } = config;
  let x = conv('stem_conv1', stem.filters, stem.kernel, 'valid').apply(input) as tf.SymbolicTensor;
  x = act('stem_act1').apply(bn('stem_bn1').apply(x)) as tf.SymbolicTensor;
  x = conv('stem_conv2', stem.outFilters, stem.outKernel, 'valid').apply(x) as tf.SymbolicTensor;
  x = act('stem_act2').apply(bn('stem_bn2').apply(x)) as tf.SymbolicTensor;
  x = tf.layers.averagePooling1d({ name: 'stem_pool', poolSize: stem.poolSize, strides: stem.poolSize }).apply(x) as tf.SymbolicTensor;

  const maps: tf.SymbolicTensor[] = [];
  const cbam = (prefix: string, h: tf.SymbolicTensor) => {
    h = new ChannelAttention({ name: `${prefix}_cam`, reduction: config.camReduction, seed: seed() }).apply(h) as tf.SymbolicTensor;
    const [attended, map] = new SpatialAttention({ name: `${prefix}_sam`, kernelSize: config.samKernel, seed: seed() }).apply(h) as tf.SymbolicTensor[];
    maps.push(map);
    return attended;
  };
  for (let m = 1; m <= config.modules; m++) {
    const p = `module${m}`;
    let h = conv(`${p}_conv1`, config.moduleWidth, config.moduleKernel, 'same').apply(x) as tf.SymbolicTensor;
    h = cbam(`${p}_a`, act(`${p}_act1`).apply(bn(`${p}_bn1`).apply(h)) as tf.SymbolicTensor);
    h = conv(`${p}_conv2`, stem.outFilters, config.moduleKernel, 'same').apply(h) as tf.SymbolicTensor;
    h = cbam(`${p}_b`, act(`${p}_act2`).apply(bn(`${p}_bn2`).apply(h)) as tf.SymbolicTensor);
    h = tf.layers.dropout({ name: `${p}_dropout`, rate: config.dropout, seed: seed() }).apply(h) as tf.SymbolicTensor;
    x = tf.layers.add({ name: `${p}_residual` }).apply([x, h]) as tf.SymbolicTensor;
  }

  let head = tf.layers.globalAveragePooling1d({ name: 'head_pool' }).apply(x) as tf.SymbolicTensor;
  head = tf.layers.dropout({ name: 'head_dropout', rate: config.dropout, seed: seed() }).apply(head) as tf.SymbolicTensor;
  const targets = tf.layers.dense({ name: TARGETS_OUTPUT, units: config.targets.length, kernelInitializer: tf.initializers.glorotUniform({ seed: seed() }) }).apply(head) as tf.SymbolicTensor;
  const attention =
    maps.length === 0
      ? null
      : maps.length === 1
        ? (tf.layers.activation({ name: ATTENTION_OUTPUT, activation: 'linear' }).apply(maps[0]) as tf.SymbolicTensor)
        : (tf.layers.concatenate({ name: ATTENTION_OUTPUT, axis: -1 }).apply(maps) as tf.SymbolicTensor);
  const outputs = attention ? [targets, attention] : [targets];
  if (config.delineation) {
    // Two convolutions on the backbone's last feature map; the regression head above never reads them.
    let d = conv('delineation_conv1', stem.outFilters, DELINEATION_KERNEL, 'same').apply(x) as tf.SymbolicTensor;
    d = act('delineation_act1').apply(d) as tf.SymbolicTensor;
    const perLead = DELINEATION_LEADS.length * DELINEATION_CLASSES.length;
    d = tf.layers.conv1d({ name: 'delineation_conv2', filters: perLead, kernelSize: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed() }) }).apply(d) as tf.SymbolicTensor;
    d = tf.layers.reshape({ name: 'delineation_leads', targetShape: [backboneSamples(config), DELINEATION_LEADS.length, DELINEATION_CLASSES.length] }).apply(d) as tf.SymbolicTensor;
    outputs.push(tf.layers.softmax({ name: DELINEATION_OUTPUT, axis: -1 }).apply(d) as tf.SymbolicTensor);
  }
  return tf.model({ name: config.name, inputs: input, outputs });
}

/** Trainable parameters only (PyTorch's count), and all weights including BN moving statistics. */
export function parameterCounts(model: tf.LayersModel): { trainable: number; total: number } {
  const size = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  return { trainable: size(model.trainableWeights), total: size(model.weights) };
}
