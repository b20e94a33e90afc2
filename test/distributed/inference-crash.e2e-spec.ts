import { describeWithKafka, describeWithRedis } from '../infra';
import { AppProcess } from './support/app-process';
import { DistributedPipeline, distributedEnv, uniqueKeyPrefix } from './support/distributed-pipeline';
import { eventually } from '../support/eventually';
import { alertStream, duplicates, TopicObserver } from './support/topic-observer';
import { WindowFeed } from './support/window-feed';

// Four beds; bed-01 (demo tachycardia) raises an hr_high alert about 60 s into its scenario.
const BEDS = 4;
const BEFORE_KILL = 4;
const DURING_KILL = 6;
const WHILE_DOWN = 4;

describeWithKafka(
  'distributed mode: the inference process is killed mid-stream',
  (kafka) => {
    describeWithRedis('SIGKILL and restart of inference', (redis) => {
      const keyPrefix = uniqueKeyPrefix('crash');
      let pipeline: DistributedPipeline;
      let observer: TopicObserver;
      let feed: WindowFeed;

      beforeAll(async () => {
        pipeline = new DistributedPipeline(distributedEnv(kafka(), redis().url, keyPrefix));
        [observer, feed] = await Promise.all([TopicObserver.start(kafka(), 'crash'), WindowFeed.start(kafka(), BEDS, BEFORE_KILL + DURING_KILL + WHILE_DOWN)]);
      }, 30_000);

      afterAll(async () => {
        await Promise.allSettled([observer?.close(), feed?.close()]);
        await pipeline?.stopAll();
      }, 30_000);

      it('leaves no window unmeasured and no alert duplicated', async () => {
        const { ingestion, inference, alerting } = await pipeline.startAll();
        const context = () => pipeline.logs();
        const measuredBy = (app: AppProcess) => app.metric('aicrn_windows_measured_total');

        await feed.publish(BEFORE_KILL);
        const beforeKill = await eventually('the first windows to be measured', async () => (await measuredBy(inference)) >= BEFORE_KILL * BEDS && measuredBy(inference), { timeoutMs: 30_000, intervalMs: 100, context });

        // Kill it while it works through the next windows: after it measured some of them, before all.
        await feed.publish(DURING_KILL);
        let atKill = beforeKill;
        await eventually(
          'inference to start on the next windows',
          async () => {
            atKill = await measuredBy(inference);
            return atKill > beforeKill;
          },
          { timeoutMs: 30_000, intervalMs: 10, context },
        );
        await inference.kill();
        await feed.publish(WHILE_DOWN);

        const restarted = await pipeline.startApp('inference', 'inference-restarted');
        const published = feed.publishedIds;
        await eventually('every published window to be measured after the restart', () => published.every((id) => observer.distinctWindowIds().has(id)), {
          timeoutMs: 60_000,
          observe: () => `${published.filter((id) => observer.distinctWindowIds().has(id)).length}/${published.length} published windows measured`,
          context,
        });
        expect([...observer.distinctWindowIds()].sort()).toEqual([...published].sort());

        // At-least-once: windows measured before the kill but not committed are measured again.
        const redelivered = observer.duplicateWindowIds();
        const afterRestart = await measuredBy(restarted);
        process.stderr.write(
          `[inference-crash] published ${published.length}; measured ${atKill}/${BEFORE_KILL * BEDS + DURING_KILL * BEDS} before SIGKILL, ${afterRestart} after restart; ` +
            `${observer.measurements.length} measurement records, ${redelivered.length} window ids measured twice\n`,
        );
        // The killed process had measured at least `atKill`; the restarted one took over the rest,
        // including everything published while no inference ran.
        expect(afterRestart).toBeGreaterThanOrEqual(WHILE_DOWN * BEDS);
        expect(atKill + afterRestart).toBeLessThanOrEqual(observer.measurements.length);
        expect(observer.measurements.length - published.length).toBe(
          redelivered.reduce((extra, id) => extra + observer.measurements.filter((m) => m.window_id === id).length - 1, 0),
        );

        // Alerting consumed the duplicates too, but every alert event exists once.
        let seen: string[] = [];
        const alerts = await eventually(
          'the alert of bed-01 in Redis',
          async () => {
            const stored = await alertStream(redis().url, keyPrefix);
            seen = stored.map((a) => `${a.bed_id}:${a.kind}:${a.state}`);
            return stored.some((a) => a.bed_id === 'bed-01' && a.kind === 'hr_high') && stored;
          },
          { timeoutMs: 30_000, observe: () => seen.join(', ') || 'no alert events', context },
        );
        expect(duplicates(alerts.map((a) => a.event_id))).toEqual([]);
        const raised = alerts.filter((a) => a.state === 'raised');
        expect(duplicates(raised.map((a) => a.alert_id))).toEqual([]);
        pipeline.assertRunning(ingestion, restarted, alerting);
      }, 150_000);
    });
  },
  { partitions: 8 },
);
