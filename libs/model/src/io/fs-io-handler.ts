import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Saves and loads a tfjs model as the standard `model.json` + `weights.bin` pair in a directory, like
 * tfjs-node's `file://` handler (which plain tfjs lacks). Usable with `model.save()` and `tf.loadLayersModel()`.
 */
export function fileSystemIO(directory: string): tf.io.IOHandler {
  const dir = path.resolve(directory);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('fileSystemIO saves JSON model topologies only (not binary graphs)');
      await fs.promises.mkdir(dir, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: manifest,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      // Weights first: a model.json without its weights would load as a broken model.
      await fs.promises.writeFile(path.join(dir, WEIGHTS_BIN), Buffer.from(weights));
      await fs.promises.writeFile(path.join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, MODEL_JSON);
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await fs.promises.readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new Error(`cannot read model ${jsonPath}: ${(error as Error).message}`);
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${jsonPath} is not a tfjs model.json (modelTopology/weightsManifest missing)`);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: Buffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const file of group.paths) {
            const resolved = path.resolve(dir, file);
            if (path.dirname(resolved) !== dir) throw new Error(`${jsonPath}: weight file "${file}" is outside the model directory`);
            buffers.push(await fs.promises.readFile(resolved));
          }
        }
        const joined = Buffer.concat(buffers);
        return [specs, joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength)];
      });
    },
  };
}

/** The in-memory artifacts of a model (topology, weights, metadata): what worker threads load from. */
export async function modelArtifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!captured) throw new Error('model.save produced no artifacts');
  return { ...captured, weightData: captured.weightData === undefined ? undefined : tf.io.CompositeArrayBuffer.join(captured.weightData) };
}
