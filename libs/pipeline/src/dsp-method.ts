import { setImmediate } from 'node:timers/promises';
import { ValidatedWindow } from '@aicrn/contracts';
import { DSP_VERSION, EcgRecord, measureDsp, unmeasuredWindow, WindowMeasurement } from '@aicrn/signal';
import { MethodResult, WindowMeasurementMethod } from './measurement-method';
import { toEcgRecord } from './window-record';

/** The classical delineator as a measurement method: takes any lead set, never declines a window. */
export class DspMethod implements WindowMeasurementMethod {
  readonly method = 'dsp' as const;
  readonly version = DSP_VERSION;

  async measure(windows: ValidatedWindow[]): Promise<MethodResult[]> {
    const results: MethodResult[] = [];
    for (const w of windows) {
      // ~10 ms of CPU per window: a micro-batch of 64 would otherwise hold the event loop (HTTP, SSE,
      // alerting in the embedded app) for most of a second.
      if (results.length) await setImmediate();
      results.push({ ok: true as const, measurement: measureOrExplain(toEcgRecord(w.window)), attention: [] });
    }
    return results;
  }
}

/**
 * measureDsp, or all-null parameters saying why: DSP is the pipeline's last resort, so a window it
 * cannot measure (too short, too slow a sample rate, ...) must still yield a measurement, never an exception.
 */
export function measureOrExplain(record: EcgRecord): WindowMeasurement {
  try {
    return measureDsp(record);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return unmeasuredWindow(`DSP could not measure this window: ${message}`);
  }
}
