import { Alert } from '@aicrn/contracts';
import { RedisProcess, redisServerAvailable } from '../../infra/redis-process';
import { eventually } from '../../support/eventually';
import { TopicObserver } from '../../distributed/support/topic-observer';
import { describeFaultPipeline } from './fault-pipeline';
import { describeWithKafkaUnless, everyWindowInTrends, everyWindowMeasured, report, sleep, tachycardiaAlertStoredOnce, timeUntilReadiness, trendWindowIds } from './fault-probes';

const BEDS = 4;
const BED_IDS = ['bed-01', 'bed-02', 'bed-03', 'bed-04'];
const LEADS = ['II', 'V5'];
// bed-01's tachycardia alert is raised within the first 8 windows (80 s of its scenario).
const BEFORE = 8;
const DURING = 2;
const AFTER = 2;
/** How long Redis stays away (longer than ioredis's two reconnect attempts per command, shorter than a test budget). */
const OUTAGE_MS = 6_000;

interface BaselineView {
  baseline: { status: string; window_ids: string[] } | null;
}

/**
 * Redis (the state store of all three apps) is killed with SIGKILL while windows flow, stays away
 * for OUTAGE_MS, and is started again on the same port. Kafka keeps the windows; the apps must
 * notice (/ready false), keep running, reconnect by themselves (ioredis retryStrategy) and carry on.
 *
 * `persistent: false` — an empty Redis comes back (no AOF/RDB): what the product must do then is
 * documented in the README; this suite checks it: alerting continues, rebuilds each bed's baseline
 * from the windows after the restart, re-raises a condition that is still present (bed-01's
 * tachycardia) as a new alert, stores every event once, and nothing crashes.
 * `persistent: true` — AOF with fsync always: nothing is lost, the alert is not raised again.
 */
