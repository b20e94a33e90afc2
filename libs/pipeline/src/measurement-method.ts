import { AttentionSpan, MeasurementMethod, ValidatedWindow } from '@aicrn/contracts';
import type { WindowMeasurement } from '@aicrn/signal';

/** What a method made of one window, or why it could not take it (the caller then falls back). */
export type MethodResult =
  | { ok: true; measurement: WindowMeasurement; attention: AttentionSpan[] }
  | { ok: false; reason: string };

/** A way to measure windows (AICRN network, classical DSP), batch in, one result per window out. */
export interface WindowMeasurementMethod {
  readonly method: MeasurementMethod;
  readonly version: string;
  measure(windows: ValidatedWindow[]): Promise<MethodResult[]>;
  close?(): Promise<void>;
}
