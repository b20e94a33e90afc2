/** Cosine annealing with warm restarts (Loshchilov & Hutter, SGDR), as PyTorch's CosineAnnealingWarmRestarts. */
export interface CosineRestartSchedule {
  maxLr: number;
  minLr: number;
  /** Steps in the first cycle. */
  cycleSteps: number;
  /** Each cycle is this many times longer than the previous one (1 = equal cycles). */
  cycleMultiplier: number;
  /** Linear warm-up over the first steps of training only (0 = none). */
  warmupSteps?: number;
}

export function assertValidSchedule(s: CosineRestartSchedule): void {
  if (!(s.maxLr > 0) || !(s.minLr >= 0) || s.minLr > s.maxLr) throw new Error(`learning rates must satisfy 0 <= minLr <= maxLr, maxLr > 0; got min ${s.minLr}, max ${s.maxLr}`);
  if (!Number.isInteger(s.cycleSteps) || s.cycleSteps < 1) throw new Error(`cycleSteps must be a positive integer, got ${s.cycleSteps}`);
  if (!(s.cycleMultiplier >= 1)) throw new Error(`cycleMultiplier must be >= 1, got ${s.cycleMultiplier}`);
}

/** Learning rate at a 0-based optimizer step. */
export function learningRateAt(step: number, s: CosineRestartSchedule): number {
  const warmup = s.warmupSteps ?? 0;
  if (step < warmup) return s.maxLr * ((step + 1) / warmup);
  let t = step - warmup;
  let cycle = s.cycleSteps;
  while (t >= cycle) {
    t -= cycle;
    cycle = Math.max(1, Math.round(cycle * s.cycleMultiplier));
  }
  return s.minLr + 0.5 * (s.maxLr - s.minLr) * (1 + Math.cos((Math.PI * t) / cycle));
}
