import { DeadLetter, SignalQuality, TOPICS, ValidatedWindow, validateEcgWindow, windowIdOf } from '@aicrn/contracts';
import type { EcgRecord } from '@aicrn/signal';
import { toEcgRecord } from './window-record';

/** Where a raw window was read from, for the dead letter. */
export interface RawWindowSource {
  partition: number | null;
  offset: string | null;
  key: string | null;
}

export type IngestOutcome = { accepted: true; window: ValidatedWindow } | { accepted: false; deadLetter: DeadLetter };

export type QualityAssessor = (record: EcgRecord) => SignalQuality;

/**
 * Step 1 of the pipeline: device window -> validated window, or a dead letter with the reason.
 * Poor signal quality is not a rejection: a lead-off window is valid data that the alerting step
 * turns into a technical alarm.
 */
export function ingestWindow(raw: unknown, source: RawWindowSource, nowMs: number, assessQuality: QualityAssessor): IngestOutcome {
  const check = validateEcgWindow(raw, nowMs);
  if (!check.ok) {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    return {
      accepted: false,
      deadLetter: {
        source_topic: TOPICS.raw,
        partition: source.partition,
        offset: source.offset,
        key: source.key,
        code: check.code,
        reason: check.reason,
        bed_id: typeof r.bed_id === 'string' ? r.bed_id.slice(0, 64) : null,
        device_id: typeof r.device_id === 'string' ? r.device_id.slice(0, 64) : null,
        seq: Number.isSafeInteger(r.seq) ? (r.seq as number) : null,
        received_ms: nowMs,
        payload: null,
      },
    };
  }
  const window = check.window;
  return {
    accepted: true,
    window: { window_id: windowIdOf(window), received_ms: nowMs, quality: assessQuality(toEcgRecord(window)), window },
  };
}
