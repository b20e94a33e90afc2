/**
 * Weight averaging over saved models of one run (stochastic weight averaging, Izmailov et al., UAI 2018): the mean
 * of the weights of several late checkpoints often generalises better than any one of them, because the run's last
 * epochs wander around a wide basin and the mean sits nearer its centre. Batch-norm moving statistics are averaged
 * like every other weight; that is an approximation (SWA recomputes them), which evaluation has to judge.
 *
 * Works on the saved files, not on a built network: checkpoints of one run share the topology and the weights
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
}

/**
 * Writes to `outDir` the element-wise mean of the weights of the models in `dirs` (model.json + weights.bin each),
 * with the last model's topology and metadata under `version` (default: averagedVersion). Refuses models whose topology or weights differ in
 * layout, names or dtype (not one run), and fewer than two models.
 */
export async function averageSavedModels(dirs: readonly string[], outDir: string, version?: string): Promise<AveragedModel> {
  if (dirs.length < 2) throw new Error(`averaging needs at least 2 models, got ${dirs.length}`);
  const models = await Promise.all(dirs.map(readModelJson));
  const [first] = models;
  const entries = weightEntries(first.json);
  const layout = JSON.stringify(entries);
  for (const m of models) {
    if (structure(m.json.modelTopology) !== structure(first.json.modelTopology)) {
      throw new Error(`${m.dir} has another network than ${first.dir}: only checkpoints of one run can be averaged`);
    }
    if (JSON.stringify(weightEntries(m.json)) !== layout) {
      throw new Error(`${m.dir} stores its weights in another layout than ${first.dir}: only checkpoints of one run can be averaged`);
    }
  }
  const dtypes = new Set(entries.map((w) => w.dtype));
  if ([...dtypes].some((d) => d !== 'float32')) throw new Error(`only float32 weights can be averaged, found ${[...dtypes].join(', ')}`);

  const values = await Promise.all(models.map(readWeights));
  const length = values[0].length;
  if (values.some((v) => v.length !== length)) throw new Error('weight files differ in length although their manifests agree');
  const sum = new Float64Array(length);
  for (const v of values) for (let i = 0; i < length; i++) sum[i] += v[i];
  const mean = new Float32Array(length);
  for (let i = 0; i < length; i++) mean[i] = sum[i] / values.length;

  const last = models[models.length - 1];
  const sources = models.map((m) => m.metadata.model_version);
  const metadata: AicrnModelMetadata = {
    ...last.metadata,
    model_version: version ?? averagedVersion(sources),
    training: {
      ...(last.metadata.training ?? { dataset: '', finished_at: '' }),
      finished_at: new Date().toISOString(),
      notes: `weight average of ${sources.join(', ')}`,
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
  return { metadata, sources };
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
