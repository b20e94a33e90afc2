import { backboneSamples, backboneTimebase, DELINEATION_CLASSES, DelineationClass, SERVING_PRESET } from '../config';
import { readDelineation, readLeadDelineation } from './delineation-readout';

// The serving model: 8-ms steps, 1247 of them in a 10-s window.
const timebase = backboneTimebase(SERVING_PRESET);
const steps = backboneSamples(SERVING_PRESET);
const centre_s = (step: number) => timebase.firstCentreSeconds + step * timebase.secondsPerStep;

interface Segment {
  cls: Exclude<DelineationClass, 'other'>;
  from_s: number;
  to_s: number;
}

/** One beat's segments; a null PR or QT leaves out the P or T wave. */
function beat(qrs_on_s: number, { pr_ms = 160 as number | null, qrs_ms = 90, qt_ms = 400 as number | null } = {}): Segment[] {
  const qrs_off_s = qrs_on_s + qrs_ms / 1000;
  return [
    ...(pr_ms === null ? [] : [{ cls: 'pr' as const, from_s: qrs_on_s - pr_ms / 1000, to_s: qrs_on_s }]),
    { cls: 'qrs', from_s: qrs_on_s, to_s: qrs_off_s },
    ...(qt_ms === null ? [] : [{ cls: 'st_t' as const, from_s: qrs_off_s, to_s: qrs_on_s + qt_ms / 1000 }]),
  ];
}

/**
 * One-hot-ish probabilities (0.85 for the segment's class, 0.05 for the rest) with linear transitions two steps
 * wide centred on each boundary, so the true boundary is exactly where neighbouring classes cross.
 */
function probabilitiesOf(segments: Segment[]): Float32Array {
  const ramp_s = 2 * timebase.secondsPerStep;
  const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
  const out = new Float32Array(steps * 4);
  for (let i = 0; i < steps; i++) {
    const t = centre_s(i);
    const membership = [0, 0, 0, 0];
    for (const { cls, from_s, to_s } of segments) {
      membership[DELINEATION_CLASSES.indexOf(cls)] += clamp01((t - from_s) / ramp_s + 0.5) * clamp01((to_s - t) / ramp_s + 0.5);
    }
    membership[0] = 1 - membership[1] - membership[2] - membership[3];
    membership.forEach((m, c) => (out[i * 4 + c] = 0.05 + 0.8 * m));
  }
  return out;
}

/** Overwrites one step with a confident call of `cls`: model flicker. */
function blip(probabilities: Float32Array, step: number, cls: DelineationClass): void {
  for (let c = 0; c < 4; c++) probabilities[step * 4 + c] = c === DELINEATION_CLASSES.indexOf(cls) ? 0.9 : 0.1 / 3;
}

const read = (segments: Segment[]) => readDelineation(probabilitiesOf(segments), steps, timebase);

