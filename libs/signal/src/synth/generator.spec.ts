import { millivoltsToLead, STANDARD_LEADS } from '@aicrn/contracts';
import { EcgRecord } from '../types';
import { generateWindow, SyntheticWindow } from './generator';
import { Rng } from './random';
import { randomSpec } from './random-spec';
import { RAIL_MV, resolveSpec } from './spec';

const lead = (record: EcgRecord, name: string) => {
  const found = record.leads.find((l) => l.name === name);
  if (!found) throw new Error(`no lead ${name}`);
  return found.mv;
};

/** The reference amplitude definition (ludb-reference.md step 7), written independently of labels.ts. */
function referenceAmplitudes(w: SyntheticWindow): { r: number; t: number } {
  const fs = w.record.sampleRateHz;
  const v5 = lead(w.clean, 'V5');
  const r: number[] = [];
  const t: number[] = [];
  for (const b of w.beats) {
    if (b.qrs_on_s === null || b.qrs_off_s === null) continue;
    const on = Math.ceil(b.qrs_on_s * fs);
    const samples20Ms = Math.round(0.02 * fs);
    if (on - samples20Ms < 0) continue;
    const base = v5.slice(on - samples20Ms, on);
    const baseline = base.reduce((a, x) => a + x, 0) / base.length;
    r.push(Math.max(...v5.slice(on, Math.floor(b.qrs_off_s * fs) + 1)) - baseline);
    if (b.t_peak_s !== null) t.push(v5[Math.round(b.t_peak_s * fs)] - baseline);
  }
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return { r: med(r), t: med(t) };
}

