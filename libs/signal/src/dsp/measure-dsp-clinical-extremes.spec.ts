import { generateWindow } from '../synth/generator';
import { mixSeed } from '../synth/random';
import { bedScenario, tPeaking } from '../synth/scenarios';
import { resolveSpec } from '../synth/spec';
import { measureDsp } from './measure-dsp';

describe('measureDsp on wide QRS complexes (bundle branch block, hyperkalaemia, drug toxicity)', () => {
  it.each([120, 140, 160, 180, 200])('measures a %i ms QRS within 10 ms on clean windows', (qrsMs) => {
    for (const seed of [1, 2, 3]) {
      const window = generateWindow({ qrsMs }, seed);
      const { parameters } = measureDsp(window.clean);
      expect([seed, parameters.qrs_ms]).toEqual([seed, expect.any(Number)]);
      expect(Math.abs(parameters.qrs_ms! - window.labels.qrs_ms!)).toBeLessThanOrEqual(10);
      expect(Math.abs(parameters.qt_ms! - window.labels.qt_ms!)).toBeLessThanOrEqual(15);
    }
  });
});

describe('measureDsp on tall tented T waves (the evaluation t-peaking bed whose T outgrows half the QRS slope in several leads)', () => {
  // The second t-peaking bed of `aicrn eval-alerts` (seed 1): T x2.2 and tented from 600 s over 10 min.
  const scenario = bedScenario('t-peaking', mixSeed(1, 6001) >>> 1, [tPeaking({ startS: 600, durationS: 600, factor: 2.2 })]);

  it.each([1180, 1210, 1500])('counts beats, not T waves, and keeps QT (window at %i s)', (tS) => {
    const window = scenario.windowAt(tS);
    const { parameters } = measureDsp(window.record);
    expect(Math.abs(parameters.hr_bpm! - window.labels.hr_bpm!)).toBeLessThan(2);
    expect(Math.abs(parameters.qt_ms! - window.labels.qt_ms!)).toBeLessThanOrEqual(20);
  });
});

describe('measureDsp with a lead railed for part of the window', () => {
  it.each([
    ['V4 railed from 3 s to the end', { lead: 'V4' as const, startS: 3, durationS: 12 }],
    ['V4 railed for the first 2 s', { lead: 'V4' as const, startS: -10, durationS: 12 }],
    ['V1 railed in the middle', { lead: 'V1' as const, startS: 4, durationS: 2.5 }],
  ])('lets the other leads measure (%s)', (_, episode) => {
    for (const seed of [2, 4, 5]) {
      const spec = resolveSpec({ noise: { emg: { rmsMv: 0.01 }, leadOff: [{ ...episode, mode: 'rail' }] } }).spec;
      const window = generateWindow(spec, seed);
      const { parameters } = measureDsp(window.record);
      expect(Math.abs(parameters.hr_bpm! - window.labels.hr_bpm!)).toBeLessThan(2);
      expect(Math.abs(parameters.qrs_ms! - window.labels.qrs_ms!)).toBeLessThanOrEqual(10);
      expect(Math.abs(parameters.qt_ms! - window.labels.qt_ms!)).toBeLessThanOrEqual(15);
      expect(Math.abs(parameters.pr_ms! - window.labels.pr_ms!)).toBeLessThanOrEqual(15);
    }
  });

  it('reports no V5 amplitudes, with the reason, when V5 is railed through every beat', () => {
    const spec = resolveSpec({ noise: { leadOff: [{ lead: 'V5', startS: -1, durationS: 12, mode: 'rail' }] } }).spec;
    const { parameters, unmeasured } = measureDsp(generateWindow(spec, 3).record);
    expect(parameters.r_amp_mv).toBeNull();
    expect(parameters.qrs_ms).not.toBeNull();
    expect(unmeasured.find((u) => u.parameter === 'r_amp_mv')?.reason).toMatch(/V5 flat or railed/);
  });
});
