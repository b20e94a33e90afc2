import { AICRN_INPUT_LEADS, inputSamples } from '../config';
import { ModelRuntime } from '../runtime/model-runtime';
import { MicroBatcher, MicroBatcherOptions } from './micro-batcher';

/** The network's output for one window. */
export interface WindowOutput {
  targets: Float32Array;
  attention: Float32Array;
  /** [steps, 12 leads, 4] class probabilities of the delineation output; absent for a model without one. */
  delineation?: Float32Array;
}

/**
 * A micro-batcher in front of a runtime: single windows ([time, 8] inputs) in, per-window outputs out.
 * Batches are assembled into one fresh buffer, which the worker pool then transfers without copying.
 */
export function createBatchedPredictor(runtime: ModelRuntime, options: Omit<MicroBatcherOptions, 'maxConcurrentBatches'> & { maxConcurrentBatches?: number }): MicroBatcher<Float32Array, WindowOutput> {
  const windowLength = inputSamples(runtime.metadata.config) * AICRN_INPUT_LEADS.length;
  const targetCount = runtime.metadata.config.targets.length;
  return new MicroBatcher<Float32Array, WindowOutput>(async (inputs) => {
    const batch = new Float32Array(inputs.length * windowLength);
    inputs.forEach((input, i) => {
      if (input.length !== windowLength) throw new Error(`window input has ${input.length} values, the model needs ${windowLength}`);
      batch.set(input, i * windowLength);
    });
    const out = await runtime.predict(batch, inputs.length);
    if (out.batchSize !== inputs.length || out.targets.length !== inputs.length * targetCount) {
      throw new Error(`runtime returned ${out.targets.length} target values for ${inputs.length} windows x ${targetCount} targets`);
    }
    const waveValues = out.delineation ? out.delineation.length / inputs.length : 0;
    return inputs.map((_, i) => ({
      targets: out.targets.slice(i * targetCount, (i + 1) * targetCount),
      attention: out.attention.slice(i * out.attentionLength, (i + 1) * out.attentionLength),
      ...(out.delineation && waveValues > 0 ? { delineation: out.delineation.slice(i * waveValues, (i + 1) * waveValues) } : {}),
    }));
  }, options);
}
