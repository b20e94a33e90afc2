import { canonicalLeadName, LeadName, leadToMillivolts, MAX_SAMPLE_RATE_HZ, ValidatedWindow } from '@aicrn/contracts';
import type { EcgRecord } from '@aicrn/signal';
import { AICRN_INPUT_LEADS, AicrnConfig, inputSamples } from '../config';
import { selectModelLeads } from './lead-selection';
import { resampleSignal } from './resample';

/** Why a window does not reach the network. `not_eligible`: use the classical method; `rejected`: bad data. */
export type InputProblemCode =
  | 'missing_chest_leads'
  | 'missing_limb_leads'
  | 'unsupported_sample_rate'
  | 'wrong_length'
  | 'non_finite_samples'
  | 'flat_lead'
  | 'unknown_lead'
  | 'duplicate_lead';

export type PreparedInput =
  | {
      status: 'ready';
      /** [time, 8] channels-last, row-major: sample t of lead c at t * 8 + c. */
      input: Float32Array;
      derivedLeads: string[];
      sourceRateHz: number;
    }
  | { status: 'not_eligible'; code: 'missing_chest_leads' | 'missing_limb_leads'; reason: string }
  | { status: 'rejected'; code: Exclude<InputProblemCode, 'missing_chest_leads' | 'missing_limb_leads'>; reason: string };

export interface PrepareOptions {
  /** Physical mV are divided by this before the network (the paper's 6). */
  inputDivisor: number;
  /**
   * Lowest device rate accepted. Below it the QRS detail the network learnt at 250-500 Hz is missing, and an
   * upsampled signal would sit outside the training distribution. Default 250 Hz.
   */
  minSourceRateHz?: number;
}

export const DEFAULT_MIN_SOURCE_RATE_HZ = 250;

/** A window or record reduced to named mV leads at one rate: the common ground of both input kinds. */
interface MillivoltLeads {
  sampleRateHz: number;
  leads: Map<LeadName, Float32Array>;
}

function fromValidatedWindow(window: ValidatedWindow): MillivoltLeads | PreparedInput {
  const leads = new Map<LeadName, Float32Array>();
  for (const lead of window.window.leads) {
    if (leads.has(lead.name)) return { status: 'rejected', code: 'duplicate_lead', reason: `lead ${lead.name} appears twice` };
    leads.set(lead.name, leadToMillivolts(lead));
  }
  return { sampleRateHz: window.window.sample_rate_hz, leads };
}

function fromRecord(record: EcgRecord): MillivoltLeads | PreparedInput {
  const leads = new Map<LeadName, Float32Array>();
  for (const lead of record.leads) {
    const name = canonicalLeadName(lead.name);
    if (!name) return { status: 'rejected', code: 'unknown_lead', reason: `unknown lead "${String(lead.name).slice(0, 32)}"` };
    if (leads.has(name)) return { status: 'rejected', code: 'duplicate_lead', reason: `lead ${name} appears twice` };
    leads.set(name, lead.mv);
  }
  return { sampleRateHz: record.sampleRateHz, leads };
}

function isValidatedWindow(input: ValidatedWindow | EcgRecord): input is ValidatedWindow {
  return (input as ValidatedWindow).window !== undefined;
}

/**
 * Turns a validated window (int16 ADU) or an mV record into the network's input: leads I, II, V1-V6
 * (I/II derived exactly when missing), resampled anti-aliased to the model rate, in mV / inputDivisor.
 * Checks every lead it reads: rate, length, finite samples, not flat. Never throws on bad data.
 */
export function prepareInput(source: ValidatedWindow | EcgRecord, config: AicrnConfig, options: PrepareOptions): PreparedInput {
  const minRate = options.minSourceRateHz ?? DEFAULT_MIN_SOURCE_RATE_HZ;
  const unpacked = isValidatedWindow(source) ? fromValidatedWindow(source) : fromRecord(source);
  if ('status' in unpacked) return unpacked;
  const { sampleRateHz: fs, leads } = unpacked;
  if (!Number.isInteger(fs) || fs < minRate || fs > MAX_SAMPLE_RATE_HZ) {
    return { status: 'rejected', code: 'unsupported_sample_rate', reason: `sample rate ${fs} Hz is not supported; the network accepts integer rates ${minRate}..${MAX_SAMPLE_RATE_HZ} Hz` };
  }
  const selection = selectModelLeads(leads);
  if (!selection.ok) return { status: 'not_eligible', code: selection.code, reason: selection.reason };

  const expected = Math.round(config.windowSeconds * fs);
  for (const name of selection.used) {
    const mv = leads.get(name)!;
    if (mv.length !== expected) {
      return { status: 'rejected', code: 'wrong_length', reason: `lead ${name} has ${mv.length} samples; the network needs ${config.windowSeconds} s = ${expected} samples at ${fs} Hz` };
    }
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < mv.length; i++) {
      const v = mv[i];
      if (!Number.isFinite(v)) return { status: 'rejected', code: 'non_finite_samples', reason: `lead ${name} has a non-finite sample (${v}) at index ${i}` };
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (max === min) return { status: 'rejected', code: 'flat_lead', reason: `lead ${name} is flat (every sample ${min} mV): disconnected or all-zero` };
  }

  const samples = inputSamples(config);
  const LEADS = AICRN_INPUT_LEADS.length;
  const input = new Float32Array(samples * AICRN_INPUT_LEADS.length);
  const scale = 1 / options.inputDivisor;
  for (let c = 0; c < selection.leads.length; c++) {
    const resampled = resampleSignal(selection.leads[c], fs, config.sampleRateHz);
    // round(n * to / from) equals the model length for exact 10-s windows; guard against rounding anyway.
    const n = Math.min(samples, resampled.length);
    for (let t = 0; t < n; t++) input[t * LEADS + c] = resampled[t] * scale;
    for (let t = n; t < samples; t++) input[t * LEADS + c] = resampled[n - 1] * scale;
  }
  return { status: 'ready', input, derivedLeads: selection.derived, sourceRateHz: fs };
}
