import * as tf from '@tensorflow/tfjs';
import { ATTENTION_OUTPUT, buildAicrnModel, DELINEATION_OUTPUT } from '../aicrn-model';
import { AICRN_INPUT_LEADS, backboneSamples, DELINEATION_CLASSES, DELINEATION_LEADS, inputSamples } from '../config';
import { fileSystemIO } from '../io/fs-io-handler';
// Registers the custom layers before any model.json is deserialised.
import '../layers/channel-attention';
import '../layers/spatial-attention';
import { AicrnModelMetadata, METADATA_KEY, parseModelMetadata, untrainedMetadata } from '../model-metadata';
import { BackendName, BackendSelection, selectBackend } from './backend';
import { FusedInferenceGraph } from './fused-inference-graph';
import { BatchOutput, ModelRuntime, ModelSource } from './model-runtime';

export interface TfjsRuntimeOptions {
  /** Force one backend (tests, benchmarks); default: the fastest available. */
  backend?: BackendName;
  /**
   * 'fused' (default): batch norm folded into the convolutions, activations fused (about 10 % faster on
   * wasm for the paper model); 'layers': the tfjs-layers graph as saved.
   */
  graph?: 'fused' | 'layers';
}

/** Loads a model into this thread's TensorFlow.js engine. */
export async function loadAicrnModel(source: ModelSource): Promise<{ model: tf.LayersModel; metadata: AicrnModelMetadata }> {
  if (source.kind === 'random') {
    const model = buildAicrnModel(source.config, { seed: source.seed });
    const metadata = untrainedMetadata(source.config, source.seed);
    model.setUserDefinedMetadata({ [METADATA_KEY]: metadata });
    return { model, metadata };
  }
  const model = await tf.loadLayersModel(source.kind === 'directory' ? fileSystemIO(source.path) : tf.io.fromMemory(source.artifacts));
  return { model, metadata: parseModelMetadata(model.getUserDefinedMetadata()) };
}

/** A model running in this thread on a TensorFlow.js backend. */
export class TfjsModelRuntime implements ModelRuntime {
  private constructor(
    readonly backend: string,
    readonly backendSelection: BackendSelection,
    readonly metadata: AicrnModelMetadata,
    private readonly model: tf.LayersModel,
    private readonly fused: FusedInferenceGraph | null,
  ) {}

  /** Which forward pass runs: the fused graph or the layers model. */
  get graph(): 'fused' | 'layers' {
    return this.fused ? 'fused' : 'layers';
  }

  static async create(source: ModelSource, options: TfjsRuntimeOptions = {}): Promise<TfjsModelRuntime> {
    const selection = await selectBackend(options.backend);
    const { model, metadata } = await loadAicrnModel(source);
    const expected = [null, inputSamples(metadata.config), AICRN_INPUT_LEADS.length];
    if (JSON.stringify(model.inputs[0].shape) !== JSON.stringify(expected)) {
      model.dispose();
      throw new Error(`model input shape ${JSON.stringify(model.inputs[0].shape)} does not match its metadata config (${JSON.stringify(expected)})`);
    }
    const waves = model.outputNames.includes(DELINEATION_OUTPUT) ? model.outputs[model.outputNames.indexOf(DELINEATION_OUTPUT)].shape : null;
    const expectedWaves = [null, backboneSamples(metadata.config), DELINEATION_LEADS.length, DELINEATION_CLASSES.length];
    if (waves && JSON.stringify(waves) !== JSON.stringify(expectedWaves)) {
      model.dispose();
      throw new Error(`model delineation output ${JSON.stringify(waves)} is not the per-lead layout ${JSON.stringify(expectedWaves)} this version reads`);
    }
    const fused = (options.graph ?? 'fused') === 'fused' ? FusedInferenceGraph.fromModel(model, metadata.config) : null;
    return new TfjsModelRuntime(selection.backend, selection, metadata, model, fused);
  }

  get samplesPerWindow(): number {
    return inputSamples(this.metadata.config);
  }

  async predict(input: Float32Array, batchSize: number): Promise<BatchOutput> {
    const samples = this.samplesPerWindow;
    const leads = AICRN_INPUT_LEADS.length;
    if (!Number.isInteger(batchSize) || batchSize < 1 || input.length !== batchSize * samples * leads) {
      throw new Error(`predict: input has ${input.length} values; batch ${batchSize} needs ${batchSize} x ${samples} x ${leads}`);
    }
    const [targets, attention, delineation] = tf.tidy(() => {
      const x = tf.tensor3d(input, [batchSize, samples, leads]);
      if (this.fused) {
        const out = this.fused.predict(x);
        return [out.targets, out.attention, out.delineation ?? null];
      }
      const outputs = this.model.predict(x, { batchSize }) as tf.Tensor[];
      const maps = this.model.outputNames.includes(ATTENTION_OUTPUT) ? (outputs[this.model.outputNames.indexOf(ATTENTION_OUTPUT)] as tf.Tensor3D) : null;
      const waves = this.model.outputNames.includes(DELINEATION_OUTPUT) ? outputs[this.model.outputNames.indexOf(DELINEATION_OUTPUT)] : null;
      return [outputs[0], maps ? tf.mean(maps, -1) : tf.zeros([batchSize, 0]), waves];
    });
    try {
      const [t, a, d] = await Promise.all([targets.data() as Promise<Float32Array>, attention.data() as Promise<Float32Array>, delineation?.data() as Promise<Float32Array> | undefined]);
      return {
        batchSize,
        targets: Float32Array.from(t),
        attention: Float32Array.from(a),
        attentionLength: attention.shape[1] ?? 0,
        ...(delineation && d ? { delineation: Float32Array.from(d), delineationSteps: delineation.shape[1] } : {}),
      };
    } finally {
      tf.dispose([targets, attention, ...(delineation ? [delineation] : [])]);
    }
  }

  dispose(): void {
    this.fused?.dispose();
    this.model.dispose();
  }
}
