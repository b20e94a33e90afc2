// Module-level references: a global `Math` lookup per sample is slow in sandboxed runtimes (jest vm contexts).
const { max, round } = Math;

/**
 * Shortest run of one exactly repeated value that can be a railed lead: the amplifier pinned at its ADC
 * rail. Real leads repeat a value this long too (LUDB's quantised TP segments, up to about 0.4 s), but
 * never far outside their own range.
 */
export const STUCK_MIN_S = 0.1;
/** A lead holding one value this long while the other leads record has lost its electrode (flat). */
export const FLAT_MIN_S = 1;

/** A run of identical samples, [from, to] inclusive. */
export interface StuckRun {
  from: number;
  to: number;
}

/** A lead with its electrode-fault runs bridged. */
export interface UnstuckSignal {
  /** The signal with every fault run replaced by a straight line between its neighbours (no rail step left to ring through the filters). */
  signal: Float32Array;
  /** The fault runs (flat or railed while the other leads record). */
  runs: StuckRun[];
}

/** Runs of at least STUCK_MIN_S of exactly repeated samples (flat or railed lead), in sample order. */
export function findStuckRuns(mv: Float32Array, sampleRateHz: number): StuckRun[] {
  const minLength = max(2, round(STUCK_MIN_S * sampleRateHz));
  const runs: StuckRun[] = [];
  const n = mv.length;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && mv[i] === mv[start]) continue;
    if (i - start >= minLength) runs.push({ from: start, to: i - 1 });
    start = i;
  }
  return runs;
}

/**
 * The runs of every lead that are electrode faults, bridged. Railed: held at a level outside the lead's
 * own range by more than that range (its ECG). Flat: held for FLAT_MIN_S while most other leads keep
 * moving (a noise-free synthetic heart is silent in every lead at once, in long TP segments; an electrode
 * fails in one). A railed stretch is a step of a hundred millivolts or more whose filtered ringing would
 * swamp every slope and wave for a second on either side; the bridge carries no wave, so the lead simply
 * has nothing to say there, and the runs tell the delineator where.
 */
export function bridgeStuckLeads(leads: readonly Float32Array[], sampleRateHz: number): UnstuckSignal[] {
  const candidates = leads.map((mv) => findStuckRuns(mv, sampleRateHz));
  if (candidates.every((runs) => runs.length === 0)) return leads.map((signal) => ({ signal, runs: [] }));
  const flatLength = round(FLAT_MIN_S * sampleRateHz);
  const n = leads[0]?.length ?? 0;
  // Stuck samples per lead as prefix counts, so "how much of [from, to] is stuck" is one subtraction.
  const stuckBefore = candidates.map((runs) => {
    const counts = new Int32Array(n + 1);
    let k = 0;
    for (let i = 0; i < n; i++) {
      while (k < runs.length && runs[k].to < i) k++;
      counts[i + 1] = counts[i] + (k < runs.length && runs[k].from <= i ? 1 : 0);
    }
    return counts;
  });
  const othersMoving = (index: number, { from, to }: StuckRun): boolean => {
    let moving = 0;
    for (let other = 0; other < leads.length; other++) {
      if (other !== index && (stuckBefore[other][to + 1] - stuckBefore[other][from]) * 2 < to - from + 1) moving++;
    }
    return moving * 2 > leads.length - 1 && moving > 0;
  };
  return leads.map((mv, index) => {
    const runs = candidates[index];
    if (runs.length === 0) return { signal: mv, runs };
    const { low, high } = rangeOutside(mv, runs);
    const faults = runs.filter((run) => {
      const level = mv[run.from];
      const railed = high >= low && (level > high + (high - low) || level < low - (high - low));
      return railed || (run.to - run.from + 1 >= flatLength && othersMoving(index, run));
    });
    return { signal: faults.length === 0 ? mv : bridge(mv, faults), runs: faults };
  });
}

/** The lead's range outside the runs (low > high when the runs cover it all). */
function rangeOutside(mv: Float32Array, runs: readonly StuckRun[]): { low: number; high: number } {
  let low = Infinity;
  let high = -Infinity;
  let k = 0;
  for (let i = 0; i < mv.length; i++) {
    if (k < runs.length && i >= runs[k].from) {
      i = runs[k].to;
      k++;
      continue;
    }
    if (mv[i] < low) low = mv[i];
    if (mv[i] > high) high = mv[i];
  }
  return { low, high };
}

/** A copy with each run replaced by a straight line between its neighbours (held flat at the record's ends). */
function bridge(mv: Float32Array, runs: readonly StuckRun[]): Float32Array {
  const signal = Float32Array.from(mv);
  const n = signal.length;
  for (const { from, to } of runs) {
    const before = from > 0 ? signal[from - 1] : null;
    const after = to < n - 1 ? signal[to + 1] : null;
    const left = before ?? after ?? signal[from];
    const right = after ?? before ?? signal[to];
    const span = to - from + 2;
    for (let i = from; i <= to; i++) signal[i] = left + ((right - left) * (i - from + 1)) / span;
  }
  return signal;
}

/** Whether any run overlaps [from, to]. */
export function overlapsStuckRun(runs: readonly StuckRun[], from: number, to: number): boolean {
  for (const run of runs) if (run.from <= to && run.to >= from) return true;
  return false;
}
