import * as tf from '@tensorflow/tfjs';

export interface ChannelAttentionArgs {
  /** C / reduction hidden units in the shared MLP (the paper uses r = 2). */
  reduction: number;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * CBAM channel attention ("what"): average- and max-pooled channel descriptors through one shared
 * MLP C -> C/r -> ReLU -> C, summed, sigmoid, multiplied onto the channels. Input [batch, time, C].
 */
export class ChannelAttention extends tf.layers.Layer {
  static readonly className = 'AicrnChannelAttention';
  private readonly reduction: number;
  private readonly seed: number | undefined;
  private w1!: tf.LayerVariable;
  private b1!: tf.LayerVariable;
  private w2!: tf.LayerVariable;
  private b2!: tf.LayerVariable;

  constructor(args: ChannelAttentionArgs) {
    super({ name: args.name, trainable: args.trainable });
    if (!Number.isInteger(args.reduction) || args.reduction < 1) throw new Error(`ChannelAttention reduction must be a positive integer, got ${args.reduction}`);
    this.reduction = args.reduction;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null || channels % this.reduction !== 0) {
      throw new Error(`ChannelAttention needs a known channel count divisible by ${this.reduction}, got ${channels}`);
    }
    const hidden = channels / this.reduction;
    const init = (offset: number) => tf.initializers.glorotUniform({ seed: this.seed === undefined ? undefined : this.seed + offset });
    this.w1 = this.addWeight('mlp_in_kernel', [channels, hidden], 'float32', init(0));
    this.b1 = this.addWeight('mlp_in_bias', [hidden], 'float32', tf.initializers.zeros());
    this.w2 = this.addWeight('mlp_out_kernel', [hidden, channels], 'float32', init(1));
    this.b2 = this.addWeight('mlp_out_bias', [channels], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const mlp = (v: tf.Tensor2D) =>
        tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(v, this.w1.read() as tf.Tensor2D), this.b1.read())), this.w2.read() as tf.Tensor2D), this.b2.read());
      const weights = tf.sigmoid(tf.add(mlp(tf.mean(x, 1) as tf.Tensor2D), mlp(tf.max(x, 1) as tf.Tensor2D)));
      return tf.mul(x, tf.expandDims(weights, 1));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), reduction: this.reduction, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}

tf.serialization.registerClass(ChannelAttention);
