import * as tf from '@tensorflow/tfjs';
import { AicrnConfig, DELINEATION_CLASSES, DELINEATION_LEADS } from '../config';

interface FusedConv {
  /** [1, k, in, out]: the conv1d kernel as a conv2d filter, batch norm folded in. */
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}

interface Cbam {
  w1: tf.Tensor2D;
  b1: tf.Tensor1D;
  w2: tf.Tensor2D;
  b2: tf.Tensor1D;
  /** Spatial-attention conv taps for the max and mean channels, BN scale folded in: [1, k, 1, 1]. */
  samMax: tf.Tensor4D;
  samMean: tf.Tensor4D;
  samShift: tf.Scalar;
}

interface Module {
  conv1: FusedConv;
  cbam1: Cbam;
  conv2: FusedConv;
  cbam2: Cbam;
}

/**
 * AICRN's inference forward pass with batch norm folded into the convolutions and LeakyReLU fused
 * into them (one XNNPACK call per conv), instead of tfjs-layers' layer-by-layer graph: the same function
 * (outputs equal to float rounding, checked in the spec) for fewer kernel launches and memory passes.
 * Tensors are kept 4-D [batch, 1, time, channels], the conv2d layout the 1-D convolutions run in.
 */
export class FusedInferenceGraph {
  private constructor(
    private readonly config: AicrnConfig,
    private readonly stem1: FusedConv,
    private readonly stem2: FusedConv,
    private readonly modules: Module[],
    private readonly dense: { kernel: tf.Tensor2D; bias: tf.Tensor1D },
    /** The delineation head's two convolutions (no batch norm to fold), for a model that has it. */
    private readonly delineationHead: { conv1: FusedConv; conv2: FusedConv } | null,
  ) {}

  /** Reads and folds the weights of a model built by buildAicrnModel; throws naming a missing layer. */
  static fromModel(model: tf.LayersModel, config: AicrnConfig): FusedInferenceGraph {
    let graph!: FusedInferenceGraph;
    // Intermediates of the folding are freed by tidy; the folded weights are kept.
    tf.tidy(() => {
      const weights = (name: string) => {
        let layer: tf.layers.Layer;
        try {
          layer = model.getLayer(name);
        } catch {
          throw new Error(`model has no layer "${name}" (not built by buildAicrnModel with this config?)`);
        }
        return { values: layer.getWeights(), config: layer.getConfig() };
      };
      const conv = (convName: string, bnName: string): FusedConv => {
        const [kernel, bias] = weights(convName).values as [tf.Tensor3D, tf.Tensor1D];
        const bn = weights(bnName);
        const [gamma, beta, mean, variance] = bn.values as tf.Tensor1D[];
        const scale = tf.div(gamma, tf.sqrt(tf.add(variance, bn.config.epsilon as number)));
        return {
          filter: tf.keep(tf.expandDims(tf.mul(kernel, scale), 0) as tf.Tensor4D),
          bias: tf.keep(tf.add(tf.mul(tf.sub(bias ?? tf.zerosLike(mean), mean), scale), beta) as tf.Tensor1D),
        };
      };
      const cbam = (prefix: string): Cbam => {
        const [w1, b1, w2, b2] = weights(`${prefix}_cam`).values;
        const sam = weights(`${prefix}_sam`);
        const [kernel, gamma, beta, mean, variance] = sam.values;
        const scale = tf.div(gamma, tf.sqrt(tf.add(variance, sam.config.epsilon as number)));
        const k = kernel.shape[0];
        const scaled = tf.mul(kernel, scale) as tf.Tensor3D;
        const [kMax, kMean] = tf.split(scaled, 2, 1);
        return {
          w1: tf.keep(w1.clone() as tf.Tensor2D),
          b1: tf.keep(b1.clone() as tf.Tensor1D),
          w2: tf.keep(w2.clone() as tf.Tensor2D),
          b2: tf.keep(b2.clone() as tf.Tensor1D),
          samMax: tf.keep(tf.reshape(kMax, [1, k, 1, 1])),
          samMean: tf.keep(tf.reshape(kMean, [1, k, 1, 1])),
          samShift: tf.keep(tf.reshape(tf.sub(beta, tf.mul(mean, scale)), []) as tf.Scalar),
        };
      };
      const modules: Module[] = [];
      for (let m = 1; m <= config.modules; m++) {
        const p = `module${m}`;
        modules.push({ conv1: conv(`${p}_conv1`, `${p}_bn1`), cbam1: cbam(`${p}_a`), conv2: conv(`${p}_conv2`, `${p}_bn2`), cbam2: cbam(`${p}_b`) });
      }
      const [kernel, bias] = weights('targets').values as [tf.Tensor2D, tf.Tensor1D];
      const plainConv = (name: string): FusedConv => {
        const [k, b] = weights(name).values as [tf.Tensor3D, tf.Tensor1D];
        return { filter: tf.keep(tf.expandDims(k, 0) as tf.Tensor4D), bias: tf.keep(b.clone()) };
      };
      const delineationHead = config.delineation ? { conv1: plainConv('delineation_conv1'), conv2: plainConv('delineation_conv2') } : null;
      graph = new FusedInferenceGraph(
        config,
        conv('stem_conv1', 'stem_bn1'),
        conv('stem_conv2', 'stem_bn2'),
        modules,
        { kernel: tf.keep(kernel.clone()), bias: tf.keep(bias.clone()) },
        delineationHead,
      );
    });
    return graph;
  }

