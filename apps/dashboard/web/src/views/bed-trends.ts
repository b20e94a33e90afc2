import type { EcgMeasurement, MeasuredParameter } from '../contracts';
import { h } from '../dom';
import { drawTrendChart } from '../draw/trend-chart';
import { formatParameter, PARAMETERS } from '../format';
import { referenceLines } from '../settings-paths';

export const TREND_SPANS_MS = { '1 h': 3600_000, '8 h': 8 * 3600_000, '24 h': 24 * 3600_000 } as const;
export type TrendSpan = keyof typeof TREND_SPANS_MS;
/** The API's maximum page; 24 h of 10-s windows is 8,640. */
const TREND_LIMIT = 10_000;
const CHART_HEIGHT = 150;

/** Trends of every parameter of one bed over the chosen span, with baseline and thresholds. */
export class BedTrends {
  readonly element: HTMLElement;
  private readonly charts = new Map<MeasuredParameter, { canvas: HTMLCanvasElement; latest: HTMLElement }>();
  private readonly spanButtons: HTMLButtonElement[] = [];
  private readonly status: HTMLElement;
  private times: number[] = [];
  private readonly values = new Map<MeasuredParameter, Array<number | null>>();
  private lastWindowId: string | null = null;
  private windowMs = 10_000;
  span: TrendSpan = '1 h';
  baseline: Record<string, unknown> | null = null;
  profile: unknown = null;

  constructor(onSpan: (span: TrendSpan) => void) {
    const group = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Trend span' });
    for (const span of Object.keys(TREND_SPANS_MS) as TrendSpan[]) {
      const button = h('button', { type: 'button', 'data-span': span, 'aria-pressed': String(span === this.span), text: span });
      button.addEventListener('click', () => onSpan(span));
      this.spanButtons.push(button);
      group.append(button);
    }
    this.status = h('span', { class: 'muted', role: 'status' });
    const grid = h('div', { class: 'trend-grid' });
    for (const p of PARAMETERS) {
      const canvas = h('canvas', { role: 'img', 'aria-label': `${p.label} trend` });
      const latest = h('span', { class: 'trend-latest' });
      grid.append(h('figure', { class: 'trend', 'data-parameter': p.key }, h('figcaption', {}, h('span', { text: `${p.label} (${p.unit})` }), latest), canvas));
      this.charts.set(p.key, { canvas, latest });
      this.values.set(p.key, []);
    }
    this.element = h(
      'section',
      { class: 'panel trends', 'aria-labelledby': 'trends-title' },
      h('div', { class: 'panel-head' }, h('h3', { id: 'trends-title', text: 'Trends' }), group, this.status, h('span', { class: 'legend' }, h('span', { class: 'swatch baseline' }), 'baseline ', h('span', { class: 'swatch threshold' }), 'threshold')),
      grid,
    );
  }

  setSpan(span: TrendSpan): void {
    this.span = span;
    for (const b of this.spanButtons) b.setAttribute('aria-pressed', String(b.dataset.span === span));
  }

  sinceMs(): number {
    return Date.now() - TREND_SPANS_MS[this.span];
  }

  limit(): number {
    return TREND_LIMIT;
  }

  load(measurements: EcgMeasurement[]): void {
    this.times = [];
    for (const list of this.values.values()) list.length = 0;
    this.lastWindowId = null;
    for (const m of measurements) this.append(m);
    this.status.textContent = measurements.length ? `${measurements.length} windows` : 'no windows in this span yet';
  }

  /** A live measurement; old points beyond the span are dropped so the page stays bounded. */
  append(m: EcgMeasurement): void {
    if (m.window_id === this.lastWindowId) return;
    const last = this.times[this.times.length - 1];
    if (last !== undefined && m.window_start_ms <= last) return;
    this.lastWindowId = m.window_id;
    this.windowMs = Math.max(1000, m.window_end_ms - m.window_start_ms);
    this.times.push(m.window_start_ms);
    for (const p of PARAMETERS) this.values.get(p.key)!.push(m[p.key]);
    const cutoff = m.window_start_ms - TREND_SPANS_MS[this.span];
    let drop = 0;
    while (drop < this.times.length && this.times[drop] < cutoff) drop++;
    if (drop > 0) {
      this.times.splice(0, drop);
      for (const list of this.values.values()) list.splice(0, drop);
    }
    for (const p of PARAMETERS) this.charts.get(p.key)!.latest.textContent = formatParameter(m, p.key);
  }

  draw(): void {
    const spanMs = TREND_SPANS_MS[this.span];
    const newest = this.times[this.times.length - 1] ?? Date.now();
    // The axis ends at the newest window (the simulator's clock may run ahead of the wall clock).
    const toMs = Math.max(newest + this.windowMs, Math.min(Date.now(), newest + spanMs));
    const fromMs = toMs - spanMs;
    for (const p of PARAMETERS) {
      const { canvas } = this.charts.get(p.key)!;
      const width = canvas.parentElement?.clientWidth ?? 400;
      drawTrendChart(canvas, {
        width: Math.max(200, width),
        height: CHART_HEIGHT,
        fromMs,
        toMs,
        times: this.times,
        values: this.values.get(p.key)!,
        references: referenceLines(p.key, this.baseline, this.profile),
        digits: p.digits,
        minRange: p.minRange,
        gapMs: this.windowMs * 3,
      });
    }
  }
}
