import { AttentionSpan, EcgMeasurement, MeasuredParameter, MeasurementMethod, Unmeasured, ValidatedWindow, windowDurationMs } from '@aicrn/contracts';
import { correctQt, QtcFormula, WindowMeasurement } from '@aicrn/signal';

export interface MeasurementContext {
  method: MeasurementMethod;
  version: string;
  qtcFormula: QtcFormula;
  latencyMs: number;
  measuredAtMs: number;
  attention: AttentionSpan[];
}

const round = (value: number | null, decimals: number): number | null =>
  value === null || !Number.isFinite(value) ? null : Math.round(value * 10 ** decimals) / 10 ** decimals;

/**
 * Step 2 of the pipeline: validated window + a method's result -> the published measurement.
 * QTc is derived here, once, from QT and the window's heart rate, with the configured formula.
 */
export function buildMeasurement(validated: ValidatedWindow, result: WindowMeasurement, context: MeasurementContext): EcgMeasurement {
  const { window } = validated;
  const p = result.parameters;
  const unmeasured: Unmeasured[] = [...result.unmeasured];
  let qtc: number | null = null;
  if (p.qt_ms !== null && p.hr_bpm !== null) qtc = correctQt(p.qt_ms, 60_000 / p.hr_bpm, context.qtcFormula);
  else if (!unmeasured.some((u) => u.parameter === 'qtc_ms')) {
    unmeasured.push({ parameter: 'qtc_ms', reason: p.qt_ms === null ? 'QT not measured' : 'heart rate not measured' });
  }
  for (const name of ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv'] as MeasuredParameter[]) {
    if (p[name] === null && !unmeasured.some((u) => u.parameter === name)) unmeasured.push({ parameter: name, reason: 'not measurable in this window' });
  }
  return {
    window_id: validated.window_id,
    bed_id: window.bed_id,
    device_id: window.device_id,
    window_start_ms: window.start_ms,
    window_end_ms: window.start_ms + Math.round(windowDurationMs(window)),
    hr_bpm: round(p.hr_bpm, 1),
    pr_ms: round(p.pr_ms, 1),
    qrs_ms: round(p.qrs_ms, 1),
    qt_ms: round(p.qt_ms, 1),
    qtc_ms: round(qtc, 1),
    qtc_formula: context.qtcFormula,
    r_amp_mv: round(p.r_amp_mv, 3),
    t_amp_mv: round(p.t_amp_mv, 3),
    quality: round(validated.quality.score, 3) ?? 0,
    quality_reasons: validated.quality.reasons,
    method: context.method,
    model_version: context.version,
    latency_ms: round(context.latencyMs, 2) ?? 0,
    measured_at_ms: context.measuredAtMs,
    unmeasured,
    attention: context.attention,
    beats: result.beats,
  };
}
