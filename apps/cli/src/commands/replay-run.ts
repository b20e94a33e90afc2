import { EcgWindow, WINDOW_SECONDS } from '@aicrn/contracts';
import type { MessageBus } from '@aicrn/transport';
import { DEFAULT_FLUSH_GRACE_MS, DeliveryCounts, deliveryCounts, DeviceLink, deviceOutbox } from './device-outbox';
import { ReplayPlan } from './replay-plan';

export interface ReplayRuntime {
  realtime: boolean;
  /** Resolves when the replay must stop (Ctrl-C); held windows get `link.flushGraceMs` to go out. */
  stop: Promise<unknown>;
  now?: () => number;
  /** After every send: windows published so far. */
  onProgress?: (published: number) => void;
  /** Backlog, retries and logging of the device's outbox (defaults: 30 windows, 5 s grace). */
  link?: DeviceLink;
}

export interface ReplayResult extends DeliveryCounts {
  invalid_samples: number;
  first_window_start_ms: number | null;
  last_window_end_ms: number | null;
  stopped_by: 'end' | 'signal';
}

/**
 * Sends the planned windows in order. As fast as the cluster takes them, or in real time: each window
 * once its end time has passed, as the monitor that recorded it would have. A broker outage is ridden
 * out by a DeviceOutbox: windows already due when the replay starts are history and wait for room;
 * windows that fall due during the replay are live and, beyond the backlog, push out the oldest.
 */
export async function runReplay(plan: ReplayPlan, bus: Pick<MessageBus, 'publish'>, runtime: ReplayRuntime): Promise<ReplayResult> {
  const now = runtime.now ?? Date.now;
  const startedMs = now();
  const invalidOf = new WeakMap<EcgWindow, number>();
  const result: ReplayResult = {
    windows_published: 0,
    windows_unsent: 0,
    windows_dropped: 0,
    failed_sends: 0,
    outages: 0,
    invalid_samples: 0,
    first_window_start_ms: null,
    last_window_end_ms: null,
    stopped_by: 'end',
  };
  const outbox = deviceOutbox(bus, runtime.link ?? {}, (windows) => {
    result.windows_published += windows.length;
    for (const window of windows) result.invalid_samples += invalidOf.get(window) ?? 0;
    result.first_window_start_ms ??= windows[0].start_ms;
    result.last_window_end_ms = windows[windows.length - 1].start_ms + WINDOW_SECONDS * 1000;
    runtime.onProgress?.(result.windows_published);
  });
  let stopped = false;
  void runtime.stop.then(() => {
    stopped = true;
    outbox.closeIntake();
  });
  for (let k = 0; k < plan.windowCount && !stopped; k++) {
    const { window, invalid } = plan.windowAt(k);
    invalidOf.set(window, invalid);
    const endMs = window.start_ms + WINDOW_SECONDS * 1000;
    if (!runtime.realtime || endMs <= startedMs) {
      await outbox.put(window);
      continue;
    }
    while (!stopped && endMs > now()) await Promise.race([runtime.stop, new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1000, endMs - now()))))]);
    if (stopped) break;
    outbox.offer(window);
  }
  const totals = await outbox.settle(runtime.stop, runtime.link?.flushGraceMs ?? DEFAULT_FLUSH_GRACE_MS);
  Object.assign(result, deliveryCounts(totals));
  if (stopped && totals.sent < plan.windowCount) result.stopped_by = 'signal';
  return result;
}
