import { Alert, AlertState, EcgMeasurement } from '@aicrn/contracts';

const T0 = 1_700_000_000_000;

/** A measurement of window number `index` (10 s apart) of a bed. */
export function measurementAt(bedId: string, index: number, overrides: Partial<EcgMeasurement> = {}): EcgMeasurement {
  const start = T0 + index * 10_000;
  return {
    window_id: `${bedId}:dev:${index}`, bed_id: bedId, device_id: 'dev', window_start_ms: start, window_end_ms: start + 10_000,
    hr_bpm: 60 + (index % 40), pr_ms: 160, qrs_ms: 92, qt_ms: 400, qtc_ms: 430, qtc_formula: 'bazett', r_amp_mv: 1.1, t_amp_mv: 0.3,
    quality: 0.9, quality_reasons: [], method: 'dsp', model_version: 'dsp-1', latency_ms: 8, measured_at_ms: start + 10_050,
    unmeasured: [], attention: [], beats: [], ...overrides,
  };
}

/** An alert event; `step` orders events of one alert in time. */
export function alertEvent(bedId: string, kind: string, state: AlertState, step: number, overrides: Partial<Alert> = {}): Alert {
  const onset = T0 + 60_000;
  const raised = onset + 300_000;
  const alertId = `${bedId}:${kind}:${onset}`;
  return {
    alert_id: alertId, event_id: `${alertId}:${state}:${step}`, bed_id: bedId, kind, category: 'physiological', priority: 'high', state,
    parameter: 'qtc_ms', value: 510, baseline: 430, threshold: 500, rule: 'QTc > 500 ms for 5 min', message: `QTc 510 ms (${state})`,
    evidence_window_ids: [`${bedId}:dev:1`], attention: [], onset_ms: onset, raised_ms: raised, updated_ms: raised + step * 1_000,
    acknowledged_by: state === 'acknowledged' ? 'nurse-1' : null, acknowledged_ms: state === 'acknowledged' ? raised + step * 1_000 : null,
    cleared_ms: state === 'cleared' ? raised + step * 1_000 : null, latched: false, ...overrides,
  };
}
