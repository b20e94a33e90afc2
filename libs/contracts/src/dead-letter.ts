/** Machine-readable rejection reasons; `reason` carries the human-readable detail. */
export type RejectionCode =
  | 'undecodable'
  | 'unknown_schema'
  | 'invalid_field'
  | 'invalid_sample_rate'
  | 'unknown_lead'
  | 'duplicate_lead'
  | 'missing_leads'
  | 'wrong_sample_count'
  | 'invalid_samples'
  | 'timestamp_out_of_range'
  | 'duplicate_window'
  | 'out_of_order'
  | 'oversized'
  | 'unusable_signal';

/** A rejected input (`ecg.dlq.v1`), with where it came from and why. */
export interface DeadLetter {
  source_topic: string;
  partition: number | null;
  offset: string | null;
  key: string | null;
  code: RejectionCode;
  reason: string;
  bed_id: string | null;
  device_id: string | null;
  seq: number | null;
  received_ms: number;
  /** The original bytes where the input could not be decoded; null when it was a decoded object. */
  payload: Buffer | null;
}
