import { baselineBefore, medianBeatAmplitudes } from './beat-amplitudes';

describe('medianBeatAmplitudes', () => {
  /** 0.1 mV baseline, a beat at every `at`: QRS 10 samples peaking at `r` mV, T of `t` mV 30 samples later. */
  const trace = (beats: Array<{ at: number; r: number; t: number }>) => {
    const mv = new Float32Array(400).fill(0.1);
    for (const b of beats) {
      for (let i = 0; i < 10; i++) mv[b.at + i] = 0.1 + (b.r * (5 - Math.abs(i - 5))) / 5;
      mv[b.at + 40] = 0.1 + b.t;
    }
    return mv;
  };

  it('measures R over the QRS and T at its peak from the level before QRS onset, and takes medians over beats', () => {
    const mv = trace([
      { at: 20, r: 1.0, t: 0.3 },
      { at: 120, r: 1.2, t: -0.2 },
      { at: 220, r: 1.4, t: 0.4 },
    ]);
    const beats = [20, 120, 220].map((at) => ({ qrsOn: at, qrsOff: at + 10, tPeak: at + 40 }));
    const { r_amp_mv, t_amp_mv } = medianBeatAmplitudes(mv, beats, 10);
    expect(r_amp_mv).toBeCloseTo(1.2, 6);
    expect(t_amp_mv).toBeCloseTo(0.3, 6);
  });

  it('leaves out beats without both QRS boundaries or without room for the baseline, and T where no peak is given', () => {
    const mv = trace([
      { at: 5, r: 3, t: 3 },
      { at: 120, r: 1.2, t: 0.3 },
    ]);
    const { r_amp_mv, t_amp_mv } = medianBeatAmplitudes(mv, [{ qrsOn: 5, qrsOff: 15, tPeak: 45 }, { qrsOn: 120, qrsOff: null, tPeak: 160 }], 10);
    expect(r_amp_mv).toBeNull();
    expect(t_amp_mv).toBeNull();
    expect(medianBeatAmplitudes(mv, [{ qrsOn: 120, qrsOff: 130, tPeak: null }], 10)).toEqual({ r_amp_mv: expect.closeTo(1.2, 6), t_amp_mv: null });
  });

  it('takes the baseline as the mean of the samples before onset', () => {
    expect(baselineBefore([0, 1, 2, 3, 10], 4, 2)).toBe(2.5);
    expect(baselineBefore([0, 1, 2], 1, 2)).toBeNull();
  });
});
