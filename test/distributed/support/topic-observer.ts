import { Alert, EcgMeasurement, TOPICS } from '@aicrn/contracts';
import { KafkaBus, kafkaTestConfig } from '@aicrn/kafka';
import Redis from 'ioredis';
import type { TestKafka } from '../../infra/test-infra';

const QUIET = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Reads what the pipeline publishes (measurements and alerts) with consumer groups of its own, and
 * publishes device windows: the view of a downstream system and of the bedside devices.
 */
export class TopicObserver {
  readonly measurements: EcgMeasurement[] = [];
  readonly alerts: Alert[] = [];

  private constructor(readonly bus: KafkaBus) {}

  static async start(kafka: TestKafka, name: string): Promise<TopicObserver> {
    const bus = await KafkaBus.connect(kafkaTestConfig(kafka, { clientId: `observer-${name}` }), { logger: QUIET });
    const observer = new TopicObserver(bus);
    // One group per topic: members of one group must subscribe to the same topics.
    await bus.subscribe(TOPICS.measurements, { groupId: `test-observer-${name}-measurements` }, async (batch) => {
      for (const m of batch) observer.measurements.push(m.value);
    });
    await bus.subscribe(TOPICS.alerts, { groupId: `test-observer-${name}-alerts` }, async (batch) => {
      for (const m of batch) observer.alerts.push(m.value);
    });
    return observer;
  }

  distinctWindowIds(): Set<string> {
    return new Set(this.measurements.map((m) => m.window_id));
  }

  /** Window ids measured more than once (at-least-once delivery after a crash or rebalance). */
  duplicateWindowIds(): string[] {
    const seen = new Map<string, number>();
    for (const m of this.measurements) seen.set(m.window_id, (seen.get(m.window_id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}

/** Every alert event in the durable Redis stream (`<prefix>ecg:alerts:stream`, field `alert`). */
export async function alertStream(redisUrl: string, keyPrefix: string): Promise<Alert[]> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const entries = await redis.xrange(`${keyPrefix}ecg:alerts:stream`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('alert') + 1]) as Alert);
  } finally {
    redis.disconnect();
  }
}

/** Ids that occur more than once. */
export function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}
