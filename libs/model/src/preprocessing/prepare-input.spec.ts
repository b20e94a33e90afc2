import { LeadName, millivoltsToLead, ValidatedWindow } from '@aicrn/contracts';
import type { EcgRecord } from '@aicrn/signal';
import { SERVING_PRESET, PAPER_PRESET, inputSamples } from '../config';
import { prepareInput } from './prepare-input';
import { selectModelLeads } from './lead-selection';

/** Limb leads from two independent "electrode" signals, chest leads as distinct tones: exact relations hold. */
function twelveLead(rate: number, seconds = 10): Map<LeadName, Float32Array> {
  const n = rate * seconds;
  const wave = (f: number, phase: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * f * i) / rate + phase));
  const I = wave(1.1, 0);
  const II = wave(1.7, 1);
  const comb = (a: number, b: number) => Float32Array.from(I, (v, i) => a * v + b * II[i]);
  const leads = new Map<LeadName, Float32Array>([
    ['I', I],
    ['II', II],
    ['III', comb(-1, 1)],
    ['aVR', comb(-0.5, -0.5)],
    ['aVL', comb(1, -0.5)],
    ['aVF', comb(-0.5, 1)],
  ]);
  ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'].forEach((v, k) => leads.set(v as LeadName, wave(2 + k, k)));
  return leads;
}

function windowOf(leads: Map<LeadName, Float32Array>, rate: number, gain = 1000): ValidatedWindow {
  return {
    window_id: 'bed1:dev1:1',
    received_ms: 0,
    quality: { score: 1, reasons: [], leads: [] },
    window: {
      bed_id: 'bed1',
      device_id: 'dev1',
      seq: 1,
      start_ms: Date.UTC(2026, 0, 1),
      sample_rate_hz: rate,
      leads: [...leads].map(([name, mv]) => ({ ...millivoltsToLead(name, mv, gain, 10), name })),
    },
  };
}

const recordOf = (leads: Map<LeadName, Float32Array>, rate: number): EcgRecord => ({ sampleRateHz: rate, leads: [...leads].map(([name, mv]) => ({ name, mv })) });

describe('selectModelLeads', () => {
  it.each([
    [['II', 'III'], 'I = II - III'],
    [['aVR', 'aVL'], 'I = -0.6667*aVR + 0.6667*aVL'],
    [['III', 'aVF'], 'I = -2*III + 2*aVF'],
    [['aVL', 'aVF'], null],
    [['I', 'III'], 'II = I + III'],
  ])('derives the missing of I/II exactly from %j', (limbs, description) => {
    const all = twelveLead(100, 2);
    const available = new Map([...all].filter(([name]) => name.startsWith('V') || (limbs as string[]).includes(name)));
    const selection = selectModelLeads(available);
    if (!selection.ok) throw new Error(selection.reason);
    if (description) expect(selection.derived).toContain(description);
    for (const [k, lead] of ['I', 'II'].entries()) {
      const expected = all.get(lead as LeadName)!;
      selection.leads[k].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
  });

  it('is not eligible without chest leads, naming the missing ones (3-lead telemetry)', () => {
    const all = twelveLead(100, 1);
    const selection = selectModelLeads(new Map([...all].filter(([n]) => ['I', 'II', 'III'].includes(n))));
    expect(selection).toEqual({ ok: false, code: 'missing_chest_leads', reason: expect.stringContaining('missing V1, V2, V3, V4, V5, V6') });
  });

  it('is not eligible with a single limb lead', () => {
    const all = twelveLead(100, 1);
    const selection = selectModelLeads(new Map([...all].filter(([n]) => n.startsWith('V') || n === 'II')));
    expect(selection).toMatchObject({ ok: false, code: 'missing_limb_leads' });
  });
});

describe('prepareInput', () => {
  const options = { inputDivisor: 6 };

  it('feeds a 12-lead 500 Hz window to the serving model: 8 leads, 250 Hz, ADU -> mV / 6', () => {
    const leads = twelveLead(500);
    const prepared = prepareInput(windowOf(leads, 500), SERVING_PRESET, options);
    if (prepared.status !== 'ready') throw new Error(prepared.reason);
    expect(prepared.input.length).toBe(inputSamples(SERVING_PRESET) * 8);
    // V5 (channel 6) at 250 Hz sample 1000 = 500 Hz sample 2000, / 6; ADU quantisation is 1 uV.
    expect(prepared.input[1000 * 8 + 6]).toBeCloseTo(leads.get('V5')![2000] / 6, 3);
    expect(prepared.input[1000 * 8 + 1]).toBeCloseTo(leads.get('II')![2000] / 6, 3);
  });

  it('feeds the paper model from a 360 Hz record (resampled to 500 Hz) and a 3-limb-lead record with derived I', () => {
    const leads = twelveLead(360);
    leads.delete('I');
    const prepared = prepareInput(recordOf(leads, 360), PAPER_PRESET, options);
    if (prepared.status !== 'ready') throw new Error(prepared.reason);
    expect(prepared.input.length).toBe(5000 * 8);
    expect(prepared.derivedLeads).toEqual(['I = II - III']);
    const t = 2500;
    const expectedI = Math.sin((2 * Math.PI * 1.1 * t) / 500) / 6;
    expect(prepared.input[t * 8]).toBeCloseTo(expectedI, 3);
  });

  it('says not eligible (not rejected) for a 3-lead telemetry window', () => {
    const leads = new Map([...twelveLead(250)].filter(([n]) => ['I', 'II', 'III'].includes(n)));
    expect(prepareInput(windowOf(leads, 250), SERVING_PRESET, options)).toMatchObject({ status: 'not_eligible', code: 'missing_chest_leads' });
  });

  it('rejects NaN, wrong length, flat leads, unsupported rates and unknown leads with a reason', () => {
    const withNaN = twelveLead(500);
    withNaN.get('V3')![17] = NaN;
    expect(prepareInput(recordOf(withNaN, 500), SERVING_PRESET, options)).toEqual({ status: 'rejected', code: 'non_finite_samples', reason: expect.stringContaining('lead V3') });

    const short = twelveLead(500);
    short.set('V2', short.get('V2')!.subarray(0, 4999));
    expect(prepareInput(recordOf(short, 500), SERVING_PRESET, options)).toMatchObject({ status: 'rejected', code: 'wrong_length' });

    const flat = twelveLead(500);
    flat.set('V4', new Float32Array(5000));
    expect(prepareInput(windowOf(flat, 500), SERVING_PRESET, options)).toEqual({ status: 'rejected', code: 'flat_lead', reason: expect.stringContaining('lead V4 is flat') });

    expect(prepareInput(recordOf(twelveLead(100), 100), SERVING_PRESET, options)).toMatchObject({ status: 'rejected', code: 'unsupported_sample_rate' });
    expect(prepareInput({ sampleRateHz: 500.5, leads: [] }, SERVING_PRESET, options)).toMatchObject({ status: 'rejected', code: 'unsupported_sample_rate' });

    const unknown = recordOf(twelveLead(500), 500);
    unknown.leads.push({ name: 'X9', mv: new Float32Array(5000) });
    expect(prepareInput(unknown, SERVING_PRESET, options)).toMatchObject({ status: 'rejected', code: 'unknown_lead' });
  });

  it('ignores problems in leads it does not read (a flat aVR beside measured I and II)', () => {
    const leads = twelveLead(500);
    leads.set('aVR', new Float32Array(5000));
    expect(prepareInput(recordOf(leads, 500), SERVING_PRESET, options).status).toBe('ready');
  });
});
