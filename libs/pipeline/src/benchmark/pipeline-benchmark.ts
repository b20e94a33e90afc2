import { EcgWindow, TOPICS, WINDOW_SECONDS, windowIdOf } from '@aicrn/contracts';
import type { MessageBus } from '@aicrn/transport';
import { WardSimulator } from '../ward-simulator';
import { MeasurementCounts, MeasurementTally } from './measurement-tally';

export interface PipelineBenchmarkOptions {
  /** The running pipeline's bus: windows go to ecg.raw.v1, measurements are read from ecg.measurements.v1. */
  bus: MessageBus;
  beds: number;
  seconds: number;
  seed?: number;
  /** How long to wait after the last window for in-flight ones before counting them lost. */
  drainTimeoutMs?: number;
  /** Publishing cadence: a bed's window is published on the first tick after its end time. */
  tickMs?: number;
  onProgress?: (progress: PipelineBenchmarkProgress) => void;
  /** Resident set size in MB (default: this process; the distributed bench sums the app processes). */
  rssMb?: () => number;
  /** Aborting ends the run at the next tick and rejects with the signal's reason (Ctrl-C, a crashed app). */
  signal?: AbortSignal;
}

export interface PipelineBenchmarkProgress {
  phase: 'generating' | 'running' | 'draining';
  elapsed_s: number;
  windows_in: number;
  windows_measured: number;
  rss_mb: number;
}

/** Latency is from a window's end time to its measurement being published; lost and duplicates are counted from the outputs. */
export interface PipelineBenchmarkReport extends MeasurementCounts {
  beds: number;
  seconds: number;
  max_rss_mb: number;
  /** RSS in the first and last 10 % of the run: flat memory means these are close. */
  rss_mb_first_tenth: number;
  rss_mb_last_tenth: number;
  drained: boolean;
}

const BENCH_GROUP_PREFIX = 'aicrn-bench';

/**
 * Drives a running pipeline with N simulated beds at real-time rate (one 10-s window per bed per
 * 10 s, beds staggered evenly so N/10 windows arrive per second) and measures what comes out.
 *
 * Each bed's waveform is synthesised once and replayed with fresh sequence numbers and start times:
 * synthesis is a monitor's work, not the pipeline's, and must not compete with it for the CPU.
 */
export async function runPipelineBenchmark(options: PipelineBenchmarkOptions): Promise<PipelineBenchmarkReport> {
  const { bus, beds, seconds, signal } = options;
  if (!Number.isInteger(beds) || beds < 1) throw new RangeError(`beds must be a positive integer, got ${beds}`);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError(`seconds must be positive, got ${seconds}`);
  const tickMs = options.tickMs ?? 100;
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  const rssMb = options.rssMb ?? (() => process.memoryUsage.rss() / 2 ** 20);
  const progress = options.onProgress ?? (() => undefined);

  const templates = new Map<string, EcgWindow>();
  const simulator = new WardSimulator({ beds, seed: options.seed ?? 1, startedMs: 0 });
  simulator.beds.forEach((bed, i) => {
    templates.set(bed.bedId, simulator.nextWindow(bed));
    progress({ phase: 'generating', elapsed_s: 0, windows_in: i + 1, windows_measured: 0, rss_mb: rssMb() });
  });

  const tally = new MeasurementTally();
  const rss: Array<{ at_s: number; mb: number }> = [];
  const subscription = await bus.subscribe(TOPICS.measurements, { groupId: `${BENCH_GROUP_PREFIX}-${process.pid}-${Date.now()}`, maxBatchSize: 500 }, async (batch) => {
    const receivedMs = Date.now();
    for (const { value, timestamp_ms } of batch) tally.measured(value, Number.isFinite(timestamp_ms) ? timestamp_ms : receivedMs);
  });

  const windowMs = WINDOW_SECONDS * 1000;
  const startedMs = Date.now();
  const endMs = startedMs + seconds * 1000;
  const elapsedS = () => (Date.now() - startedMs) / 1000;
  const report = (phase: PipelineBenchmarkProgress['phase']) =>
    progress({ phase, elapsed_s: Math.round(elapsedS()), windows_in: tally.windowsIn, windows_measured: tally.windowsMeasured, rss_mb: Math.round(rssMb()) });
  // Bed i's first window ends i/N of a window period after the start: arrivals are spread evenly.
  const nextEnd = simulator.beds.map((_, i) => startedMs + Math.round((i * windowMs) / beds));
  const nextSeq = simulator.beds.map(() => 0);
  try {
    let lastProgressMs = 0;
    while (Date.now() < endMs) {
      signal?.throwIfAborted();
      const now = Date.now();
      const due: Array<{ key: string; value: EcgWindow }> = [];
      simulator.beds.forEach((bed, i) => {
        while (nextEnd[i] <= now && nextEnd[i] <= endMs) {
          const seq = nextSeq[i]++;
          const window: EcgWindow = { ...templates.get(bed.bedId)!, seq, start_ms: nextEnd[i] - windowMs };
          tally.sent(windowIdOf(window), nextEnd[i]);
          due.push({ key: bed.bedId, value: window });
          nextEnd[i] += windowMs;
        }
      });
      if (due.length) await bus.publish(TOPICS.raw, due);
      rss.push({ at_s: (now - startedMs) / 1000, mb: rssMb() });
      if (now - lastProgressMs >= 5000) {
        lastProgressMs = now;
        report('running');
      }
      await sleep(Math.max(0, tickMs - (Date.now() - now)), signal);
    }

    const drainDeadline = Date.now() + drainTimeoutMs;
    while (tally.windowsMeasured < tally.windowsIn && Date.now() < drainDeadline) {
      rss.push({ at_s: elapsedS(), mb: rssMb() });
      report('draining');
      await sleep(500, signal);
    }
  } finally {
    await subscription.close();
  }

  const counts = tally.counts();
  const tenth = (from: number, to: number) => mean(rss.filter((r) => r.at_s >= from * seconds && r.at_s <= to * seconds).map((r) => r.mb));
  return {
    beds,
    seconds,
    ...counts,
    max_rss_mb: Math.round(Math.max(...rss.map((r) => r.mb))),
    rss_mb_first_tenth: Math.round(tenth(0, 0.1)),
    rss_mb_last_tenth: Math.round(tenth(0.9, 1)),
    drained: counts.lost === 0,
  };
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it is aborted. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
