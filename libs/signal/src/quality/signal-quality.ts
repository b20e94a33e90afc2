import { LeadQuality, SignalQuality } from '@aicrn/contracts';
import { sanitizeSignal } from '../dsp/sanitize';
import { EcgRecord } from '../types';
import {
  CheckResult,
  checkBaselineWander,
  checkBeatRate,
  checkFlatLine,
  checkHighFrequency,
  checkInvalidSamples,
  checkMotion,
  checkSaturation,
  DEFAULT_QUALITY_THRESHOLDS,
  QualityThresholds,
  slowBaseline,
} from './lead-checks';

/** Below this flat fraction a lead is still worth the other checks. */
const DEAD_LEAD_FLAT_FRACTION = 0.8;

/**
 * Quality of one lead: the product of (1 - penalty) over the checks (invalid samples, lead-off,
 * saturation, baseline wander, motion, high-frequency noise or mains, implausible beat rate).
 */
export function assessLeadQuality(mv: Float32Array, sampleRateHz: number, lead: string, thresholds: Partial<QualityThresholds> = {}): LeadQuality {
  assertRate(sampleRateHz);
  const t = { ...DEFAULT_QUALITY_THRESHOLDS, ...thresholds };
  if (mv.length === 0) return { lead, score: 0, reasons: [`lead_off: ${lead} has no samples`] };
  const results: CheckResult[] = [checkInvalidSamples(mv, lead)];
  const x = sanitizeSignal(mv);
  const flat = checkFlatLine(x, sampleRateHz, lead, t);
  results.push(flat);
  if (flat.flatFraction < DEAD_LEAD_FLAT_FRACTION) {
    results.push(checkSaturation(x, sampleRateHz, lead, t, medianOf(x)));
    const baseline = slowBaseline(x, sampleRateHz);
    results.push(checkBaselineWander(baseline, lead, t));
    const detrended = Float32Array.from(x, (v, i) => v - baseline[i]);
    results.push(checkMotion(detrended, sampleRateHz, lead, t));
    results.push(checkHighFrequency(x, sampleRateHz, lead, t));
    if (flat.flatFraction < 0.3) results.push(checkBeatRate(x, sampleRateHz, lead, t));
  }
  const score = results.reduce((s, r) => s * (1 - r.penalty), 1);
  return { lead, score: round3(score), reasons: results.flatMap((r) => (r.reason ? [r.reason] : [])) };
}

/**
 * Window quality: every lead assessed on its own; the window score is the mean lead score (one dead
 * lead of twelve costs 1/12), and the window reasons are all lead reasons, worst lead first.
 */
export function assessSignalQuality(record: EcgRecord, thresholds: Partial<QualityThresholds> = {}): SignalQuality {
  assertRate(record.sampleRateHz);
  if (!Array.isArray(record.leads) || record.leads.length === 0) return { score: 0, reasons: ['no_leads: the record has no leads'], leads: [] };
  const n = record.leads[0].mv.length;
  const mismatched = record.leads.find((l) => l.mv.length !== n);
  if (mismatched) throw new Error(`assessSignalQuality: lead ${mismatched.name} has ${mismatched.mv.length} samples, lead ${record.leads[0].name} has ${n}`);
  const leads = record.leads.map((l) => assessLeadQuality(l.mv, record.sampleRateHz, l.name, thresholds));
  const score = leads.reduce((s, l) => s + l.score, 0) / leads.length;
  const reasons = [...leads].sort((a, b) => a.score - b.score).flatMap((l) => l.reasons);
  return { score: round3(score), reasons, leads };
}

function assertRate(sampleRateHz: number): void {
  if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) throw new RangeError(`signal quality needs a positive sample rate, got ${sampleRateHz}`);
}

function medianOf(x: Float32Array): number {
  const s = Float32Array.from(x).sort();
  return s.length ? s[s.length >> 1] : 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
