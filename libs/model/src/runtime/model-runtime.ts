import type * as tf from '@tensorflow/tfjs';
import { AicrnConfig } from '../config';
import { AicrnModelMetadata } from '../model-metadata';

/** Raw network output for a batch, in plain arrays (nothing of TensorFlow.js leaks out). */
export interface BatchOutput {
  batchSize: number;
  /** [batch, targets] row-major, standardised units (see metadata.standardisation). */
  targets: Float32Array;
  /** [batch, attentionLength] row-major: spatial attention averaged over every SAM map of the network. */
  attention: Float32Array;
  attentionLength: number;
  /** [batch, delineationSteps, 12 leads, 4] row-major: the delineation output's class probabilities, for a model that has one. */
  delineation?: Float32Array;
  delineationSteps?: number;
}

/**
 * The model as the rest of the system sees it: a backend name, its metadata, and batch prediction on
 * channels-last input [batch, time, 8] flattened. TensorFlow.js stays behind this interface.
 */
export interface ModelRuntime {
  readonly backend: string;
  readonly metadata: AicrnModelMetadata;
  predict(input: Float32Array, batchSize: number): Promise<BatchOutput>;
  dispose(): Promise<void> | void;
}

/** Where a model comes from: a saved directory, in-memory artifacts (sent to workers), or random weights. */
export type ModelSource =
  | { kind: 'directory'; path: string }
  | { kind: 'artifacts'; artifacts: tf.io.ModelArtifacts }
  | { kind: 'random'; config: AicrnConfig; seed: number };

export function describeModelSource(source: ModelSource): string {
  switch (source.kind) {
    case 'directory':
      return `directory ${source.path}`;
    case 'artifacts':
      return 'in-memory artifacts';
    case 'random':
      return `random ${source.config.name} (seed ${source.seed})`;
  }
}
