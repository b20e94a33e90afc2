import type { AppContext, View } from '../app-context';
import type { Alert, EcgMeasurement } from '../contracts';
import { Disposer, h, setAttr, setText } from '../dom';
import { drawSparkline } from '../draw/sparkline';
import { alertKindLabel, alertTone, alertToneLabel, formatClock, formatParameter, formatPercent, unmeasuredReason } from '../format';
import { BedEntry, SPARKLINE_SPAN_MS } from '../state/ward-state';
import { ApiError } from '../api-client';

/** Window length of the sparkline history request: one hour of 10-s windows. */
const HISTORY_LIMIT = 360;
const HISTORY_CONCURRENCY = 3;
const SPARK_HEIGHT = 34;
/** QTc limit drawn on the sparkline (clinical default; the bed view shows each bed's own). */
const QTC_LIMIT_MS = 500;

interface Tile {
  cell: HTMLLIElement;
  link: HTMLAnchorElement;
  badge: HTMLSpanElement;
  values: Record<'hr_bpm' | 'qtc_ms' | 'pr_ms' | 'qrs_ms' | 'qt_ms' | 't_amp_mv', HTMLElement>;
  quality: HTMLElement;
  qualityBar: HTMLElement;
  updated: HTMLElement;
  spark: HTMLCanvasElement;
  tone: string;
}

/** One tile per bed: the numbers a nurse reads from across the room, the newest alert's colour, QTc over the last hour. */
export class WardView implements View {
  private readonly disposer = new Disposer();
  private readonly tiles = new Map<string, Tile>();
  private readonly dirty = new Set<string>();
  private frame: number | null = null;
  private grid!: HTMLUListElement;
  private empty!: HTMLElement;
  private historyQueue: string[] = [];
  private historyActive = 0;
  private closed = false;

  constructor(private readonly ctx: AppContext) {}

  mount(main: HTMLElement): void {
    this.grid = h('ul', { class: 'ward-grid', 'aria-label': 'Beds' });
    this.empty = h('p', { class: 'empty', text: 'Waiting for the first measurements…' });
    main.append(h('h2', { class: 'visually-hidden', text: 'Ward' }), this.empty, this.grid);
    this.disposer.add(this.ctx.state.subscribe((change) => (change.kind === 'beds' ? this.syncTiles() : change.kind === 'bed' ? this.markDirty(change.bedId) : undefined)));
    this.disposer.listen(this.grid, 'keydown', (event) => this.moveFocus(event as KeyboardEvent));
    this.disposer.listen(window, 'resize', () => this.markAllDirty());
    // Staleness depends on the clock, not on events.
    const staleTimer = window.setInterval(() => this.markAllDirty(), 5000);
    this.disposer.add(() => window.clearInterval(staleTimer));
    this.syncTiles();
  }

  unmount(): void {
    this.closed = true;
    this.disposer.dispose();
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.tiles.clear();
  }

  private syncTiles(): void {
    const ids = this.ctx.state.bedIds();
    this.empty.hidden = ids.length > 0;
    ids.forEach((id, index) => {
      let tile = this.tiles.get(id);
      if (!tile) {
        tile = this.createTile(id);
        this.tiles.set(id, tile);
        this.queueHistory(id);
      }
      // Keep natural order without rebuilding (a rebuild would lose keyboard focus).
      if (this.grid.children[index] !== tile.cell) this.grid.insertBefore(tile.cell, this.grid.children[index] ?? null);
      this.dirty.add(id);
    });
    this.schedule();
  }

  private createTile(bedId: string): Tile {
    const value = (cls: string) => h('span', { class: `value ${cls}` });
    const values = { hr_bpm: value('big hr'), qtc_ms: value('big qtc'), pr_ms: value(''), qrs_ms: value(''), qt_ms: value(''), t_amp_mv: value('') };
    // Units sit beside the label, so the numbers get the full width of their column.
    const param = (label: string, el: HTMLElement, unit: string) => h('div', { class: 'param' }, h('dt', {}, label, h('span', { class: 'unit', text: unit })), h('dd', {}, el));
    const vital = (label: string, el: HTMLElement, unit: string) => h('div', { class: 'vital' }, h('span', { class: 'label' }, label, h('span', { class: 'unit', text: unit })), el);
    const badge = h('span', { class: 'badge', hidden: true });
    const quality = h('span', { class: 'quality-text' });
    const qualityBar = h('span', { class: 'quality-fill' });
    const updated = h('time', { class: 'updated' });
    const spark = h('canvas', { class: 'spark', 'aria-hidden': 'true' });
    const link = h(
      'a',
      { class: 'tile', href: `#/bed/${encodeURIComponent(bedId)}`, 'data-bed-id': bedId },
      h('div', { class: 'tile-head' }, h('span', { class: 'bed-name', text: bedId }), badge),
      h(
        'div',
        { class: 'tile-main' },
        vital('HR', values.hr_bpm, 'bpm'),
        vital('QTc', values.qtc_ms, 'ms'),
      ),
      h('dl', { class: 'tile-params' }, param('PR', values.pr_ms, 'ms'), param('QRS', values.qrs_ms, 'ms'), param('QT', values.qt_ms, 'ms'), param('T', values.t_amp_mv, 'mV')),
      h('div', { class: 'spark-row' }, h('span', { class: 'spark-label', text: 'QTc 1 h' }), spark),
      h('div', { class: 'tile-foot' }, h('span', { class: 'quality' }, h('span', { class: 'quality-label', text: 'SQ' }), h('span', { class: 'quality-bar' }, qualityBar), quality), updated),
    );
    const cell = h('li', { class: 'tile-cell' }, link);
    return { cell, link, badge, values, quality, qualityBar, updated, spark, tone: '' };
  }

