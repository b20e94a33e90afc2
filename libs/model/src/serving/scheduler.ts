/** Time and timers behind an interface, so the batcher can be tested with a fake clock. */
export interface Scheduler {
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemScheduler: Scheduler = {
  now: () => performance.now(),
  setTimer: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    // A pending batch timer must not keep a finished process alive.
    handle.unref?.();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
