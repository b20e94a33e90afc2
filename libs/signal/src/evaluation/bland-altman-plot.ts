import { AgreementPair, ParameterAgreement } from './agreement';
import { GLYPH_HEIGHT, textWidth } from './bitmap-font';
import { Raster, Rgb } from './raster';

const { round } = Math;

const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [200, 200, 200];
const BLUE: Rgb = [31, 90, 180];
const RED: Rgb = [200, 40, 40];
const ORANGE: Rgb = [220, 130, 20];

const WIDTH = 640;
const HEIGHT = 480;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 50 };
const SCALE = 2;

/**
 * Bland-Altman plot as PNG bytes: x = mean of method and reference, y = method - reference, with the
 * mean difference (red) and the 95 % limits of agreement (orange), axis ticks and labels.
 */
export function renderBlandAltmanPng(agreement: ParameterAgreement, pairs: readonly AgreementPair[], title: string = agreement.parameter): Buffer {
  // One fixed row filter: letting pngjs try all five per row costs more than it saves on flat plots.
  const raster = new Raster(WIDTH, HEIGHT, { filterType: 0 });
  const set = raster.set;

  const means = pairs.map((p) => (p.measured + p.reference) / 2);
  const diffs = pairs.map((p) => p.measured - p.reference);
  const limits = [agreement.meanDifference, agreement.lowerLimit, agreement.upperLimit].filter((v): v is number => v !== null);
  const [xMin, xMax] = niceRange(means.length ? Math.min(...means) : 0, means.length ? Math.max(...means) : 1);
  const [yMin, yMax] = niceRange(Math.min(0, ...diffs, ...limits), Math.max(0, ...diffs, ...limits));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (v: number): number => MARGIN.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const py = (v: number): number => MARGIN.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;

  for (const tick of ticks(xMin, xMax)) {
    const x = px(tick);
    for (let y = MARGIN.top; y <= MARGIN.top + plotH; y++) set(x, y, GREY);
    for (let y = MARGIN.top + plotH; y <= MARGIN.top + plotH + 5; y++) set(x, y, BLACK);
    const label = formatTick(tick);
    raster.text(label, x - textWidth(label, SCALE) / 2, MARGIN.top + plotH + 9, SCALE, BLACK);
  }
  for (const tick of ticks(yMin, yMax)) {
    const y = py(tick);
    for (let x = MARGIN.left; x <= MARGIN.left + plotW; x++) set(x, y, GREY);
    for (let x = MARGIN.left - 5; x <= MARGIN.left; x++) set(x, y, BLACK);
    const label = formatTick(tick);
    raster.text(label, MARGIN.left - 9 - textWidth(label, SCALE), y - (GLYPH_HEIGHT * SCALE) / 2, SCALE, BLACK);
  }
  for (let x = MARGIN.left; x <= MARGIN.left + plotW; x++) set(x, MARGIN.top + plotH, BLACK);
  for (let y = MARGIN.top; y <= MARGIN.top + plotH; y++) set(MARGIN.left, y, BLACK);

  const horizontal = (value: number | null, colour: Rgb, dashed: boolean): void => {
    if (value === null) return;
    const y = py(value);
    for (let x = MARGIN.left; x <= MARGIN.left + plotW; x++) if (!dashed || Math.floor((x - MARGIN.left) / 6) % 2 === 0) {
      set(x, y, colour);
      set(x, y + 1, colour);
    }
  };
  horizontal(agreement.meanDifference, RED, false);
  horizontal(agreement.lowerLimit, ORANGE, true);
  horizontal(agreement.upperLimit, ORANGE, true);

  means.forEach((m, i) => {
    const cx = px(m);
    const cy = py(diffs[i]);
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (dx * dx + dy * dy <= 5) set(cx + dx, cy + dy, BLUE);
  });

  const header = `${title}  N=${agreement.n}  MEAN ${fmt(agreement.meanDifference)}  LOA ${fmt(agreement.lowerLimit)} ${fmt(agreement.upperLimit)}`;
  raster.text(header, MARGIN.left, 12, SCALE, BLACK);
  const xLabel = 'MEAN OF METHOD AND REFERENCE';
  raster.text(xLabel, MARGIN.left + plotW / 2 - textWidth(xLabel, SCALE) / 2, HEIGHT - 18, SCALE, BLACK);
  raster.text('METHOD-REF', 4, MARGIN.top - 14, SCALE, BLACK);
  return raster.toPng();
}

function fmt(value: number | null): string {
  return value === null ? '-' : formatTick(value);
}

function formatTick(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 || abs === 0 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

function niceRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max - min < 1e-9) return [min - 1, max + 1];
  const step = tickStep(min, max);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}

function tickStep(min: number, max: number): number {
  const raw = (max - min) / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit >= 5 ? 10 : unit >= 2 ? 5 : unit >= 1 ? 2 : 1) * power;
}

function ticks(min: number, max: number): number[] {
  const step = tickStep(min, max);
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-6; v += step) out.push(Math.abs(v) < step * 1e-6 ? 0 : v);
  return out;
}
