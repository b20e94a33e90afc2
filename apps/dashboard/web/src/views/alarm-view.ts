import type { AppContext, View } from '../app-context';
import type { Alert } from '../contracts';
import { ApiError } from '../api-client';
import { Disposer, h } from '../dom';
import { alertKindLabel, alertPriorityShort, alertTone, formatDateTime, formatValueWithUnit } from '../format';
import { acknowledge } from './acknowledge';
import { alertExplanation, canAcknowledge } from './alert-explanation';

const STATES = ['active', 'raised', 'escalated', 'acknowledged', 'cleared', 'all'] as const;
const SPANS: Array<[string, number | null]> = [
  ['Last hour', 3600_000],
  ['Last 8 h', 8 * 3600_000],
  ['Last 24 h', 24 * 3600_000],
  ['Any time', null],
];
const LIMIT = 500;

interface Filters {
  state: (typeof STATES)[number];
  bed: string;
  priority: string;
  spanMs: number | null;
}

/** Alarm review: active and past alerts, filterable, each with its explanation and an acknowledge action. */
export class AlarmView implements View {
  private readonly disposer = new Disposer();
  private readonly rows = new Map<string, Alert>();
  private filters: Filters = { state: 'active', bed: '', priority: '', spanMs: 24 * 3600_000 };
  private selected: string | null = null;
  private tbody!: HTMLTableSectionElement;
  private detail!: HTMLElement;
  private summary!: HTMLElement;
  private bedSelect!: HTMLSelectElement;
  private frame: number | null = null;
  private loadSeq = 0;

  constructor(private readonly ctx: AppContext) {}

  mount(main: HTMLElement): void {
    const select = (name: string, label: string, options: Array<[string, string]>, value: string) =>
      h('label', {}, `${label} `, h('select', { name }, ...options.map(([v, text]) => h('option', { value: v, text, selected: v === value }))));
    this.bedSelect = h('select', { name: 'bed' }, h('option', { value: '', text: 'All beds' }));
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Filter alerts' },
      select('state', 'State', STATES.map((s) => [s, s === 'all' ? 'All states' : s]), this.filters.state),
      h('label', {}, 'Bed ', this.bedSelect),
      select('priority', 'Priority', [['', 'Any'], ['high', 'High'], ['medium', 'Medium'], ['low', 'Low'], ['technical', 'Technical']], ''),
      select('span', 'Since', SPANS.map(([label, ms]) => [String(ms ?? ''), label]), String(this.filters.spanMs)),
    );
    this.summary = h('p', { class: 'summary', role: 'status' });
    this.tbody = h('tbody');
    const table = h(
      'table',
      { class: 'alert-table' },
      h('caption', { class: 'visually-hidden', text: 'Alerts, newest first' }),
      h('thead', {}, h('tr', {}, ...['Raised', 'Bed', 'Alarm', 'Priority', 'State', 'Value', 'Threshold', 'Message', 'Actions'].map((t) => h('th', { scope: 'col', text: t })))),
      this.tbody,
    );
    this.detail = h('aside', { class: 'alert-detail', 'aria-live': 'polite', 'aria-label': 'Alert explanation' }, h('p', { class: 'muted', text: 'Select an alert to see why it was raised.' }));
    main.append(h('section', { class: 'alarm-review' }, h('h2', { text: 'Alarm review' }), form, this.summary, h('div', { class: 'alarm-layout' }, h('div', { class: 'table-wrap' }, table), this.detail)));

