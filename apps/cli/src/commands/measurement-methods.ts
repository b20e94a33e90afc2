import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AicrnMeasurer, AicrnModelMetadata, AttentionExplanation, metadataOfSource, PooledMeasurer, shippedModelDir, startPooledMeasurer, TfjsModelRuntime, untrainedReason } from '@aicrn/model';
import { AicrnMethod, ConsensusMethod, consensusMeasurement, consensusVersion, DspMethod, MeasurementSetup, measureOrExplain } from '@aicrn/pipeline';
import { dspMeasurer, EcgRecord, QtcFormula, WindowMeasurement, WindowMeasurer } from '@aicrn/signal';
import { BadInputError } from './bad-input';

/** A measurement that also says which method produced it: the network, or DSP when the network declined the window. */
export interface AttributedMeasurement extends WindowMeasurement {
  method: string;
  version: string;
  /** Why the network did not measure this window (then `method` is dsp), e.g. "AICRN not eligible (missing_chest_leads): ...". */
  fallbackReason?: string;
}

/** Which method measured one window, and why the network did not when it fell back. */
export interface WindowAttribution {
  method: string;
  version: string;
  fallbackReason: string | null;
}

/**
 * A measurer of `aicrn measure`/`aicrn eval` that may need loading first and releasing after; the network
 * can also explain a window (where it looked), and throws a bad-input error for a window it cannot take.
 */
export type CliMeasurer = WindowMeasurer & { open?(): Promise<void>; close?(): Promise<void>; explain?(record: EcgRecord): Promise<AttentionExplanation> };

export interface MeasurerSelection {
  /** A trained model directory (--model); default MODEL_DIR, then the shipped weights. */
  modelDir?: string;
  /** Told about every window that fell back to DSP (default: one line on stderr per distinct reason). */
  onFallback?: (reason: string) => void;
}

/** A model directory and where it was named, so that errors point at what to change. */
export interface ModelChoice {
  dir: string;
  from: '--model' | 'MODEL_DIR' | 'shipped weights';
}

/** The model `aicrn measure` and `aicrn eval` use: --model, else MODEL_DIR, else the shipped weights; null if none. */
export function resolveModel(selection: MeasurerSelection = {}): ModelChoice | null {
  if (selection.modelDir !== undefined) return { dir: selection.modelDir, from: '--model' };
  if (process.env.MODEL_DIR) return { dir: process.env.MODEL_DIR, from: 'MODEL_DIR' };
  const shipped = shippedModelDir();
  return shipped ? { dir: shipped, from: 'shipped weights' } : null;
}

/**
 * The metadata of a trained model directory. A missing directory or model.json, metadata that is not
 * AICRN's, or a model without training metadata (random weights: outputs that are not measurements)
 * is a bad-input error that names the directory, where it came from and what to do.
 */
export function readTrainedModel(choice: ModelChoice): AicrnModelMetadata {
  const where = describeChoice(choice);
  if (!existsSync(choice.dir) || !statSync(choice.dir).isDirectory()) throw new BadInputError(`${where}: no such directory (pass a model directory written by \`aicrn train --out DIR\`)`);
  if (!existsSync(join(choice.dir, 'model.json'))) throw new BadInputError(`${where}: no model.json in it (pass a model directory written by \`aicrn train --out DIR\`)`);
  let metadata: AicrnModelMetadata;
  try {
    metadata = metadataOfSource({ kind: 'directory', path: choice.dir });
  } catch (error) {
    throw new BadInputError(`${where}: ${(error as Error).message}`);
  }
  const untrained = untrainedReason(metadata);
  if (untrained !== null) throw new BadInputError(`${where}: ${untrained}; pass a trained model or use --method dsp`);
  return metadata;
}

/** e.g. "--model weights/x" or "MODEL_DIR /opt/model": how error messages name the model. */
function describeChoice(choice: ModelChoice): string {
  return `${choice.from === 'shipped weights' ? 'the shipped weights' : choice.from} ${choice.dir}`;
}

/**
 * Methods offered by `aicrn measure` and `aicrn eval`: the AICRN network (with DSP fallback per window), the
 * consensus of the network and DSP (the same fallback), and DSP.
 */
