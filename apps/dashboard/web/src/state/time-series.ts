/**
 * Values over time with a bounded size: points older than `spanMs` before the newest are dropped
 * and at most `maxPoints` are kept, so a page left open for days holds the same amount of data.
 */
export class TimeSeries {
  readonly t: number[] = [];
  readonly v: number[] = [];

  constructor(
    readonly spanMs: number,
    readonly maxPoints: number,
  ) {}

  get length(): number {
    return this.t.length;
  }

  newestTime(): number | null {
    return this.t.length ? this.t[this.t.length - 1] : null;
  }

  /** Appends in time order; an out-of-order point is inserted where it belongs, a duplicate time replaces. */
  add(timeMs: number, value: number): void {
    let i = this.t.length;
    while (i > 0 && this.t[i - 1] > timeMs) i--;
    if (i > 0 && this.t[i - 1] === timeMs) {
      this.v[i - 1] = value;
      return;
    }
    this.t.splice(i, 0, timeMs);
    this.v.splice(i, 0, value);
    this.trim();
  }

  clear(): void {
    this.t.length = 0;
    this.v.length = 0;
  }

  private trim(): void {
    const newest = this.t[this.t.length - 1];
    let drop = 0;
    while (drop < this.t.length && this.t[drop] < newest - this.spanMs) drop++;
    drop = Math.max(drop, this.t.length - this.maxPoints);
    if (drop > 0) {
      this.t.splice(0, drop);
      this.v.splice(0, drop);
    }
  }
}