    this.refreshBedOptions();
    this.disposer.listen(form, 'change', () => {
      const data = new FormData(form);
      this.filters = {
        state: data.get('state') as Filters['state'],
        bed: String(data.get('bed') ?? ''),
        priority: String(data.get('priority') ?? ''),
        spanMs: data.get('span') ? Number(data.get('span')) : null,
      };
      void this.load();
    });
    this.disposer.listen(form, 'submit', (event) => event.preventDefault());
    this.disposer.listen(this.tbody, 'click', (event) => this.onTableClick(event as MouseEvent));
    this.disposer.add(
      this.ctx.state.subscribe((change) => {
        if (change.kind === 'alert') this.onLiveAlert(change.alert);
        if (change.kind === 'beds') this.refreshBedOptions();
      }),
    );
    void this.load();
  }

  unmount(): void {
    this.disposer.dispose();
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.loadSeq++;
  }

  private async load(): Promise<void> {
    const seq = ++this.loadSeq;
    const { state, bed, spanMs } = this.filters;
    this.summary.textContent = 'Loading…';
    try {
      const res = await this.ctx.api.alerts({ state: state === 'all' ? undefined : state, bed_id: bed || undefined, since: spanMs ? Date.now() - spanMs : undefined, limit: LIMIT });
      if (seq !== this.loadSeq) return;
      this.rows.clear();
      for (const alert of res.alerts) if (this.matches(alert)) this.rows.set(alert.alert_id, alert);
      this.render();
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.summary.textContent = `Could not load alerts: ${error instanceof ApiError ? `${error.status} ${error.message}` : String(error)}`;
    }
  }

  private matches(alert: Alert): boolean {
    const { state, bed, priority, spanMs } = this.filters;
    if (state === 'active' ? alert.state === 'cleared' : state !== 'all' && alert.state !== state) return false;
    if (bed && alert.bed_id !== bed) return false;
    if (priority && alertTone(alert) !== priority) return false;
    // The server filters `since` on the alert's own time; live updates of older alerts still belong to the list.
    if (spanMs && Math.max(alert.raised_ms, alert.updated_ms) < Date.now() - spanMs) return false;
    return true;
  }

  private onLiveAlert(alert: Alert): void {
    if (this.matches(alert)) this.rows.set(alert.alert_id, alert);
    else this.rows.delete(alert.alert_id);
    if (this.frame === null) this.frame = requestAnimationFrame(() => ((this.frame = null), this.render()));
  }

  private render(): void {
    const alerts = [...this.rows.values()].sort((a, b) => b.raised_ms - a.raised_ms);
    const active = alerts.filter((a) => canAcknowledge(a)).length;
    this.summary.textContent = `${alerts.length} alert${alerts.length === 1 ? '' : 's'} shown, ${active} awaiting acknowledgement${alerts.length >= LIMIT ? ` (newest ${LIMIT})` : ''}`;
    const focusedId = (document.activeElement as HTMLElement | null)?.closest('tr')?.dataset.alertId;
    const focusedAction = (document.activeElement as HTMLElement | null)?.dataset?.action;
    this.tbody.replaceChildren(...alerts.map((a) => this.row(a)));
    if (focusedId && focusedAction) this.tbody.querySelector<HTMLElement>(`tr[data-alert-id="${CSS.escape(focusedId)}"] [data-action="${focusedAction}"]`)?.focus();
    const selected = this.selected ? this.rows.get(this.selected) : undefined;
    if (selected) this.detail.replaceChildren(alertExplanation(selected));
  }

  private row(alert: Alert): HTMLTableRowElement {
    const tone = alertTone(alert);
    const buttons = h('div', { class: 'actions' }, h('button', { type: 'button', 'data-action': 'explain', 'aria-pressed': String(this.selected === alert.alert_id), text: 'Explain' }));
    if (canAcknowledge(alert)) buttons.append(h('button', { type: 'button', class: 'ack', 'data-action': 'ack', text: 'Acknowledge' }));
    const actions = h('td', {}, buttons);
    return h(
      'tr',
      { class: `tone-${tone}${alert.alert_id === this.selected ? ' selected' : ''}`, 'data-alert-id': alert.alert_id, 'data-state': alert.state },
      h('td', { class: 'nowrap', text: formatDateTime(alert.raised_ms) }),
      h('td', { class: 'nowrap' }, h('a', { href: `#/bed/${encodeURIComponent(alert.bed_id)}`, text: alert.bed_id })),
      h('td', {}, h('span', { class: 'badge', text: alertKindLabel(alert.kind) })),
      h('td', { text: alertPriorityShort(alert) }),
      h('td', { class: 'state', text: alert.state + (alert.latched ? ' (latched)' : '') }),
      h('td', { class: 'nowrap', text: formatValueWithUnit(alert.value, alert.parameter) }),
      h('td', { class: 'nowrap', text: formatValueWithUnit(alert.threshold, alert.parameter) }),
      h('td', { class: 'message', text: alert.message }),
      actions,
    );
  }

  private onTableClick(event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const id = button?.closest('tr')?.dataset.alertId;
    const alert = id ? this.rows.get(id) : undefined;
    if (!button || !alert) return;
    if (button.dataset.action === 'ack') void acknowledge(this.ctx, alert, button);
    else {
      this.selected = alert.alert_id;
      this.detail.replaceChildren(alertExplanation(alert));
      for (const tr of this.tbody.querySelectorAll('tr')) {
        const on = tr.dataset.alertId === alert.alert_id;
        tr.classList.toggle('selected', on);
        tr.querySelector('[data-action="explain"]')?.setAttribute('aria-pressed', String(on));
      }
    }
  }

  private refreshBedOptions(): void {
    const current = this.bedSelect.value;
    const ids = this.ctx.state.bedIds();
    if (this.bedSelect.options.length === ids.length + 1) return;
    this.bedSelect.replaceChildren(h('option', { value: '', text: 'All beds' }), ...ids.map((id) => h('option', { value: id, text: id, selected: id === current })));
  }
}