  private markDirty(bedId: string): void {
    this.dirty.add(bedId);
    this.schedule();
  }

  private markAllDirty(): void {
    for (const id of this.tiles.keys()) this.dirty.add(id);
    this.schedule();
  }

  /** Many events per second become one paint per frame. */
  private schedule(): void {
    if (this.frame !== null || this.closed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      for (const id of this.dirty) {
        const entry = this.ctx.state.beds.get(id);
        const tile = this.tiles.get(id);
        if (entry && tile) this.render(tile, entry);
      }
      this.dirty.clear();
    });
  }

  private render(tile: Tile, entry: BedEntry): void {
    const m = entry.latest;
    for (const key of Object.keys(tile.values) as Array<keyof Tile['values']>) {
      setText(tile.values[key], formatParameter(m, key));
      setAttr(tile.values[key], 'title', unmeasuredReason(m, key));
    }
    setText(tile.quality, formatPercent(m?.quality));
    tile.qualityBar.style.width = `${Math.round((m?.quality ?? 0) * 100)}%`;
    tile.qualityBar.classList.toggle('poor', (m?.quality ?? 0) < 0.5);
    setText(tile.updated, m ? formatClock(m.window_end_ms) : 'no data');
    // Machine-readable end of the shown window: assistive tech and the soak test read it.
    setAttr(tile.updated, 'datetime', m ? new Date(m.window_end_ms).toISOString() : null);
    const stale = isStale(m);
    tile.link.classList.toggle('stale', stale);

    const alert = this.ctx.state.newestAlert(entry.bed_id);
    const tone = alert ? `tone-${alertTone(alert)}${alert.state === 'acknowledged' ? ' acked' : ''}` : '';
    if (tone !== tile.tone) {
      if (tile.tone) tile.link.classList.remove(...tile.tone.split(' '));
      if (tone) tile.link.classList.add(...tone.split(' '));
      tile.tone = tone;
    }
    // The tile takes the newest alert's colour (issue 7); "+N" says more alerts are active on this bed.
    const others = alert ? this.ctx.state.alerts.activeForBed(entry.bed_id).length - 1 : 0;
    tile.badge.hidden = !alert;
    setText(tile.badge, alert ? `${alertKindLabel(alert.kind)}${alert.state === 'acknowledged' ? ' ✓' : ''}${others > 0 ? ` +${others}` : ''}` : '');
    setAttr(tile.link, 'aria-label', describeTile(entry.bed_id, m, alert, stale, others));

    const width = tile.spark.parentElement ? tile.spark.parentElement.clientWidth - 64 : 160;
    drawSparkline(tile.spark, entry.qtc, { width: Math.max(60, width), height: SPARK_HEIGHT, spanMs: SPARKLINE_SPAN_MS, limit: QTC_LIMIT_MS });
  }

  /** Arrow keys move between tiles (Enter opens, as on any link). */
  private moveFocus(event: KeyboardEvent): void {
    const keys = ['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'Home', 'End'];
    if (!keys.includes(event.key)) return;
    const links = [...this.grid.querySelectorAll<HTMLAnchorElement>('a.tile')];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index < 0) return;
    const top = links[0].offsetTop;
    const perRow = Math.max(1, links.filter((l) => l.offsetTop === top).length);
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow, Home: -index, End: links.length - 1 - index };
    const target = links[Math.max(0, Math.min(links.length - 1, index + step[event.key]))];
    event.preventDefault();
    target.focus();
  }

  private queueHistory(bedId: string): void {
    this.historyQueue.push(bedId);
    this.pumpHistory();
  }

  /** Sparkline history is fetched after the tiles are on screen, a few beds at a time. */
  private pumpHistory(): void {
    while (!this.closed && this.historyActive < HISTORY_CONCURRENCY && this.historyQueue.length) {
      const bedId = this.historyQueue.shift()!;
      const entry = this.ctx.state.beds.get(bedId);
      if (!entry || entry.historyLoaded) continue;
      this.historyActive++;
      this.ctx.api
        .measurements(bedId, Date.now() - SPARKLINE_SPAN_MS, HISTORY_LIMIT)
        .then((res) => {
          if (!this.closed) this.ctx.state.applyHistory(bedId, res.measurements);
        })
        .catch((error: unknown) => {
          if (!(error instanceof ApiError && error.status === 404)) console.warn(`QTc history of ${bedId}:`, error);
        })
        .finally(() => {
          this.historyActive--;
          this.pumpHistory();
        });
    }
  }
}

/** No new window for three window lengths (at least 30 s): the numbers on the tile are old. */
export function isStale(m: EcgMeasurement | null, nowMs = Date.now()): boolean {
  if (!m) return true;
  const windowMs = Math.max(1000, m.window_end_ms - m.window_start_ms);
  return nowMs - m.measured_at_ms > Math.max(30_000, 3 * windowMs);
}

function describeTile(bedId: string, m: EcgMeasurement | null, alert: Alert | null, stale: boolean, others: number): string {
  const parts = [`Bed ${bedId}`];
  if (!m) parts.push('no measurement yet');
  else {
    parts.push(`HR ${formatParameter(m, 'hr_bpm')} bpm`, `QTc ${formatParameter(m, 'qtc_ms')} ms`, `PR ${formatParameter(m, 'pr_ms')} ms`, `QRS ${formatParameter(m, 'qrs_ms')} ms`, `signal quality ${formatPercent(m.quality)}`);
    if (stale) parts.push('data is stale');
  }
  if (alert) parts.push(`alarm: ${alertKindLabel(alert.kind)}, ${alertToneLabel(alert)}, ${alert.state}${others > 0 ? `, and ${others} more active` : ''}`);
  return parts.join(', ');
}
