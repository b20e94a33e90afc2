import { PNG } from 'pngjs';
import { AICRN_INPUT_LEADS } from '../config';
import { AttentionExplanation } from './attention-explanation';
import { attentionPngLayout, renderAttentionPng } from './attention-png';

const RATE_HZ = 250;
const SECONDS_PER_STEP = 0.008;

/** A 10-s explanation with a 1-Hz "beat" on every lead and the given attention map (one value per 8-ms step). */
function explanation(attention: Float32Array): AttentionExplanation {
  const leadsMv = AICRN_INPUT_LEADS.map((_, c) => Float32Array.from({ length: 10 * RATE_HZ }, (_, t) => (1 + c / 8) * Math.exp(-(((t % RATE_HZ) - 50) ** 2) / 20)));
  return {
    modelVersion: 'aicrn-test/hand-made',
    targets: ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv'],
    leadNames: AICRN_INPUT_LEADS,
    leadsMv,
    sampleRateHz: RATE_HZ,
    windowSeconds: 10,
    attention,
    secondsPerStep: SECONDS_PER_STEP,
    offsetSeconds: 0,
    spans: [{ target: 'all', start_s: 6, end_s: 7, weight: 0.9 }],
    parameters: { hr_bpm: 60, pr_ms: 160, qrs_ms: 90, qt_ms: 400, qtc_ms: 400, r_amp_mv: 1.2, t_amp_mv: null },
    derivedLeads: [],
  };
}

function pixel(png: PNG, x: number, y: number): number[] {
  const at = (Math.round(y) * png.width + Math.round(x)) * 4;
  return Array.from(png.data.subarray(at, at + 3));
}

describe('renderAttentionPng', () => {
  // Low attention in the first 5 s, high in the last 5 s.
  const steps = Math.round(10 / SECONDS_PER_STEP);
  const halves = explanation(Float32Array.from({ length: steps }, (_, i) => (i < steps / 2 ? 0.55 : 0.95)));
  const layout = attentionPngLayout(halves);
  const xAt = (seconds: number): number => layout.plotLeft + seconds * layout.pxPerSecond;

  it('draws a decodable PNG of the layout size with eight rows', () => {
    const png = PNG.sync.read(renderAttentionPng(halves, { source: 'test 0-10 s' }));
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    expect(png.width).toBe(1400);
    expect(png.height).toBeGreaterThan(900);
    expect(png.height).toBeLessThan(1100);
    expect(layout.rows.map((r) => r.lead)).toEqual([...AICRN_INPUT_LEADS]);
    // Every row's trace has ink: the beat peaks at 0.2 s of every second.
    for (const row of layout.rows) {
      let ink = 0;
      for (let y = row.traceTop; y <= row.traceBottom; y++) if (pixel(png, xAt(3.2), y)[0] < 60) ink++;
      expect(ink).toBeGreaterThan(5);
    }
  });

  it('colours the band under every row by attention: different where the map differs, equal where it does not', () => {
    const png = PNG.sync.read(renderAttentionPng(halves));
    for (const row of layout.rows) {
      const y = (row.bandTop + row.bandBottom) / 2;
      expect(pixel(png, xAt(2), y)).not.toEqual(pixel(png, xAt(8), y));
      expect(pixel(png, xAt(2), y)).toEqual(pixel(png, xAt(4), y));
      // Low attention is pale, high attention dark (green channel falls along the ramp).
      expect(pixel(png, xAt(2), y)[1]).toBeGreaterThan(pixel(png, xAt(8), y)[1] + 100);
    }
  });

  it('draws a flat map as one colour', () => {
    const flat = explanation(new Float32Array(steps).fill(0.7));
    const png = PNG.sync.read(renderAttentionPng({ ...flat, spans: [] }));
    const y = (layout.rows[0].bandTop + layout.rows[0].bandBottom) / 2;
    expect(pixel(png, xAt(2), y)).toEqual(pixel(png, xAt(8), y));
  });
});
