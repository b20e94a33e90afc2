import { GLYPH_HEIGHT, GLYPH_WIDTH, Raster, Rgb, textWidth } from '@aicrn/signal';
import { AttentionExplanation } from './attention-explanation';

const BLACK: Rgb = [0, 0, 0];
const GRID_MINOR: Rgb = [246, 226, 226];
const GRID_MAJOR: Rgb = [232, 190, 190];
const SPAN: Rgb = [40, 90, 200];
const TRACE: Rgb = [10, 10, 10];

/** Colour ramp for attention (low -> high): pale yellow to dark red, so unattended time stays quiet. */
const HEAT: readonly Rgb[] = [
  [255, 255, 204],
  [254, 217, 118],
  [253, 141, 60],
  [227, 26, 28],
  [128, 0, 38],
];

const WIDTH = 1400;
const TEXT_SCALE = 2;
const LINE_PX = GLYPH_HEIGHT * TEXT_SCALE + 8;
const PLOT_LEFT = 90;
const PLOT_RIGHT = WIDTH - 30;
const ROWS_TOP = 96;
const TRACE_PX = 78;
const BAND_GAP_PX = 2;
const BAND_PX = 14;
const ROW_GAP_PX = 10;

export interface AttentionRowLayout {
  lead: string;
  traceTop: number;
  traceBottom: number;
  bandTop: number;
  bandBottom: number;
}

/** Where everything sits in the picture: one row per lead, its trace and the heat band directly under it. */
export interface AttentionPngLayout {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  pxPerSecond: number;
  rows: AttentionRowLayout[];
}

export function attentionPngLayout(explanation: AttentionExplanation): AttentionPngLayout {
  const rows = explanation.leadNames.map((lead, i) => {
    const traceTop = ROWS_TOP + i * (TRACE_PX + BAND_GAP_PX + BAND_PX + ROW_GAP_PX);
    const bandTop = traceTop + TRACE_PX + BAND_GAP_PX;
    return { lead, traceTop, traceBottom: traceTop + TRACE_PX - 1, bandTop, bandBottom: bandTop + BAND_PX - 1 };
  });
  // Below the rows: axis, its labels and title, and two legend lines.
  const height = rows[rows.length - 1].bandBottom + 20 + 5 * LINE_PX;
  return { width: WIDTH, height, plotLeft: PLOT_LEFT, plotRight: PLOT_RIGHT, pxPerSecond: (PLOT_RIGHT - PLOT_LEFT) / explanation.windowSeconds, rows };
}

/** Title options: where the window came from, e.g. "ludb/1.hea 0-10 s". */
export interface AttentionPngOptions {
  source?: string;
}

/**
 * The window's input leads (mV at the model rate, one scale for all) with the network's spatial attention
 * as a heat band under each trace, the top attention spans marked across all rows, a time axis in seconds,
 * the measured parameters and a legend of the colour scale (min..max of this map).
 */
export function renderAttentionPng(explanation: AttentionExplanation, options: AttentionPngOptions = {}): Buffer {
  const layout = attentionPngLayout(explanation);
  const raster = new Raster(layout.width, layout.height);
  const set = raster.set;
  const text = (value: string, x: number, y: number, colour: Rgb = BLACK): void => raster.text(value, x, y, TEXT_SCALE, colour);
  const xOf = (seconds: number): number => layout.plotLeft + seconds * layout.pxPerSecond;

  drawHeader(explanation, options, text);
  drawGrid(explanation, layout, set);
  const [attMin, attMax] = range(explanation.attention);
  drawTraces(explanation, layout, set, text);
  drawBands(explanation, layout, attMin, attMax, set);
  drawSpans(explanation, layout, set, text, xOf);
  const axisY = drawTimeAxis(explanation, layout, set, text, xOf);
  drawLegend(explanation, layout, axisY, attMin, attMax, set, text);
  // pngjs tries every row filter: the heat bands repeat row to row, so this writes about 85 kB instead of 600 kB
  // for one picture, at about 60 ms more.
  return raster.toPng();
}

type SetPixel = (x: number, y: number, colour: Rgb) => void;
type DrawText = (value: string, x: number, y: number, colour?: Rgb) => void;

