import { TOPICS, WINDOW_SECONDS } from '@aicrn/contracts';
import { SimulatedBed, WardSimulator } from '@aicrn/pipeline';
import type { MessageBus } from '@aicrn/transport';
import { DEFAULT_FLUSH_GRACE_MS, DeliveryCounts, deliveryCounts, DeviceLink, deviceOutbox } from './device-outbox';

const WINDOW_MS = WINDOW_SECONDS * 1000;

export interface SimulateOptions {
  beds: number;
  seed: number;
  /** Realtime: the beds start this many seconds in the past and that history is sent at once. */
  backfillS: number;
  /** Scenario seconds per bed to publish; null = until stopped (realtime only). */
  durationS: number | null;
  mode: 'realtime' | 'fast';
}

export interface SimulateProgress {
  windows: number;
  /** Scenario seconds covered by every bed so far. */
  scenario_s: number;
  elapsed_ms: number;
}

export interface SimulateSummary extends DeliveryCounts {
  mode: 'realtime' | 'fast';
  topic: string;
  beds: number;
  seed: number;
  scenario_s: number;
  first_window_start_ms: number | null;
  last_window_end_ms: number | null;
  elapsed_s: number;
  windows_per_s: number;
  stopped_by: 'duration' | 'signal';
  scenarios: Record<string, string>;
}

export interface SimulateRuntime {
  /** Resolves when the run must stop (Ctrl-C); held windows get `link.flushGraceMs` to go out. */
  stop: Promise<unknown>;
  now?: () => number;
  onProgress?: (progress: SimulateProgress) => void;
  /** Backlog, retries and logging of the device's outbox (defaults: 30 windows per bed, 5 s grace). */
  link?: DeviceLink;
}

/**
 * N simulated bedside monitors as a device feed. Realtime: one window per bed every 10 s, each sent
 * once it is complete (its end time has passed), after an optional backfilled history. Fast: the whole
 * duration at once, with the last window ending now, so no timestamp lies in the future.
 * Windows go through a DeviceOutbox: a broker outage is ridden out with retries; live windows beyond a
 * bed's backlog push out its oldest, while history (fast mode, the backfill) waits for room instead.
 */
export async function runSimulation(options: SimulateOptions, bus: Pick<MessageBus, 'publish'>, runtime: SimulateRuntime): Promise<SimulateSummary> {
  const now = runtime.now ?? Date.now;
  if (options.mode === 'fast' && options.durationS === null) throw new RangeError('--fast needs --duration-s (how much scenario time to publish)');
  const windowsPerBed = options.durationS === null ? Infinity : Math.floor(options.durationS / WINDOW_SECONDS);
  const startNow = now();
  const startedMs = options.mode === 'fast' ? startNow - windowsPerBed * WINDOW_MS : startNow - (options.backfillS + WINDOW_SECONDS) * 1000;
  const simulator = new WardSimulator({ beds: options.beds, seed: options.seed, startedMs });

  let published = 0;
  let firstStart: number | null = null;
  let lastEnd: number | null = null;
  let lastProgress = 0;
  const scenarioS = (): number => Math.min(...simulator.beds.map((b) => b.nextSeq)) * WINDOW_SECONDS;
  const report = (force: boolean): void => {
    const t = now();
    if (!force && t - lastProgress < 1000) return;
    lastProgress = t;
    runtime.onProgress?.({ windows: published, scenario_s: scenarioS(), elapsed_ms: t - startNow });
  };
  const outbox = deviceOutbox(bus, runtime.link ?? {}, (windows) => {
    published += windows.length;
    firstStart ??= windows[0].start_ms;
    lastEnd = Math.max(lastEnd ?? 0, ...windows.map((w) => w.start_ms + WINDOW_MS));
    report(false);
  });
  let stopped = false;
  void runtime.stop.then(() => {
    stopped = true;
    outbox.closeIntake();
  });
  const remaining = (bed: SimulatedBed): boolean => bed.nextSeq < windowsPerBed;
  const endMs = (bed: SimulatedBed): number => bed.startedMs + (bed.nextSeq + 1) * WINDOW_MS;

  if (options.mode === 'fast') {
    // Step through time so every bed advances together (bed 0 does not finish before bed 7 starts).
    while (!stopped && simulator.beds.some(remaining)) {
      for (const bed of simulator.beds) if (!stopped && remaining(bed)) await outbox.put(simulator.nextWindow(bed));
    }
  } else {
    let history = true;
    while (!stopped && simulator.beds.some(remaining)) {
      const t = now();
      let sentAny = false;
      // Windows complete by now, oldest first, made one at a time (a long backfill is never all in memory).
      for (let bed = nextDue(simulator.beds, t); bed && !stopped; bed = nextDue(simulator.beds, t)) {
        const window = simulator.nextWindow(bed);
        // The backfill is history: it waits for room. A live window never waits (a device cannot).
        if (history) await outbox.put(window);
        else outbox.offer(window);
        sentAny = true;
      }
      history = false;
      report(sentAny);
      if (stopped || !simulator.beds.some(remaining)) break;
      const nextDueMs = Math.min(...simulator.beds.filter(remaining).map(endMs));
      await Promise.race([runtime.stop, new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1000, nextDueMs - now()))))]);
    }
  }
  const totals = await outbox.settle(runtime.stop, runtime.link?.flushGraceMs ?? DEFAULT_FLUSH_GRACE_MS);
  report(true);
  const elapsedS = (now() - startNow) / 1000;

  function nextDue(beds: SimulatedBed[], t: number): SimulatedBed | undefined {
    let due: SimulatedBed | undefined;
    for (const bed of beds) if (remaining(bed) && endMs(bed) <= t && (!due || endMs(bed) < endMs(due))) due = bed;
    return due;
  }

  return {
    mode: options.mode,
    topic: TOPICS.raw,
    beds: options.beds,
    seed: options.seed,
    ...deliveryCounts(totals),
    scenario_s: scenarioS(),
    first_window_start_ms: firstStart,
    last_window_end_ms: lastEnd,
    elapsed_s: Math.round(elapsedS * 10) / 10,
    windows_per_s: elapsedS > 0 ? Math.round((published / elapsedS) * 10) / 10 : 0,
    stopped_by: stopped ? 'signal' : 'duration',
    scenarios: Object.fromEntries(simulator.beds.map((b) => [b.bedId, b.scenario.name])),
  };
}
