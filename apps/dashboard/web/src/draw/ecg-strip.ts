import type { AttentionSpan, BeatFiducials, LatestStrip } from '../contracts';
import { COLOURS, prepareCanvas } from './canvas';
import { millivoltsToY, stripLayout, StripLayout, timeToX } from './ecg-layout';

/** Fiducial points marked on the strip, with their colours (the page's legend uses the same). */
export const FIDUCIALS: ReadonlyArray<{ key: keyof BeatFiducials; label: string; colour: string }> = [
  { key: 'p_on_s', label: 'P onset', colour: '#ffd400' },
  { key: 'qrs_on_s', label: 'QRS onset', colour: '#00e5ff' },
  { key: 'qrs_off_s', label: 'QRS offset', colour: '#4d9bff' },
  { key: 't_peak_s', label: 'T peak', colour: '#ff7ad9' },
  { key: 't_off_s', label: 'T offset', colour: '#ff9f43' },
];

export interface StripDrawing {
  layout: StripLayout;
  beatsMarked: number;
  attentionTargets: string[];
}

/** Attention targets in a stable order, 'all' first. */
export function attentionTargets(spans: AttentionSpan[]): string[] {
  return [...new Set(spans.map((s) => s.target))].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b)));
}

/**
 * The latest window as on ECG paper (25 mm/s, 10 mm/mV): one row per lead, a 1 mV calibration
 * pulse, the network's attention as heat bands (one per target) shaded through the leads, and each
 * beat's fiducial points as ticks in a lane above the leads and faint lines through them.
 */
export function drawEcgStrip(canvas: HTMLCanvasElement, availableWidthPx: number, strip: LatestStrip): StripDrawing {
  const samples = strip.leads.reduce((n, lead) => Math.max(n, lead.mv.length), 0);
  const durationS = samples > 0 && strip.sample_rate_hz > 0 ? samples / strip.sample_rate_hz : 10;
  const attention = strip.measurement?.attention ?? [];
  const targets = attentionTargets(attention);
  const layout = stripLayout(availableWidthPx, strip.leads.length, durationS, targets.length);
  const ctx = prepareCanvas(canvas, layout.widthPx, layout.heightPx);

  ctx.fillStyle = COLOURS.paper;
  ctx.fillRect(0, 0, layout.widthPx, layout.heightPx);
  drawGrid(ctx, layout);
  drawAttention(ctx, layout, attention, targets);
  const beats = strip.measurement?.beats ?? [];
  drawFiducials(ctx, layout, beats);
  drawLeads(ctx, layout, strip);
  // Geometry for tests and tools that locate features on the drawing (CSS pixels).
  canvas.dataset.pxPerMm = layout.pxPerMm.toFixed(4);
  canvas.dataset.traceLeftPx = layout.traceLeftPx.toFixed(2);
  canvas.dataset.bandTopPx = layout.bandTopPx.toFixed(2);
  canvas.dataset.bandHeightPx = layout.bandHeightPx.toFixed(2);
  return { layout, beatsMarked: beats.length, attentionTargets: targets };
}

function drawGrid(ctx: CanvasRenderingContext2D, layout: StripLayout): void {
  const { pxPerMm, widthPx, heightPx, leadsTopPx, traceLeftPx } = layout;
  const lines = (step: number, colour: string) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.beginPath();
    // The paper is aligned to time 0 and the top of the lead area, so baselines sit on major lines.
    for (let x = traceLeftPx % (step * pxPerMm); x <= widthPx; x += step * pxPerMm) {
      ctx.moveTo(Math.round(x) + 0.5, leadsTopPx);
      ctx.lineTo(Math.round(x) + 0.5, heightPx);
    }
    for (let y = leadsTopPx; y <= heightPx; y += step * pxPerMm) {
      ctx.moveTo(0, Math.round(y) + 0.5);
      ctx.lineTo(widthPx, Math.round(y) + 0.5);
    }
    ctx.stroke();
  };
  if (pxPerMm >= 3) lines(1, COLOURS.gridMinor);
  lines(5, COLOURS.gridMajor);
}

function heat(weight: number): string {
  const w = Math.max(0, Math.min(1, weight));
  // Dark red -> orange -> yellow as attention rises.
  const r = 255;
  const g = Math.round(60 + 180 * w);
  const b = Math.round(20 * (1 - w));
  return `rgba(${r}, ${g}, ${b}, ${0.25 + 0.75 * w})`;
}

