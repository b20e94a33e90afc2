import { Alert, EcgMeasurement, EcgWindow, ValidatedWindow, windowDurationMs } from '@aicrn/contracts';
import { BedAlarms } from '@aicrn/alarms';
import { assessSignalQuality, QtcFormula } from '@aicrn/signal';
import { ingestWindow } from '../ingest-window';
import { measureWindows } from '../measure-windows';
import { WindowMeasurementMethod } from '../measurement-method';

/** Scenario time zero of every evaluation bed: a fixed epoch, so runs (and alert ids) are reproducible. */
export const EVALUATION_EPOCH_MS = Date.UTC(2025, 0, 1, 0, 0, 0);
/** A window reaches ingestion this long after it ends (the device's send delay), in scenario time. */
export const DELIVERY_DELAY_MS = 500;
/** Windows measured together, like the inference service's micro-batches (one minute of one bed). */
export const MEASURE_BATCH = 6;

export class EvaluationAborted extends Error {
  constructor() {
    super('alert evaluation aborted');
    this.name = 'EvaluationAborted';
  }
}

/** How the windows are measured: the primary method (e.g. the AICRN network) with DSP as the fallback, as in the inference service. */
export interface MeasurementSetup {
  primary: WindowMeasurementMethod | null;
  fallback: WindowMeasurementMethod;
  qtcFormula: QtcFormula;
}

export interface BedRunStats {
  windows: number;
  /** Windows the ingestion step dead-lettered (with their reasons). */
  rejected: number;
  rejected_reasons: string[];
  /** Windows below the alarm engine's quality gate. */
  below_quality_gate: number;
  /** Per parameter: windows in which it was not measured. */
  unmeasured: Record<string, number>;
}

export interface BedRunResult {
  bed_id: string;
  start_ms: number;
  end_ms: number;
  /** Every alert event the engine emitted, in order. */
  events: Alert[];
  stats: BedRunStats;
}

export interface BedRunOptions {
  measurement: MeasurementSetup;
  engine?: BedAlarms;
  signal?: AbortSignal;
  /** Called after each window with the number of windows done so far for this bed. */
  onWindow?: (done: number) => void;
  /** Keep every measurement (for replay tests); off by default to bound memory. */
  keepMeasurements?: boolean;
}

/**
 * Runs one bed's device windows through the real pipeline steps, in scenario time: ingestWindow
 * (validation + signal quality) -> measureWindows (micro-batches) -> BedAlarms.observe. Returns the
 * alert events and what happened to the windows.
 */
export async function runBedWindows(
  bedId: string,
  windows: Iterable<EcgWindow>,
  options: BedRunOptions,
): Promise<BedRunResult & { measurements: EcgMeasurement[] }> {
  const engine = options.engine ?? new BedAlarms(bedId);
  const min = engine.resolvedSettings().quality.min_quality;
  const events: Alert[] = [];
  const measurements: EcgMeasurement[] = [];
  const stats: BedRunStats = { windows: 0, rejected: 0, rejected_reasons: [], below_quality_gate: 0, unmeasured: {} };
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  let batch: ValidatedWindow[] = [];
  let clockMs = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const measured = await measureWindows(batch, { ...options.measurement, now: () => clockMs });
    batch = [];
    for (const m of measured) {
      if (m.quality < min) stats.below_quality_gate++;
      for (const u of m.unmeasured) stats.unmeasured[u.parameter] = (stats.unmeasured[u.parameter] ?? 0) + 1;
      if (options.keepMeasurements) measurements.push(m);
      events.push(...engine.observe(m));
    }
  };

  for (const raw of windows) {
    if (options.signal?.aborted) throw new EvaluationAborted();
    stats.windows++;
    const durationMs = windowDurationMs(raw);
    startMs = Math.min(startMs, raw.start_ms);
    endMs = Math.max(endMs, raw.start_ms + durationMs);
    clockMs = raw.start_ms + durationMs + DELIVERY_DELAY_MS;
    const outcome = ingestWindow(raw, { partition: null, offset: null, key: raw.bed_id }, clockMs, assessSignalQuality);
    if (!outcome.accepted) {
      stats.rejected++;
      if (stats.rejected_reasons.length < 5) stats.rejected_reasons.push(outcome.deadLetter.reason);
    } else batch.push(outcome.window);
    if (batch.length >= MEASURE_BATCH) {
      await flush();
      // Let timers and signals (Ctrl-C, progress) run between micro-batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    options.onWindow?.(stats.windows);
  }
  await flush();
  if (stats.windows === 0) throw new Error(`bed ${bedId}: no windows to evaluate`);
  return { bed_id: bedId, start_ms: startMs, end_ms: endMs, events, stats, measurements };
}