describe('readDelineation', () => {
  it('recovers every boundary, PR, QRS, QT and HR of clean beats within 1 ms', () => {
    // 75 bpm: QRS onsets 0.8 s apart, off the step grid.
    const onsets_s = Array.from({ length: 12 }, (_, k) => 0.3 + 0.8 * k);
    const readout = read(onsets_s.flatMap((on) => beat(on)));

    expect(readout.beats).toHaveLength(12);
    readout.beats.forEach((b, k) => {
      expect(b.p_on_s).toBeCloseTo(onsets_s[k] - 0.16, 3);
      expect(b.qrs_on_s).toBeCloseTo(onsets_s[k], 3);
      expect(b.qrs_off_s).toBeCloseTo(onsets_s[k] + 0.09, 3);
      expect(b.t_off_s).toBeCloseTo(onsets_s[k] + 0.4, 3);
      expect(b.r_s).toBeCloseTo(onsets_s[k] + 0.045, 3);
    });
    expect(readout.pr_ms).toBeCloseTo(160, 0);
    expect(readout.qrs_ms).toBeCloseTo(90, 0);
    expect(readout.qt_ms).toBeCloseTo(400, 0);
    expect(readout.hr_bpm).toBeCloseTo(75, 1);
    expect(readout.unmeasured).toEqual([]);
  });

  it('places a boundary between two steps where the probabilities cross, not snapped to a step', () => {
    const qrs_on_s = centre_s(100) + 0.3 * timebase.secondsPerStep;
    const qrs_off_s = centre_s(110) + 0.7 * timebase.secondsPerStep;
    const readout = read([...beat(qrs_on_s, { qrs_ms: (qrs_off_s - qrs_on_s) * 1000 }), ...beat(1.5)]);

    const [first] = readout.beats;
    expect(first.qrs_on_s).toBeCloseTo(qrs_on_s, 5);
    expect(first.qrs_off_s).toBeCloseTo(qrs_off_s, 5);
    // Neither a step centre nor the midpoint between the two steps.
    expect(Math.abs(first.qrs_on_s - centre_s(100)) * 1000).toBeGreaterThan(2);
    expect(Math.abs(first.qrs_on_s - (centre_s(100) + centre_s(101)) / 2) * 1000).toBeGreaterThan(1);
    expect((first.qrs_off_s - first.qrs_on_s) * 1000).toBeCloseTo(83.2, 1);
  });

  it('absorbs flicker: short qrs blips in the T-P segment make no beat, a one-step dip does not split a QRS', () => {
    const probabilities = probabilitiesOf([...beat(0.5), ...beat(1.3)]);
    const stepAt = (t_s: number) => Math.round((t_s - timebase.firstCentreSeconds) / timebase.secondsPerStep);
    blip(probabilities, stepAt(1.05), 'qrs');
    blip(probabilities, stepAt(1.1), 'qrs');
    blip(probabilities, stepAt(1.1) + 1, 'qrs'); // 16 ms: still below the 24-ms minimum QRS
    blip(probabilities, stepAt(1.345), 'other');

    const readout = readDelineation(probabilities, steps, timebase);

    expect(readout.beats.map((b) => b.qrs_on_s)).toEqual([expect.closeTo(0.5, 3), expect.closeTo(1.3, 3)]);
    expect(readout.qrs_ms).toBeCloseTo(90, 0);
  });

  it('drops beats whose QRS is cut by the window edge', () => {
    const readout = read([...beat(-0.04), ...beat(0.7), ...beat(1.5), ...beat(9.93)]);

    expect(readout.beats.map((b) => b.qrs_on_s)).toEqual([expect.closeTo(0.7, 3), expect.closeTo(1.5, 3)]);
    expect(readout.qrs_ms).toBeCloseTo(90, 0);
    expect(readout.hr_bpm).toBeCloseTo(75, 1);
  });

  it('keeps a beat whose P onset or T offset is cut by the window edge, without that boundary', () => {
    const readout = read([...beat(0.12), ...beat(0.92), ...beat(9.7)]);

    expect(readout.beats.map((b) => b.p_on_s === null)).toEqual([true, false, false]);
    expect(readout.beats.map((b) => b.t_off_s === null)).toEqual([false, false, true]);
    expect(readout.pr_ms).toBeCloseTo(160, 0);
    expect(readout.qt_ms).toBeCloseTo(400, 0);
  });

  it('links a P wave across a short gap to its QRS but not across a long one', () => {
    const pAfterGap = (qrs_on_s: number, gap_ms: number): Segment[] => [
      { cls: 'pr', from_s: qrs_on_s - 0.16, to_s: qrs_on_s - gap_ms / 1000 },
      ...beat(qrs_on_s, { pr_ms: null }),
    ];
    const readout = read([...pAfterGap(1.003, 16), ...pAfterGap(2.003, 40)]);

    expect(readout.beats[0].p_on_s).toBeCloseTo(1.003 - 0.16, 3);
    expect(readout.beats[1].p_on_s).toBeNull();
    expect(readout.pr_ms).toBeCloseTo(160, 0);
  });

  it('takes medians over beats, counting PR only over beats with a P wave', () => {
    // A wide beat without a P wave (ectopic) among three normal ones.
    const readout = read([...beat(0.5), ...beat(1.3, { pr_ms: 140 }), ...beat(2.0, { pr_ms: null, qrs_ms: 150, qt_ms: 480 }), ...beat(2.9, { pr_ms: 180 })]);

    expect(readout.pr_ms).toBeCloseTo(160, 0);
    expect(readout.qrs_ms).toBeCloseTo(90, 0);
    expect(readout.qt_ms).toBeCloseTo(400, 0);
  });

  it('measures atrial fibrillation: PR null with a reason, HR from the mean of irregular RR intervals', () => {
    const rr_s = [0.6, 0.85, 0.65, 0.9, 0.7];
    const onsets_s = rr_s.reduce((acc, rr) => [...acc, acc[acc.length - 1] + rr], [0.5]);
    const readout = read(onsets_s.flatMap((on) => beat(on, { pr_ms: null })));

    expect(readout.beats).toHaveLength(6);
    expect(readout.beats.every((b) => b.p_on_s === null)).toBe(true);
    expect(readout.pr_ms).toBeNull();
    expect(readout.unmeasured).toEqual([{ parameter: 'pr_ms', reason: 'no beat has a P wave' }]);
    expect(readout.hr_bpm).toBeCloseTo(60_000 / 740, 1);
    expect(readout.qrs_ms).toBeCloseTo(90, 0);
    expect(readout.qt_ms).toBeCloseTo(400, 0);
  });

  it('leaves HR null with a reason when the window has fewer than 2 beats', () => {
    const readout = read(beat(4.0));

    expect(readout.beats).toHaveLength(1);
    expect(readout.hr_bpm).toBeNull();
    expect(readout.unmeasured).toEqual([{ parameter: 'hr_bpm', reason: 'HR needs at least 2 complete beats, the window has 1' }]);
    expect(readout.qrs_ms).toBeCloseTo(90, 0);
  });

  it('reports every parameter as unmeasured when the window has no complete QRS', () => {
    const readout = read([]);

    expect(readout).toMatchObject({ beats: [], hr_bpm: null, pr_ms: null, qrs_ms: null, qt_ms: null });
    expect(readout.unmeasured.map((u) => u.parameter)).toEqual(['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms']);
    expect(readout.unmeasured[1].reason).toBe('no complete QRS complex in the window');
  });

  it('rejects probabilities that are not 4 per step', () => {
    expect(() => readDelineation(new Float32Array(10), 3, timebase)).toThrow(RangeError);
  });
});

