import fc from 'fast-check';
import { EcgWindow, STANDARD_LEADS, RejectionCode, WINDOW_SECONDS } from '@aicrn/contracts';
import { sampleWindow } from '@aicrn/contracts/testing';
import { ingestWindow } from '@aicrn/pipeline';
import { assessSignalQuality } from '@aicrn/signal';

jest.setTimeout(60_000);

const NOW_MS = Date.UTC(2026, 10, 25, 9, 0, 0);
const SOURCE = { partition: 3, offset: '17', key: 'bed-01' };
const CODES: readonly RejectionCode[] = ['invalid_field', 'invalid_sample_rate', 'unknown_lead', 'duplicate_lead', 'missing_leads', 'wrong_sample_count', 'invalid_samples', 'timestamp_out_of_range'];

const nasty = fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, 0, 1e308, -0, 2 ** 53, 0.5, '500', null, undefined, {}, [], true);
const rates = fc.oneof(fc.constantFrom(100, 125, 250, 360, 500), fc.integer({ min: -10, max: 5000 }), nasty);

/**
 * Small valid windows, generated once (a window takes ms to synthesise and its quality assessment ~8 ms,
 * so mostly-rejected cases keep 10,000 runs within seconds), then one to four mutations of the kind
 * a faulty device sends. Mutations never write into shared buffers: they copy or slice.
 */
const BASES: EcgWindow[] = [
  [['II'], 100],
  [['I', 'V5'], 100],
  [['MLII'], 125],
  [['avf', 'V1', 'I'], 100],
].map(([leads, rate]) => sampleWindow({ bed_id: 'bed-01', device_id: 'mon-01' }, leads as string[], rate as number));
const windows: fc.Arbitrary<unknown> = fc
  .record({ base: fc.constantFrom(...BASES), seq: fc.nat(1_000_000), startOffsetMs: fc.integer({ min: -3_600_000, max: 0 }) })
  .map(({ base, seq, startOffsetMs }): EcgWindow => ({ ...base, seq, start_ms: NOW_MS - 10_000 + startOffsetMs }))
  .chain((base) =>
    fc
      .oneof({ arbitrary: fc.constant([]), weight: 1 }, { arbitrary: fc.array(mutation(base), { minLength: 1, maxLength: 4 }), weight: 15 })
      .map((mutations) => mutations.reduce<unknown>((w, mutate) => mutate(w), base)),
  );

type Mutate = (w: unknown) => unknown;
function mutation(base: EcgWindow): fc.Arbitrary<Mutate> {
  const set = (field: string, value: unknown): Mutate => (w) => (typeof w === 'object' && w !== null ? { ...(w as object), [field]: value } : w);
  const onLeads = (change: (leads: unknown[]) => unknown): Mutate => (w) => {
    const leads = (w as { leads?: unknown })?.leads;
    return Array.isArray(leads) ? { ...(w as object), leads: change(leads.map((l) => (typeof l === 'object' && l !== null ? { ...l } : l))) } : w;
  };
  // Earlier mutations may have replaced or removed leads; index past the end is a no-op.
  const leadIndex = fc.nat(base.leads.length - 1);
  return fc.oneof(
    fc.tuple(leadIndex, fc.oneof(nasty, fc.double())).map(([i, gain]) => onLeads((ls) => ((ls[i] = { ...(ls[i] as object), gain_adu_per_mv: gain }), ls))),
    fc.tuple(leadIndex, fc.oneof(nasty, fc.integer({ min: -70_000, max: 70_000 }))).map(([i, b]) => onLeads((ls) => ((ls[i] = { ...(ls[i] as object), baseline_adu: b }), ls))),
    rates.map((r) => set('sample_rate_hz', r)),
    fc.array(fc.oneof(fc.constantFrom(...STANDARD_LEADS, 'MLII', 'V7', 'avr', ' I', '', 'Lead II'), fc.string({ maxLength: 6 }), nasty), { maxLength: 20 }).map((names) =>
      onLeads((ls) => names.map((name, k) => ({ ...(ls[k % ls.length] as object), name }))),
    ),
    fc.tuple(leadIndex, fc.integer({ min: -2000, max: 2000 })).map(([i, delta]) =>
      onLeads((ls) => {
        const lead = ls[i] as { samples?: unknown } | undefined;
        if (!lead || !Buffer.isBuffer(lead.samples)) return ls;
        const bytes = Math.max(0, lead.samples.length + delta);
        ls[i] = { ...lead, samples: bytes <= lead.samples.length ? lead.samples.subarray(0, bytes) : Buffer.concat([lead.samples, Buffer.alloc(bytes - lead.samples.length)]) };
        return ls;
      }),
    ),
    fc.tuple(leadIndex, fc.oneof(nasty, fc.string(), fc.array(fc.integer(), { maxLength: 4 }))).map(([i, samples]) => onLeads((ls) => ((ls[i] = { ...(ls[i] as object), samples }), ls))),
    fc.constant(onLeads((ls) => [...ls, ...ls])),
    fc.constant(onLeads(() => [])),
    fc.oneof(nasty, fc.integer({ min: -5, max: 2 ** 53 + 10 }), fc.double()).map((seq) => set('seq', seq)),
    fc.oneof(nasty, fc.integer({ min: 0, max: 8.64e15 }), fc.constantFrom(NOW_MS + 301_000, NOW_MS + 86_400_000 * 365, 946_684_799_999)).map((t) => set('start_ms', t)),
    fc.oneof(nasty, fc.string({ maxLength: 80 }), fc.constantFrom('John Smith', 'bed 1', 'x'.repeat(65), 'bed/../01')).map((id) => set('bed_id', id)),
    fc.oneof(nasty, fc.string({ maxLength: 80 })).map((id) => set('device_id', id)),
    fc.oneof(nasty, fc.string(), fc.constant([1, 2, 3])).map((v) => () => v),
    fc.string({ maxLength: 12 }).map((key) => set(key, 'extra')),
  );
}

