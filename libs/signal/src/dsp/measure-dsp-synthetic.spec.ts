import { syntheticWindows } from '../datasets/synthetic';
import { generateWindow } from '../synth/generator';
import { maxWaveAmplitudeMv } from '../synth/wave-slopes';
import { resolveSpec } from '../synth/spec';
import { EcgParameters } from '../types';
import { measureDsp } from './measure-dsp';

type Interval = 'pr_ms' | 'qrs_ms' | 'qt_ms';

const quantileOf = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];

describe('measureDsp against the generator labels on clean synthetic windows over the clinical ranges', () => {
  const errors: Record<Interval | 'hr_bpm', number[]> = { hr_bpm: [], pr_ms: [], qrs_ms: [], qt_ms: [] };
  const labelled: Record<Interval | 'hr_bpm', number> = { hr_bpm: 0, pr_ms: 0, qrs_ms: 0, qt_ms: 0 };
  beforeAll(() => {
    // 150 random hearts (HR 35-180, PR 100-320, QRS 60-200, QT 250-600, T -0.6..1.4 mV, tented T, HRV), noise-free.
    for (const window of syntheticWindows({ seed: 2024, count: 150, split: 'test' })) {
      const measured = measureDsp(window.clean).parameters;
      for (const key of Object.keys(errors) as (keyof EcgParameters & keyof typeof errors)[]) {
        const label = window.labels[key];
        if (label === null) continue;
        labelled[key]++;
        if (measured[key] !== null) errors[key].push(Math.abs(measured[key]! - label));
      }
    }
  });

  it('counts the beats: HR within a few bpm (no T or P wave counted as a beat, no beat missed)', () => {
    expect(errors.hr_bpm).toHaveLength(150);
    expect(quantileOf(errors.hr_bpm, 0.5)).toBeLessThanOrEqual(1);
    expect(quantileOf(errors.hr_bpm, 0.9)).toBeLessThanOrEqual(3);
  });

  it.each<[Interval, number]>([
    ['qrs_ms', 0.95],
    ['qt_ms', 0.9],
    // P waves buried in the T wave at fast rates are declined (null with a reason), not guessed.
    ['pr_ms', 0.5],
  ])('agrees on %s within 10 ms (median absolute error) and measures it in most windows', (key, coverage) => {
    expect(errors[key].length / labelled[key]).toBeGreaterThanOrEqual(coverage);
    expect(quantileOf(errors[key], 0.5)).toBeLessThanOrEqual(10);
  });
});

describe('measureDsp on the steepest plausible T waves', () => {
  it.each([
    ['bradycardia, narrow QRS, long QT, tented T', { hrBpm: 40, qrsMs: 64, qtMs: 480, rAmplitudeMv: 0.6, tPeakedness: 1 }],
    ['tachycardia, short QT', { hrBpm: 150, qrsMs: 70, qtMs: 260, rAmplitudeMv: 0.8 }],
    ['wide QRS', { hrBpm: 70, qrsMs: 180, qtMs: 460, rAmplitudeMv: 0.7 }],
  ])('does not count the T wave as a beat (%s)', (_, input) => {
    const spec = resolveSpec({ ...input, hrv: { rrJitterFraction: 0.01, respiratoryDepthFraction: 0.01 } }).spec;
    for (const sign of [1, -1]) {
      const window = generateWindow({ ...spec, tAmplitudeMv: sign * maxWaveAmplitudeMv(spec, 'T') }, 3);
      const { parameters } = measureDsp(window.clean);
      expect(Math.abs(parameters.hr_bpm! - window.labels.hr_bpm!)).toBeLessThan(2);
      expect(Math.abs(parameters.qt_ms! - window.labels.qt_ms!)).toBeLessThanOrEqual(25);
    }
  });
});
