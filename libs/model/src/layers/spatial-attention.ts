import * as tf from '@tensorflow/tfjs';

export interface SpatialAttentionArgs {
  kernelSize: number;
  /** Moving-average momentum of the map's batch normalisation (0.9 = PyTorch's momentum 0.1). */
  momentum?: number;
  epsilon?: number;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * CBAM spatial attention ("where"): channel-wise max and mean stacked as two channels ->
 * Conv1D(2 -> 1, k, same) -> BatchNorm -> ReLU -> sigmoid, multiplied onto every time step.
 * Two outputs: the attended features [batch, time, C] and the attention map [batch, time, 1],
 * which is the model's interpretability output.
 */
export class SpatialAttention extends tf.layers.Layer {
  static readonly className = 'AicrnSpatialAttention';
  private readonly kernelSize: number;
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly seed: number | undefined;
  private kernel!: tf.LayerVariable;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  private movingMean!: tf.LayerVariable;
  private movingVariance!: tf.LayerVariable;

  constructor(args: SpatialAttentionArgs) {
    super({ name: args.name, trainable: args.trainable });
    if (!Number.isInteger(args.kernelSize) || args.kernelSize < 1) throw new Error(`SpatialAttention kernelSize must be a positive integer, got ${args.kernelSize}`);
    this.kernelSize = args.kernelSize;
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 1e-5;
    this.seed = args.seed;
  }

  override build(): void {
    this.kernel = this.addWeight('kernel', [this.kernelSize, 2, 1], 'float32', tf.initializers.glorotUniform({ seed: this.seed }));
    this.gamma = this.addWeight('gamma', [1], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [1], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [1], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [1], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
    const shape = inputShape as tf.Shape;
    return [shape, [...shape.slice(0, -1), 1]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor[] {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const training = kwargs?.['training'] === true;
    return tf.tidy(() => {
      const pooled = tf.concat([tf.max(x, -1, true), tf.mean(x, -1, true)], -1) as tf.Tensor3D;
      const conv = tf.conv1d(pooled, this.kernel.read() as tf.Tensor3D, 1, 'same');
      const normed = training ? this.normaliseInTraining(conv) : this.normalise(conv, this.movingMean.read(), this.movingVariance.read());
      const map = tf.sigmoid(tf.relu(normed));
      return [tf.mul(x, map), map];
    });
  }

  /**
   * Batch norm of the attention logits with the batch's statistics, updating the moving ones. Data-parallel
   * training workers replace it on their instances with one synchronised across the shards of a batch.
   */
  normaliseInTraining(conv: tf.Tensor): tf.Tensor {
    const { mean, variance } = tf.moments(conv, [0, 1]);
    this.updateMovingAverage(this.movingMean, mean);
    this.updateMovingAverage(this.movingVariance, variance);
    return this.normalise(conv, mean, variance);
  }

  private normalise(conv: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor): tf.Tensor {
    return tf.batchNorm(conv, mean as tf.Tensor1D, variance as tf.Tensor1D, this.beta.read() as tf.Tensor1D, this.gamma.read() as tf.Tensor1D, this.epsilon);
  }

  private updateMovingAverage(variable: tf.LayerVariable, value: tf.Tensor): void {
    tf.tidy(() => {
      const current = variable.read();
      variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - this.momentum)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      momentum: this.momentum,
      epsilon: this.epsilon,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}

tf.serialization.registerClass(SpatialAttention);
