import type { AppContext, View } from '../app-context';
import { Alert, EcgMeasurement, effectiveSettings } from '../contracts';
import { ApiError } from '../api-client';
import { Disposer, h, setText } from '../dom';
import { alertKindLabel, alertTone, alertToneLabel, formatClock, formatDateTime, formatParameter, formatPercent, PARAMETERS, unmeasuredReason } from '../format';
import { acknowledge } from './acknowledge';
import { alertExplanation, canAcknowledge } from './alert-explanation';
import { AlarmSettingsPanel } from './alarm-settings-panel';
import { BedStrip } from './bed-strip';
import { BedTrends, TrendSpan } from './bed-trends';

/** One bed: current numbers and alerts, trends, the latest window on ECG paper, baseline and profile. */
export class BedView implements View {
  private readonly disposer = new Disposer();
  private readonly trends: BedTrends;
  private readonly strip = new BedStrip();
  private readonly settings: AlarmSettingsPanel;
  private readonly numbers = new Map<string, HTMLElement>();
  private alertList!: HTMLElement;
  private meta!: HTMLElement;
  private frame: number | null = null;
  private shownWindowId: string | null = null;
  private stripLoading = false;
  private stripWanted = false;
  private closed = false;
  private trendSeq = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly bedId: string,
  ) {
    this.trends = new BedTrends((span) => void this.loadTrends(span));
    this.settings = new AlarmSettingsPanel(ctx, bedId, (s) => {
      this.trends.baseline = s.baseline;
      this.trends.profile = effectiveSettings(s);
      this.schedule();
    });
  }

  mount(main: HTMLElement): void {
    const numbers = h('dl', { class: 'bed-numbers' });
    for (const p of PARAMETERS) {
      const value = h('span', { class: `value${p.key === 'hr_bpm' ? ' big hr' : p.key === 'qtc_ms' ? ' big qtc' : ''}` });
      this.numbers.set(p.key, value);
      numbers.append(h('div', { class: 'number' }, h('dt', { text: p.label }), h('dd', {}, value, h('span', { class: 'unit', text: p.unit }))));
    }
    const quality = h('span', { class: 'value' });
    this.numbers.set('quality', quality);
    numbers.append(h('div', { class: 'number' }, h('dt', { text: 'Signal quality' }), h('dd', {}, quality)));
    this.meta = h('p', { class: 'muted bed-meta' });
    this.alertList = h('ul', { class: 'bed-alerts', 'aria-label': 'Active alerts' });
    main.append(
      h(
        'section',
        { class: 'bed-view', 'aria-labelledby': 'bed-title' },
        h('div', { class: 'bed-head' }, h('a', { href: '#/', class: 'back', text: '← Ward' }), h('h2', { id: 'bed-title', 'aria-label': `Bed ${this.bedId}`, text: this.bedId }), this.meta),
        numbers,
        h('section', { class: 'panel', 'aria-labelledby': 'bed-alerts-title' }, h('h3', { id: 'bed-alerts-title', text: 'Active alerts' }), this.alertList),
        this.strip.element,
        this.trends.element,
        this.settings.element,
      ),
    );
    this.disposer.add(
      this.ctx.state.subscribe((change) => {
        if ((change.kind === 'bed' && change.bedId === this.bedId) || change.kind === 'beds') this.onBedChanged();
      }),
    );
    this.disposer.listen(this.alertList, 'click', (event) => this.onAlertClick(event as MouseEvent));
    this.disposer.listen(window, 'resize', () => this.schedule());
    this.onBedChanged();
    void this.loadTrends(this.trends.span);
    void this.settings.load();
    this.refreshStrip();
    void this.ctx.api.bed(this.bedId).then(
      (bed) => this.ctx.state.applySnapshot([bed]),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 404) this.meta.textContent = 'This bed has not sent any data.';
      },
    );
  }

  unmount(): void {
    this.closed = true;
    this.trendSeq++;
    this.disposer.dispose();
    if (this.frame !== null) cancelAnimationFrame(this.frame);
  }

  private async loadTrends(span: TrendSpan): Promise<void> {
    const seq = ++this.trendSeq;
    this.trends.setSpan(span);
    try {
      const res = await this.ctx.api.measurements(this.bedId, this.trends.sinceMs(), this.trends.limit());
      if (seq !== this.trendSeq) return;
      this.trends.load(res.measurements);
      const latest = this.ctx.state.beds.get(this.bedId)?.latest;
      if (latest) this.trends.append(latest);
      this.schedule();
    } catch (error) {
      if (seq === this.trendSeq) this.ctx.showProblem(`Trends of bed ${this.bedId}: ${error instanceof ApiError ? `${error.status} ${error.message}` : String(error)}`);
    }
  }

  private onBedChanged(): void {
    const entry = this.ctx.state.beds.get(this.bedId);
    const m = entry?.latest ?? null;
    if (m && m.window_id !== this.shownWindowId) {
      this.shownWindowId = m.window_id;
      this.trends.append(m);
      this.refreshStrip();
    }
    this.schedule();
  }

  /** One strip request at a time; a window that arrives meanwhile triggers one more afterwards. */
  private refreshStrip(): void {
    if (this.stripLoading) {
      this.stripWanted = true;
      return;
    }
    this.stripLoading = true;
    this.ctx.api
      .strip(this.bedId)
      .then((strip) => {
        if (!this.closed) {
          this.strip.strip = strip;
          this.schedule();
        }
      })
      .catch((error: unknown) => console.warn(`strip of ${this.bedId}:`, error))
      .finally(() => {
        this.stripLoading = false;
        if (this.stripWanted && !this.closed) {
          this.stripWanted = false;
          this.refreshStrip();
        }
      });
  }

  private schedule(): void {
    if (this.frame !== null || this.closed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.render();
    });
  }

  private render(): void {
    const m: EcgMeasurement | null = this.ctx.state.beds.get(this.bedId)?.latest ?? null;
    for (const p of PARAMETERS) {
      const el = this.numbers.get(p.key)!;
      setText(el, formatParameter(m, p.key));
      const reason = unmeasuredReason(m, p.key);
      if (reason) el.title = reason;
      else el.removeAttribute('title');
    }
    setText(this.numbers.get('quality')!, formatPercent(m?.quality));
    setText(
      this.meta,
      m
        ? `Window ${formatClock(m.window_start_ms)}–${formatClock(m.window_end_ms)} · ${m.method} ${m.model_version} · QTc ${m.qtc_formula}${m.quality_reasons.length ? ` · ${m.quality_reasons.join(', ')}` : ''}`
        : 'No measurement yet.',
    );
    this.renderAlerts(this.ctx.state.alerts.activeForBed(this.bedId));
    this.strip.draw();
    this.trends.draw();
  }

  private renderAlerts(alerts: Alert[]): void {
    const key = alerts.map((a) => `${a.alert_id}:${a.event_id}`).join('|');
    if (this.alertList.dataset.key === key) return;
    this.alertList.dataset.key = key;
    if (!alerts.length) {
      this.alertList.replaceChildren(h('li', { class: 'muted', text: 'No active alerts.' }));
      return;
    }
    this.alertList.replaceChildren(
      ...alerts.map((a) => {
        const details = h('details', {}, h('summary', { text: 'Why' }), alertExplanation(a));
        const item = h(
          'li',
          { class: `bed-alert tone-${alertTone(a)}`, 'data-alert-id': a.alert_id, 'data-state': a.state },
          h('span', { class: 'badge', text: alertKindLabel(a.kind) }),
          h('span', { text: ` ${alertToneLabel(a)} · ${a.state} · since ${formatDateTime(a.raised_ms)} · ${a.message}` }),
          canAcknowledge(a) ? h('button', { type: 'button', class: 'ack', 'data-action': 'ack', text: 'Acknowledge' }) : null,
          details,
        );
        return item;
      }),
    );
  }

  private onAlertClick(event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action="ack"]');
    const id = button?.closest<HTMLElement>('li[data-alert-id]')?.dataset.alertId;
    const alert = id ? this.ctx.state.alerts.get(id) : undefined;
    if (button && alert) void acknowledge(this.ctx, alert, button);
  }
}