function drawHeader(explanation: AttentionExplanation, options: AttentionPngOptions, text: DrawText): void {
  const title = `AICRN SPATIAL ATTENTION  MODEL ${explanation.modelVersion}  `;
  // A long path keeps its end (the file name), where it tells records apart.
  const room = Math.floor((WIDTH - 20) / ((GLYPH_WIDTH + 1) * TEXT_SCALE)) - title.length;
  const source = options.source ?? '';
  text(title + (source.length > room ? `...${source.slice(source.length - room + 3)}` : source), 10, 8);
  const p = explanation.parameters;
  const value = (v: number | null, digits: number, unit: string): string => (v === null ? 'N/A' : `${v.toFixed(digits)} ${unit}`);
  text(
    `HR ${value(p.hr_bpm, 0, 'BPM')}   PR ${value(p.pr_ms, 0, 'MS')}   QRS ${value(p.qrs_ms, 0, 'MS')}   QT ${value(p.qt_ms, 0, 'MS')}   QTC ${value(p.qtc_ms, 0, 'MS')}   R(V5) ${value(p.r_amp_mv, 2, 'MV')}   T(V5) ${value(p.t_amp_mv, 2, 'MV')}`,
    10,
    8 + LINE_PX,
  );
  // One backbone feeds every output head, so there is a single map; a one-target model's map is that target's.
  const whose = explanation.targets.length === 1 ? `ATTENTION OF ${explanation.targets[0]}` : 'ATTENTION SHARED BY ALL PARAMETERS (ONE BACKBONE)';
  const derived = explanation.derivedLeads.length ? `   DERIVED: ${explanation.derivedLeads.join(' ')}` : '';
  text(`${whose}   TRACES: NETWORK INPUT AT ${explanation.sampleRateHz} HZ${derived}`, 10, 8 + 2 * LINE_PX);
}

/** ECG-paper style vertical lines: faint every 0.2 s, stronger every second. */
function drawGrid(explanation: AttentionExplanation, layout: AttentionPngLayout, set: SetPixel): void {
  const steps = Math.round(explanation.windowSeconds / 0.2);
  for (let i = 0; i <= steps; i++) {
    const x = layout.plotLeft + i * 0.2 * layout.pxPerSecond;
    const colour = i % 5 === 0 ? GRID_MAJOR : GRID_MINOR;
    for (const row of layout.rows) for (let y = row.traceTop; y <= row.traceBottom; y++) set(x, y, colour);
  }
}

/** Draws every lead on one mV scale, so amplitudes compare across leads. */
function drawTraces(explanation: AttentionExplanation, layout: AttentionPngLayout, set: SetPixel, text: DrawText): void {
  const spans = explanation.leadsMv.map((mv) => range(mv));
  const widest = Math.max(...spans.map(([lo, hi]) => hi - lo), 1e-6);
  // At most one trace height per mV, so the 1-mV calibration bar always fits its row.
  const pxPerMv = Math.min(TRACE_PX, (TRACE_PX - 4) / widest);
  const perSample = layout.pxPerSecond / explanation.sampleRateHz;
  layout.rows.forEach((row, i) => {
    const mv = explanation.leadsMv[i];
    const [lo, hi] = spans[i];
    const middle = (row.traceTop + row.traceBottom) / 2;
    const yOf = (v: number): number => Math.min(row.traceBottom, Math.max(row.traceTop, middle - (v - (lo + hi) / 2) * pxPerMv));
    text(row.lead, 10, middle - (GLYPH_HEIGHT * TEXT_SCALE) / 2);
    // 1-mV calibration bar left of the trace.
    for (let y = middle - pxPerMv / 2; y <= middle + pxPerMv / 2; y++) (set(layout.plotLeft - 12, y, BLACK), set(layout.plotLeft - 11, y, BLACK));
    // Per pixel column, a vertical stroke from the previous sample through every sample in the column.
    let previous = mv.length ? yOf(mv[0]) : middle;
    let t = 0;
    for (let x = layout.plotLeft; x < layout.plotRight && t < mv.length; x++) {
      let top = previous;
      let bottom = previous;
      for (; t < mv.length && layout.plotLeft + t * perSample < x + 1; t++) {
        const y = yOf(mv[t]);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        previous = y;
      }
      for (let y = Math.round(top); y <= Math.round(bottom); y++) set(x, y, TRACE);
    }
  });
}

