import { Alert, AlertState } from '../alert';
import { DeadLetter } from '../dead-letter';
import { EcgWindow, ValidatedWindow } from '../ecg-window';
import { EcgMeasurement } from '../measurement';
import { millivoltsToLead } from '../samples';
import { TopicName, TopicPayloads } from '../topics';

// The one set of contract fixtures for every library's tests (`@aicrn/contracts/testing`): single records
// with overrides, and records at a position in a bed's feed for tests that need many distinct ones.

const START_MS = Date.UTC(2026, 10, 25, 8, 0, 0);
const WINDOW_MS = 10_000;

/** A structurally valid window: a 1-Hz sine per lead, so tests can check sample values survive encoding. */
export function sampleWindow(overrides: Partial<EcgWindow> = {}, leadNames = ['I', 'II', 'V1', 'V5'], sampleRateHz = 500): EcgWindow {
  const n = (WINDOW_MS / 1000) * sampleRateHz;
  const leads = leadNames.map((name, k) => {
    const mv = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / sampleRateHz + k) * 0.8);
    return millivoltsToLead(name, mv, 200, 0);
  });
  return { bed_id: 'bed-01', device_id: 'mon-01', seq: 42, start_ms: START_MS, sample_rate_hz: sampleRateHz, leads, ...overrides };
}

/** `window` as ingestion passes it on: its deterministic id, a good quality score per lead. */
export function sampleValidatedWindow(window: EcgWindow = sampleWindow()): ValidatedWindow {
  return {
    window_id: `${window.bed_id}:${window.device_id}:${window.seq}`,
    received_ms: window.start_ms + WINDOW_MS + 50,
    quality: { score: 0.93, reasons: [], leads: window.leads.map((l) => ({ lead: l.name, score: 0.93, reasons: [] })) },
    window: window as ValidatedWindow['window'],
  };
}

export function sampleMeasurement(overrides: Partial<EcgMeasurement> = {}): EcgMeasurement {
  return {
    window_id: 'bed-01:mon-01:42',
    bed_id: 'bed-01',
    device_id: 'mon-01',
    window_start_ms: START_MS,
    window_end_ms: START_MS + WINDOW_MS,
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
    measured_at_ms: START_MS + WINDOW_MS + 80,
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

export function sampleDeadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
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
    ...overrides,
  };
}

/** Window `seq` of a bed's feed (10 s apart): one lead at 100 Hz, so that brokers under test carry little data. */
export function windowAt(bedId: string, seq: number): EcgWindow {
  return sampleWindow({ bed_id: bedId, device_id: `dev-${bedId}`, seq, start_ms: START_MS + seq * WINDOW_MS }, ['II'], 100);
}

/** The measurement of window `index` of a bed (10 s apart). */
export function measurementAt(bedId: string, index: number, overrides: Partial<EcgMeasurement> = {}): EcgMeasurement {
  const start = START_MS + index * WINDOW_MS;
  return sampleMeasurement({
    window_id: `${bedId}:dev:${index}`,
    bed_id: bedId,
    device_id: 'dev',
    window_start_ms: start,
    window_end_ms: start + WINDOW_MS,
    measured_at_ms: start + WINDOW_MS + 50,
    ...overrides,
  });
}

/** An event of a bed's alert of `kind`; `step` orders the events of one alert in time. */
export function alertEvent(bedId: string, kind: string, state: AlertState, step: number, overrides: Partial<Alert> = {}): Alert {
  const onset = START_MS + 60_000;
  const raised = onset + 300_000;
  const at = raised + step * 1_000;
  const alertId = `${bedId}:${kind}:${onset}`;
  return sampleAlert({
    alert_id: alertId,
    event_id: `${alertId}:${state}:${step}`,
    bed_id: bedId,
    kind,
    state,
    message: `QTc 512 ms (${state})`,
    evidence_window_ids: [`${bedId}:dev:1`],
    onset_ms: onset,
    raised_ms: raised,
    updated_ms: at,
    acknowledged_by: state === 'acknowledged' ? 'nurse-1' : null,
    acknowledged_ms: state === 'acknowledged' ? at : null,
    cleared_ms: state === 'cleared' ? at : null,
    ...overrides,
  });
}

const RECORD_AT: { [K in TopicName]: (bedId: string, seq: number) => TopicPayloads[K] } = {
  'ecg.raw.v1': windowAt,
  'ecg.windows.v1': (bedId, seq) => sampleValidatedWindow(windowAt(bedId, seq)),
  'ecg.measurements.v1': measurementAt,
  'ecg.alerts.v1': (bedId, seq) => alertEvent(bedId, 'qtc_prolonged', 'raised', seq),
  'ecg.dlq.v1': (bedId, seq) => sampleDeadLetter({ key: bedId, offset: String(seq), code: 'invalid_field', reason: 'sample_rate_hz must be > 0', bed_id: bedId, seq, payload: null }),
};

/** A valid record of `topic` for position `seq` of a bed: distinct per (bed, seq), equal on every call. */
export function sampleRecord<K extends TopicName>(topic: K, bedId: string, seq: number): TopicPayloads[K] {
  return RECORD_AT[topic](bedId, seq);
}
