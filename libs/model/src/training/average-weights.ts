/**
 * Weight averaging over saved models of one network: late checkpoints of one run (stochastic weight averaging,
 * Izmailov et al., UAI 2018) or runs fine-tuned from one starting point with different seeds (a "model soup",
 * Wortsman et al., ICML 2022). The mean often generalises better than any one model, because the models wander
 * around one wide basin and the mean sits nearer its centre. Batch-norm moving statistics are averaged like every
 * other weight; that is an approximation (SWA recomputes them), which evaluation has to judge.
 *
 * Relative weights let an average be extended without its ingredients: the mean of A and B, given weight 2, with C
 * and D at 1 is the uniform mean of A, B, C and D.
 *
 * Works on the saved files, not on a built network: models of one network share the topology and the weights
 * manifest, so their weights.bin files are float32 arrays of one layout.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { AicrnModelMetadata, METADATA_KEY, parseModelMetadata } from '../model-metadata';
import { MODEL_JSON, WEIGHTS_BIN } from '../io/fs-io-handler';
import { MODEL_CARD_FILE } from '../io/model-store';

interface WeightsEntry {
  name: string;
  shape: number[];
  dtype: string;
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: WeightsEntry[] }>;
  userDefinedMetadata?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface AveragedModel {
  metadata: AicrnModelMetadata;
  /** The averaged models' versions, in the order given. */
  sources: string[];
  /** e.g. "weight average of a (weight 2), b (weight 1)": the sources as the average's training notes record them. */
  description: string;
}

export interface AverageOptions {
  /** Model version of the average (default: averagedVersion of the sources). */
  version?: string;
  /** One relative weight per model, each > 0 (default: all 1); they are normalised to sum to 1. */
  weights?: readonly number[];
}

/**
 * Writes to `outDir` the (weighted) element-wise mean of the weights of the models in `dirs` (model.json +
 * weights.bin each), with the last model's topology and metadata. Refuses models whose topology or weights differ in
 * layout, names or dtype (not one network), fewer than two models, and weights that are not one positive number
 * per model.
 */
export async function averageSavedModels(dirs: readonly string[], outDir: string, options: AverageOptions = {}): Promise<AveragedModel> {
  if (dirs.length < 2) throw new Error(`averaging needs at least 2 models, got ${dirs.length}`);
  const relative = options.weights ?? dirs.map(() => 1);
  if (relative.length !== dirs.length) throw new Error(`${relative.length} weights for ${dirs.length} models: give one weight per model, in the order of the models`);
  if (relative.some((w) => !Number.isFinite(w) || w <= 0)) throw new Error(`weights must be positive numbers, got ${relative.join(', ')}`);
  const models = await Promise.all(dirs.map(readModelJson));
  const [first] = models;
  const entries = weightEntries(first.json);
  const layout = JSON.stringify(entries);
  for (const m of models) {
    if (structure(m.json.modelTopology) !== structure(first.json.modelTopology)) {
      throw new Error(`${m.dir} has another network than ${first.dir}: only models of one network can be averaged`);
    }
    if (JSON.stringify(weightEntries(m.json)) !== layout) {
      throw new Error(`${m.dir} stores its weights in another layout than ${first.dir}: only models of one network can be averaged`);
    }
  }
  const dtypes = new Set(entries.map((w) => w.dtype));
  if ([...dtypes].some((d) => d !== 'float32')) throw new Error(`only float32 weights can be averaged, found ${[...dtypes].join(', ')}`);

  const values = await Promise.all(models.map(readWeights));
  const length = values[0].length;
  if (values.some((v) => v.length !== length)) throw new Error('weight files differ in length although their manifests agree');
  const total = relative.reduce((a, b) => a + b, 0);
  const sum = new Float64Array(length);
  values.forEach((v, m) => {
    const share = relative[m] / total;
    for (let i = 0; i < length; i++) sum[i] += share * v[i];
  });
  const mean = Float32Array.from(sum);

  const last = models[models.length - 1];
  const sources = models.map((m) => m.metadata.model_version);
  const description = `weight average of ${sources.map((source, m) => (options.weights ? `${source} (weight ${relative[m]})` : source)).join(', ')}`;
  const metadata: AicrnModelMetadata = {
    ...last.metadata,
    model_version: options.version ?? averagedVersion(sources),
    training: {
      ...(last.metadata.training ?? { dataset: '', finished_at: '' }),
      finished_at: new Date().toISOString(),
      notes: description,
    },
  };
  parseModelMetadata({ [METADATA_KEY]: metadata });

  await fs.promises.mkdir(outDir, { recursive: true });
  const json: ModelJson = {
    ...last.json,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: entries }],
    userDefinedMetadata: { ...last.json.userDefinedMetadata, [METADATA_KEY]: metadata },
  };
  // Weights first, as fileSystemIO saves: a model.json without its weights would load as a broken model.
  await fs.promises.writeFile(path.join(outDir, WEIGHTS_BIN), Buffer.from(mean.buffer, mean.byteOffset, mean.byteLength));
  await fs.promises.writeFile(path.join(outDir, MODEL_JSON), JSON.stringify(json));
  const card = await readCard(last.dir);
  await fs.promises.writeFile(path.join(outDir, MODEL_CARD_FILE), `${JSON.stringify({ ...card, ...metadata, saved_at: new Date().toISOString() }, null, 2)}\n`);
  return { metadata, sources, description };
}

/** "aicrn-serving/2026-12-02-seed-8-step-1200" ... "-step-1800" -> "aicrn-serving/2026-12-02-seed-8-avg-1200-1800". */
export function averagedVersion(versions: readonly string[]): string {
  const last = versions[versions.length - 1];
  const steps = versions.map((v) => /-step-(\d+)$/.exec(v)?.[1]);
  if (steps.every((s) => s !== undefined)) return `${last.replace(/-step-\d+$/, '')}-avg-${steps[0]}-${steps[steps.length - 1]}`;
  return `${last}-avg-${versions.length}`;
}

/** The topology without initialisers and seeds: they say how a network was built, not what it computes. */
function structure(topology: unknown): string {
  return JSON.stringify(topology, (key, value: unknown) => (key.endsWith('initializer') || key === 'seed' ? undefined : value));
}

/** Every weight's name, shape and dtype in storage order, however the manifest groups them into files. */
function weightEntries(json: ModelJson): WeightsEntry[] {
  return json.weightsManifest.flatMap((g) => g.weights);
}

async function readModelJson(dir: string): Promise<{ dir: string; json: ModelJson; metadata: AicrnModelMetadata }> {
  const file = path.join(dir, MODEL_JSON);
  let json: ModelJson;
  try {
    json = JSON.parse(await fs.promises.readFile(file, 'utf8')) as ModelJson;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${file} has no weightsManifest`);
  return { dir, json, metadata: parseModelMetadata(json.userDefinedMetadata) };
}

async function readWeights(model: { dir: string; json: ModelJson }): Promise<Float32Array> {
  const parts = await Promise.all(model.json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.promises.readFile(path.join(model.dir, p))));
  const bytes = Buffer.concat(parts);
  // Copied into an aligned buffer: a Buffer's offset into its pool need not be a multiple of 4.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

async function readCard(dir: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await fs.promises.readFile(path.join(dir, MODEL_CARD_FILE), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