function drawAttention(ctx: CanvasRenderingContext2D, layout: StripLayout, spans: AttentionSpan[], targets: string[]): void {
  ctx.font = `${Math.max(10, layout.pxPerMm * 2.4)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  targets.forEach((target, i) => {
    const top = layout.bandTopPx + i * layout.bandHeightPx;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.04)';
    ctx.fillRect(layout.traceLeftPx, top, timeToX(layout, layout.durationS) - layout.traceLeftPx, layout.bandHeightPx - 1);
    for (const span of spans) {
      if (span.target !== target) continue;
      ctx.fillStyle = heat(span.weight);
      ctx.fillRect(timeToX(layout, span.start_s), top, Math.max(1, timeToX(layout, span.end_s) - timeToX(layout, span.start_s)), layout.bandHeightPx - 1);
    }
    ctx.fillStyle = COLOURS.muted;
    ctx.fillText(target, layout.traceLeftPx - 4, top + layout.bandHeightPx / 2);
  });
  // The first target's attention also shades the traces, so the eye finds what the network looked at.
  const shaded = targets[0];
  if (shaded === undefined) return;
  for (const span of spans) {
    if (span.target !== shaded) continue;
    ctx.fillStyle = `rgba(255, 170, 0, ${0.06 + 0.18 * Math.max(0, Math.min(1, span.weight))})`;
    ctx.fillRect(timeToX(layout, span.start_s), layout.leadsTopPx, timeToX(layout, span.end_s) - timeToX(layout, span.start_s), layout.heightPx - layout.leadsTopPx);
  }
}

function drawFiducials(ctx: CanvasRenderingContext2D, layout: StripLayout, beats: BeatFiducials[]): void {
  const laneTop = layout.fiducialLaneTopPx;
  const laneHeight = layout.leadsTopPx - laneTop - layout.pxPerMm;
  for (const { key, colour } of FIDUCIALS) {
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    for (const beat of beats) {
      const seconds = beat[key];
      if (seconds === null || seconds === undefined || seconds < 0 || seconds > layout.durationS) continue;
      const x = Math.round(timeToX(layout, seconds)) + 0.5;
      // Marker in the lane: a downward triangle pointing at the leads.
      ctx.beginPath();
      ctx.moveTo(x - layout.pxPerMm * 0.8, laneTop);
      ctx.lineTo(x + layout.pxPerMm * 0.8, laneTop);
      ctx.lineTo(x, laneTop + laneHeight);
      ctx.closePath();
      ctx.fill();
      ctx.globalAlpha = 0.35;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, layout.leadsTopPx);
      ctx.lineTo(x, layout.heightPx);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
  }
}

function drawLeads(ctx: CanvasRenderingContext2D, layout: StripLayout, strip: LatestStrip): void {
  const { pxPerMm } = layout;
  ctx.font = `bold ${Math.max(11, pxPerMm * 3)}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  strip.leads.forEach((lead, row) => {
    const base = layout.rowBaselinePx[row];
    ctx.fillStyle = COLOURS.text;
    ctx.fillText(lead.name, 2, base - 11 * pxPerMm);
    // 1 mV calibration pulse, 5 mm wide, drawn before time 0.
    const calLeft = layout.traceLeftPx - 8 * pxPerMm;
    ctx.strokeStyle = COLOURS.ecg;
    ctx.lineWidth = Math.max(1.2, pxPerMm * 0.3);
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(calLeft - pxPerMm, base);
    ctx.lineTo(calLeft, base);
    ctx.lineTo(calLeft, millivoltsToY(layout, row, 1));
    ctx.lineTo(calLeft + 5 * pxPerMm, millivoltsToY(layout, row, 1));
    ctx.lineTo(calLeft + 5 * pxPerMm, base);
    ctx.lineTo(calLeft + 6 * pxPerMm, base);
    ctx.stroke();

    ctx.beginPath();
    const dt = 1 / strip.sample_rate_hz;
    let pen = false;
    for (let i = 0; i < lead.mv.length; i++) {
      const v = lead.mv[i];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const x = timeToX(layout, i * dt);
      const y = millivoltsToY(layout, row, v);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
  });
}
