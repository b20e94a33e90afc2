import { EcgWindow } from '@aicrn/contracts';
import { DeviceOutbox, DeviceOutboxOptions } from './device-outbox';
import { ReplayPlan } from './replay-plan';
import { runReplay } from './replay-run';
import { runSimulation } from './simulate-run';

const T0 = Date.UTC(2026, 0, 1, 12);

function window(bed: string, seq: number, bytes = 2_000): EcgWindow {
  return { bed_id: bed, device_id: `dev-${bed}`, seq, start_ms: T0 + seq * 10_000, sample_rate_hz: 100, leads: [{ name: 'II', gain_adu_per_mv: 200, baseline_adu: 0, samples: Buffer.alloc(bytes) }] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A broker that is away between two instants, seen through a producer that (like kafkajs) keeps
 * retrying inside one send for `rejectAfterMs` before it gives up, and succeeds as soon as the broker
 * is back. A rejected send stores nothing, so whatever arrives twice is the outbox's doing.
 */
class FlakyBroker {
  readonly received: EcgWindow[] = [];
  readonly attemptsMs: number[] = [];
  private outages: Array<[number, number]> = [];

  constructor(private readonly rejectAfterMs: number) {}

  down(fromMs: number, untilMs: number): this {
    this.outages.push([fromMs, untilMs]);
    return this;
  }

  isDown(): boolean {
    return this.outages.some(([from, until]) => Date.now() >= from && Date.now() < until);
  }

  readonly send = async (windows: EcgWindow[]): Promise<void> => {
    this.attemptsMs.push(Date.now());
    const deadline = Date.now() + this.rejectAfterMs;
    while (this.isDown()) {
      if (Date.now() >= deadline) throw new Error('KafkaJSNumberOfRetriesExceeded: connection refused');
      await sleep(Math.min(500, deadline - Date.now()));
    }
    this.received.push(...windows);
  };

  seqsOf(bed: string): number[] {
    return this.received.filter((w) => w.bed_id === bed).map((w) => w.seq);
  }
}

function outbox(broker: FlakyBroker, overrides: Partial<DeviceOutboxOptions> = {}): { outbox: DeviceOutbox; lines: string[] } {
  const lines: string[] = [];
  return { outbox: new DeviceOutbox({ send: broker.send, log: (line) => lines.push(line), random: () => 0.5, ...overrides }), lines };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const never = new Promise<void>(() => undefined);

describe('DeviceOutbox', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('rides out a 45-s outage (longer than one producer send survives): nothing lost, nothing twice, each bed in order', async () => {
    const beds = ['bed-01', 'bed-02', 'bed-03'];
    const broker = new FlakyBroker(30_000).down(T0 + 15_000, T0 + 60_000);
    const { outbox: box, lines } = outbox(broker);
    // Realtime: one window per bed every 10 s for 2 minutes.
    for (const seq of range(12)) {
      for (const bed of beds) box.offer(window(bed, seq));
      await jest.advanceTimersByTimeAsync(10_000);
    }
    const totals = await settled(box.settle(never, 5_000));

    for (const bed of beds) expect(broker.seqsOf(bed)).toEqual(range(12));
    expect(totals).toMatchObject({ sent: 36, unsent: 0, dropped: 0, outages: 1 });
    // The first send of the outage outlived the producer's own retries: the outbox resent it.
    expect(totals.failed_sends).toBeGreaterThanOrEqual(1);
    expect(lines.find((l) => l.startsWith('broker unreachable since'))).toMatch(/^broker unreachable since 2026-01-01T12:00:20\.000Z \(a send unanswered for 5 s\), \d+ windows? queued$/);
    expect(lines.some((l) => /^broker still unreachable after \d+ s: \d+ windows queued, 0 dropped so far$/.test(l))).toBe(true);
    const recovered = lines.find((l) => l.startsWith('recovered'));
    expect(recovered).toMatch(/^recovered after (\d+\.\d) s, resent \d+ windows$/);
    // Broker back at 60 s; the outage was noticed at 20 s; the retry lands within one backoff.
    const afterS = Number(/after (\S+) s/.exec(recovered!)![1]);
    expect(afterS).toBeGreaterThanOrEqual(40);
    expect(afterS).toBeLessThanOrEqual(40 + 6);
  });

  it('backs off exponentially with jitter, bounded per attempt', async () => {
    const broker = new FlakyBroker(0).down(T0, T0 + 60_000);
    const random = jest.fn().mockReturnValue(1); // the top of the jitter range: 1.2 x
    const { outbox: box } = outbox(broker, { random });
    box.offer(window('bed-01', 0));
    await jest.advanceTimersByTimeAsync(70_000);
    const gaps = broker.attemptsMs.slice(1).map((t, i) => t - broker.attemptsMs[i]);
    expect(gaps.slice(0, 6)).toEqual([300, 600, 1_200, 2_400, 4_800, 6_000]);
    expect(Math.max(...gaps)).toBe(6_000);
    expect(broker.seqsOf('bed-01')).toEqual([0]);
  });

  it('keeps each bed in order through sends that fail at random', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const received: EcgWindow[] = [];
    const send = async (windows: EcgWindow[]) => {
      await sleep(50);
      if (random() < 0.4) throw new Error('request timed out');
      received.push(...windows);
    };
    // Small sends, so a batch holds a few windows of several beds.
    const box = new DeviceOutbox({ send, log: () => undefined, maxSendBytes: 7_000, backlogWindowsPerBed: 1_000, retryInitialMs: 10, retryMaxMs: 100 });
    for (const seq of range(40)) {
      for (const bed of ['a', 'b', 'c', 'd']) box.offer(window(bed, seq));
      await jest.advanceTimersByTimeAsync(random() * 200);
    }
    const totals = await settled(box.settle(never, 5_000));
    expect(totals.failed_sends).toBeGreaterThan(10);
    for (const bed of ['a', 'b', 'c', 'd']) expect(received.filter((w) => w.bed_id === bed).map((w) => w.seq)).toEqual(range(40));
  });

  it('when a bed\'s backlog is full, drops its OLDEST held window, counts it and says so; other beds keep theirs', async () => {
    const broker = new FlakyBroker(60_000).down(T0, T0 + 60_000);
    const { outbox: box, lines } = outbox(broker, { backlogWindowsPerBed: 3 });
    for (const seq of range(6)) box.offer(window('bed-01', seq));
    box.offer(window('bed-02', 0));
    box.offer(window('bed-02', 1));
    // bed-01's window 0 is in the send the broker has not answered: it cannot be taken back, so the
    // oldest of the rest (1, 2, 3) make way for 4 and 5.
    expect(lines).toEqual(['backlog full (3 windows per bed): DROPPED the oldest 1 window (bed-01 1); 1 dropped in total']);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(lines).toContain('backlog full (3 windows per bed): DROPPED the oldest 2 windows (bed-01 2); 3 dropped in total');
    const totals = await settled(box.settle(never, 5_000));
    expect(broker.seqsOf('bed-01')).toEqual([0, 4, 5]);
    expect(broker.seqsOf('bed-02')).toEqual([0, 1]);
    expect(totals).toMatchObject({ sent: 5, dropped: 3, dropped_by_bed: { 'bed-01': 3 }, unsent: 0 });
    expect(lines.find((l) => l.startsWith('recovered'))).toMatch(/resent 5 windows; 3 DROPPED while the backlog was full$/);
  });

  it('history (put) waits for room instead of dropping', async () => {
    const broker = new FlakyBroker(5_000).down(T0, T0 + 40_000);
    const { outbox: box } = outbox(broker, { backlogWindowsPerBed: 2 });
    const producing = (async () => {
      for (const seq of range(10)) await box.put(window('bed-01', seq));
    })();
    await jest.advanceTimersByTimeAsync(30_000);
    expect(box.held).toBe(2);
    await jest.advanceTimersByTimeAsync(30_000);
    await producing;
    const totals = await settled(box.settle(never, 5_000));
    expect(broker.seqsOf('bed-01')).toEqual(range(10));
    expect(totals).toMatchObject({ sent: 10, dropped: 0 });
  });

  it('Ctrl-C during an outage: keeps trying for the grace period, then reports every window not sent', async () => {
    const broker = new FlakyBroker(30_000).down(T0 + 5_000, T0 + 600_000);
    const { outbox: box, lines } = outbox(broker);
    for (const seq of range(4)) {
      for (const bed of ['bed-01', 'bed-02']) box.offer(window(bed, seq));
      await jest.advanceTimersByTimeAsync(10_000);
    }
    let interrupt!: () => void;
    const stop = new Promise<void>((resolve) => (interrupt = resolve));
    const settling = box.settle(stop, 3_000);
    interrupt();
    const startedMs = Date.now();
    const totals = await settled(settling);
    expect(Date.now() - startedMs).toBe(3_000);
    // Windows 0 went out before the outage; 1-3 of both beds never did.
    expect(broker.received.map((w) => w.seq)).toEqual([0, 0]);
    expect(totals).toMatchObject({ sent: 2, unsent: 6, unanswered: expect.any(Number), unsent_by_bed: { 'bed-01': 3, 'bed-02': 3 }, dropped: 0 });
    expect(totals.unanswered).toBeGreaterThan(0);
    expect(lines).toContain('stopping: sending the 6 held windows for up to 3 s');
    expect(lines[lines.length - 1]).toBe(`6 windows NOT SENT (bed-01 3, bed-02 3); ${totals.unanswered} of them in a send the broker never answered (they may have arrived)`);
    // Nothing runs on after the report: no timer keeps the process alive, no late send is counted.
    await jest.advanceTimersByTimeAsync(60_000);
    expect(box.totals().sent).toBe(2);
  });

  it('Ctrl-C with the broker up flushes what is held and reports nothing unsent', async () => {
    const broker = new FlakyBroker(30_000);
    const { outbox: box, lines } = outbox(broker);
    for (const seq of range(3)) box.offer(window('bed-01', seq));
    const totals = await settled(box.settle(Promise.resolve(), 3_000));
    expect(totals).toMatchObject({ sent: 3, unsent: 0 });
    expect(lines.filter((l) => /NOT SENT/.test(l))).toEqual([]);
  });
});

describe('runSimulation through a broker outage', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('realtime: a 40-s outage loses nothing and the summary counts it; a too-small backlog drops the oldest, counted', async () => {
    const run = async (backlog: number) => {
      const broker = new FlakyBroker(30_000).down(Date.now() + 15_000, Date.now() + 55_000);
      const bus = { publish: async (_topic: string, records: Array<{ value: unknown }>) => broker.send(records.map((r) => r.value as EcgWindow)) };
      const lines: string[] = [];
      const running = runSimulation({ beds: 2, seed: 1, backfillS: 0, durationS: 120, mode: 'realtime' }, bus, {
        stop: never,
        link: { backlogWindowsPerBed: backlog, log: (line) => lines.push(line) },
      });
      await jest.advanceTimersByTimeAsync(200_000);
      return { summary: await running, broker, lines };
    };

    const roomy = await run(30);
    expect(roomy.summary).toMatchObject({ windows_published: 24, windows_unsent: 0, windows_dropped: 0, outages: 1, stopped_by: 'duration' });
    for (const bed of ['bed-01', 'bed-02']) expect(roomy.broker.seqsOf(bed)).toEqual(range(12));
    expect(roomy.lines.some((l) => l.startsWith('recovered after'))).toBe(true);

    // Backlog 2 per bed: of the 4-5 windows per bed held back by the outage, the oldest make way.
    const tight = await run(2);
    const dropped = tight.summary.windows_dropped;
    expect(dropped).toBeGreaterThan(0);
    expect(tight.summary.windows_published + dropped).toBe(24);
    for (const bed of ['bed-01', 'bed-02']) {
      const seqs = tight.broker.seqsOf(bed);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs.slice(-5)).toEqual([7, 8, 9, 10, 11]);
    }
    expect(tight.lines.some((l) => /DROPPED the oldest/.test(l))).toBe(true);
  });
});

