import { Alert, DeadLetter, EcgMeasurement, EcgWindow, TopicName, TopicPayloads, ValidatedWindow } from '@aicrn/contracts';

/** Small valid values of every topic (a few samples per lead: the test brokers keep little data). */
export function sampleWindow(bedId: string, seq: number): EcgWindow {
  const samples = Buffer.alloc(8);
  samples.writeInt16LE(seq % 30000, 0);
  samples.writeInt16LE(-120, 2);
  return { bed_id: bedId, device_id: `dev-${bedId}`, seq, start_ms: 1_700_000_000_000 + seq * 10_000, sample_rate_hz: 500, leads: [{ name: 'II', gain_adu_per_mv: 200, baseline_adu: 0, samples }] };
}

export function sampleValidatedWindow(bedId: string, seq: number): ValidatedWindow {
  const window = sampleWindow(bedId, seq);
  return {
    window_id: `${bedId}:${window.device_id}:${seq}`,
    received_ms: window.start_ms + 10_050,
    quality: { score: 0.9, reasons: [], leads: [{ lead: 'II', score: 0.9, reasons: [] }] },
    window: { ...window, leads: window.leads.map((lead) => ({ ...lead, name: 'II' as const })) },
  };
}

export function sampleMeasurement(bedId: string, seq: number): EcgMeasurement {
  const start = 1_700_000_000_000 + seq * 10_000;
  return {
    window_id: `${bedId}:dev:${seq}`, bed_id: bedId, device_id: `dev-${bedId}`, window_start_ms: start, window_end_ms: start + 10_000,
    hr_bpm: 72, pr_ms: 160, qrs_ms: 90, qt_ms: 380, qtc_ms: 416, qtc_formula: 'bazett', r_amp_mv: 1.2, t_amp_mv: null,
    quality: 0.95, quality_reasons: [], method: 'dsp', model_version: 'dsp-1', latency_ms: 12.5, measured_at_ms: start + 10_100,
    unmeasured: [{ parameter: 't_amp_mv', reason: 'T wave not found' }], attention: [], beats: [{ r_s: 0.5, p_on_s: 0.32, qrs_on_s: 0.45, qrs_off_s: 0.54, t_peak_s: 0.8, t_off_s: null }],
  };
}

export function sampleAlert(bedId: string, seq: number): Alert {
  const onset = 1_700_000_000_000 + seq * 10_000;
  return {
    alert_id: `${bedId}:qtc_prolonged:${onset}`, event_id: `${bedId}:qtc_prolonged:${onset}:raised`, bed_id: bedId, kind: 'qtc_prolonged',
    category: 'physiological', priority: 'high', state: 'raised', parameter: 'qtc_ms', value: 512, baseline: 420, threshold: 500,
    rule: 'QTc > 500 ms for 5 min', message: 'QTc 512 ms', evidence_window_ids: [`${bedId}:dev:${seq}`], attention: [],
    onset_ms: onset, raised_ms: onset + 300_000, updated_ms: onset + 300_000, acknowledged_by: null, acknowledged_ms: null, cleared_ms: null, latched: false,
  };
}

export function sampleDeadLetter(bedId: string, seq: number): DeadLetter {
  return {
    source_topic: 'ecg.raw.v1', partition: 0, offset: String(seq), key: bedId, code: 'invalid_field', reason: 'sample_rate_hz must be > 0',
    bed_id: bedId, device_id: `dev-${bedId}`, seq, received_ms: 1_700_000_000_000, payload: null,
  };
}

const BUILDERS: { [K in TopicName]: (bedId: string, seq: number) => TopicPayloads[K] } = {
  'ecg.raw.v1': sampleWindow,
  'ecg.windows.v1': sampleValidatedWindow,
  'ecg.measurements.v1': sampleMeasurement,
  'ecg.alerts.v1': sampleAlert,
  'ecg.dlq.v1': sampleDeadLetter,
};

export function sampleRecord<K extends TopicName>(topic: K, bedId: string, seq: number): TopicPayloads[K] {
  return BUILDERS[topic](bedId, seq);
}
