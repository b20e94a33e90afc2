/** Sizes a canvas for the device pixel ratio (sharp lines on HiDPI screens) and returns a context in CSS pixels. */
export function prepareCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D {
  const ratio = Math.min(window.devicePixelRatio || 1, 3);
  const width = Math.max(1, Math.round(cssWidth * ratio));
  const height = Math.max(1, Math.round(cssHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const style = `${cssWidth}px`;
  if (canvas.style.width !== style) canvas.style.width = style;
  if (canvas.style.height !== `${cssHeight}px`) canvas.style.height = `${cssHeight}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2D context is not available');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  return ctx;
}

/** Colours shared by the drawings, matching styles.css. */
export const COLOURS = {
  text: '#e6edf3',
  muted: '#8b98a5',
  axis: '#3a4552',
  trace: '#3ddc84',
  baseline: '#58a6ff',
  threshold: '#ff5c5c',
  paper: '#0d0506',
  gridMinor: 'rgba(255, 90, 90, 0.16)',
  gridMajor: 'rgba(255, 90, 90, 0.42)',
  ecg: '#f2f5f7',
};

/** "Nice" axis ticks (1, 2, 5 x 10^n): the widest step that still gives at least `count - 1` ticks in [min, max]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  if (min === max) return [min];
  const range = max - min;
  const magnitude = Math.pow(10, Math.floor(Math.log10(range)));
  const candidates = [5, 2, 1, 0.5, 0.2, 0.1].map((m) => m * magnitude);
  const step = candidates.find((s) => Math.floor(range / s) >= count - 1) ?? candidates[candidates.length - 1];
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}