describe('fuzz: window validation (ingestWindow)', () => {
  it('turns 10,000 mutated device windows into a validated window or a dead letter with a specific code, never a throw', () => {
    const seen: Record<string, number> = {};
    fc.assert(
      fc.property(windows, (raw) => {
        const outcome = ingestWindow(raw, SOURCE, NOW_MS, assessSignalQuality);
        if (outcome.accepted) {
          const { window, window_id, quality } = outcome.window;
          seen.accepted = (seen.accepted ?? 0) + 1;
          expect(window_id).toBe(`${window.bed_id}:${window.device_id}:${window.seq}`);
          expect(window.start_ms).toBeLessThanOrEqual(NOW_MS + 300_000);
          for (const lead of window.leads) {
            expect(lead.samples.length).toBe(2 * WINDOW_SECONDS * window.sample_rate_hz);
            expect(Number.isFinite(lead.gain_adu_per_mv) && lead.gain_adu_per_mv > 0).toBe(true);
          }
          expect(quality.score).toBeGreaterThanOrEqual(0);
          expect(quality.score).toBeLessThanOrEqual(1);
        } else {
          const dead = outcome.deadLetter;
          seen[dead.code] = (seen[dead.code] ?? 0) + 1;
          expect(CODES).toContain(dead.code);
          expect(dead.reason.length).toBeGreaterThan(10);
          expect(dead.reason.length).toBeLessThan(400);
          expect(dead).toMatchObject({ source_topic: 'ecg.raw.v1', partition: 3, offset: '17', key: 'bed-01', received_ms: NOW_MS, payload: null });
          expect(dead.bed_id === null || dead.bed_id.length <= 64).toBe(true);
        }
      }),
      { numRuns: 10_000, seed: 20261125 },
    );
    // The mutations reach every rejection code and still leave some windows valid.
    expect(Object.keys(seen).sort()).toEqual([...CODES, 'accepted'].sort());
  });

  it('gives a replayed (duplicate) or out-of-order window the same deterministic id, so downstream deduplicates it', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { minLength: 2, maxLength: 12 }), (seqs) => {
        const ids = seqs.map((seq) => {
          const outcome = ingestWindow(sampleWindow({ seq, start_ms: NOW_MS - 20_000 }, ['II'], 100), SOURCE, NOW_MS, assessSignalQuality);
          if (!outcome.accepted) throw new Error(`valid window rejected: ${outcome.deadLetter.reason}`);
          return outcome.window.window_id;
        });
        seqs.forEach((seq, i) => expect(ids[i]).toBe(`bed-01:mon-01:${seq}`));
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
