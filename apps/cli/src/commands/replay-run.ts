import { EcgWindow, WINDOW_SECONDS } from '@aicrn/contracts';
import type { MessageBus } from '@aicrn/transport';
import { MAX_SEND_BYTES, publishWindows, windowBytes } from './device-feed';
import { ReplayPlan } from './replay-plan';

export interface ReplayRuntime {
  realtime: boolean;
  /** Resolves when the replay must stop (Ctrl-C); the send in flight is finished first. */
  stop: Promise<unknown>;
  now?: () => number;
  /** After every send: windows published so far. */
  onProgress?: (published: number) => void;
}

export interface ReplayResult {
  windows_published: number;
  invalid_samples: number;
  first_window_start_ms: number | null;
  last_window_end_ms: number | null;
  stopped_by: 'end' | 'signal';
}

/**
 * Sends the planned windows in order. As fast as the cluster takes them, or in real time: each window
 * once its end time has passed, as the monitor that recorded it would have.
 */
export async function runReplay(plan: ReplayPlan, bus: Pick<MessageBus, 'publish'>, runtime: ReplayRuntime): Promise<ReplayResult> {
  const now = runtime.now ?? Date.now;
  let stopped = false;
  void runtime.stop.then(() => (stopped = true));
  const result: ReplayResult = { windows_published: 0, invalid_samples: 0, first_window_start_ms: null, last_window_end_ms: null, stopped_by: 'end' };
  let k = 0;
  while (k < plan.windowCount && !stopped) {
    const batch: EcgWindow[] = [];
    let bytes = 0;
    let invalid = 0;
    // Realtime: everything already due (a start in the past catches up at once). Fast: one full send.
    while (k < plan.windowCount && bytes < MAX_SEND_BYTES) {
      const { window, invalid: bad } = plan.windowAt(k);
      if (runtime.realtime && window.start_ms + WINDOW_SECONDS * 1000 > now()) break;
      batch.push(window);
      bytes += windowBytes(window);
      invalid += bad;
      k++;
    }
    if (batch.length) {
      await publishWindows(bus, batch);
      result.windows_published += batch.length;
      result.invalid_samples += invalid;
      result.first_window_start_ms ??= batch[0].start_ms;
      result.last_window_end_ms = batch[batch.length - 1].start_ms + WINDOW_SECONDS * 1000;
      runtime.onProgress?.(result.windows_published);
      continue;
    }
    const dueAt = plan.windowAt(k).window.start_ms + WINDOW_SECONDS * 1000;
    await Promise.race([runtime.stop, new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1000, dueAt - now()))))]);
  }
  if (stopped && result.windows_published < plan.windowCount) result.stopped_by = 'signal';
  return result;
}
