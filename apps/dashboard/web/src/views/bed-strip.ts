import type { LatestStrip } from '../contracts';
import { h } from '../dom';
import { attentionTargets, drawEcgStrip, FIDUCIALS } from '../draw/ecg-strip';
import { formatClock } from '../format';

/** The latest 10-s window on ECG paper with the network's attention and the measured fiducials. */
export class BedStrip {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private readonly scroller: HTMLElement;
  strip: LatestStrip | null = null;

  constructor() {
    this.canvas = h('canvas', { class: 'ecg-strip', role: 'img', 'aria-label': 'ECG strip: waiting for the first window' });
    this.caption = h('p', { class: 'muted strip-caption', role: 'status' });
    this.scroller = h('div', { class: 'strip-scroll', tabindex: '0', 'aria-label': 'ECG strip, scrollable' }, this.canvas);
    const legend = h(
      'ul',
      { class: 'strip-legend', 'aria-label': 'Strip legend' },
      h('li', {}, h('span', { class: 'swatch heat' }), 'network attention'),
      ...FIDUCIALS.map((f) => {
        const swatch = h('span', { class: 'swatch' });
        swatch.style.background = f.colour;
        return h('li', {}, swatch, f.label);
      }),
      h('li', { class: 'muted', text: '25 mm/s · 10 mm/mV · 1 mV calibration pulse' }),
    );
    this.element = h('section', { class: 'panel strip', 'aria-labelledby': 'strip-title' }, h('div', { class: 'panel-head' }, h('h3', { id: 'strip-title', text: 'Latest window' }), this.caption), this.scroller, legend);
  }

  show(strip: LatestStrip | null): void {
    this.strip = strip;
    this.draw();
  }

  draw(): void {
    const strip = this.strip;
    if (!strip || !strip.leads.length) {
      this.caption.textContent = 'No window received from this bed yet.';
      this.canvas.hidden = true;
      return;
    }
    this.canvas.hidden = false;
    const drawing = drawEcgStrip(this.canvas, this.scroller.clientWidth - 2, strip);
    const m = strip.measurement;
    const attention = m?.attention ?? [];
    const strongest = attention.reduce<(typeof attention)[number] | null>((best, a) => (!best || a.weight > best.weight ? a : best), null);
    this.canvas.dataset.windowId = strip.window_id;
    this.canvas.dataset.beats = String(drawing.beatsMarked);
    this.canvas.dataset.attentionSpans = String(attention.length);
    this.caption.textContent = `${formatClock(strip.start_ms)} · ${strip.leads.length} lead${strip.leads.length === 1 ? '' : 's'} · ${drawing.beatsMarked} beats marked · ${
      m ? `${m.method} ${m.model_version}` : 'not measured yet'
    }`;
    this.canvas.setAttribute(
      'aria-label',
      `ECG strip of window ${strip.window_id} from ${formatClock(strip.start_ms)}, leads ${strip.leads.map((l) => l.name).join(', ')}; ${drawing.beatsMarked} beats with fiducials marked; ${
        strongest ? `attention strongest ${strongest.start_s.toFixed(2)}–${strongest.end_s.toFixed(2)} s for ${strongest.target}` : 'no attention reported'
      }; attention targets: ${attentionTargets(attention).join(', ') || 'none'}`,
    );
  }
}
