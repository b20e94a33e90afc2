import { PNG } from 'pngjs';
import { agreementOf, AgreementTally } from './agreement';
import { renderBlandAltmanPng } from './bland-altman-plot';
import { EcgParameters } from '../types';

const params = (qt: number | null, hr: number | null = null): EcgParameters => ({ hr_bpm: hr, pr_ms: null, qrs_ms: null, qt_ms: qt, qtc_ms: null, r_amp_mv: null, t_amp_mv: null });

describe('agreement statistics', () => {
  it('computes MAE, RMSE, R2 and Bland-Altman limits', () => {
    const pairs = [
      { measured: 402, reference: 400 },
      { measured: 418, reference: 420 },
      { measured: 446, reference: 440 },
      { measured: 380, reference: 380 },
    ];
    const a = agreementOf('qt_ms', pairs);
    // differences 2, -2, 6, 0
    expect(a.n).toBe(4);
    expect(a.mae).toBeCloseTo(2.5, 9);
    expect(a.rmse).toBeCloseTo(Math.sqrt((4 + 4 + 36 + 0) / 4), 9);
    expect(a.meanDifference).toBeCloseTo(1.5, 9);
    const sd = Math.sqrt(((0.5 ** 2) + (3.5 ** 2) + (4.5 ** 2) + (1.5 ** 2)) / 3);
    expect(a.sdDifference).toBeCloseTo(sd, 9);
    expect(a.lowerLimit).toBeCloseTo(1.5 - 1.96 * sd, 9);
    expect(a.upperLimit).toBeCloseTo(1.5 + 1.96 * sd, 9);
    // reference mean 410, total squares 100 + 100 + 900 + 900 = 2000, residual 44
    expect(a.r2).toBeCloseTo(1 - 44 / 2000, 9);
  });

  it('scores only pairs where both sides are non-null and counts what the method missed', () => {
    const tally = new AgreementTally();
    tally.add(params(400, 60), params(410, 62));
    tally.add(params(null, 70), params(420, 70));
    tally.add(params(430, null), params(null, null));
    const qt = tally.summary().find((s) => s.parameter === 'qt_ms')!;
    expect(qt).toMatchObject({ n: 1, missed: 1, mae: 10 });
    const hr = tally.summary().find((s) => s.parameter === 'hr_bpm')!;
    expect(hr).toMatchObject({ n: 2, missed: 0, mae: 1 });
    expect(tally.summary().find((s) => s.parameter === 'pr_ms')).toMatchObject({ n: 0, mae: null, r2: null });
  });
});

describe('Bland-Altman PNG', () => {
  it('draws a readable plot with points and the mean-difference line', () => {
    const pairs = Array.from({ length: 30 }, (_, i) => ({ measured: 380 + i * 3 + ((i * 7) % 11) - 5, reference: 380 + i * 3 }));
    const agreement = agreementOf('qt_ms', pairs);
    const png = PNG.sync.read(renderBlandAltmanPng(agreement, pairs));
    expect([png.width, png.height]).toEqual([640, 480]);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    expect(colours.has('31,90,180')).toBe(true); // points
    expect(colours.has('200,40,40')).toBe(true); // mean difference
    expect(colours.has('220,130,20')).toBe(true); // limits of agreement
    expect(colours.has('0,0,0')).toBe(true); // axes and labels
  });
});
