import { EcgWindow, TOPICS, WINDOW_SECONDS } from '@aicrn/contracts';
import { SimulatedBed, WardSimulator } from '@aicrn/pipeline';
import type { MessageBus } from '@aicrn/transport';
import { publishWindows } from './device-feed';

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

export interface SimulateSummary {
  mode: 'realtime' | 'fast';
  topic: string;
  beds: number;
  seed: number;
  windows_published: number;
  scenario_s: number;
  first_window_start_ms: number | null;
  last_window_end_ms: number | null;
  elapsed_s: number;
  windows_per_s: number;
  stopped_by: 'duration' | 'signal';
  scenarios: Record<string, string>;
}

export interface SimulateRuntime {
  /** Resolves when the run must stop (Ctrl-C); the current send is finished first. */
  stop: Promise<unknown>;
  now?: () => number;
  onProgress?: (progress: SimulateProgress) => void;
}

/**
 * N simulated bedside monitors as a device feed. Realtime: one window per bed every 10 s, each sent
 * once it is complete (its end time has passed), after an optional backfilled history. Fast: the whole
 * duration at once, with the last window ending now, so no timestamp lies in the future.
 */
export async function runSimulation(options: SimulateOptions, bus: Pick<MessageBus, 'publish'>, runtime: SimulateRuntime): Promise<SimulateSummary> {
  const now = runtime.now ?? Date.now;
  if (options.mode === 'fast' && options.durationS === null) throw new RangeError('--fast needs --duration-s (how much scenario time to publish)');
  const windowsPerBed = options.durationS === null ? Infinity : Math.floor(options.durationS / WINDOW_SECONDS);
  const startNow = now();
  const startedMs = options.mode === 'fast' ? startNow - windowsPerBed * WINDOW_MS : startNow - (options.backfillS + WINDOW_SECONDS) * 1000;
  const simulator = new WardSimulator({ beds: options.beds, seed: options.seed, startedMs });

  let stopped = false;
  void runtime.stop.then(() => (stopped = true));
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
  const send = async (windows: EcgWindow[]): Promise<void> => {
    if (!windows.length) return;
    await publishWindows(bus, windows);
    published += windows.length;
    firstStart ??= windows[0].start_ms;
    lastEnd = Math.max(lastEnd ?? 0, ...windows.map((w) => w.start_ms + WINDOW_MS));
  };
  const remaining = (bed: SimulatedBed): boolean => bed.nextSeq < windowsPerBed;

  if (options.mode === 'fast') {
    // Step through time so every bed advances together (bed 0 does not finish before bed 7 starts).
    const perStep = Math.max(1, Math.floor(8 / Math.max(1, options.beds)));
    while (!stopped && simulator.beds.some(remaining)) {
      const windows: EcgWindow[] = [];
      for (let step = 0; step < perStep; step++) for (const bed of simulator.beds) if (remaining(bed)) windows.push(simulator.nextWindow(bed));
      await send(windows);
      report(false);
    }
  } else {
    while (!stopped && simulator.beds.some(remaining)) {
      const t = now();
      const due: EcgWindow[] = [];
      for (const bed of simulator.beds) {
        while (remaining(bed) && bed.startedMs + (bed.nextSeq + 1) * WINDOW_MS <= t) due.push(simulator.nextWindow(bed));
      }
      due.sort((a, b) => a.start_ms - b.start_ms);
      // A large backfill goes out in time order, checking for Ctrl-C between sends.
      for (let i = 0; i < due.length && !stopped; i += options.beds) await send(due.slice(i, i + options.beds));
      report(due.length > 0);
      if (!simulator.beds.some(remaining)) break;
      const nextDue = Math.min(...simulator.beds.filter(remaining).map((b) => b.startedMs + (b.nextSeq + 1) * WINDOW_MS));
      await Promise.race([runtime.stop, new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1000, nextDue - now()))))]);
    }
  }
  report(true);
  const elapsedS = (now() - startNow) / 1000;
  return {
    mode: options.mode,
    topic: TOPICS.raw,
    beds: options.beds,
    seed: options.seed,
    windows_published: published,
    scenario_s: scenarioS(),
    first_window_start_ms: firstStart,
    last_window_end_ms: lastEnd,
    elapsed_s: Math.round(elapsedS * 10) / 10,
    windows_per_s: elapsedS > 0 ? Math.round((published / elapsedS) * 10) / 10 : 0,
    stopped_by: stopped ? 'signal' : 'duration',
    scenarios: Object.fromEntries(simulator.beds.map((b) => [b.bedId, b.scenario.name])),
  };
}
