import { STANDARD_LEADS } from '@aicrn/contracts';
import { generateWindow } from './generator';
import { Rng } from './random';
import { MIN_JTC_MS, randomSpec } from './random-spec';
import { resolveSpec } from './spec';
import { beatSlopes, MAX_WAVE_TO_QRS_SLOPE_RATIO, maxWaveAmplitudeMv } from './wave-slopes';

describe('beatSlopes', () => {
  it('matches the steepest slopes of the generated signal, lead by lead', () => {
    const spec = resolveSpec({ sampleRateHz: 2000, hrv: { rrJitterFraction: 0, respiratoryDepthFraction: 0, amplitudeModulationFraction: 0 } }).spec;
    const window = generateWindow(spec, 1);
    const beat = window.generatedBeats.find((b) => b.pOnS > 0.5)!;
    const slopes = beatSlopes(spec);
    const steepest = (mv: Float32Array, fromS: number, toS: number): number => {
      let best = 0;
      for (let i = Math.ceil(fromS * 2000); i < Math.floor(toS * 2000); i++) best = Math.max(best, Math.abs(mv[i + 1] - mv[i]) * 2);
      return best;
    };
    STANDARD_LEADS.forEach((name, l) => {
      const mv = window.clean.leads.find((lead) => lead.name === name)!.mv;
      expect([name, steepest(mv, beat.qrsOnS, beat.qrsOffS)]).toEqual([name, expect.closeTo(slopes.qrs[l], 2)]);
      expect([name, steepest(mv, beat.tOnS, beat.tOffS)]).toEqual([name, expect.closeTo(slopes.t[l], 3)]);
      expect([name, steepest(mv, beat.pOnS, beat.pOffS)]).toEqual([name, expect.closeTo(slopes.p[l], 3)]);
    });
  });
});

describe('maxWaveAmplitudeMv', () => {
  it('scales with the QRS: twice the R amplitude allows twice the P and T', () => {
    const spec = resolveSpec({ rAmplitudeMv: 0.8, qrsMs: 120 }).spec;
    const doubled = { ...spec, rAmplitudeMv: 1.6 };
    expect(maxWaveAmplitudeMv(doubled, 'T')).toBeCloseTo(2 * maxWaveAmplitudeMv(spec, 'T'), 6);
    expect(maxWaveAmplitudeMv(doubled, 'P')).toBeCloseTo(2 * maxWaveAmplitudeMv(spec, 'P'), 6);
  });

  it('allows a normal heart its normal T wave, and a wide slow QRS only a smaller one', () => {
    expect(maxWaveAmplitudeMv(resolveSpec({}).spec, 'T')).toBeGreaterThan(0.35);
    expect(maxWaveAmplitudeMv(resolveSpec({ qrsMs: 180, qtMs: 460 }).spec, 'T')).toBeLessThan(maxWaveAmplitudeMv(resolveSpec({}).spec, 'T'));
  });
});

describe('randomSpec physiology', () => {
  const specs = Array.from({ length: 300 }, (_, k) => randomSpec(new Rng(500 + k)));

  it('keeps P and T no steeper than 0.4 x the QRS in every lead with a sizeable QRS', () => {
    for (const spec of specs) {
      const { qrs, p, t } = beatSlopes(spec);
      const sizeable = Math.max(...qrs) / 3;
      for (let l = 0; l < 12; l++) {
        if (qrs[l] < sizeable) continue;
        expect(p[l] / qrs[l]).toBeLessThanOrEqual(MAX_WAVE_TO_QRS_SLOPE_RATIO + 1e-9);
        expect(t[l] / qrs[l]).toBeLessThanOrEqual(MAX_WAVE_TO_QRS_SLOPE_RATIO + 1e-9);
      }
    }
  });

  it('leaves room for the T wave: JT at least MIN_JTC_MS x sqrt(RR)', () => {
    for (const spec of specs) expect(spec.qtMs - spec.qrsMs).toBeGreaterThanOrEqual(MIN_JTC_MS * Math.sqrt(60 / spec.hrBpm) - 1e-6);
  });
});
