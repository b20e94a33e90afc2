/**
 * Sums small float vectors across the training workers of one step (an all-reduce) through shared memory:
 * each worker writes its part, waits at a barrier (Atomics.wait) and adds all parts up in float64.
 * Two alternating buffers: a worker writes call k + 1's part while another may still read call k's.
 */
export class ShardGroup {
  /** Control words: workers arrived at the barrier, barrier generation, abort flag, participants this step. */
  static readonly CONTROL_WORDS = 4;
  private static readonly ARRIVED = 0;
  private static readonly GENERATION = 1;
  private static readonly ABORT = 2;
  private static readonly PARTICIPANTS = 3;

  private readonly control: Int32Array;
  private readonly parts: Float64Array;
  private calls = 0;
  private rank = 0;

  /** Bytes for `workers` workers exchanging vectors of up to `maxLength` values. */
  static bytes(workers: number, maxLength: number): number {
    return ShardGroup.CONTROL_WORDS * 4 + 2 * workers * maxLength * 8;
  }

  constructor(
    buffer: SharedArrayBuffer,
    private readonly workers: number,
    private readonly maxLength: number,
  ) {
    this.control = new Int32Array(buffer, 0, ShardGroup.CONTROL_WORDS);
    this.parts = new Float64Array(buffer, ShardGroup.CONTROL_WORDS * 4, 2 * workers * maxLength);
  }

  /** Main thread, before sending a step: how many workers take part (a batch smaller than the pool leaves some idle). */
  beginStep(participants: number): void {
    Atomics.store(this.control, ShardGroup.ARRIVED, 0);
    Atomics.store(this.control, ShardGroup.PARTICIPANTS, participants);
  }

  /** Main thread: wakes every waiting worker with an error (a worker crashed; the others would wait forever). */
  abort(): void {
    Atomics.store(this.control, ShardGroup.ABORT, 1);
    Atomics.add(this.control, ShardGroup.GENERATION, 1);
    Atomics.notify(this.control, ShardGroup.GENERATION);
  }

  /** Worker, at the start of its shard. */
  joinStep(rank: number): void {
    this.rank = rank;
    this.calls = 0;
  }

  /** Worker: the element-wise sum of `local` over every participating worker (all must call in the same order). */
  allReduce(local: ArrayLike<number>): Float64Array {
    if (local.length > this.maxLength) throw new Error(`all-reduce of ${local.length} values exceeds the group's ${this.maxLength}`);
    const participants = Atomics.load(this.control, ShardGroup.PARTICIPANTS);
    const buffer = (this.calls++ % 2) * this.workers * this.maxLength;
    for (let j = 0; j < local.length; j++) this.parts[buffer + this.rank * this.maxLength + j] = local[j];
    this.barrier(participants);
    const sum = new Float64Array(local.length);
    for (let w = 0; w < participants; w++) for (let j = 0; j < local.length; j++) sum[j] += this.parts[buffer + w * this.maxLength + j];
    return sum;
  }

  private barrier(participants: number): void {
    const { control } = this;
    const generation = Atomics.load(control, ShardGroup.GENERATION);
    if (Atomics.add(control, ShardGroup.ARRIVED, 1) === participants - 1) {
      Atomics.store(control, ShardGroup.ARRIVED, 0);
      Atomics.add(control, ShardGroup.GENERATION, 1);
      Atomics.notify(control, ShardGroup.GENERATION);
      return;
    }
    // The abort flag is checked on every wake-up: a worker may arrive only after the abort was signalled.
    while (Atomics.load(control, ShardGroup.GENERATION) === generation) {
      if (Atomics.load(control, ShardGroup.ABORT)) throw new Error('step aborted: another training worker failed');
      Atomics.wait(control, ShardGroup.GENERATION, generation, 1000);
    }
    if (Atomics.load(control, ShardGroup.ABORT)) throw new Error('step aborted: another training worker failed');
  }
}
