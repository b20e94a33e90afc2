import type { BeatFiducials } from '@aicrn/contracts';
import { AicrnConfig, backboneSamples, backboneTimebase, DELINEATION_CLASSES, presetConfig } from '../config';
import { leadWaveClassLabels, UNKNOWN_WAVE, waveClassLabels } from './wave-labels';

const config: AicrnConfig = { ...presetConfig('serving'), delineation: true };
const beat = (r: number, over: Partial<BeatFiducials> = {}): BeatFiducials => ({
  r_s: r,
  p_on_s: r - 0.2,
  qrs_on_s: r - 0.04,
  qrs_off_s: r + 0.05,
  t_peak_s: r + 0.25,
  t_off_s: r + 0.38,
  ...over,
});
const { secondsPerStep, firstCentreSeconds } = backboneTimebase(config);
/** The class at time t (seconds), read through the step whose centre is nearest. */
const classAt = (labels: Uint8Array, t: number) => {
  const v = labels[Math.round((t - firstCentreSeconds) / secondsPerStep)];
  return v === UNKNOWN_WAVE ? 'unknown' : DELINEATION_CLASSES[v];
};

describe('waveClassLabels', () => {
  it('marks P-R, QRS, ST-T and the T-P stretch between beats, one class per backbone step', () => {
    const labels = waveClassLabels([beat(1), beat(2), beat(3)], config);
    expect(labels).toHaveLength(backboneSamples(config));
    expect(classAt(labels, 1.9)).toBe('pr');
    expect(classAt(labels, 2.0)).toBe('qrs');
    expect(classAt(labels, 2.2)).toBe('st_t');
    expect(classAt(labels, 2.6)).toBe('other');
    // Boundaries land within one step (8 ms) of the fiducial.
    expect(classAt(labels, 1.96 - 0.008)).toBe('pr');
    expect(classAt(labels, 1.96 + 0.008)).toBe('qrs');
  });

  it('leaves everything outside the annotated beats unknown', () => {
    const labels = waveClassLabels([beat(1), beat(2)], config);
    expect(classAt(labels, 0.5)).toBe('unknown');
    expect(classAt(labels, 2.5)).toBe('unknown');
    expect(classAt(labels, 9)).toBe('unknown');
    expect(waveClassLabels([], config).every((c) => c === UNKNOWN_WAVE)).toBe(true);
  });

  it('does not guess what a missing boundary hides', () => {
    const labels = waveClassLabels([beat(1), beat(2, { p_on_s: null, t_off_s: null }), beat(3)], config);
    // Other beats have P waves: the one without may have an unmatched P, so before its QRS is unknown.
    expect(classAt(labels, 1.85)).toBe('unknown');
    expect(classAt(labels, 2.0)).toBe('qrs');
    expect(classAt(labels, 2.3)).toBe('unknown');
    expect(classAt(labels, 2.9)).toBe('pr');
  });

  it('calls the stretch before the QRS "other" when no beat has a P wave (atrial fibrillation)', () => {
    const labels = waveClassLabels([1, 1.8, 2.5].map((r) => beat(r, { p_on_s: null })), config);
    expect(classAt(labels, 1.7)).toBe('other');
    expect(classAt(labels, 1.8)).toBe('qrs');
  });
});

describe('leadWaveClassLabels', () => {
  it('labels each lead from its own boundaries, leads without annotations unknown, [steps, 12 leads] row-major', () => {
    const labels = leadWaveClassLabels({ leadBeats: { ii: [beat(1), beat(2)], V5: [beat(1, { qrs_off_s: 1.08 }), beat(2, { qrs_off_s: 2.08 })] } }, config)!;
    const steps = backboneSamples(config);
    expect(labels).toHaveLength(steps * 12);
    const lead = (l: number) => labels.filter((_, i) => i % 12 === l);
    expect(classAt(lead(1), 1.07)).toBe('st_t');
    expect(classAt(lead(10), 1.07)).toBe('qrs'); // V5's QRS ends later
    expect(lead(0).every((c) => c === UNKNOWN_WAVE)).toBe(true); // lead I has no annotations here
  });

  it('uses the global boundaries for every lead where the source has only those, and nothing without either', () => {
    const labels = leadWaveClassLabels({ beats: [beat(1), beat(2)] }, config)!;
    const lead = (l: number) => labels.filter((_, i) => i % 12 === l);
    expect(lead(3)).toEqual(waveClassLabels([beat(1), beat(2)], config));
    expect(lead(11)).toEqual(lead(3));
    expect(leadWaveClassLabels({}, config)).toBeNull();
  });
});