export function availableMeasurers(selection: MeasurerSelection = {}): CliMeasurer[] {
  return [aicrnRecordMeasurer(selection), consensusRecordMeasurer(selection), dspMeasurer];
}

/** The methods that run the network, and so take --model. */
const NETWORK_METHODS = ['aicrn', 'consensus'] as const;
export type NetworkMethod = (typeof NETWORK_METHODS)[number];

export function isNetworkMethod(method: string): method is NetworkMethod {
  return (NETWORK_METHODS as readonly string[]).includes(method);
}

/** Who measured a window: the measurement's own attribution when the measurer gives one (AICRN with fallback), else the measurer. */
export function attributionOf(measurer: WindowMeasurer, measurement: WindowMeasurement): WindowAttribution {
  const attributed = measurement as Partial<AttributedMeasurement>;
  return { method: attributed.method ?? measurer.method, version: attributed.version ?? measurer.version, fallbackReason: attributed.fallbackReason ?? null };
}

/**
 * The method a command runs: --method when given, else aicrn when --model names a model, else dsp.
 * --model with another method is a contradiction the user should resolve, not a model silently unused.
 */
export function chooseMethod(options: { method?: string; model?: string }): string {
  if (options.model !== undefined && options.method !== undefined && !isNetworkMethod(options.method)) {
    throw new BadInputError(`--model selects an AICRN model, but --method is ${options.method}; drop --model or use --method ${NETWORK_METHODS.join(' or ')}`);
  }
  return options.method ?? (options.model !== undefined ? 'aicrn' : 'dsp');
}

/**
 * The network as a one-window-at-a-time measurer for files and datasets. The model loads on open() or first
 * use (a DSP run never pays for TensorFlow.js). Windows the network cannot take (e.g. no chest leads) are
 * measured with DSP and carry the reason; a missing or untrained model is a bad-input error naming what to pass.
 */
export function aicrnRecordMeasurer(selection: MeasurerSelection = {}): Required<Omit<CliMeasurer, 'measure'>> & { measure(record: EcgRecord): Promise<AttributedMeasurement> } {
  const choice = resolveModel(selection);
  // Default: each distinct reason once on stderr (a 30-min 2-lead Holter would otherwise repeat it 180 times).
  const told = new Set<string>();
  const onFallback =
    selection.onFallback ??
    ((reason: string) => {
      if (told.has(reason)) return;
      told.add(reason);
      process.stderr.write(`aicrn: ${reason}; measured with ${dspMeasurer.method} (said once per reason)\n`);
    });
  let loading: Promise<AicrnMeasurer> | null = null;
  let runtime: TfjsModelRuntime | null = null;
  let version: string | null = null;
  const load = (): Promise<AicrnMeasurer> => {
    loading ??= (async () => {
      runtime = await loadTrainedRuntime(choice);
      return new AicrnMeasurer({ runtime, maxBatchSize: 1, maxQueueDelayMs: 0 });
    })();
    return loading;
  };
  return {
    method: 'aicrn',
    get version(): string {
      if (version) return version;
      if (!choice) return 'none';
      try {
        version = metadataOfSource({ kind: 'directory', path: choice.dir }).model_version;
      } catch {
        return 'unreadable';
      }
      return version;
    },
    async open(): Promise<void> {
      await load();
    },
    async measure(record: EcgRecord): Promise<AttributedMeasurement> {
      const measurer = await load();
      const [result] = await measurer.measureRecords([{ id: 'window', record }]);
      if (result.status === 'measured') return { parameters: result.parameters, unmeasured: result.unmeasured, beats: result.beats, method: 'aicrn', version: result.model_version };
      if (result.status === 'failed') throw new Error(`AICRN inference failed: ${result.reason}`);
      const reason = `AICRN ${result.status === 'not_eligible' ? 'not eligible' : 'rejected the window'} (${result.code}): ${result.reason}`;
      onFallback(reason);
      const dsp = await dspMeasurer.measure(record);
      return { ...dsp, method: dspMeasurer.method, version: dspMeasurer.version, fallbackReason: reason };
    },
    async explain(record: EcgRecord): Promise<AttentionExplanation> {
      const measurer = await load();
      const { result, explanation } = await measurer.explain('window', record);
      if (explanation) return explanation;
      if (result.status === 'measured') throw new Error('AICRN measured the window but kept no attention map');
      const why = result.status === 'not_eligible' ? 'not eligible' : result.status === 'rejected' ? 'rejected the window' : 'failed';
      // Only the network has an attention map; a window it does not measure has nothing to explain.
      throw new BadInputError(`AICRN ${why} (${result.code}): ${result.reason}; no attention map to draw`);
    },
    async close(): Promise<void> {
      if (!loading) return;
      const measurer = await loading.catch(() => null);
      await measurer?.close();
      await (runtime as TfjsModelRuntime | null)?.dispose();
    },
  };
}

