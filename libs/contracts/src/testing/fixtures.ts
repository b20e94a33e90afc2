import { Alert } from '../alert';
import { DeadLetter } from '../dead-letter';
import { EcgWindow, ValidatedWindow } from '../ecg-window';
import { EcgMeasurement } from '../measurement';
import { millivoltsToLead } from '../samples';

const START_MS = Date.UTC(2026, 10, 25, 8, 0, 0);

/** A structurally valid window: a 1-Hz sine per lead, so tests can check sample values survive encoding. */
export function sampleWindow(overrides: Partial<EcgWindow> = {}, leadNames = ['I', 'II', 'V1', 'V5'], sampleRateHz = 500): EcgWindow {
  const n = 10 * sampleRateHz;
  const leads = leadNames.map((name, k) => {
    const mv = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / sampleRateHz + k) * 0.8);
    return millivoltsToLead(name, mv, 200, 0);
  });
  return { bed_id: 'bed-01', device_id: 'mon-01', seq: 42, start_ms: START_MS, sample_rate_hz: sampleRateHz, leads, ...overrides };
}

export function sampleValidatedWindow(): ValidatedWindow {
  const window = sampleWindow() as ValidatedWindow['window'];
  return {
    window_id: 'bed-01:mon-01:42',
    received_ms: START_MS + 10_050,
    quality: { score: 0.93, reasons: [], leads: window.leads.map((l) => ({ lead: l.name, score: 0.93, reasons: [] })) },
    window,
  };
}

export function sampleMeasurement(overrides: Partial<EcgMeasurement> = {}): EcgMeasurement {
  return {
    window_id: 'bed-01:mon-01:42',
    bed_id: 'bed-01',
    device_id: 'mon-01',
    window_start_ms: START_MS,
    window_end_ms: START_MS + 10_000,
    hr_bpm: 72.5,
    pr_ms: 160,
    qrs_ms: 94,
    qt_ms: 390,
    qtc_ms: 428.7,
    qtc_formula: 'bazett',
    r_amp_mv: 1.42,
    t_amp_mv: null,
    quality: 0.93,
    quality_reasons: [],
    method: 'dsp',
    model_version: 'dsp-1',
    latency_ms: 12.5,
    measured_at_ms: START_MS + 10_080,
    unmeasured: [{ parameter: 't_amp_mv', reason: 'V5 not recorded' }],
    attention: [{ target: 'qt_ms', start_s: 1.2, end_s: 1.6, weight: 0.81 }],
    beats: [{ r_s: 0.5, p_on_s: 0.28, qrs_on_s: 0.45, qrs_off_s: 0.54, t_peak_s: 0.75, t_off_s: null }],
    ...overrides,
  };
}

export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    alert_id: '3f2a9c0d1e4b5a69',
    event_id: '3f2a9c0d1e4b5a69:0:raised',
    bed_id: 'bed-01',
    kind: 'qtc_prolonged',
    category: 'physiological',
    priority: 'high',
    state: 'raised',
    parameter: 'qtc_ms',
    value: 512.3,
    baseline: 430,
    threshold: 500,
    rule: 'QTc > 500 ms for 5 min',
    message: 'QTc 512 ms above 500 ms for 5 min',
    evidence_window_ids: ['bed-01:mon-01:40', 'bed-01:mon-01:41'],
    attention: [],
    onset_ms: START_MS,
    raised_ms: START_MS + 300_000,
    updated_ms: START_MS + 300_000,
    acknowledged_by: null,
    acknowledged_ms: null,
    cleared_ms: null,
    latched: false,
    ...overrides,
  };
}

export function sampleDeadLetter(): DeadLetter {
  return {
    source_topic: 'ecg.raw.v1',
    partition: 3,
    offset: '1017',
    key: 'bed-01',
    code: 'undecodable',
    reason: 'truncated Avro body',
    bed_id: null,
    device_id: null,
    seq: null,
    received_ms: START_MS,
    payload: Buffer.from([0, 0, 0, 0, 1, 7]),
  };
}
