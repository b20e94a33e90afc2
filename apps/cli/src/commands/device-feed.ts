import { EcgWindow, TOPICS } from '@aicrn/contracts';
import type { MessageBus } from '@aicrn/transport';

/**
 * Kafka brokers refuse a record batch above `message.max.bytes` (1 MB by default) and kafkajs puts
 * every record of one send for a partition into one batch, so device windows (a 12-lead 500 Hz window
 * is ~120 kB) go out in sends of at most this many sample bytes. It stays well under the KafkaBus's
 * own 768 kB budget of encoded bytes, so one device send is one producer send: a failed send is then
 * retried whole, never a part that already arrived.
 */
export const MAX_SEND_BYTES = 512 * 1024;

/** Sample bytes of a window: what dominates its encoded size. */
export function windowBytes(window: EcgWindow): number {
  return window.leads.reduce((sum, lead) => sum + lead.samples.length, 0);
}

/** Splits windows into consecutive sends under `maxBytes` (a single larger window goes alone). */
export function sendChunks(windows: EcgWindow[], maxBytes = MAX_SEND_BYTES): EcgWindow[][] {
  const chunks: EcgWindow[][] = [];
  let current: EcgWindow[] = [];
  let bytes = 0;
  for (const window of windows) {
    const size = windowBytes(window);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(window);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Publishes windows to `ecg.raw.v1` keyed by bed id (one partition per bed keeps its windows in order). */
export async function publishWindows(bus: Pick<MessageBus, 'publish'>, windows: EcgWindow[], maxBytes = MAX_SEND_BYTES): Promise<void> {
  for (const chunk of sendChunks(windows, maxBytes)) {
    await bus.publish(TOPICS.raw, chunk.map((window) => ({ key: window.bed_id, value: window })));
  }
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once (130) for a stuck flush. */
export function interruption(onSecond: () => void = () => process.exit(130)): { interrupted: Promise<NodeJS.Signals>; signalled: () => NodeJS.Signals | null; dispose: () => void } {
  let received: NodeJS.Signals | null = null;
  let resolveInterrupted!: (signal: NodeJS.Signals) => void;
  const interrupted = new Promise<NodeJS.Signals>((resolve) => (resolveInterrupted = resolve));
  const handler = (signal: NodeJS.Signals): void => {
    if (received) return onSecond();
    received = signal;
    resolveInterrupted(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    interrupted,
    signalled: () => received,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
