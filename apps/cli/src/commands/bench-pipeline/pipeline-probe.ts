import { TOPICS, WINDOW_SECONDS } from '@aicrn/contracts';
import { WardSimulator } from '@aicrn/pipeline';
import type { MessageBus } from '@aicrn/transport';

/** Equipment ids of the warm-up window; no benchmark bed is named like this. */
export const PROBE_BED_ID = 'bench-probe';
const PROBE_DEVICE_ID = 'bench-probe-mon';

/**
 * Sends one window and waits until the alerting API knows its bed, i.e. it went through ingestion,
 * inference and alerting into Redis. Consumers join their groups only after /ready (a few seconds
 * on the mock broker), and that start-up delay must not count as pipeline latency. Returns the ms it took.
 */
export async function awaitPipelineFlowing(bus: MessageBus, alertingUrl: string, timeoutMs: number, signal: AbortSignal): Promise<number> {
  const started = Date.now();
  const ward = new WardSimulator({ beds: 1, seed: 1, startedMs: started - WINDOW_SECONDS * 1000 });
  const window = { ...ward.nextWindow(ward.beds[0]), bed_id: PROBE_BED_ID, device_id: PROBE_DEVICE_ID };
  await bus.publish(TOPICS.raw, [{ key: PROBE_BED_ID, value: window }]);
  while (!(await bedKnown(alertingUrl))) {
    signal.throwIfAborted();
    if (Date.now() - started > timeoutMs) throw new Error(`the pipeline did not measure and store a probe window within ${timeoutMs / 1000} s (GET ${alertingUrl}/api/beds/${PROBE_BED_ID} never answered 200)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Date.now() - started;
}

async function bedKnown(alertingUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${alertingUrl}/api/beds/${PROBE_BED_ID}`, { signal: AbortSignal.timeout(3_000) })).status === 200;
  } catch {
    return false;
  }
}