/** The heat band under each row: per pixel column, the mean attention of the steps it covers. */
function drawBands(explanation: AttentionExplanation, layout: AttentionPngLayout, attMin: number, attMax: number, set: SetPixel): void {
  const { attention, secondsPerStep, offsetSeconds } = explanation;
  const spread = attMax - attMin;
  for (let x = layout.plotLeft; x < layout.plotRight; x++) {
    const t0 = (x - layout.plotLeft) / layout.pxPerSecond;
    const t1 = (x + 1 - layout.plotLeft) / layout.pxPerSecond;
    const first = Math.max(0, Math.min(attention.length - 1, Math.floor((t0 - offsetSeconds) / secondsPerStep)));
    const last = Math.max(first, Math.min(attention.length - 1, Math.ceil((t1 - offsetSeconds) / secondsPerStep) - 1));
    let sum = 0;
    for (let i = first; i <= last; i++) sum += attention[i];
    const level = spread > 0 ? (sum / (last - first + 1) - attMin) / spread : 0;
    const colour = heat(level);
    for (const row of layout.rows) for (let y = row.bandTop; y <= row.bandBottom; y++) set(x, y, colour);
  }
}

/** The top spans: numbered bars above the first row and dashed edges through every row. */
function drawSpans(explanation: AttentionExplanation, layout: AttentionPngLayout, set: SetPixel, text: DrawText, xOf: (s: number) => number): void {
  const barY = layout.rows[0].traceTop - 8;
  explanation.spans.forEach((span, i) => {
    const x0 = xOf(span.start_s);
    const x1 = Math.max(x0 + 1, xOf(span.end_s));
    for (let x = x0; x <= x1; x++) for (let y = barY; y < barY + 4; y++) set(x, y, SPAN);
    const label = String(i + 1);
    text(label, (x0 + x1) / 2 - textWidth(label, TEXT_SCALE) / 2, barY - 2 - GLYPH_HEIGHT * TEXT_SCALE, SPAN);
    for (const x of [x0, x1]) {
      for (const row of layout.rows) for (let y = row.traceTop; y <= row.bandBottom; y++) if (Math.floor(y / 3) % 2 === 0) set(x, y, SPAN);
    }
  });
}

/** Seconds along the bottom; returns the axis line's y. */
function drawTimeAxis(explanation: AttentionExplanation, layout: AttentionPngLayout, set: SetPixel, text: DrawText, xOf: (s: number) => number): number {
  const axisY = layout.rows[layout.rows.length - 1].bandBottom + 6;
  for (let x = layout.plotLeft; x <= layout.plotRight; x++) set(x, axisY, BLACK);
  for (let s = 0; s <= explanation.windowSeconds + 1e-9; s++) {
    const x = xOf(s);
    for (let y = axisY; y <= axisY + 5; y++) set(x, y, BLACK);
    const label = String(s);
    text(label, x - textWidth(label, TEXT_SCALE) / 2, axisY + 9);
  }
  const label = 'TIME IN WINDOW (S)';
  text(label, (layout.plotLeft + layout.plotRight) / 2 - textWidth(label, TEXT_SCALE) / 2, axisY + 9 + LINE_PX);
  return axisY;
}

function drawLegend(explanation: AttentionExplanation, layout: AttentionPngLayout, axisY: number, attMin: number, attMax: number, set: SetPixel, text: DrawText): void {
  const y = axisY + 14 + 2 * LINE_PX;
  const barW = 240;
  const lowLabel = `LOW ${attMin.toFixed(3)}`;
  text(lowLabel, layout.plotLeft, y + 2);
  const barX = layout.plotLeft + textWidth(lowLabel, TEXT_SCALE) + 10;
  for (let x = 0; x < barW; x++) for (let dy = 0; dy < BAND_PX; dy++) set(barX + x, y + dy, heat(x / (barW - 1)));
  text(`${attMax.toFixed(3)} HIGH   BAND COLOUR: ATTENTION SCALED MIN..MAX OF THIS MAP`, barX + barW + 10, y + 2);
  const spans = explanation.spans.map((s, i) => `${i + 1}: ${s.start_s.toFixed(2)}-${s.end_s.toFixed(2)} S`).join('  ');
  text(`TOP ATTENTION SPANS (BLUE) ${spans || 'NONE (FLAT MAP)'}   BAR LEFT OF EACH TRACE: 1 MV`, layout.plotLeft, y + LINE_PX + 8);
}

function heat(level: number): Rgb {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(level) ? level : 0));
  const position = clamped * (HEAT.length - 1);
  const i = Math.min(HEAT.length - 2, Math.floor(position));
  const f = position - i;
  const [a, b] = [HEAT[i], HEAT[i + 1]];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

function range(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}
