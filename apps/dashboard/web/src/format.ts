import type { Alert, EcgMeasurement, MeasuredParameter } from './contracts';

export interface ParameterInfo {
  key: MeasuredParameter;
  label: string;
  unit: string;
  digits: number;
  /** Smallest y range of a trend, so measurement jitter is not magnified into apparent swings. */
  minRange: number;
}

/** The measured parameters in display order, with units. */
export const PARAMETERS: readonly ParameterInfo[] = [
  { key: 'hr_bpm', label: 'HR', unit: 'bpm', digits: 0, minRange: 30 },
  { key: 'pr_ms', label: 'PR', unit: 'ms', digits: 0, minRange: 60 },
  { key: 'qrs_ms', label: 'QRS', unit: 'ms', digits: 0, minRange: 40 },
  { key: 'qt_ms', label: 'QT', unit: 'ms', digits: 0, minRange: 80 },
  { key: 'qtc_ms', label: 'QTc', unit: 'ms', digits: 0, minRange: 80 },
  { key: 'r_amp_mv', label: 'R amp', unit: 'mV', digits: 2, minRange: 0.5 },
  { key: 't_amp_mv', label: 'T amp', unit: 'mV', digits: 2, minRange: 0.2 },
];

export const PARAMETER_BY_KEY: Record<string, ParameterInfo> = Object.fromEntries(PARAMETERS.map((p) => [p.key, p]));

/** A number for display, or an em dash when it was not measured. */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

export function formatParameter(m: EcgMeasurement | null, key: MeasuredParameter): string {
  return formatNumber(m ? m[key] : null, PARAMETER_BY_KEY[key].digits);
}

/** Why a parameter is missing, for a tooltip. */
export function unmeasuredReason(m: EcgMeasurement | null, key: MeasuredParameter): string | null {
  if (!m) return 'no measurement yet';
  return m.unmeasured.find((u) => u.parameter === key)?.reason ?? null;
}

export function formatValueWithUnit(value: number | null, parameter: string | null): string {
  const info = parameter ? PARAMETER_BY_KEY[parameter] : undefined;
  if (!info) return formatNumber(value, value !== null && Math.abs(value) < 10 ? 2 : 0);
  return `${formatNumber(value, info.digits)} ${info.unit}`;
}

export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction) ? '—' : `${Math.round(fraction * 100)} %`;
}

export function formatClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return `${d.toLocaleDateString([], { month: 'short', day: '2-digit' })} ${formatClock(ms)}`;
}

/** "qtc_prolonged" -> "QTc prolonged". */
export function alertKindLabel(kind: string): string {
  const words = kind.split('_').map((w) => WORDS[w] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const WORDS: Record<string, string> = { qtc: 'QTc', qrs: 'QRS', pr: 'PR', hr: 'HR', qt: 'QT', t: 'T', off: 'off' };

export type AlertTone = 'high' | 'medium' | 'low' | 'technical';

/** Tile and badge colour: technical conditions (the equipment, not the patient) look different from any priority. */
export function alertTone(alert: Pick<Alert, 'category' | 'priority'>): AlertTone {
  return alert.category === 'technical' ? 'technical' : alert.priority;
}

/** Short form for tables: "high", "technical, low". */
export function alertPriorityShort(alert: Pick<Alert, 'category' | 'priority'>): string {
  return alert.category === 'technical' ? `technical, ${alert.priority}` : alert.priority;
}

export function alertToneLabel(alert: Pick<Alert, 'category' | 'priority'>): string {
  return alert.category === 'technical' ? `technical, ${alert.priority} priority` : `${alert.priority} priority`;
}
