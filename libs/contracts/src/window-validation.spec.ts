import { packInt16 } from './samples';
import { sampleWindow } from './testing/fixtures';
import { validateEcgWindow } from './window-validation';

const NOW = Date.UTC(2026, 10, 25, 8, 1, 0);

describe('validateEcgWindow', () => {
  it('accepts a valid window and canonicalises lead names', () => {
    const window = sampleWindow({}, ['i', 'MLII', 'avr', 'v5']);
    const check = validateEcgWindow(window, NOW);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.window.leads.map((l) => l.name)).toEqual(['I', 'II', 'aVR', 'V5']);
  });

  it('rejects a lead with the wrong sample count, saying how many it needs', () => {
    const window = sampleWindow();
    window.leads[2] = { ...window.leads[2], samples: packInt16(new Array(4999).fill(0)) };
    expect(validateEcgWindow(window, NOW)).toEqual({
      ok: false,
      code: 'wrong_sample_count',
      reason: 'lead V1 has 4999 samples; a 10-s window at 500 Hz needs 5000',
    });
  });

  it('rejects an unknown lead by name', () => {
    const window = sampleWindow({}, ['I', 'II', 'X7']);
    expect(validateEcgWindow(window, NOW)).toMatchObject({ ok: false, code: 'unknown_lead', reason: expect.stringContaining('"X7"') });
  });

  it.each([
    ['a duplicate lead', sampleWindow({}, ['II', 'MLII']), 'duplicate_lead'],
    ['an absurd sample rate', sampleWindow({ sample_rate_hz: 1_000_000 }), 'invalid_sample_rate'],
    ['a fractional sample rate', { ...sampleWindow(), sample_rate_hz: 499.5 }, 'invalid_sample_rate'],
    ['a timestamp far in the future', sampleWindow({ start_ms: NOW + 3600_000 }), 'timestamp_out_of_range'],
    ['a negative sequence number', sampleWindow({ seq: -1 }), 'invalid_field'],
    ['a bed id with free text', sampleWindow({ bed_id: 'John Smith, room 4' }), 'invalid_field'],
    ['no leads', sampleWindow({ leads: [] }), 'missing_leads'],
    ['a NaN gain', { ...sampleWindow(), leads: sampleWindow().leads.map((l) => ({ ...l, gain_adu_per_mv: NaN })) }, 'invalid_field'],
    ['odd sample bytes', { ...sampleWindow(), leads: sampleWindow().leads.map((l) => ({ ...l, samples: l.samples.subarray(1) })) }, 'invalid_samples'],
    ['not an object', 'hello', 'invalid_field'],
  ])('rejects %s', (_label, input, code) => {
    expect(validateEcgWindow(input, NOW)).toMatchObject({ ok: false, code });
  });
});