describe('readLeadDelineation', () => {
  /** [steps, 12 leads, 4] from one lead's probabilities per lead (null: the lead sees no waves at all). */
  const leadsOf = (perLead: Array<Float32Array | null>) => {
    const out = new Float32Array(steps * 12 * 4);
    perLead.forEach((p, l) => {
      for (let i = 0; i < steps; i++) for (let c = 0; c < 4; c++) out[(i * 12 + l) * 4 + c] = p ? p[i * 4 + c] : c === 0 ? 0.85 : 0.05;
    });
    return out;
  };
  const onsets_s = [1.0, 2.0, 3.0, 4.0];

  it('takes each global boundary as the median over the leads, as the reference does with the annotations', () => {
    // Lead l starts its QRS (l - 5.5) ms late and ends it 2l ms late: the medians are the middle leads'.
    const perLead = Array.from({ length: 12 }, (_, l) => probabilitiesOf(onsets_s.flatMap((on) => beat(on + (l - 5.5) / 1000, { qrs_ms: 90 - (l - 5.5) + 2 * l }))));
    const readout = readLeadDelineation(leadsOf(perLead), steps, timebase);
    expect(readout.beats).toHaveLength(4);
    // Median QRS onset: lead offsets -5.5..5.5 ms -> 0; median QRS offset: 90 + 2 * 5.5 ms.
    expect(readout.beats[0].qrs_on_s).toBeCloseTo(1.0, 3);
    expect(readout.qrs_ms!).toBeCloseTo(101, 0);
    expect(readout.hr_bpm!).toBeCloseTo(60, 1);
  });

  it('anchors beats on lead II and leaves out leads that see nothing', () => {
    const clean = probabilitiesOf(onsets_s.flatMap((on) => beat(on)));
    const perLead: Array<Float32Array | null> = Array.from({ length: 12 }, (_, l) => (l < 6 ? clean : null));
    const readout = readLeadDelineation(leadsOf(perLead), steps, timebase);
    expect(readout.beats).toHaveLength(4);
    expect(readout.qrs_ms!).toBeCloseTo(90, 0);
    // Without lead II there is no anchor, whatever the other leads show.
    const noLeadII = readLeadDelineation(leadsOf(perLead.map((p, l) => (l === 1 ? null : p))), steps, timebase);
    expect(noLeadII.beats).toHaveLength(0);
    expect(noLeadII.hr_bpm).toBeNull();
  });
});
