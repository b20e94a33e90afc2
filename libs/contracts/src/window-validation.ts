import { RejectionCode } from './dead-letter';
import { EcgLead, EcgWindow, ValidatedWindow } from './ecg-window';
import { canonicalLeadName, LeadName } from './leads';

export const WINDOW_SECONDS = 10;
/** Device sample rates we accept; the inference step resamples to the model's own rate. */
export const MIN_SAMPLE_RATE_HZ = 100;
export const MAX_SAMPLE_RATE_HZ = 2000;
/** Bed and device ids are equipment labels; a pattern this narrow keeps names and other free text out. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);

export type WindowRejection = { ok: false; code: RejectionCode; reason: string };
export type WindowCheck = { ok: true; window: ValidatedWindow['window'] } | WindowRejection;

const reject = (code: RejectionCode, reason: string): WindowRejection => ({ ok: false, code, reason });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Structural validation of a device window: field types, ids, timestamp, sample rate, lead names and
 * sample counts. Returns the window with canonical lead names, or the first problem found.
 */
export function validateEcgWindow(input: unknown, nowMs: number): WindowCheck {
  if (!isRecord(input)) return reject('invalid_field', 'window must be an object');
  const w = input as Partial<EcgWindow>;
  for (const field of ['bed_id', 'device_id'] as const) {
    const id = w[field];
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      return reject('invalid_field', `${field} must match ${ID_PATTERN} (equipment labels only), got ${JSON.stringify(id)?.slice(0, 80)}`);
    }
  }
  if (!Number.isSafeInteger(w.seq) || (w.seq as number) < 0) return reject('invalid_field', `seq must be a non-negative integer, got ${w.seq}`);
  if (!Number.isSafeInteger(w.start_ms)) return reject('invalid_field', `start_ms must be an integer epoch in ms, got ${w.start_ms}`);
  const startMs = w.start_ms as number;
  if (startMs < EARLIEST_PLAUSIBLE_MS) return reject('timestamp_out_of_range', `start_ms ${startMs} is before 2000-01-01`);
  if (startMs > nowMs + MAX_FUTURE_SKEW_MS) {
    return reject('timestamp_out_of_range', `start_ms is ${Math.round((startMs - nowMs) / 1000)} s in the future (clock skew limit ${MAX_FUTURE_SKEW_MS / 1000} s)`);
  }
  const fs = w.sample_rate_hz;
  if (!Number.isInteger(fs) || (fs as number) < MIN_SAMPLE_RATE_HZ || (fs as number) > MAX_SAMPLE_RATE_HZ) {
    return reject('invalid_sample_rate', `sample_rate_hz must be an integer in ${MIN_SAMPLE_RATE_HZ}..${MAX_SAMPLE_RATE_HZ} Hz, got ${fs}`);
  }
  if (!Array.isArray(w.leads) || w.leads.length === 0) return reject('missing_leads', 'window has no leads');
  if (w.leads.length > 15) return reject('invalid_field', `window has ${w.leads.length} leads; at most 15 are accepted`);

  const expectedSamples = WINDOW_SECONDS * (fs as number);
  const seen = new Set<LeadName>();
  const leads: Array<EcgLead & { name: LeadName }> = [];
  for (const lead of w.leads as unknown[]) {
    if (!isRecord(lead) || typeof lead.name !== 'string') return reject('invalid_field', 'every lead needs a name');
    const name = canonicalLeadName(lead.name);
    if (!name) return reject('unknown_lead', `unknown lead "${lead.name.slice(0, 32)}"; expected one of I, II, III, aVR, aVL, aVF, V1-V6 (or MLII)`);
    if (seen.has(name)) return reject('duplicate_lead', `lead ${name} appears twice`);
    seen.add(name);
    const gain = lead.gain_adu_per_mv;
    if (typeof gain !== 'number' || !Number.isFinite(gain) || gain <= 0) {
      return reject('invalid_field', `lead ${name}: gain_adu_per_mv must be a positive finite number, got ${gain}`);
    }
    if (!Number.isInteger(lead.baseline_adu) || Math.abs(lead.baseline_adu as number) > 32768) {
      return reject('invalid_field', `lead ${name}: baseline_adu must be an int16 integer, got ${lead.baseline_adu}`);
    }
    if (!Buffer.isBuffer(lead.samples) || lead.samples.length % 2 !== 0) {
      return reject('invalid_samples', `lead ${name}: samples must be little-endian int16 bytes (an even byte count)`);
    }
    const count = lead.samples.length / 2;
    if (count !== expectedSamples) {
      return reject('wrong_sample_count', `lead ${name} has ${count} samples; a ${WINDOW_SECONDS}-s window at ${fs} Hz needs ${expectedSamples}`);
    }
    leads.push({ name, gain_adu_per_mv: gain, baseline_adu: lead.baseline_adu as number, samples: lead.samples });
  }
  return {
    ok: true,
    window: { bed_id: w.bed_id!, device_id: w.device_id!, seq: w.seq!, start_ms: startMs, sample_rate_hz: fs as number, leads },
  };
}