describe('runReplay through a broker outage', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  /** A record of `count` windows for bed-09, the first starting at `startMs`. */
  function plan(count: number, startMs: number): ReplayPlan {
    return {
      sampleRateHz: 100,
      leads: [],
      skipped: [],
      windowCount: count,
      droppedSamples: 0,
      droppedS: 0,
      windowAt: (k) => ({ window: { ...window('bed-09', k), start_ms: startMs + k * 10_000 }, invalid: 0 }),
    };
  }

  it('as fast as possible: history waits through a 40-s outage with a 2-window backlog, nothing dropped, in order', async () => {
    const broker = new FlakyBroker(30_000).down(T0, T0 + 40_000);
    const bus = { publish: async (_topic: string, records: Array<{ value: unknown }>) => broker.send(records.map((r) => r.value as EcgWindow)) };
    const lines: string[] = [];
    const result = await settled(runReplay(plan(50, T0 - 600_000), bus, { realtime: false, stop: never, link: { backlogWindowsPerBed: 2, log: (line) => lines.push(line) } }));
    expect(broker.seqsOf('bed-09')).toEqual(range(50));
    expect(result).toMatchObject({ windows_published: 50, windows_dropped: 0, windows_unsent: 0, outages: 1, failed_sends: 1, stopped_by: 'end' });
    expect(lines.some((l) => l.startsWith('recovered after'))).toBe(true);
  });
});

/** Awaits a promise whose completion depends on fake timers, advancing them until it settles. */
async function settled<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  void promise.finally(() => (done = true));
  for (let i = 0; i < 10_000 && !done; i++) await jest.advanceTimersByTimeAsync(100);
  if (!done) throw new Error('did not settle within 1000 s of fake time');
  return promise;
}
