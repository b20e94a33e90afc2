import { EcgMeasurement, ValidatedWindow } from '@aicrn/contracts';
import type { QtcFormula } from '@aicrn/signal';
import { buildMeasurement } from './build-measurement';
import { MethodResult, WindowMeasurementMethod } from './measurement-method';

export interface MeasureOptions {
  /** The network when a model is loaded; windows it declines (e.g. no chest leads) go to the fallback. */
  primary: WindowMeasurementMethod | null;
  fallback: WindowMeasurementMethod;
  qtcFormula: QtcFormula;
  now?: () => number;
}

/** Why the primary method declined a window, kept on the measurement so users see it. */
const FALLBACK_REASON_PREFIX = 'measured by dsp: ';

/** Step 2 of the pipeline for a micro-batch: validated windows -> measurements, in input order. */
export async function measureWindows(windows: ValidatedWindow[], options: MeasureOptions): Promise<EcgMeasurement[]> {
  const now = options.now ?? Date.now;
  const started = now();
  const results: Array<{ result: MethodResult; method: WindowMeasurementMethod; note?: string }> = new Array(windows.length);
  let pending = windows.map((_, i) => i);
  if (options.primary) {
    const primaryResults = await options.primary.measure(windows);
    const declined: number[] = [];
    primaryResults.forEach((result, i) => {
      if (result.ok) results[i] = { result, method: options.primary! };
      else {
        declined.push(i);
        results[i] = { result, method: options.fallback, note: result.reason };
      }
    });
    pending = declined;
  }
  if (pending.length) {
    const fallbackResults = await options.fallback.measure(pending.map((i) => windows[i]));
    pending.forEach((windowIndex, k) => (results[windowIndex] = { ...results[windowIndex], result: fallbackResults[k], method: options.fallback }));
  }
  const finished = now();
  const perWindowMs = (finished - started) / Math.max(1, windows.length);
  return windows.map((window, i) => {
    const { result, method, note } = results[i];
    if (!result.ok) throw new Error(`${method.method} could not measure window ${window.window_id}: ${result.reason}`);
    const measurement = buildMeasurement(window, result.measurement, {
      method: method.method,
      version: method.version,
      qtcFormula: options.qtcFormula,
      latencyMs: perWindowMs,
      measuredAtMs: finished,
      attention: result.attention,
    });
    if (note) measurement.quality_reasons = [...measurement.quality_reasons, `${FALLBACK_REASON_PREFIX}${note}`];
    return measurement;
  });
}