/**
 * The network and DSP on every window, reported as their consensus (consensusMeasurement, the inference app's
 * MEASURE_METHOD=consensus). A window the network cannot take is measured by DSP alone and says why, as under
 * aicrn. QTc is Bazett's, as both methods' own.
 */
export function consensusRecordMeasurer(selection: MeasurerSelection = {}): Required<Omit<CliMeasurer, 'explain'>> {
  const network = aicrnRecordMeasurer(selection);
  return {
    method: 'consensus',
    get version(): string {
      return consensusVersion(network.version, dspMeasurer.version);
    },
    open: () => network.open(),
    async measure(record: EcgRecord): Promise<AttributedMeasurement> {
      const measured = await network.measure(record);
      if (measured.fallbackReason !== undefined) return measured;
      return { ...consensusMeasurement(measured, measureOrExplain(record), 'bazett'), method: 'consensus', version: consensusVersion(measured.version, dspMeasurer.version) };
    },
    close: () => network.close(),
  };
}

/** Beds measured at once by `aicrn eval-alerts --method aicrn`: enough windows in flight to fill the pool's batches. */
export const NETWORK_EVALUATION_BEDS = 8;

/**
 * The network as the pipeline's measurement step (primary, with DSP for the windows it declines): what
 * `aicrn eval-alerts --method aicrn` puts between ingestion and the alarms, or with `consensus` the network
 * and DSP together (ConsensusMethod). It runs on a worker pool behind
 * the inference service's micro-batcher, so beds evaluated at once share batches. Model resolution and
 * errors as `aicrn measure`; close() drains the batcher and stops the workers.
 */
export async function aicrnPipelineMeasurement(
  selection: MeasurerSelection & { workers?: number },
  qtcFormula: QtcFormula,
  method: NetworkMethod = 'aicrn',
): Promise<MeasurementSetup & { close(): Promise<void> }> {
  const choice = requireTrainedModel(resolveModel(selection));
  let pooled: PooledMeasurer;
  try {
    pooled = await startPooledMeasurer({ source: { kind: 'directory', path: choice.dir }, size: selection.workers }, { maxBatchSize: 16, maxQueueDelayMs: 20, qtcFormula });
  } catch (error) {
    throw cannotLoad(choice, error);
  }
  const fallback = new DspMethod();
  const network = new AicrnMethod(pooled.measurer, () => pooled.close());
  const primary = method === 'consensus' ? new ConsensusMethod(network, fallback, qtcFormula) : network;
  return { primary, fallback, qtcFormula, close: () => primary.close() };
}

/** The chosen model's directory, checked: no model or an untrained one is a bad-input error naming it. */
function requireTrainedModel(choice: ModelChoice | null): ModelChoice {
  if (!choice) throw new BadInputError('no trained AICRN model: pass --model DIR, set MODEL_DIR, or ship weights in libs/model/weights/serving (or use --method dsp)');
  readTrainedModel(choice);
  return choice;
}

/** The directory is the user's input: weights that do not load are theirs to fix, not a crash. */
function cannotLoad(choice: ModelChoice, error: unknown): BadInputError {
  return new BadInputError(`${describeChoice(choice)}: cannot load the model: ${(error as Error).message}`);
}

/** The chosen model in this thread; no model, an untrained one or weights that do not load are bad-input errors naming it. */
async function loadTrainedRuntime(choice: ModelChoice | null): Promise<TfjsModelRuntime> {
  const trained = requireTrainedModel(choice);
  try {
    return await TfjsModelRuntime.create({ kind: 'directory', path: trained.dir });
  } catch (error) {
    throw cannotLoad(trained, error);
  }
}
