import { windowIdOf } from '@aicrn/contracts';
import { WardSimulator } from '@aicrn/pipeline';
import { describeWithKafka, describeWithRedis } from '../infra';
import { DistributedPipeline, distributedEnv, uniqueKeyPrefix } from './support/distributed-pipeline';
import { eventually } from '../support/eventually';
import { alertStream, duplicates, TopicObserver } from './support/topic-observer';

const BEDS = 8;
// bed-01 (demo tachycardia) alarms 60 s into its scenario: 80 s gives every bed 8 windows and an alert.
const DURATION_S = 80;

describeWithKafka(
  'distributed mode: three app processes on Kafka and Redis',
  (kafka) => {
    describeWithRedis('8 simulated beds through ingestion, inference and alerting', (redis) => {
      const keyPrefix = uniqueKeyPrefix('pipeline');
      let pipeline: DistributedPipeline;
      let observer: TopicObserver;

      beforeAll(async () => {
        pipeline = new DistributedPipeline(distributedEnv(kafka(), redis().url, keyPrefix));
        observer = await TopicObserver.start(kafka(), 'pipeline');
      }, 30_000);

      afterAll(async () => {
        await observer?.close();
        await pipeline?.stopAll();
      }, 30_000);

      it('measures every window `aicrn simulate --fast` publishes and raises alerts into Redis and ecg.alerts.v1', async () => {
        const { alerting, ingestion, inference } = await pipeline.startAll();
        const brokers = kafka().brokers.join(',');
        const sim = await pipeline.runCli(['simulate', '--beds', String(BEDS), '--fast', '--duration-s', String(DURATION_S), '--kafka', brokers, '--json']);
        expect({ code: sim.code, output: sim.code === 0 ? '' : sim.child.output() }).toEqual({ code: 0, output: '' });
        const summary = JSON.parse(sim.stdout.trim().split('\n').pop()!);
        expect(summary).toMatchObject({ mode: 'fast', beds: BEDS, windows_published: BEDS * (DURATION_S / 10), stopped_by: 'duration' });

        // The ids every published window must be measured under.
        const ward = new WardSimulator({ beds: BEDS, seed: 1, startedMs: 0 });
        const published = ward.beds.flatMap((bed) => Array.from({ length: DURATION_S / 10 }, (_, seq) => windowIdOf({ bed_id: bed.bedId, device_id: bed.deviceId, seq })));
        const context = () => pipeline.logs();
        await eventually('every published window to be measured on ecg.measurements.v1', () => observer.distinctWindowIds().size >= published.length, {
          timeoutMs: 60_000,
          observe: () => `${observer.distinctWindowIds().size}/${published.length} distinct windows measured`,
          context,
        });
        expect([...observer.distinctWindowIds()].sort()).toEqual([...published].sort());
        expect(observer.measurements.every((m) => m.method === 'dsp' && m.hr_bpm !== null)).toBe(true);

        // Alerts: in the durable Redis stream, on the alerts topic (the same events), and through the API.
        const stored = await eventually(
          'an alert for bed-01 in Redis',
          async () => {
            const alerts = await alertStream(redis().url, keyPrefix);
            return alerts.some((a) => a.bed_id === 'bed-01') && alerts;
          },
          { timeoutMs: 30_000, context },
        );
        expect(duplicates(stored.map((a) => a.event_id))).toEqual([]);
        await eventually('the alert events on ecg.alerts.v1', () => stored.every((a) => observer.alerts.some((t) => t.event_id === a.event_id)), { timeoutMs: 15_000, context });
        const api = (await (await fetch(`${alerting.url}/api/alerts?state=active`)).json()) as { alerts: Array<{ bed_id: string }> };
        expect(api.alerts.map((a) => a.bed_id)).toContain('bed-01');

        // Every bed's trend in Redis holds its 8 measurements.
        const beds = (await (await fetch(`${alerting.url}/api/beds`)).json()) as { count: number };
        expect(beds.count).toBe(BEDS);
        const trend = (await (await fetch(`${alerting.url}/api/beds/bed-01/measurements?since=0`)).json()) as { count: number };
        expect(trend.count).toBe(DURATION_S / 10);

        expect(await ingestion.metric('aicrn_windows_validated_total')).toBe(published.length);
        expect(await inference.metric('aicrn_windows_measured_total')).toBe(observer.measurements.length);
        pipeline.assertRunning(ingestion, inference, alerting);
      }, 150_000);
    });
  },
  { partitions: 8 },
);
