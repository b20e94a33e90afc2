import { syntheticWindows } from '@aicrn/signal';
import { AICRN_INPUT_LEADS, presetConfig } from '../config';
import { PAPER_INPUT_DIVISOR } from '../model-metadata';
import { prepareInput } from '../preprocessing/prepare-input';
import { DelineatedBeat } from './delineation-readout';
import { readV5Amplitudes } from './v5-amplitudes';

describe('readV5Amplitudes', () => {
  const config = presetConfig('serving');
  const windows = [...syntheticWindows({ seed: 4, count: 12, split: 'test' })];
  const prepared = (record: (typeof windows)[number]['record']) => {
    const p = prepareInput(record, config, { inputDivisor: PAPER_INPUT_DIVISOR });
    if (p.status !== 'ready') throw new Error(p.reason);
    return p.input;
  };
  /** The generator's own boundaries as a delineation would give them (synthetic leads share one timing). */
  const truth = (w: (typeof windows)[number]): DelineatedBeat[] =>
    w.beats.filter((b) => b.qrs_on_s !== null && b.qrs_off_s !== null).map((b) => ({ r_s: b.r_s, p_on_s: b.p_on_s, qrs_on_s: b.qrs_on_s!, qrs_off_s: b.qrs_off_s!, t_off_s: b.t_off_s }));

  it('reads R and T as the reference does when given the true V5 boundaries of physically scaled windows (positive and negative T)', () => {
    const rErrors: number[] = [];
    const tErrors: number[] = [];
    for (const w of windows) {
      const { r_amp_mv, t_amp_mv, unmeasured } = readV5Amplitudes(prepared(w.record), config, PAPER_INPUT_DIVISOR, truth(w));
      expect(unmeasured).toEqual([]);
      rErrors.push(Math.abs(r_amp_mv! - w.labels.r_amp_mv!));
      tErrors.push(Math.abs(t_amp_mv! - w.labels.t_amp_mv!));
      if (Math.abs(w.labels.t_amp_mv!) > 0.15) expect(Math.sign(t_amp_mv!)).toBe(Math.sign(w.labels.t_amp_mv!));
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // Published AICRN: R 0.027 mV, T 0.028 mV. The labels come from the noise-free 500-Hz trace, this reads the noisy 250-Hz input.
    expect(mean(rErrors)).toBeLessThan(0.03);
    expect(mean(tErrors)).toBeLessThan(0.05);
    expect(windows.some((w) => w.labels.t_amp_mv! < -0.1)).toBe(true);
  });

  it('does not take the J point for the T peak: a raised early ST segment leaves T where it was', () => {
    const w = windows.find((x) => x.labels.t_amp_mv! > 0.1 && x.labels.t_amp_mv! < 0.5)!;
    const input = prepared(w.record);
    const fs = config.sampleRateHz;
    const v5 = AICRN_INPUT_LEADS.indexOf('V5');
    // 0.8 mV for the first 15 % of every QRS offset to T offset span: an injury current far above the T wave.
    for (const b of truth(w)) {
      if (b.t_off_s === null) continue;
      const from = Math.ceil(b.qrs_off_s * fs);
      const to = Math.floor((b.qrs_off_s + 0.15 * (b.t_off_s - b.qrs_off_s)) * fs);
      for (let i = from; i <= to; i++) input[i * 8 + v5] += 0.8 / PAPER_INPUT_DIVISOR;
    }
    const { t_amp_mv } = readV5Amplitudes(input, config, PAPER_INPUT_DIVISOR, truth(w));
    expect(Math.abs(t_amp_mv! - w.labels.t_amp_mv!)).toBeLessThan(0.1);
  });

  it('says why: no V5 beats leave both amplitudes null, beats without a T end leave T null', () => {
    const w = windows[0];
    const none = readV5Amplitudes(prepared(w.record), config, PAPER_INPUT_DIVISOR, []);
    expect(none).toEqual({
      r_amp_mv: null,
      t_amp_mv: null,
      unmeasured: [
        { parameter: 'r_amp_mv', reason: 'the network delineated no QRS complex in V5' },
        { parameter: 't_amp_mv', reason: 'the network delineated no QRS complex in V5' },
      ],
    });
    const noT = readV5Amplitudes(prepared(w.record), config, PAPER_INPUT_DIVISOR, truth(w).map((b) => ({ ...b, t_off_s: null })));
    expect(noT.r_amp_mv).not.toBeNull();
    expect(noT.t_amp_mv).toBeNull();
    expect(noT.unmeasured).toEqual([{ parameter: 't_amp_mv', reason: 'the network delineated no T wave end in V5' }]);
  });
});
