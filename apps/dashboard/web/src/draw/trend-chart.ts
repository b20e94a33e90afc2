import { formatClock } from '../format';
import { COLOURS, niceTicks, prepareCanvas } from './canvas';

export interface ReferenceLine {
  value: number;
  label: string;
  kind: 'baseline' | 'threshold';
}

export interface TrendChartInput {
  width: number;
  height: number;
  fromMs: number;
  toMs: number;
  times: ArrayLike<number>;
  /** null = not measured in that window: the line breaks. */
  values: ArrayLike<number | null>;
  references: ReferenceLine[];
  digits: number;
  minRange: number;
  /** Points further apart than this are not joined (missing windows). */
  gapMs: number;
}

const MARGIN = { left: 52, right: 70, top: 8, bottom: 22 };

/** A parameter over time with its baseline (blue, dashed) and alarm thresholds (red, dashed). */
export function drawTrendChart(canvas: HTMLCanvasElement, input: TrendChartInput): void {
  const { width, height, fromMs, toMs, times, values, references } = input;
  const ctx = prepareCanvas(canvas, width, height);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  if (plotW < 20 || plotH < 20) return;

  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    if (v === null || times[i] < fromMs || times[i] > toMs) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  for (const ref of references) {
    min = Math.min(min, ref.value);
    max = Math.max(max, ref.value);
  }
  if (!Number.isFinite(min)) {
    min = 0;
    max = 1;
  }
  if (max - min < input.minRange) {
    const mid = (max + min) / 2;
    min = mid - input.minRange / 2;
    max = mid + input.minRange / 2;
  }
  const pad = (max - min) * 0.08;
  min -= pad;
  max += pad;
  const x = (t: number) => MARGIN.left + ((t - fromMs) / (toMs - fromMs)) * plotW;
  const y = (v: number) => MARGIN.top + plotH - ((v - min) / (max - min)) * plotH;

  ctx.font = '12px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.strokeStyle = COLOURS.axis;
  ctx.fillStyle = COLOURS.muted;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  for (const tick of niceTicks(min, max, 4)) {
    ctx.beginPath();
    ctx.moveTo(MARGIN.left, Math.round(y(tick)) + 0.5);
    ctx.lineTo(MARGIN.left + plotW, Math.round(y(tick)) + 0.5);
    ctx.stroke();
    ctx.fillText(tick.toFixed(input.digits), MARGIN.left - 6, y(tick));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const timeTicks = 4;
  for (let i = 0; i <= timeTicks; i++) {
    const t = fromMs + ((toMs - fromMs) * i) / timeTicks;
    ctx.fillText(formatClock(t).slice(0, 5), x(t), MARGIN.top + plotH + 5);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(MARGIN.left, MARGIN.top, plotW, plotH);
  ctx.clip();
  ctx.strokeStyle = COLOURS.trace;
  ctx.fillStyle = COLOURS.trace;
  ctx.lineWidth = 2;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let previous: number | null = null;
  let lonely = 0;
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    const t = times[i];
    if (v === null || t < fromMs - input.gapMs) {
      previous = null;
      continue;
    }
    if (previous !== null && t - previous <= input.gapMs) ctx.lineTo(x(t), y(v));
    else {
      ctx.moveTo(x(t), y(v));
      // An isolated point would be invisible as a path: mark it.
      const next = times[i + 1];
      if ((next === undefined || next - t > input.gapMs || values[i + 1] === null) && lonely++ < 2000) ctx.fillRect(x(t) - 1.5, y(v) - 1.5, 3, 3);
    }
    previous = t;
  }
  ctx.stroke();
  ctx.restore();

  ctx.lineWidth = 1.5;
  ctx.setLineDash([6, 4]);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const labelYs = spreadLabels(references.map((r) => y(r.value)), 12, MARGIN.top, MARGIN.top + plotH);
  references.forEach((ref, i) => {
    const colour = ref.kind === 'baseline' ? COLOURS.baseline : COLOURS.threshold;
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(MARGIN.left, y(ref.value));
    ctx.lineTo(MARGIN.left + plotW, y(ref.value));
    ctx.stroke();
    ctx.fillText(ref.label, MARGIN.left + plotW + 4, labelYs[i]);
  });
  ctx.setLineDash([]);
}

/** Label positions at least `gap` apart, as close as possible to their lines (same order as given). */
export function spreadLabels(ys: number[], gap: number, top: number, bottom: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const placed: number[] = [];
  for (const { y } of order) placed.push(Math.max(y, placed.length ? placed[placed.length - 1] + gap : top - gap));
  // Push back up from the bottom if the stack overflowed the plot.
  for (let k = placed.length - 1; k >= 0; k--) {
    const limit = k === placed.length - 1 ? bottom : placed[k + 1] - gap;
    if (placed[k] > limit) placed[k] = limit;
  }
  const out = new Array<number>(ys.length);
  order.forEach(({ i }, k) => (out[i] = placed[k]));
  return out;
}
