import { EcgRecord } from '../types';

/** A window cut from a longer record. */
export interface RecordWindow {
  startS: number;
  record: EcgRecord;
}

/**
 * Consecutive non-overlapping windows of `seconds`; a trailing remainder shorter than a window is
 * dropped (a record shorter than one window yields nothing).
 */
export function* recordWindows(record: EcgRecord, seconds = 10): Generator<RecordWindow> {
  if (!(seconds > 0)) throw new RangeError(`window length must be positive, got ${seconds} s`);
  const length = Math.round(seconds * record.sampleRateHz);
  const total = record.leads[0]?.mv.length ?? 0;
  for (let start = 0; start + length <= total; start += length) {
    yield {
      startS: start / record.sampleRateHz,
      record: { sampleRateHz: record.sampleRateHz, leads: record.leads.map((lead) => ({ name: lead.name, mv: lead.mv.subarray(start, start + length) })) },
    };
  }
}
