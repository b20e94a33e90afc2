import { attentionTimebase, PAPER_PRESET, SERVING_PRESET } from '../config';
import { ATTENTION_EDGE_MARGIN_S, attentionSpans, mapDelineation, mapTargets } from './output-mapping';

describe('mapTargets', () => {
  const standardisation = {
    hr_bpm: { mean: 70, std: 10 },
    pr_ms: { mean: 160, std: 20 },
    qrs_ms: { mean: 90, std: 10 },
    qt_ms: { mean: 400, std: 30 },
    r_amp_mv: { mean: 1.5, std: 0.5 },
    t_amp_mv: { mean: 0.3, std: 0.1 },
  };

  it('de-standardises every target and derives QTc (Bazett) from QT and HR', () => {
    const { parameters, unmeasured } = mapTargets([0.5, 0, -1, 0, 1, -2], SERVING_PRESET.targets, standardisation, 'v1');
    expect(parameters).toEqual({ hr_bpm: 75, pr_ms: 160, qrs_ms: 80, qt_ms: 400, qtc_ms: expect.closeTo(400 / Math.sqrt(0.8), 6), r_amp_mv: 2, t_amp_mv: expect.closeTo(0.1, 6) });
    expect(unmeasured).toEqual([]);
  });

  it('nulls targets the model lacks and implausible outputs, with reasons', () => {
    const { parameters, unmeasured } = mapTargets([40], ['qt_ms'], standardisation, 'aicrn-paper/x');
    expect(parameters.qt_ms).toBeNull();
    expect(parameters.qtc_ms).toBeNull();
    expect(unmeasured).toEqual(
      expect.arrayContaining([
        { parameter: 'hr_bpm', reason: 'model aicrn-paper/x does not regress hr_bpm' },
        { parameter: 'qt_ms', reason: expect.stringContaining('outside the plausible range 150..800') },
        { parameter: 'qtc_ms', reason: expect.stringContaining('QTc needs QT and HR') },
      ]),
    );
    expect(unmeasured).toHaveLength(7);
  });
});

describe('attentionSpans', () => {
  it('finds the attended regions of the map and reports them in input seconds', () => {
    const { secondsPerStep, offsetSeconds } = attentionTimebase(SERVING_PRESET);
    const n = 1247;
    const map = new Float32Array(n).fill(0.5);
    const bump = (centre_s: number, height: number) => {
      for (let i = 0; i < n; i++) {
        const t = offsetSeconds + (i + 0.5) * secondsPerStep;
        map[i] += height * Math.exp(-(((t - centre_s) / 0.03) ** 2));
      }
    };
    bump(2.0, 0.4);
    bump(6.5, 0.25);
    bump(9.0, 0.1);
    const spans = attentionSpans(map, SERVING_PRESET, { count: 2 });
    expect(spans).toHaveLength(2);
    expect(spans[0].target).toBe('all');
    expect(spans[0].start_s).toBeLessThan(2.0);
    expect(spans[0].end_s).toBeGreaterThan(2.0);
    expect(spans[0].end_s - spans[0].start_s).toBeLessThan(0.1);
    expect(spans[1].start_s).toBeLessThan(6.5);
    expect(spans[1].end_s).toBeGreaterThan(6.5);
    expect(spans[0].weight).toBeGreaterThan(spans[1].weight);
    expect(spans[0].weight).toBeLessThanOrEqual(1);
  });

  it('reports one span per attended region, not the shoulders left beside a span already taken', () => {
    const { secondsPerStep, offsetSeconds } = attentionTimebase(SERVING_PRESET);
    const n = 1247;
    const map = new Float32Array(n).fill(0.5);
    for (let i = 0; i < n; i++) {
      const t = offsetSeconds + (i + 0.5) * secondsPerStep;
      map[i] += 0.4 * Math.exp(-(((t - 5) / 0.2) ** 2));
    }
    const spans = attentionSpans(map, SERVING_PRESET, { count: 3 });
    expect(spans).toHaveLength(1);
    expect(spans[0].start_s).toBeLessThan(5);
    expect(spans[0].end_s).toBeGreaterThan(5);
  });

  it('takes a plateau as a peak but not a flat shelf on the way up to a higher one', () => {
    const { secondsPerStep, offsetSeconds } = attentionTimebase(SERVING_PRESET);
    const n = 1247;
    const map = new Float32Array(n).fill(0.5);
    for (let i = 0; i < n; i++) {
      const t = offsetSeconds + (i + 0.5) * secondsPerStep;
      map[i] += 0.4 * Math.exp(-(((t - 3) / 0.2) ** 2));
      // A shelf (7.0-7.5 s) just under the floor of the plateau it leads up to (7.5-8.0 s).
      if (t >= 7 && t < 7.5) map[i] = 0.55;
      if (t >= 7.5 && t < 8) map[i] = 0.8;
    }
    const spans = attentionSpans(map, SERVING_PRESET, { count: 3 });
    expect(spans).toHaveLength(2);
    expect(spans[1].start_s).toBeGreaterThan(7.45);
    expect(spans[1].end_s).toBeLessThan(8.05);
  });

  it('does not report peaks at the window edges, where the convolutions read padding', () => {
    const { secondsPerStep } = attentionTimebase(SERVING_PRESET);
    const n = 1247;
    const map = new Float32Array(n).fill(0.5);
    const edge = Math.round(ATTENTION_EDGE_MARGIN_S / secondsPerStep);
    for (let i = 0; i < edge - 2; i++) map[i] = map[n - 1 - i] = 0.95;
    for (let i = 600; i < 610; i++) map[i] = 0.7;
    const spans = attentionSpans(map, SERVING_PRESET, { count: 3 });
    expect(spans[0]).toMatchObject({ weight: 0.7 });
    for (const span of spans) {
      expect(span.start_s).toBeGreaterThan(ATTENTION_EDGE_MARGIN_S);
      expect(span.end_s).toBeLessThan(SERVING_PRESET.windowSeconds - ATTENTION_EDGE_MARGIN_S);
    }
  });

  it('attributes single-output models to their target and returns nothing for a flat map', () => {
    const map = new Float32Array(2495).fill(0.5);
    expect(attentionSpans(map, PAPER_PRESET)).toEqual([]);
    map[1000] = 0.9;
    expect(attentionSpans(map, PAPER_PRESET, { count: 5 })[0]).toMatchObject({ target: 'qt_ms' });
  });
});

