import { LeadName } from './leads';

/** One lead of a device window: int16 ADU samples like a WFDB signal (mV = (adu - baseline) / gain). */
export interface EcgLead {
  name: string;
  gain_adu_per_mv: number;
  baseline_adu: number;
  /** Little-endian int16 samples, 2 bytes each. */
  samples: Buffer;
}

/** A device's 10-second window as published on `ecg.raw.v1` (key = bed id). */
export interface EcgWindow {
  bed_id: string;
  device_id: string;
  /** Per-device sequence number, increasing by one per window. */
  seq: number;
  /** Epoch milliseconds of the first sample. */
  start_ms: number;
  sample_rate_hz: number;
  leads: EcgLead[];
}

export interface LeadQuality {
  lead: string;
  /** 0 (unusable) .. 1 (clean). */
  score: number;
  reasons: string[];
}

/** Signal quality of a window: the overall score and the evidence behind it. */
export interface SignalQuality {
  score: number;
  reasons: string[];
  leads: LeadQuality[];
}

/** A window that passed ingestion (`ecg.windows.v1`): canonical lead names, an id and its quality. */
export interface ValidatedWindow {
  window_id: string;
  received_ms: number;
  quality: SignalQuality;
  window: EcgWindow & { leads: Array<EcgLead & { name: LeadName }> };
}

/** Deterministic window id: the same device window always gets the same id, so replays deduplicate. */
export function windowIdOf(window: Pick<EcgWindow, 'bed_id' | 'device_id' | 'seq'>): string {
  return `${window.bed_id}:${window.device_id}:${window.seq}`;
}

export function windowDurationMs(window: Pick<EcgWindow, 'sample_rate_hz' | 'leads'>): number {
  const samples = window.leads.length ? window.leads[0].samples.length / 2 : 0;
  return (samples / window.sample_rate_hz) * 1000;
}
