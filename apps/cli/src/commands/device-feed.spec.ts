import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcgWindow, leadToMillivolts, packInt16, TOPICS, validateEcgWindow } from '@aicrn/contracts';
import { readWfdbRecord } from '@aicrn/signal';
import { BadInputError } from './bad-input';
import { sendChunks } from './device-feed';
import { deviceIdForRecord, planReplay } from './replay-plan';
import { runReplay } from './replay-run';
import { runSimulation } from './simulate-run';

const LUDB = '/work/shared/data/ludb/data';
const MITDB = '/work/shared/data/mitdb';

/** A bus that records what was published, send by send. */
function recordingBus() {
  const sends: Array<{ topic: string; records: Array<{ key: string; value: EcgWindow }> }> = [];
  return {
    sends,
    windows: () => sends.flatMap((s) => s.records.map((r) => r.value)),
    publish: async (topic: string, records: Array<{ key: string; value: unknown }>) => {
      sends.push({ topic, records: records as Array<{ key: string; value: EcgWindow }> });
    },
  };
}

const never = new Promise<void>(() => undefined);

describe('sendChunks', () => {
  it('keeps every send under the byte budget, a single oversized window alone, order kept', () => {
    const window = (seq: number, bytes: number): EcgWindow => ({ bed_id: 'b', device_id: 'd', seq, start_ms: 0, sample_rate_hz: 100, leads: [{ name: 'II', gain_adu_per_mv: 200, baseline_adu: 0, samples: Buffer.alloc(bytes) }] });
    const chunks = sendChunks([window(0, 400), window(1, 400), window(2, 300), window(3, 2000), window(4, 10)], 1000);
    expect(chunks.map((c) => c.map((w) => w.seq))).toEqual([[0, 1], [2], [3], [4]]);
  });
});

