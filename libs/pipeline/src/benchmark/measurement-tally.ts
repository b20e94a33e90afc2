import type { EcgMeasurement } from '@aicrn/contracts';

export interface MeasurementCounts {
  windows_in: number;
  windows_measured: number;
  lost: number;
  duplicates: number;
  latency_ms_p50: number | null;
  latency_ms_p99: number | null;
}

/**
 * What a benchmark sent and what came back, counted from the outputs: a window is measured when a
 * measurement with its id and end time is seen, a duplicate every further time, lost when never.
 */
export class MeasurementTally {
  /** window id -> window end (ms) of every window this run published. */
  private readonly published = new Map<string, number>();
  private readonly seen = new Map<string, number>();
  private readonly latenciesMs: number[] = [];

  get windowsIn(): number {
    return this.published.size;
  }

  get windowsMeasured(): number {
    return this.seen.size;
  }

  sent(windowId: string, windowEndMs: number): void {
    this.published.set(windowId, windowEndMs);
  }

  /** `publishedMs`: when the pipeline published the measurement (the record's timestamp), not when we read it. */
  measured(m: Pick<EcgMeasurement, 'window_id' | 'window_end_ms'>, publishedMs: number): void {
    // Ids repeat across runs (bed:device:seq); the end time tells this run's windows from older ones on a reused topic.
    if (this.published.get(m.window_id) !== m.window_end_ms) return;
    const count = (this.seen.get(m.window_id) ?? 0) + 1;
    this.seen.set(m.window_id, count);
    if (count === 1) this.latenciesMs.push(publishedMs - m.window_end_ms);
  }

  counts(): MeasurementCounts {
    let duplicates = 0;
    for (const count of this.seen.values()) duplicates += count - 1;
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    return {
      windows_in: this.published.size,
      windows_measured: this.seen.size,
      lost: this.published.size - this.seen.size,
      duplicates,
      latency_ms_p50: quantile(sorted, 0.5),
      latency_ms_p99: quantile(sorted, 0.99),
    };
  }
}

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
}
