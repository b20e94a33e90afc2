import Redis from 'ioredis';
import { describeWithKafka, TestKafka } from '../../infra';
import { Alert } from '@aicrn/contracts';
import { AppProcess } from '../../distributed/support/app-process';
import { eventually } from '../../support/eventually';
import { alertStream, duplicates, TopicObserver } from '../../distributed/support/topic-observer';

/** One line per measured fact on stderr, `[fault:<suite>] ...`, collected for the README's recovery table. */
export function report(suite: string, fields: Record<string, unknown>): void {
  const text = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  process.stderr.write(`[fault:${suite}] ${text}\n`);
}

/** Milliseconds until every app's /ready answers `ready` (200 when true, anything else when false). */
export async function timeUntilReadiness(apps: AppProcess[], ready: boolean, timeoutMs: number, context: () => string): Promise<number> {
  const started = Date.now();
  let last = '';
  await eventually(
    `${apps.map((a) => a.name).join(', ')} /ready to be ${ready}`,
    async () => {
      const states = await Promise.all(apps.map((a) => a.ready()));
      last = apps.map((a, i) => `${a.name}=${states[i]}`).join(' ');
      return states.every((s) => s === ready);
    },
    { timeoutMs, intervalMs: 100, observe: () => last, context },
  );
  return Date.now() - started;
}

/**
 * Waits until every published window id was measured at least once on ecg.measurements.v1; returns
 * how many ids were measured more than once (at-least-once redelivery, deduplicated by window id
 * downstream) and how many extra records those are.
 */
export async function everyWindowMeasured(
  observer: TopicObserver,
  published: readonly string[],
  timeoutMs: number,
  context: () => string,
): Promise<{ records: number; duplicateIds: number; extraRecords: number }> {
  await eventually('every published window to be measured', () => published.every((id) => observer.distinctWindowIds().has(id)), {
    timeoutMs,
    observe: () => `${published.filter((id) => observer.distinctWindowIds().has(id)).length}/${published.length} published windows measured`,
    context,
  });
  const ids = observer.duplicateWindowIds();
  const records = observer.measurements.length;
  return { records, duplicateIds: ids.length, extraRecords: records - observer.distinctWindowIds().size };
}

/** Window ids in the beds' trends in Redis (what alerting has recorded). */
export async function trendWindowIds(redisUrl: string, keyPrefix: string, bedIds: readonly string[]): Promise<Set<string>> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    const lists = await Promise.all(bedIds.map((bed) => redis.zrange(`${keyPrefix}ecg:trend:${bed}`, 0, -1)));
    return new Set(lists.flat());
  } finally {
    redis.disconnect();
  }
}

/** Waits until every id in `ids` is in the beds' trends in Redis (recorded by alerting, once each: a trend is a set of window ids). */
export async function everyWindowInTrends(
  what: string,
  target: { redisUrl: string; keyPrefix: string; bedIds: readonly string[] },
  ids: readonly string[],
  timeoutMs: number,
  context: () => string,
): Promise<void> {
  let recorded = 0;
  await eventually(
    what,
    async () => {
      const trend = await trendWindowIds(target.redisUrl, target.keyPrefix, target.bedIds);
      recorded = ids.filter((id) => trend.has(id)).length;
      return recorded === ids.length;
    },
    { timeoutMs, intervalMs: 100, observe: () => `${recorded}/${ids.length} windows in the trends`, context },
  );
}

/** Alert events in the Redis stream, or [] while Redis does not answer. */
export async function storedAlerts(redisUrl: string, keyPrefix: string): Promise<Alert[]> {
  try {
    return await alertStream(redisUrl, keyPrefix);
  } catch {
    return [];
  }
}

/**
 * Waits for bed-01's hr_high (the demo tachycardia) in the Redis alert stream and checks that no
 * alert event and no raised alert is stored twice. Returns the stored events.
 */
export async function tachycardiaAlertStoredOnce(redisUrl: string, keyPrefix: string, timeoutMs: number, context: () => string): Promise<Alert[]> {
  let seen = '';
  const alerts = await eventually(
    "bed-01's hr_high alert in the Redis stream",
    async () => {
      const stored = await storedAlerts(redisUrl, keyPrefix);
      seen = stored.map((a) => `${a.bed_id}:${a.kind}:${a.state}`).join(', ');
      return stored.some((a) => a.bed_id === 'bed-01' && a.kind === 'hr_high') && stored;
    },
    { timeoutMs, observe: () => seen || 'no alert events', context },
  );
  expect(duplicates(alerts.map((a) => a.event_id))).toEqual([]);
  expect(duplicates(alerts.filter((a) => a.state === 'raised').map((a) => a.alert_id))).toEqual([]);
  return alerts;
}

/**
 * No alert lost or invented between Redis and Kafka: waits until every stored event is on
 * ecg.alerts.v1, then expects the topic to carry exactly the stored event ids (copies of one event,
 * from a redelivered batch, are allowed: consumers deduplicate by event id).
 */
export async function expectAlertTopicMatchesStore(observer: TopicObserver, stored: Alert[], context: () => string): Promise<void> {
  await eventually('the stored alert events on ecg.alerts.v1', () => stored.every((a) => observer.alerts.some((t) => t.event_id === a.event_id)), { timeoutMs: 15_000, context });
  expect(new Set(observer.alerts.map((a) => a.event_id))).toEqual(new Set(stored.map((a) => a.event_id)));
}

/** Alert events on ecg.alerts.v1 that are copies of an earlier one (same event id): allowed, counted. */
export function duplicateAlertEventsOnTopic(observer: TopicObserver): number {
  return observer.alerts.length - new Set(observer.alerts.map((a) => a.event_id)).size;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** describe() when `skipReason` is null; otherwise the suite is skipped and the reason written once on stderr (like test/infra does). */
export function describeUnless(skipReason: string | null, name: string, body: () => void): void {
  if (skipReason === null) return describe(name, body);
  process.stderr.write(`[test-infra] skipping "${name}": ${skipReason}\n`);
  describe.skip(`${name} (skipped: ${skipReason})`, () => it('needs infrastructure', () => undefined));
}

/** describeWithKafka when `skipReason` is null; otherwise skipped like describeUnless. */
export function describeWithKafkaUnless(
  skipReason: string | null,
  name: string,
  body: (kafka: () => TestKafka) => void,
  options: { partitions?: number } = {},
): void {
  if (skipReason === null) return describeWithKafka(name, body, options);
  describeUnless(skipReason, name, () => undefined);
}