export function describeRedisRestart(persistent: boolean): void {
  const suite = persistent ? 'redis-restart-aof' : 'redis-restart';
  const available = redisServerAvailable();
  describeWithKafkaUnless(
    available.available ? null : available.reason,
    `faults: Redis crashes and restarts on the same port (${persistent ? 'AOF persistence, state survives' : 'no persistence, state is lost'})`,
    (kafka) => {
      let redis: RedisProcess | undefined;
      beforeAll(async () => {
        redis = await RedisProcess.start({ persistent });
      });
      afterAll(async () => {
        await redis?.stop();
      });
      const windowsPerBed = BEFORE + DURING + AFTER;
      describeFaultPipeline('the pipeline', { name: suite, kafka, redisUrl: () => redis!.url, beds: BEDS, windowsPerBed, leads: LEADS }, (harness) => {
        it('keeps every process running, reconnects by itself and carries on where the state allows', async () => {
          const { keyPrefix, pipeline, observer, feed, context } = harness();
          const server = redis!;
          const trends = { redisUrl: server.url, keyPrefix, bedIds: BED_IDS };
          const apps = await pipeline.startAll();
          const all = [apps.ingestion, apps.inference, apps.alerting];

          const before = await feed.publish(BEFORE);
          await everyWindowMeasured(observer, feed.publishedIds, 30_000, context);
          const alertsBefore = await tachycardiaAlertStoredOnce(server.url, keyPrefix, 30_000, context);
          const raisedBefore = alertsBefore.find((a) => a.bed_id === 'bed-01' && a.kind === 'hr_high' && a.state === 'raised')!;
          await everyWindowInTrends('the first windows in the trends', trends, before, 30_000, context);

          await server.crash();
          const crashedAt = Date.now();
          const notReadyMs = await timeUntilReadiness(all, false, 15_000, context);
          // Kafka holds the windows meanwhile: ingestion and inference (which need no Redis to work) go on.
          const during = await feed.publish(DURING);
          await everyWindowMeasured(observer, feed.publishedIds, 30_000, context);
          await sleep(Math.max(0, OUTAGE_MS - (Date.now() - crashedAt)));
          pipeline.assertRunning(...all);

          await server.restart();
          const restartedAt = Date.now();
          const readyMs = await timeUntilReadiness(all, true, 30_000, context);
          // Alerting retried the failed batch with backoff and records the windows of the outage.
          await everyWindowInTrends('the outage windows in the trends', trends, during, 45_000, context);
          const caughtUpMs = Date.now() - restartedAt;

          const after = await feed.publish(AFTER);
          const measured = await everyWindowMeasured(observer, feed.publishedIds, 30_000, context);
          await everyWindowInTrends('the last windows in the trends', trends, after, 30_000, context);
          const alerts = await tachycardiaAlertStoredOnce(server.url, keyPrefix, 30_000, context);
          const raisedAfter = alerts.filter((a) => a.bed_id === 'bed-01' && a.kind === 'hr_high' && a.state === 'raised');
          const settings = (await (await fetch(`${apps.alerting.url}/api/beds/bed-01/alarm-settings`)).json()) as BaselineView;
          const baselineWindows = settings.baseline?.window_ids ?? [];

          report(suite, {
            ready_false_after_crash_ms: notReadyMs,
            ready_after_restart_ms: readyMs,
            outage_windows_recorded_after_restart_ms: caughtUpMs,
            outage_ms: restartedAt - crashedAt,
            alert_events_before: alertsBefore.length,
            alert_events_after: alerts.length,
            hr_high_raised: raisedAfter.map((a) => a.alert_id),
            baseline_windows_bed01: baselineWindows.length,
            ...measured,
          });

          // No alert event stored without being published on ecg.alerts.v1 (the topic keeps what a volatile Redis forgot).
          await eventually('the stored alert events on ecg.alerts.v1', () => alerts.every((a) => observer.alerts.some((t) => t.event_id === a.event_id)), { timeoutMs: 15_000, context });
          const onTopic = new Set(observer.alerts.map((a) => a.event_id));
          const storedEver = new Set([...alertsBefore, ...alerts].map((a) => a.event_id));
          // ... and none published that was never stored: nothing invented by the retries.
          expect([...onTopic].filter((id) => !storedEver.has(id))).toEqual([]);

          if (persistent) {
            // Nothing lost: every window before, during and after the outage in the trends; the alert raised once, before the crash.
            const trend = await trendWindowIds(server.url, keyPrefix, BED_IDS);
            expect(feed.publishedIds.filter((id) => !trend.has(id))).toEqual([]);
            expect(raisedAfter.map((a) => a.alert_id)).toEqual([raisedBefore.alert_id]);
            expect(alertsBefore.every((a) => alerts.some((b) => b.event_id === a.event_id))).toBe(true);
            expect(baselineWindows.some((id) => before.includes(id))).toBe(true);
          } else {
            // State before the crash is gone; everything from the outage on is there.
            const trend = await trendWindowIds(server.url, keyPrefix, BED_IDS);
            expect(before.filter((id) => trend.has(id))).toEqual([]);
            expect([...during, ...after].filter((id) => !trend.has(id))).toEqual([]);
            // The tachycardia is still present, so alerting raised it again as a new alert (new onset window), once.
            expect(raisedAfter).toHaveLength(1);
            expect(raisedAfter[0].alert_id).not.toBe(raisedBefore.alert_id);
            expect(alertEventIdsOnTopic(observer, raisedBefore)).toBe(true);
            // The baseline is rebuilt from windows after the crash only.
            expect(baselineWindows.length).toBeGreaterThan(0);
            expect(baselineWindows.filter((id) => before.includes(id))).toEqual([]);
          }
          const beds = (await (await fetch(`${apps.alerting.url}/api/beds`)).json()) as { count: number };
          expect(beds.count).toBe(BEDS);
          pipeline.assertRunning(...all);
        }, 150_000);
      });
    },
    { partitions: 8 },
  );
}

/** The alert raised before a volatile restart stays on ecg.alerts.v1: downstream consumers of the topic lose nothing. */
function alertEventIdsOnTopic(observer: TopicObserver, alert: Alert): boolean {
  return observer.alerts.some((a) => a.event_id === alert.event_id);
}
