/**
 * Seeded pseudo-random numbers for the synthetic ECG: every window is reproducible from its seed,
 * independent of Math.random and of the platform.
 */

/** splitmix32-style finaliser: spreads nearby integers (seed, seed + 1, ...) into unrelated states. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h = (h + 0x9e3779b9) | 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** mulberry32 generator with uniform, gaussian and choice helpers. */
export class Rng {
  private state: number;
  private spareGaussian: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`);
    this.state = mixSeed(Math.floor(seed)) | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick needs at least one item');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Normal deviate (Box-Muller, caching the second value). */
  gaussian(mean = 0, sd = 1): number {
    if (this.spareGaussian !== null) {
      const z = this.spareGaussian;
      this.spareGaussian = null;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Normal deviate clipped to mean +- limit * sd, so bounded jitter stays bounded. */
  clippedGaussian(mean: number, sd: number, limit: number): number {
    const z = Math.max(-limit, Math.min(limit, this.gaussian()));
    return mean + sd * z;
  }
}