  /**
   * x: [batch, time, 8] -> standardised targets [batch, n], the mean attention map [batch, steps] and, for a model
   * with the output, the delineation's class probabilities [batch, steps, 12 leads, 4].
   */
  predict(x: tf.Tensor3D): { targets: tf.Tensor2D; attention: tf.Tensor2D; delineation?: tf.Tensor4D } {
    return tf.tidy(() => {
      const alpha = this.config.leakyAlpha;
      const convAct = (h: tf.Tensor4D, c: FusedConv, pad: 'valid' | 'same') =>
        tf.fused.conv2d({ x: h, filter: c.filter, strides: 1, pad, bias: c.bias, activation: 'leakyrelu', leakyreluAlpha: alpha });
      const maps: tf.Tensor4D[] = [];
      const attend = (h: tf.Tensor4D, a: Cbam): tf.Tensor4D => {
        const [b, , , channels] = h.shape;
        // Channel attention: both pooled descriptors through the shared MLP in one matMul pair.
        const pooled = tf.concat([tf.reshape(tf.mean(h, 2), [b, channels]), tf.reshape(tf.max(h, 2), [b, channels])], 0) as tf.Tensor2D;
        const hidden = tf.relu(tf.add(tf.matMul(pooled, a.w1), a.b1)) as tf.Tensor2D;
        const mlp = tf.add(tf.matMul(hidden, a.w2), a.b2);
        const [fromMean, fromMax] = tf.split(mlp, 2, 0);
        const channelWeights = tf.reshape(tf.sigmoid(tf.add(fromMean, fromMax)), [b, 1, 1, channels]);
        const hc = tf.mul(h, channelWeights) as tf.Tensor4D;
        // Spatial attention: conv over [max, mean] = conv(max, taps0) + conv(mean, taps1), no concat needed.
        const onMax = tf.conv2d(tf.max(hc, 3, true) as tf.Tensor4D, a.samMax, 1, 'same');
        const onMean = tf.conv2d(tf.mean(hc, 3, true) as tf.Tensor4D, a.samMean, 1, 'same');
        const map = tf.sigmoid(tf.relu(tf.add(tf.add(onMax, onMean), a.samShift))) as tf.Tensor4D;
        maps.push(map);
        return tf.mul(hc, map) as tf.Tensor4D;
      };
      const { stem } = this.config;
      let h = tf.expandDims(x, 1) as tf.Tensor4D;
      h = convAct(h, this.stem1, 'valid');
      h = convAct(h, this.stem2, 'valid');
      h = tf.avgPool(h, [1, stem.poolSize], [1, stem.poolSize], 'valid');
      for (const m of this.modules) {
        let r = attend(convAct(h, m.conv1, 'same'), m.cbam1);
        r = attend(convAct(r, m.conv2, 'same'), m.cbam2);
        h = tf.add(h, r);
      }
      const [b, , steps] = h.shape;
      const features = tf.reshape(tf.mean(h, 2), [b, h.shape[3]]) as tf.Tensor2D;
      const targets = tf.add(tf.matMul(features, this.dense.kernel), this.dense.bias) as tf.Tensor2D;
      const attention = maps.length ? (tf.reshape(tf.div(tf.addN(maps), maps.length), [b, steps]) as tf.Tensor2D) : (tf.zeros([b, 0]) as tf.Tensor2D);
      if (!this.delineationHead) return { targets, attention };
      const { conv1, conv2 } = this.delineationHead;
      const d = tf.fused.conv2d({ x: convAct(h, conv1, 'same'), filter: conv2.filter, strides: 1, pad: 'same', bias: conv2.bias });
      return { targets, attention, delineation: tf.softmax(tf.reshape(d, [b, steps, DELINEATION_LEADS.length, DELINEATION_CLASSES.length])) as tf.Tensor4D };
    });
  }

  dispose(): void {
    const all: tf.Tensor[] = [this.stem1.filter, this.stem1.bias, this.stem2.filter, this.stem2.bias, this.dense.kernel, this.dense.bias];
    if (this.delineationHead) all.push(this.delineationHead.conv1.filter, this.delineationHead.conv1.bias, this.delineationHead.conv2.filter, this.delineationHead.conv2.bias);
    for (const m of this.modules) {
      all.push(m.conv1.filter, m.conv1.bias, m.conv2.filter, m.conv2.bias);
      for (const c of [m.cbam1, m.cbam2]) all.push(c.w1, c.b1, c.w2, c.b2, c.samMax, c.samMean, c.samShift);
    }
    tf.dispose(all);
  }
}
