import type { TimeSeries } from '../state/time-series';
import { COLOURS, prepareCanvas } from './canvas';

export interface SparklineOptions {
  width: number;
  height: number;
  spanMs: number;
  /** A limit drawn as a faint line when it falls inside the range (e.g. QTc 500 ms). */
  limit?: number | null;
  colour?: string;
}

/** A small line of the last `spanMs` of a series, scaled to its own range; nothing is drawn without two points. */
export function drawSparkline(canvas: HTMLCanvasElement, series: TimeSeries, options: SparklineOptions): void {
  const { width, height, spanMs } = options;
  const ctx = prepareCanvas(canvas, width, height);
  const n = series.length;
  if (n < 2) return;
  const end = series.t[n - 1];
  const start = end - spanMs;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (series.t[i] < start) continue;
    min = Math.min(min, series.v[i]);
    max = Math.max(max, series.v[i]);
  }
  if (!Number.isFinite(min)) return;
  const pad = Math.max(5, (max - min) * 0.15);
  min -= pad;
  max += pad;
  const x = (t: number) => ((t - start) / spanMs) * (width - 2) + 1;
  const y = (v: number) => height - 2 - ((v - min) / (max - min)) * (height - 4);

  if (options.limit != null && options.limit > min && options.limit < max) {
    ctx.strokeStyle = COLOURS.threshold;
    ctx.globalAlpha = 0.6;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(0, y(options.limit));
    ctx.lineTo(width, y(options.limit));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }
  ctx.strokeStyle = options.colour ?? COLOURS.trace;
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let started = false;
  for (let i = 0; i < n; i++) {
    if (series.t[i] < start) continue;
    if (started) ctx.lineTo(x(series.t[i]), y(series.v[i]));
    else ctx.moveTo(x(series.t[i]), y(series.v[i]));
    started = true;
  }
  ctx.stroke();
}
