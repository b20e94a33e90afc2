import { ValidatedWindow } from '@aicrn/contracts';
import { DSP_VERSION, measureDsp } from '@aicrn/signal';
import { MethodResult, WindowMeasurementMethod } from './measurement-method';
import { toEcgRecord } from './window-record';

/** The classical delineator as a measurement method: takes any lead set, never declines a window. */
export class DspMethod implements WindowMeasurementMethod {
  readonly method = 'dsp' as const;
  readonly version = DSP_VERSION;

  async measure(windows: ValidatedWindow[]): Promise<MethodResult[]> {
    return windows.map((w) => ({ ok: true as const, measurement: measureDsp(toEcgRecord(w.window)), attention: [] }));
  }
}
