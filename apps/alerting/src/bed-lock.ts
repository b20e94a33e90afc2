/** Runs work for one bed at a time (measurements, acknowledgements, resets) in arrival order. */
export class BedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(bedId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(bedId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(bedId, tail);
    void tail.then(() => {
      if (this.tails.get(bedId) === tail) this.tails.delete(bedId);
    });
    return next;
  }
}