describe('generateWindow', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const spec = { noise: { emg: { rmsMv: 0.02 }, baselineWander: { amplitudeMv: 0.2 } } };
    const a = generateWindow(spec, 11);
    const b = generateWindow(spec, 11);
    const c = generateWindow(spec, 12);
    expect(a.labels).toEqual(b.labels);
    a.record.leads.forEach((l, i) => expect(Buffer.from(l.mv.buffer).equals(Buffer.from(b.record.leads[i].mv.buffer))).toBe(true));
    expect(Buffer.from(lead(a.record, 'II').buffer).equals(Buffer.from(lead(c.record, 'II').buffer))).toBe(false);
  });

  it('outputs the 12 standard leads, 10 s at 500 Hz by default', () => {
    const w = generateWindow({}, 1);
    expect(w.record.sampleRateHz).toBe(500);
    expect(w.record.leads.map((l) => l.name)).toEqual([...STANDARD_LEADS]);
    for (const l of w.record.leads) expect(l.mv.length).toBe(5000);
  });

  it.each([250, 360, 1000])('works at %i Hz', (fs) => {
    const w = generateWindow({ sampleRateHz: fs, durationS: 8 }, 2);
    expect(w.record.leads[0].mv.length).toBe(8 * fs);
    expect(w.labels.qrs_ms).toBe(w.spec.qrsMs);
    const amps = referenceAmplitudes(w);
    expect(w.labels.r_amp_mv).toBeCloseTo(amps.r, 6);
  });

  it('satisfies the Einthoven and Goldberger identities exactly, with and without noise', () => {
    const noisy = { noise: { emg: { rmsMv: 0.05 }, baselineWander: { amplitudeMv: 0.4 }, mains: { amplitudeMv: 0.1, frequencyHz: 60 as const }, motion: [{ startS: 2, durationS: 2, amplitudeMv: 1.5 }] } };
    for (const w of [generateWindow({}, 3), generateWindow(noisy, 4)]) {
      const i1 = lead(w.record, 'I');
      const i2 = lead(w.record, 'II');
      const [iii, avr, avl, avf] = ['III', 'aVR', 'aVL', 'aVF'].map((n) => lead(w.record, n));
      let mismatches = 0;
      for (let k = 0; k < i1.length; k++) {
        if (iii[k] !== Math.fround(i2[k] - i1[k])) mismatches++;
        if (avr[k] !== Math.fround(-(i1[k] + i2[k]) / 2)) mismatches++;
        if (avl[k] !== Math.fround(i1[k] - i2[k] / 2)) mismatches++;
        if (avf[k] !== Math.fround(i2[k] - i1[k] / 2)) mismatches++;
      }
      expect(mismatches).toBe(0);
      // and not trivially: the derived leads carry signal
      expect(Math.max(...iii.map(Math.abs))).toBeGreaterThan(0.1);
    }
  });

  it('defines every parameter for clean windows at HR 60-100', () => {
    const rng = new Rng(99);
    for (let i = 0; i < 25; i++) {
      const spec = randomSpec(rng, { hrBpm: [60, 100], noiseProbability: 0 });
      const w = generateWindow(spec, i);
      for (const [name, value] of Object.entries(w.labels)) {
        expect([name, value === null || !Number.isFinite(value)]).toEqual([name, false]);
      }
    }
  });

  it('labels the intervals with the generated wave boundaries, and the signal starts and stops exactly there', () => {
    const w = generateWindow({ hrBpm: 60, prMs: 170, qrsMs: 100, qtMs: 420, hrv: { rrJitterFraction: 0.02 } }, 5);
    expect(w.labels.pr_ms).toBe(170);
    expect(w.labels.qrs_ms).toBe(100);
    expect(w.labels.qt_ms).toBe(420);
    const fs = 500;
    let checked = 0;
    for (const b of w.beats) {
      if (b.p_on_s === null || b.qrs_on_s === null || b.qrs_off_s === null || b.t_off_s === null) continue;
      const pOn = Math.floor(b.p_on_s * fs);
      const qrsOn = Math.floor(b.qrs_on_s * fs);
      const qrsOff = Math.ceil(b.qrs_off_s * fs);
      const tOff = Math.ceil(b.t_off_s * fs);
      for (const l of w.clean.leads) {
        // Isoelectric TP segment before the P wave, PR segment before the QRS, nothing after T offset.
        const isoelectric = [pOn, pOn - 5, qrsOn, qrsOn - 3, tOff, tOff + 5].map((k) => l.mv[k] === 0);
        expect([l.name, ...isoelectric]).toEqual([l.name, true, true, true, true, true, true]);
      }
      // The deviation starts on the sample right after the onset, in the leads the septal dipole reaches.
      expect(Math.abs(lead(w.clean, 'V1')[qrsOn + 1])).toBeGreaterThan(0);
      expect(Math.abs(lead(w.clean, 'II')[pOn + 1])).toBeGreaterThan(0);
      expect(Math.abs(lead(w.clean, 'V5')[qrsOff - 1])).toBeGreaterThan(0);
      expect(Math.abs(lead(w.clean, 'V5')[tOff - 1])).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it('labels HR as 60000 / mean RR of the in-window beats', () => {
    const w = generateWindow({ hrBpm: 75, hrv: { rrJitterFraction: 0.04, respiratoryDepthFraction: 0.05 } }, 6);
    const r = w.beats.map((b) => b.r_s);
    const meanRr = ((r[r.length - 1] - r[0]) / (r.length - 1)) * 1000;
    expect(w.labels.hr_bpm).toBeCloseTo(60000 / meanRr, 5);
    expect(Math.abs(w.labels.hr_bpm! - 75)).toBeLessThan(6);
    expect(w.labels.qtc_ms).toBeCloseTo(w.labels.qt_ms! / Math.sqrt(meanRr / 1000), 4);
    for (const t of r) expect(t >= 0 && t < 10).toBe(true);
  });

  it('measures the V5 amplitudes by the reference definition on the stored samples', () => {
    for (const [seed, spec] of [
      [7, { rAmplitudeMv: 2.2, tAmplitudeMv: 0.6 }],
      [8, { rAmplitudeMv: 0.5, tAmplitudeMv: -0.4, qrsAxisDeg: 25 }],
      [9, { hrBpm: 150, qtMs: 300, tPeakedness: 1, tAmplitudeMv: 1.2 }],
    ] as const) {
      const w = generateWindow(spec, seed);
      const ref = referenceAmplitudes(w);
      expect(w.labels.r_amp_mv).toBe(ref.r);
      expect(w.labels.t_amp_mv).toBe(ref.t);
      // The T peak belongs to the T dipole alone, so t_amp recovers its V5 projection (sample grid aside).
      expect(w.labels.t_amp_mv!).toBeCloseTo(spec.tAmplitudeMv, 1);
      expect(Math.sign(w.labels.t_amp_mv!)).toBe(Math.sign(spec.tAmplitudeMv));
    }
  });

  it('covers the clinical extremes with exact interval labels', () => {
    const cases = [
      { hrBpm: 35, prMs: 320, qrsMs: 200, qtMs: 600 },
      { hrBpm: 180, prMs: 100, qrsMs: 60, qtMs: 250 },
      { hrBpm: 100, prMs: 100, qrsMs: 200, qtMs: 450 },
    ];
    cases.forEach((spec, i) => {
      const w = generateWindow({ ...spec, hrv: { rrJitterFraction: 0.01, respiratoryDepthFraction: 0.01 } }, 20 + i);
      expect(w.adjustments).toEqual([]);
      expect(w.labels).toMatchObject({ pr_ms: spec.prMs, qrs_ms: spec.qrsMs, qt_ms: spec.qtMs });
      expect(Math.abs(w.labels.hr_bpm! - spec.hrBpm)).toBeLessThan(3);
    });
  });

  it('clamps QT (and QRS, PR) to what the shortest RR allows and says so', () => {
    const w = generateWindow({ hrBpm: 180, qtMs: 600, prMs: 320, qrsMs: 200 }, 30);
    const { spec } = resolveSpec({ hrBpm: 180 });
    const rrMin = (60000 / 180) * (1 - 2.5 * spec.hrv.rrJitterFraction - spec.hrv.respiratoryDepthFraction);
    expect(w.spec.qtMs).toBeCloseTo(rrMin - 50, 6);
    expect(w.spec.qrsMs).toBeCloseTo(rrMin - 130, 6);
    expect(w.adjustments.join('; ')).toMatch(/qtMs 600 -> .*shortest RR/);
    expect(w.labels.qt_ms).toBeCloseTo(w.spec.qtMs, 5);
    // T ends before the next QRS: the 20 ms baseline before every QRS onset is exactly zero.
    const v5 = lead(w.clean, 'V5');
    for (const b of w.beats) {
      if (b.qrs_on_s === null || b.qrs_on_s < 0.03) continue;
      const on = Math.ceil(b.qrs_on_s * 500);
      for (let k = on - 10; k < on; k++) expect(v5[k]).toBe(0);
    }
  });

  it('keeps the heart and the labels when noise is added; each noise type changes the record', () => {
    const clean = generateWindow({}, 40);
    const noises = {
      baselineWander: { baselineWander: { amplitudeMv: 0.3 } },
      emg: { emg: { rmsMv: 0.03 } },
      mains: { mains: { amplitudeMv: 0.05, frequencyHz: 50 as const } },
      motion: { motion: [{ startS: 4, durationS: 2, amplitudeMv: 1 }] },
      saturation: { saturation: { limitMv: 0.5 } },
    };
    for (const [name, noise] of Object.entries(noises)) {
      const w = generateWindow({ noise }, 40);
      expect([name, w.labels]).toEqual([name, clean.labels]);
      expect(Buffer.from(lead(w.clean, 'V5').buffer).equals(Buffer.from(lead(clean.record, 'V5').buffer))).toBe(true);
      expect([name, Buffer.from(lead(w.record, 'V5').buffer).equals(Buffer.from(lead(clean.record, 'V5').buffer))]).toEqual([name, false]);
    }
  });

  it('holds a lead-off lead at a constant, or at the ADC rail', () => {
    const w = generateWindow({ noise: { emg: { rmsMv: 0.02 }, leadOff: [{ lead: 'V3', startS: 2, durationS: 3, mode: 'flat' }, { lead: 'V6', startS: 0, durationS: 10, mode: 'rail' }] } }, 41);
    const v3 = lead(w.record, 'V3');
    expect(new Set(v3.slice(1000, 2500))).toEqual(new Set([0]));
    expect(v3[999]).not.toBe(0);
    expect(v3[2500]).not.toBe(0);
    const v6 = millivoltsToLead('V6', lead(w.record, 'V6'));
    expect(v6.samples.readInt16LE(0)).toBe(32767);
    expect(new Set(lead(w.record, 'V6'))).toEqual(new Set([Math.fround(RAIL_MV)]));
  });

  it('rejects bad specs with errors that name the field', () => {
    expect(() => generateWindow({ sampleRateHz: 0 }, 1)).toThrow(/sampleRateHz/);
    expect(() => generateWindow({ hrBpm: Number.NaN }, 1)).toThrow(/hrBpm/);
    expect(() => generateWindow({ hrv: { rrJitterFraction: -1 } }, 1)).toThrow(/rrJitterFraction/);
    expect(() => generateWindow({}, 1.5)).toThrow(/seed/);
    expect(() => generateWindow({ noise: { leadOff: [{ lead: 'X1' as never, startS: 0, durationS: 1, mode: 'flat' }] } }, 1)).toThrow(/X1/);
    expect(() => generateWindow({ noise: { motion: [{ startS: 0, durationS: 1, amplitudeMv: 1, leads: ['aVR'] }] } }, 1)).toThrow(/aVR/);
  });
});