describe('runSimulation', () => {
  it('--fast: every bed advances together, consecutive windows ending no later than now, all valid for ingestion', async () => {
    const bus = recordingBus();
    const now = Date.now();
    const summary = await runSimulation({ beds: 3, seed: 1, backfillS: 0, durationS: 45, mode: 'fast' }, bus, { stop: never, now: () => now });
    const windows = bus.windows();
    expect(summary).toMatchObject({ windows_published: 12, scenario_s: 40, stopped_by: 'duration', beds: 3, last_window_end_ms: now });
    expect(bus.sends.every((s) => s.topic === TOPICS.raw && s.records.every((r) => r.key === r.value.bed_id))).toBe(true);
    for (const bed of ['bed-01', 'bed-02', 'bed-03']) {
      const own = windows.filter((w) => w.bed_id === bed);
      expect(own.map((w) => w.seq)).toEqual([0, 1, 2, 3]);
      expect(own.map((w) => w.start_ms - own[0].start_ms)).toEqual([0, 10_000, 20_000, 30_000]);
    }
    // Time-ordered across beds: no bed's window k comes after another bed's window k+1.
    const seqs = windows.map((w) => w.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(windows.every((w) => validateEcgWindow(w, now).ok && w.leads.length === 12)).toBe(true);
  });

  it('realtime: backfilled history at once, then stops cleanly on the stop signal', async () => {
    const bus = recordingBus();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const run = runSimulation({ beds: 2, seed: 1, backfillS: 20, durationS: null, mode: 'realtime' }, bus, { stop: stopped });
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop();
    const summary = await run;
    // 20 s of backfill plus the window that ends now: 3 per bed, none in the future.
    expect(summary).toMatchObject({ windows_published: 6, scenario_s: 30, stopped_by: 'signal' });
    expect(bus.windows().every((w) => w.start_ms + 10_000 <= Date.now())).toBe(true);
  });

  it('refuses --fast without a duration', async () => {
    await expect(runSimulation({ beds: 1, seed: 1, backfillS: 0, durationS: null, mode: 'fast' }, recordingBus(), { stop: never })).rejects.toThrow(/--duration-s/);
  });
});

describe('planReplay', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'aicrn-replay-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const options = { bedId: 'bed-09', deviceId: 'dev-1', startMs: Date.UTC(2026, 0, 1), seqStart: 7 };

  /** Millivolts ingestion will see must equal what the WFDB reader computes from the file. */
  function expectSameMillivolts(file: string): void {
    const wfdb = readWfdbRecord(file);
    const plan = planReplay(wfdb, options);
    const perWindow = 10 * wfdb.header.sampleRateHz;
    for (const k of [0, plan.windowCount - 1]) {
      const { window } = plan.windowAt(k);
      window.leads.forEach((lead, i) => {
        const expected = wfdb.record.leads[plan.leads[i].signalIndex].mv.subarray(k * perWindow, (k + 1) * perWindow);
        const got = leadToMillivolts(lead);
        let worst = 0;
        for (let s = 0; s < got.length; s++) worst = Math.max(worst, Math.abs(got[s] - expected[s]));
        expect(worst).toBeLessThan(1e-5);
      });
    }
  }

  it('MIT-BIH 212 at 360 Hz: MLII as II and V5, ADU with the record gain and baseline, consecutive windows, tail dropped', () => {
    const wfdb = readWfdbRecord(join(MITDB, '100.hea'));
    const plan = planReplay(wfdb, options);
    expect(plan.leads.map((l) => [l.name, l.label, l.gainAduPerMv, l.baselineAdu])).toEqual([['II', 'MLII', 200, 1024], ['V5', 'V5', 200, 1024]]);
    expect(plan.windowCount).toBe(Math.floor(wfdb.adu[0].length / 3600));
    expect(plan.droppedSamples).toBe(wfdb.adu[0].length - plan.windowCount * 3600);
    const [a, b] = [plan.windowAt(0).window, plan.windowAt(1).window];
    expect([a.seq, b.seq, b.start_ms - a.start_ms, a.sample_rate_hz]).toEqual([7, 8, 10_000, 360]);
    expect(validateEcgWindow(a, options.startMs).ok).toBe(true);
    expectSameMillivolts(join(MITDB, '100.hea'));
  });

  it('LUDB: 12 leads with per-lead gains and baselines; microvolt headers convert to ADU per mV', () => {
    expectSameMillivolts(join(LUDB, '1.hea'));
    const header = readFileSync(join(LUDB, '1.hea'), 'utf8').replace(/\/mV/g, '/uV');
    writeFileSync(join(dir, '1.hea'), header);
    writeFileSync(join(dir, '1.dat'), readFileSync(join(LUDB, '1.dat')));
    const plan = planReplay(readWfdbRecord(join(dir, '1.hea')), options);
    expect(plan.leads[0].gainAduPerMv).toBe(readWfdbRecord(join(LUDB, '1.hea')).header.signals[0].gain * 1000);
    expectSameMillivolts(join(dir, '1.hea'));
  });

  it('sends invalid samples as the baseline, skips signals that are not leads, and refuses unusable records', () => {
    const samples = new Int16Array(1050 * 2).map((_, i) => (i % 2 === 0 ? 100 + (i % 7) : 5));
    samples[20] = -32768;
    samples[22] = -32768;
    writeFileSync(join(dir, 'r.dat'), packInt16(samples));
    writeFileSync(join(dir, 'r.hea'), 'r 2 100 1050\nr.dat 16 200(3)/mV 16 0 100 0 0 II\nr.dat 16 10/mV 16 0 5 0 0 RESP\n');
    const plan = planReplay(readWfdbRecord(join(dir, 'r.hea'), { verifyChecksum: false }), options);
    expect(plan.skipped).toEqual([{ label: 'RESP', reason: expect.stringMatching(/not a lead name/) }]);
    expect([plan.windowCount, plan.droppedSamples, plan.droppedS]).toEqual([1, 50, 0.5]);
    const { window, invalid } = plan.windowAt(0);
    expect(invalid).toBe(2);
    expect(leadToMillivolts(window.leads[0])[10]).toBe(0);

    writeFileSync(join(dir, 's.hea'), 'r 2 100 900\nr.dat 16 200/mV 16 0 100 0 0 II\nr.dat 16 10/mV 16 0 5 0 0 RESP\n');
    expect(() => planReplay(readWfdbRecord(join(dir, 's.hea'), { verifyChecksum: false }), options)).toThrow(/lasts 9.00 s, shorter than one 10-s window/);
    writeFileSync(join(dir, 'f.hea'), 'r 2 50 1050\nr.dat 16 200/mV 16 0 100 0 0 II\nr.dat 16 10/mV 16 0 5 0 0 RESP\n');
    expect(() => planReplay(readWfdbRecord(join(dir, 'f.hea'), { verifyChecksum: false }), options)).toThrow(/50 Hz; ingestion accepts whole rates of 100-2000 Hz/);
    writeFileSync(join(dir, 'n.hea'), 'r 2 100 1050\nr.dat 16 200/mV 16 0 100 0 0 ABP\nr.dat 16 10/mV 16 0 5 0 0 RESP\n');
    expect(() => planReplay(readWfdbRecord(join(dir, 'n.hea'), { verifyChecksum: false }), options)).toThrow(BadInputError);
    expect(() => planReplay(readWfdbRecord(join(dir, 'r.hea'), { verifyChecksum: false }), { ...options, bedId: 'bed 9' })).toThrow(/--bed "bed 9" must match/);
  });

  it('derives a device id inside the equipment-label pattern', () => {
    expect(deviceIdForRecord('100')).toBe('wfdb-100');
    expect(deviceIdForRecord('a b/c')).toBe('wfdb-a-b-c');
  });
});

describe('runReplay', () => {
  const wfdb = readWfdbRecord(join(MITDB, '100.hea'));

  it('as fast as possible: every window once, in order, in sends under the Kafka batch budget', async () => {
    const plan = planReplay(wfdb, { bedId: 'bed-09', deviceId: 'wfdb-100', startMs: Date.now() - 2_000_000, seqStart: 0 });
    const bus = recordingBus();
    const result = await runReplay(plan, bus, { realtime: false, stop: never });
    expect(result).toMatchObject({ windows_published: plan.windowCount, stopped_by: 'end', invalid_samples: 0 });
    expect(bus.windows().map((w) => w.seq)).toEqual(Array.from({ length: plan.windowCount }, (_, i) => i));
    expect(bus.sends.length).toBeGreaterThan(1);
  });

  it('realtime: sends only windows whose end has passed, then waits; a stop leaves the rest unsent', async () => {
    const startMs = Date.now() - 25_000;
    const plan = planReplay(wfdb, { bedId: 'bed-09', deviceId: 'wfdb-100', startMs, seqStart: 0 });
    const bus = recordingBus();
    let stop!: () => void;
    const run = runReplay(plan, bus, { realtime: true, stop: new Promise<void>((resolve) => (stop = resolve)) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop();
    const result = await run;
    expect(result).toMatchObject({ windows_published: 2, stopped_by: 'signal', last_window_end_ms: startMs + 20_000 });
  });
});
