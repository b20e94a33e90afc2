import { canonicalLeadName, EcgWindow, ID_PATTERN, LeadName, MAX_SAMPLE_RATE_HZ, MIN_SAMPLE_RATE_HZ, packInt16, WINDOW_SECONDS } from '@aicrn/contracts';
import { INVALID_SAMPLE, WfdbRecord } from '@aicrn/signal';
import { BadInputError } from './bad-input';

/** Physical units a WFDB header may declare, as millivolts per unit (the reader accepts the same set). */
const MILLIVOLTS_PER_UNIT: Readonly<Record<string, number>> = { mV: 1, uV: 1e-3, 'μV': 1e-3, 'µV': 1e-3, V: 1000, nV: 1e-6 };

export interface ReplayLead {
  /** Canonical lead name sent to ingestion ("MLII" -> "II"). */
  name: LeadName;
  /** The header's description of the signal. */
  label: string;
  signalIndex: number;
  gainAduPerMv: number;
  baselineAdu: number;
  invalidAdu: number;
}

export interface ReplayPlanOptions {
  bedId: string;
  deviceId: string;
  /** Epoch ms of the record's first sample. */
  startMs: number;
  /** Sequence number of the first window; the rest follow one by one. */
  seqStart: number;
}

/** How a WFDB record becomes a device feed: which leads, how many windows, what is left out. */
export interface ReplayPlan {
  sampleRateHz: number;
  leads: ReplayLead[];
  /** Signals not sent, with the reason (not an ECG lead, or a second copy of one). */
  skipped: Array<{ label: string; reason: string }>;
  windowCount: number;
  /** Samples per signal after the last whole window (not sent: a window is 10 s or nothing). */
  droppedSamples: number;
  droppedS: number;
  /** Window k, as a device would send it; `invalid` counts WFDB invalid samples sent as the baseline. */
  windowAt(k: number): { window: EcgWindow; invalid: number };
}

/** A device id from a record name, kept inside the equipment-label pattern ingestion enforces. */
export function deviceIdForRecord(recordName: string): string {
  const cleaned = recordName.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `wfdb-${cleaned || 'record'}`.slice(0, 64);
}

/**
 * Plans the replay of a record: its samples stay the record's own ADC units, with each signal's gain
 * converted to ADU per millivolt and its baseline, so ingestion recovers the same millivolts as the
 * WFDB reader. Input that cannot make a valid feed is a BadInputError naming the problem.
 */
export function planReplay(wfdb: WfdbRecord, options: ReplayPlanOptions): ReplayPlan {
  const { header, adu } = wfdb;
  for (const [flag, id] of [['--bed', options.bedId], ['--device', options.deviceId]] as const) {
    if (!ID_PATTERN.test(id)) throw new BadInputError(`${flag} "${id}" must match ${ID_PATTERN} (an equipment label: letters, digits, . _ -)`);
  }
  const fs = header.sampleRateHz;
  if (!Number.isInteger(fs) || fs < MIN_SAMPLE_RATE_HZ || fs > MAX_SAMPLE_RATE_HZ) {
    throw new BadInputError(`${header.recordName}: sampled at ${fs} Hz; ingestion accepts whole rates of ${MIN_SAMPLE_RATE_HZ}-${MAX_SAMPLE_RATE_HZ} Hz (resample the record first)`);
  }
  const leads: ReplayLead[] = [];
  const skipped: ReplayPlan['skipped'] = [];
  header.signals.forEach((spec, signalIndex) => {
    const label = spec.description || `signal ${signalIndex}`;
    const name = canonicalLeadName(spec.description);
    if (!name) return void skipped.push({ label, reason: 'not a lead name ingestion knows (I, II, III, aVR, aVL, aVF, V1-V6, MLII)' });
    if (leads.some((lead) => lead.name === name)) return void skipped.push({ label, reason: `a second copy of lead ${name}` });
    const perUnit = MILLIVOLTS_PER_UNIT[spec.units];
    if (perUnit === undefined) return void skipped.push({ label, reason: `units "${spec.units}" are not a voltage` });
    if (!Number.isInteger(spec.baseline) || spec.baseline < -32768 || spec.baseline > 32767) {
      throw new BadInputError(`${header.recordName}: signal ${label} has baseline ${spec.baseline}, outside the int16 range a device window can carry`);
    }
    // gain is ADU per header unit; one mV is 1/perUnit of those units.
    leads.push({ name, label, signalIndex, gainAduPerMv: spec.gain / perUnit, baselineAdu: spec.baseline, invalidAdu: INVALID_SAMPLE[spec.format] ?? NaN });
  });
  if (leads.length === 0) {
    throw new BadInputError(`${header.recordName}: no ECG lead to send (signals: ${header.signals.map((s, i) => s.description || `signal ${i}`).join(', ') || 'none'})`);
  }
  const perWindow = WINDOW_SECONDS * fs;
  const total = adu[0]?.length ?? 0;
  const windowCount = Math.floor(total / perWindow);
  if (windowCount === 0) {
    throw new BadInputError(`${header.recordName}: lasts ${(total / fs).toFixed(2)} s, shorter than one ${WINDOW_SECONDS}-s window; nothing to replay`);
  }
  const droppedSamples = total - windowCount * perWindow;

  return {
    sampleRateHz: fs,
    leads,
    skipped,
    windowCount,
    droppedSamples,
    droppedS: droppedSamples / fs,
    windowAt(k: number) {
      if (!Number.isInteger(k) || k < 0 || k >= windowCount) throw new RangeError(`window ${k} is outside 0..${windowCount - 1}`);
      let invalid = 0;
      const windowLeads = leads.map((lead) => {
        const samples = adu[lead.signalIndex].slice(k * perWindow, (k + 1) * perWindow);
        // A WFDB invalid sample (lead off, ADC saturation) has no millivolt value; it is sent as the
        // baseline, i.e. 0 mV, which signal quality sees as a flat stretch, never as a huge deflection.
        for (let i = 0; i < samples.length; i++) {
          if (samples[i] === lead.invalidAdu) {
            samples[i] = lead.baselineAdu;
            invalid++;
          }
        }
        return { name: lead.name, gain_adu_per_mv: lead.gainAduPerMv, baseline_adu: lead.baselineAdu, samples: packInt16(samples) };
      });
      const window: EcgWindow = {
        bed_id: options.bedId,
        device_id: options.deviceId,
        seq: options.seqStart + k,
        start_ms: options.startMs + k * WINDOW_SECONDS * 1000,
        sample_rate_hz: fs,
        leads: windowLeads,
      };
      return { window, invalid };
    },
  };
}
