import { EcgWindow, leadToMillivolts } from '@aicrn/contracts';
import type { EcgRecord } from '@aicrn/signal';

/** A device window as a signal in millivolts (the input of every signal function). */
export function toEcgRecord(window: Pick<EcgWindow, 'sample_rate_hz' | 'leads'>): EcgRecord {
  return { sampleRateHz: window.sample_rate_hz, leads: window.leads.map((lead) => ({ name: lead.name, mv: leadToMillivolts(lead) })) };
}
