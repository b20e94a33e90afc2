import { generateWindow } from '../synth/generator';
import { REALISTIC_NOISE } from '../synth/scenarios';
import { NoiseSpec } from '../synth/spec';
import { assessLeadQuality, assessSignalQuality } from './signal-quality';

const quality = (noise: NoiseSpec, hrBpm = 72, seed = 5) => assessSignalQuality(generateWindow({ hrBpm, noise }, seed).record);
const codes = (reasons: string[]) => new Set(reasons.map((r) => r.split(':')[0]));

describe('assessSignalQuality', () => {
  it.each([40, 72, 170])('scores clean and realistically noisy windows at HR %i high, with no reasons', (hr) => {
    for (const noise of [{}, REALISTIC_NOISE]) {
      const q = quality(noise, hr);
      expect(q.score).toBeGreaterThanOrEqual(0.95);
      expect(q.reasons).toEqual([]);
      expect(q.leads.map((l) => l.lead)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    }
  });

  const artefacts: Array<[string, NoiseSpec, string]> = [
    ['baseline wander', { baselineWander: { amplitudeMv: 1.2 } }, 'baseline_wander'],
    ['EMG', { emg: { rmsMv: 0.08 } }, 'hf_noise'],
    ['50 Hz mains', { mains: { amplitudeMv: 0.1, frequencyHz: 50 } }, 'mains_interference'],
    ['60 Hz mains', { mains: { amplitudeMv: 0.1, frequencyHz: 60 } }, 'mains_interference'],
    ['motion burst', { motion: [{ startS: 3, durationS: 2.5, amplitudeMv: 2.5 }] }, 'motion_artefact'],
    ['saturation', { baselineWander: { amplitudeMv: 0.5 }, saturation: { limitMv: 0.8 } }, 'saturation'],
  ];
  it.each(artefacts)('%s lowers the score and names the reason', (_name, noise, code) => {
    const q = quality({ ...REALISTIC_NOISE, ...noise });
    expect(q.score).toBeLessThan(0.85);
    expect(codes(q.reasons)).toContain(code);
  });

  it('names a lead that is off, flat or railed, and costs it its share of the score', () => {
    const flat = quality({ ...REALISTIC_NOISE, leadOff: [{ lead: 'V3', startS: 0, durationS: 10, mode: 'flat' }] });
    expect(flat.reasons).toEqual(['lead_off: V3 flat for 10.0 s']);
    expect(flat.leads.find((l) => l.lead === 'V3')!.score).toBe(0);
    expect(flat.score).toBeCloseTo(11 / 12, 2);
    const rail = quality({ leadOff: [{ lead: 'V5', startS: 4, durationS: 6, mode: 'rail' }] });
    expect(rail.reasons[0]).toBe('lead_off: V5 flat at the rail for 6.0 s');
    expect(rail.leads.find((l) => l.lead === 'V5')!.score).toBeLessThan(0.4);
  });

  it('reports invalid samples and an implausible beat rate', () => {
    const w = generateWindow({ noise: REALISTIC_NOISE }, 9);
    const ii = Float32Array.from(w.record.leads[1].mv);
    ii.fill(Number.NaN, 100, 200);
    expect(assessLeadQuality(ii, 500, 'II').reasons).toContain('invalid_samples: II 100 non-finite samples');
    // 1 mV spikes at 333 /min: no heart, and the detector cannot make a plausible rhythm of it.
    const spikes = Float32Array.from({ length: 5000 }, (_, i) => (i % 90 === 0 ? 1 : 0) + 0.05 * Math.sin(i / 30));
    const lead = assessLeadQuality(spikes, 500, 'V2');
    expect(lead.reasons.find((r) => r.startsWith('implausible_rate'))).toMatch(/^implausible_rate: V2 \d+ /);
    expect(lead.score).toBeLessThan(0.5);
  });

  it('handles empty and malformed records with clear answers', () => {
    expect(assessSignalQuality({ sampleRateHz: 500, leads: [] })).toEqual({ score: 0, reasons: ['no_leads: the record has no leads'], leads: [] });
    expect(() => assessSignalQuality({ sampleRateHz: 0, leads: [] })).toThrow(/sample rate/);
    expect(() => assessSignalQuality({ sampleRateHz: 500, leads: [{ name: 'I', mv: new Float32Array(10) }, { name: 'II', mv: new Float32Array(9) }] })).toThrow(/lead II has 9 samples/);
    expect(assessLeadQuality(new Float32Array(0), 500, 'I').score).toBe(0);
  });
});