describe('mapDelineation', () => {
  const amplitudes = { r_amp_mv: 1.1, t_amp_mv: 0.25, unmeasured: [] };
  const beat = (r: number) => ({ r_s: r, p_on_s: null, qrs_on_s: r - 0.04, qrs_off_s: r + 0.05, t_off_s: r + 0.36 });

  it('takes HR and intervals from the delineated beats, amplitudes from the V5 readout, and says why PR is missing', () => {
    const readout = {
      beats: [beat(1), beat(1.8), beat(2.6)],
      hr_bpm: 75,
      pr_ms: null,
      qrs_ms: 90,
      qt_ms: 400,
      unmeasured: [{ parameter: 'pr_ms' as const, reason: 'no beat has a P wave' }],
    };
    const { parameters, unmeasured, beats } = mapDelineation(readout, amplitudes);
    expect(parameters).toMatchObject({ hr_bpm: 75, pr_ms: null, qrs_ms: 90, qt_ms: 400, r_amp_mv: 1.1, t_amp_mv: 0.25 });
    // In atrial fibrillation there is no PR to report, and nothing else stands in for it.
    expect(unmeasured).toEqual([{ parameter: 'pr_ms', reason: 'no beat has a P wave' }]);
    expect(parameters.qtc_ms).toBeCloseTo(400 / Math.sqrt(0.8), 6);
    expect(beats[1]).toEqual({ r_s: 1.8, p_on_s: null, qrs_on_s: 1.76, qrs_off_s: 1.85, t_peak_s: null, t_off_s: 2.16 });
  });

  it('refuses implausible values, keeps the amplitude readout\'s reasons and leaves QTc without HR', () => {
    const readout = { beats: [], hr_bpm: null, pr_ms: null, qrs_ms: 400, qt_ms: null, unmeasured: [{ parameter: 'hr_bpm' as const, reason: 'HR needs at least 2 complete beats, the window has 1' }] };
    const noT = { r_amp_mv: 9.5, t_amp_mv: null, unmeasured: [{ parameter: 't_amp_mv' as const, reason: 'the network delineated no T wave end in V5' }] };
    const { parameters, unmeasured } = mapDelineation(readout, noT);
    expect(parameters).toMatchObject({ hr_bpm: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null });
    expect(unmeasured.map((u) => u.parameter)).toEqual(['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv', 'qtc_ms']);
    expect(unmeasured[2].reason).toMatch(/delineated qrs_ms 400.0 is outside the plausible range 30..300/);
    expect(unmeasured[4].reason).toMatch(/V5 r_amp_mv 9.500 is outside the plausible range -1..8/);
    expect(unmeasured[5].reason).toBe('the network delineated no T wave end in V5');
  });
});
