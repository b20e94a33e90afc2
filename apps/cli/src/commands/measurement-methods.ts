import { AicrnMeasurer, metadataOfSource, shippedModelDir, TfjsModelRuntime } from '@aicrn/model';
import { dspMeasurer, EcgRecord, WindowMeasurement, WindowMeasurer } from '@aicrn/signal';
import { BadInputError } from './bad-input';

/** A measurement that also says which method produced it: the network, or DSP when the network declined the window. */
export interface AttributedMeasurement extends WindowMeasurement {
  method: string;
  version: string;
  /** Why the network did not measure this window (then `method` is dsp). */
  fallbackReason?: string;
}

export interface MeasurerSelection {
  /** A trained model directory (--model); default MODEL_DIR, then the shipped weights. */
  modelDir?: string;
  /** Told about every window that fell back to DSP (default: one line on stderr). */
  onFallback?: (reason: string) => void;
}


/** The model `aicrn measure` and `aicrn eval` use: --model, else MODEL_DIR, else the shipped weights; null if none. */
export function resolveModelDir(selection: MeasurerSelection = {}): string | null {
  return selection.modelDir ?? process.env.MODEL_DIR ?? shippedModelDir();
}

/** The method `aicrn measure` should default to: the network when a trained model is available, else dsp. */
export function defaultMeasureMethod(selection: MeasurerSelection = {}): 'aicrn' | 'dsp' {
  const dir = resolveModelDir(selection);
  if (!dir) return 'dsp';
  try {
    return metadataOfSource({ kind: 'directory', path: dir }).standardisation === null ? 'dsp' : 'aicrn';
  } catch {
    return 'dsp';
  }
}

/** Methods offered by `aicrn measure` and `aicrn eval`: the AICRN network (with DSP fallback per window) and DSP. */
export function availableMeasurers(selection: MeasurerSelection = {}): WindowMeasurer[] {
  return [aicrnRecordMeasurer(selection), dspMeasurer];
}

/**
 * The network as a one-window-at-a-time measurer for files and datasets. The model loads on first use (a DSP
 * run never pays for TensorFlow.js). Windows the network cannot take (e.g. no chest leads) are measured with DSP
 * and carry the reason; a missing or untrained model is a bad-input error naming what to pass.
 */
export function aicrnRecordMeasurer(selection: MeasurerSelection = {}): WindowMeasurer & { close(): Promise<void> } {
  const dir = resolveModelDir(selection);
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
  const modelDir = (): string => {
    if (!dir) throw new BadInputError('no trained AICRN model: pass --model DIR, set MODEL_DIR, or ship weights in libs/model/weights/serving (or use --method dsp)');
    return dir;
  };
  const load = (): Promise<AicrnMeasurer> => {
    loading ??= (async () => {
      const path = modelDir();
      let metadata;
      try {
        metadata = metadataOfSource({ kind: 'directory', path });
      } catch (error) {
        throw new BadInputError((error as Error).message);
      }
      if (metadata.standardisation === null) throw new BadInputError(`the model in ${path} is untrained (no output standardisation); use --method dsp`);
      runtime = await TfjsModelRuntime.create({ kind: 'directory', path });
      return new AicrnMeasurer({ runtime, maxBatchSize: 1, maxQueueDelayMs: 0 });
    })();
    return loading;
  };
  return {
    method: 'aicrn',
    get version(): string {
      if (version) return version;
      if (!dir) return 'none';
      try {
        version = metadataOfSource({ kind: 'directory', path: dir }).model_version;
      } catch {
        return 'unreadable';
      }
      return version;
    },
    async measure(record: EcgRecord): Promise<AttributedMeasurement> {
      const measurer = await load();
      const [result] = await measurer.measureRecords([{ id: 'window', record }]);
      if (result.status === 'measured') return { parameters: result.parameters, unmeasured: result.unmeasured, beats: [], method: 'aicrn', version: result.model_version };
      if (result.status === 'failed') throw new Error(`AICRN inference failed: ${result.reason}`);
      const reason = `${result.status} (${result.code}): ${result.reason}`;
      onFallback(reason);
      const dsp = await dspMeasurer.measure(record);
      return { ...dsp, method: dspMeasurer.method, version: dspMeasurer.version, fallbackReason: reason };
    },
    async close(): Promise<void> {
      if (!loading) return;
      const measurer = await loading.catch(() => null);
      await measurer?.close();
      await (runtime as TfjsModelRuntime | null)?.dispose();
    },
  };
}
