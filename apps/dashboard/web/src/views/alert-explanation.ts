import type { Alert } from '../contracts';
import { h } from '../dom';
import { alertKindLabel, alertTone, alertToneLabel, formatDateTime, formatValueWithUnit } from '../format';

/** Why the alert exists: rule, measured value against baseline and threshold, evidence windows, message. */
export function alertExplanation(alert: Alert): HTMLElement {
  const row = (term: string, value: string | Node) => h('div', { class: 'kv' }, h('dt', { text: term }), h('dd', {}, value));
  const evidence = alert.evidence_window_ids.length
    ? h('ul', { class: 'evidence' }, ...alert.evidence_window_ids.map((id) => h('li', { text: id })))
    : 'none recorded';
  const attention = alert.attention.length
    ? alert.attention.map((a) => `${a.target} ${a.start_s.toFixed(2)}–${a.end_s.toFixed(2)} s (${Math.round(a.weight * 100)} %)`).join('; ')
    : 'none';
  return h(
    'section',
    { class: `explanation tone-${alertTone(alert)}`, 'aria-label': `Explanation of ${alertKindLabel(alert.kind)} on bed ${alert.bed_id}` },
    h('h3', {}, h('span', { class: 'badge', text: alertKindLabel(alert.kind) }), ` bed ${alert.bed_id}`),
    h('p', { class: 'message', text: alert.message }),
    h(
      'dl',
      { class: 'kv-list' },
      row('Rule', alert.rule),
      row('Priority', `${alertToneLabel(alert)} (${alert.category})`),
      row('State', `${alert.state}${alert.latched ? ', latched (condition ended before acknowledgement)' : ''}`),
      row('Value', formatValueWithUnit(alert.value, alert.parameter)),
      row('Baseline', formatValueWithUnit(alert.baseline, alert.parameter)),
      row('Threshold', formatValueWithUnit(alert.threshold, alert.parameter)),
      row('Parameter', alert.parameter ?? 'technical (signal)'),
      row('Onset', formatDateTime(alert.onset_ms)),
      row('Raised', formatDateTime(alert.raised_ms)),
      row('Acknowledged', alert.acknowledged_ms ? `${formatDateTime(alert.acknowledged_ms)} by ${alert.acknowledged_by ?? 'unknown'}` : 'no'),
      row('Cleared', formatDateTime(alert.cleared_ms)),
      row('Attention', attention),
      row(`Evidence windows (${alert.evidence_window_ids.length})`, evidence),
    ),
  );
}

/** Whether the operator can still acknowledge it. */
export function canAcknowledge(alert: Alert): boolean {
  return alert.state === 'raised' || alert.state === 'escalated';
}
