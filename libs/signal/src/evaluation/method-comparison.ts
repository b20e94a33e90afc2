import { Rng } from '../synth/random';
import { EcgParameters } from '../types';
import { EVALUATED_PARAMETERS } from './agreement';

/**
 * Which of two methods measures a parameter closer to the reference, and how sure that is: the mean over
 * windows of |error of A| - |error of B| (negative: A is closer), with a percentile bootstrap interval that
 * resamples whole records. Only windows both methods measured are compared, so a method cannot look better
 * by leaving its hard windows unmeasured; those windows are counted instead.
 */
export interface MethodComparison {
  parameter: keyof EcgParameters;
  /** Windows with a reference that both methods measured. */
  n: number;
  /** Records those windows came from (the bootstrap resamples records). */
  records: number;
  /** Windows with a reference that only A, or only B, measured. */
  onlyA: number;
  onlyB: number;
  maeA: number | null;
  maeB: number | null;
  /** Mean of |A - reference| - |B - reference|; negative when A is closer. */
  meanDifference: number | null;
  /** 95 % percentile bootstrap interval of meanDifference; null with fewer than two records. */
  lower95: number | null;
  upper95: number | null;
  /** The method the interval shows closer, or null when it contains zero (the data cannot tell them apart). */
  closer: 'a' | 'b' | null;
}

export interface ComparisonOptions {
  /** Bootstrap resamples (default 10,000). */
  resamples?: number;
  /** Seed of the resampling, so a report can be reproduced (default 1). */
  seed?: number;
}

interface PairedError {
  record: string;
  difference: number;
  absA: number;
  absB: number;
}

/** Collects both methods' measurements of the same windows and compares them per parameter. */
export class MethodComparisonTally {
  private readonly paired = new Map<keyof EcgParameters, PairedError[]>();
  private readonly onlyA = new Map<keyof EcgParameters, number>();
  private readonly onlyB = new Map<keyof EcgParameters, number>();

  /** One window: its record (windows of one record are resampled together), both measurements, the reference. */
  add(record: string, a: EcgParameters | null, b: EcgParameters | null, reference: EcgParameters): void {
    for (const parameter of EVALUATED_PARAMETERS) {
      const r = reference[parameter];
      if (r === null || !Number.isFinite(r)) continue;
      const ma = finiteOrNull(a?.[parameter]);
      const mb = finiteOrNull(b?.[parameter]);
      if (ma !== null && mb !== null) {
        const absA = Math.abs(ma - r);
        const absB = Math.abs(mb - r);
        const list = this.paired.get(parameter) ?? [];
        list.push({ record, difference: absA - absB, absA, absB });
        this.paired.set(parameter, list);
      } else if (ma !== null) this.onlyA.set(parameter, (this.onlyA.get(parameter) ?? 0) + 1);
      else if (mb !== null) this.onlyB.set(parameter, (this.onlyB.get(parameter) ?? 0) + 1);
    }
  }

  summary(options: ComparisonOptions = {}): MethodComparison[] {
    return EVALUATED_PARAMETERS.map((parameter) => ({
      ...comparePaired(parameter, this.paired.get(parameter) ?? [], options),
      onlyA: this.onlyA.get(parameter) ?? 0,
      onlyB: this.onlyB.get(parameter) ?? 0,
    }));
  }
}

function comparePaired(parameter: keyof EcgParameters, pairs: readonly PairedError[], options: ComparisonOptions): Omit<MethodComparison, 'onlyA' | 'onlyB'> {
  const n = pairs.length;
  if (n === 0) return { parameter, n, records: 0, maeA: null, maeB: null, meanDifference: null, lower95: null, upper95: null, closer: null };
  const byRecord = new Map<string, { sum: number; count: number }>();
  let sumA = 0;
  let sumB = 0;
  for (const p of pairs) {
    sumA += p.absA;
    sumB += p.absB;
    const entry = byRecord.get(p.record) ?? { sum: 0, count: 0 };
    entry.sum += p.difference;
    entry.count++;
    byRecord.set(p.record, entry);
  }
  const records = [...byRecord.values()];
  const meanDifference = (sumA - sumB) / n;
  const interval = records.length < 2 ? null : bootstrapInterval(records, options.resamples ?? 10_000, options.seed ?? 1);
  const closer = interval === null ? null : interval.upper < 0 ? 'a' : interval.lower > 0 ? 'b' : null;
  return {
    parameter,
    n,
    records: records.length,
    maeA: sumA / n,
    maeB: sumB / n,
    meanDifference,
    lower95: interval?.lower ?? null,
    upper95: interval?.upper ?? null,
    closer,
  };
}

/** 2.5th and 97.5th percentiles of the window-weighted mean difference over records drawn with replacement. */
function bootstrapInterval(records: readonly { sum: number; count: number }[], resamples: number, seed: number): { lower: number; upper: number } {
  const rng = new Rng(seed);
  const means = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) {
    let sum = 0;
    let count = 0;
    for (let k = 0; k < records.length; k++) {
      const drawn = records[Math.floor(rng.next() * records.length)];
      sum += drawn.sum;
      count += drawn.count;
    }
    means[i] = sum / count;
  }
  means.sort();
  return { lower: percentile(means, 0.025), upper: percentile(means, 0.975) };
}

/** Linear interpolation between order statistics (type 7, as R and NumPy by default). */
function percentile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function finiteOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}
