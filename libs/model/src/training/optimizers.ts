import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './named-tensor';

export const OPTIMIZERS = ['adam', 'nadam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export function createOptimizer(name: string, learningRate: number): tf.Optimizer {
  if (name === 'adam') return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
  if (name === 'nadam') return new NadamOptimizer(learningRate);
  throw new Error(`unknown optimizer "${name}"; options: ${OPTIMIZERS.join(', ')}`);
}

/**
 * NAdam (Dozat 2016) with PyTorch's momentum-decay schedule (psi = 0.004), the optimizer the paper trained with.
 * tfjs has no NAdam. The momentum products depend only on the step, so they are recomputed from the iteration
 * count and need no state beyond the two moments.
 */
export class NadamOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'NadamOptimizer';
  }

  private firstMoments: tf.Variable[] = [];
  private secondMoments: tf.Variable[] = [];
  private momentNames: string[] = [];

  constructor(
    protected learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
    private readonly momentumDecay = 0.004,
  ) {
    super();
  }

  private mu(step: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** (step * this.momentumDecay));
  }

  applyGradients(gradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
    const t = this.iterations + 1;
    let muProduct = 1;
    for (let i = 1; i <= t; i++) muProduct *= this.mu(i);
    const muT = this.mu(t);
    const muNext = this.mu(t + 1);
    const gradCoef = (this.learningRate * (1 - muT)) / (1 - muProduct);
    const momentCoef = (this.learningRate * muNext) / (1 - muProduct * muNext);
    const secondCorrection = 1 - this.beta2 ** t;
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const gradient = Array.isArray(gradients) ? gradients[i].tensor : gradients[name];
        if (!this.firstMoments[i]) {
          this.firstMoments[i] = tf.zerosLike(value).variable(false);
          this.secondMoments[i] = tf.zerosLike(value).variable(false);
          this.momentNames[i] = name;
        }
        if (!gradient) return;
        const m = tf.add(tf.mul(this.firstMoments[i], this.beta1), tf.mul(gradient, 1 - this.beta1));
        const v = tf.add(tf.mul(this.secondMoments[i], this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        this.firstMoments[i].assign(m);
        this.secondMoments[i].assign(v);
        const denominator = tf.add(tf.sqrt(tf.div(v, secondCorrection)), this.epsilon);
        const update = tf.div(tf.add(tf.mul(gradient, gradCoef), tf.mul(m, momentCoef)), denominator);
        value.assign(tf.sub(value, update));
      });
    });
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [
      await this.saveIterations(),
      ...this.firstMoments.map((v, i) => ({ name: `${this.momentNames[i]}/m`, tensor: v })),
      ...this.secondMoments.map((v, i) => ({ name: `${this.momentNames[i]}/v`, tensor: v })),
    ];
  }

  override async setWeights(weights: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weights);
    const half = rest.length / 2;
    this.dispose();
    this.firstMoments = rest.slice(0, half).map((w) => w.tensor.variable(false));
    this.secondMoments = rest.slice(half).map((w) => w.tensor.variable(false));
    this.momentNames = rest.slice(0, half).map((w) => w.name.replace(/\/m$/, ''));
  }

  override dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments]);
    this.firstMoments = [];
    this.secondMoments = [];
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, momentumDecay: this.momentumDecay };
  }
}
