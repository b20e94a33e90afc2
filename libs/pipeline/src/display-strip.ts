import { DisplayStrip, leadToMillivolts, STANDARD_LEADS, ValidatedWindow } from '@aicrn/contracts';

/** About 4 screen pixels per mm of ECG paper at 25 mm/s need no more than 100 samples per second. */
export const DISPLAY_RATE_HZ = 250;

/**
 * Box-filter decimation to about DISPLAY_RATE_HZ, leads in standard order, values rounded to µV.
 * The box filter keeps QRS peaks visible while halving the payload.
 */
export function toDisplayStrip(validated: ValidatedWindow, targetRateHz = DISPLAY_RATE_HZ): DisplayStrip {
  const { window } = validated;
  const factor = Math.max(1, Math.floor(window.sample_rate_hz / targetRateHz));
  const order = (name: string) => STANDARD_LEADS.indexOf(name as (typeof STANDARD_LEADS)[number]);
  const leads = [...window.leads]
    .sort((a, b) => order(a.name) - order(b.name))
    .map((lead) => {
      const mv = leadToMillivolts(lead);
      const out: number[] = new Array(Math.floor(mv.length / factor));
      for (let i = 0; i < out.length; i++) {
        let sum = 0;
        for (let k = 0; k < factor; k++) sum += mv[i * factor + k];
        out[i] = Math.round((sum / factor) * 1000) / 1000;
      }
      return { name: lead.name, mv: out };
    });
  return { window_id: validated.window_id, bed_id: window.bed_id, start_ms: window.start_ms, sample_rate_hz: window.sample_rate_hz / factor, leads };
}
