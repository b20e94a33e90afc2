import { describeWithRedis } from '../infra';
import { AppProcess } from '../distributed/support/app-process';
import { eventually } from '../support/eventually';
import { describeFaultPipeline } from './support/fault-pipeline';
import { describeUnless, duplicateAlertEventsOnTopic, everyWindowMeasured, expectAlertTopicMatchesStore, report, sleep, tachycardiaAlertStoredOnce } from './support/fault-probes';
import { pipelineGroups, ReplicatedMockCluster } from './support/replicated-cluster';

const BROKERS = 3;
const PARTITIONS = 8;
const FAILED_BROKER = 1;
const BEDS = 4;
const LEADS = ['II', 'V5'];
const BEFORE = 4;
/** Sent the moment the broker goes, before the controller has moved its partitions. */
const IN_ELECTION = 2;
/** Sent once the surviving brokers lead everything, while the failed one is still down. */
const AFTER_ELECTION = 2;
const AFTER = 2;
/** Broker 1 of 3 is away this long: connections dropped, new ones refused. */
const DOWN_MS = 30_000;
/**
 * The windows sent during the outage must be measured while the broker is still away (two brokers
 * of three are a working cluster). Should that take longer than DOWN_MS on a loaded machine, the
 * outage is extended up to this, so the check does not depend on the machine's speed.
 */
const MAX_DOWN_MS = 60_000;
/**
 * How long the controller takes to declare the broker dead and elect new leaders: KRaft's
 * broker.session.timeout.ms default (9 s). Until then its partitions have no reachable leader.
 */
const ELECTION_DELAY_MS = 9_000;
/** Names the key prefix, the observer's consumer groups and the report. */
const SUITE = 'broker-down';

/**
 * One broker of a three-broker cluster (every topic replicated on all three) goes down for 30 s while
 * windows flow, as in a hospital deployment losing a node; the mock's missing controller is played by
 * ReplicatedMockCluster (new leaders and coordinators after ELECTION_DELAY_MS, preferred leaders back
 * once the broker returns). The apps must not exit, must follow the new leaders and coordinators by
 * themselves (kafkajs's bounded retries and consumer restarts), measure the windows the devices sent
 * during the outage before the broker returns, measure every window in the end, store and publish
 * every alert event once, and follow the leaders back.
 */
describeUnless(ReplicatedMockCluster.unavailableReason(), `faults: one of ${BROKERS} Kafka brokers is down for 30 s`, () => {
  let cluster: ReplicatedMockCluster | undefined;
  beforeAll(async () => {
    cluster = await ReplicatedMockCluster.start({ brokers: BROKERS, partitions: PARTITIONS, groups: pipelineGroups(SUITE) });
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  const kafka = () => cluster!.kafka;

  describeWithRedis('replicated topics, leaders and coordinators move to the surviving brokers', (redis) => {
    const windowsPerBed = BEFORE + IN_ELECTION + AFTER_ELECTION + AFTER;
    describeFaultPipeline('the pipeline', { name: SUITE, kafka, redisUrl: () => redis().url, beds: BEDS, windowsPerBed, leads: LEADS }, (harness) => {
      it('keeps measuring through the outage, loses and duplicates no alert, and follows the leaders back', async () => {
        const { keyPrefix, pipeline, observer, feed, context } = harness();
        const apps = await pipeline.startAll();
        const all = [apps.ingestion, apps.inference, apps.alerting];
        const replicated = cluster!;
        const sendTimed = (count: number) => {
          const sentAt = Date.now();
          return feed.publish(count).then(
            (ids) => ({ ok: true as const, ids, ms: Date.now() - sentAt }),
            (error: Error) => ({ ok: false as const, ids: [] as string[], ms: Date.now() - sentAt, error: error.message }),
          );
        };

        await feed.publish(BEFORE);
        await everyWindowMeasured(observer, feed.publishedIds, 30_000, context);
        const ledByFailed = replicated.partitionsLedBy(FAILED_BROKER).length;
        const coordinatedByFailed = replicated.groupsCoordinatedBy(FAILED_BROKER);
        // The failing broker matters: it leads a share of every topic and coordinates app groups.
        expect(ledByFailed).toBeGreaterThan(0);
        expect(coordinatedByFailed.filter((group) => group.startsWith('aicrn-')).length).toBeGreaterThan(0);

        await replicated.kafka.brokerDown(FAILED_BROKER);
        const downAt = Date.now();
        const readiness = sampleReadiness(all, MAX_DOWN_MS);
        // The devices keep sending; the producer retries until the partitions have a leader again.
        const inElection = sendTimed(IN_ELECTION);
        await sleep(ELECTION_DELAY_MS);
        const moved = await replicated.moveOffBroker(FAILED_BROKER);
        const electedAt = Date.now();
        const afterElection = await sendTimed(AFTER_ELECTION);
        const sentInElection = await inElection;
        expect(sentInElection).toMatchObject({ ok: true });
        expect(afterElection).toMatchObject({ ok: true });

        // Two brokers of three lead everything: the pipeline works while the third is still down.
        const outageIds = [...sentInElection.ids, ...afterElection.ids];
        await eventually('the windows sent in the outage to be measured while the broker is still down', () => outageIds.every((id) => observer.distinctWindowIds().has(id)), {
          timeoutMs: MAX_DOWN_MS - (Date.now() - downAt),
          observe: () => `${outageIds.filter((id) => observer.distinctWindowIds().has(id)).length}/${outageIds.length} outage windows measured`,
          context,
        });
        const outageMeasuredMs = Date.now() - downAt;
        await sleep(Math.max(0, DOWN_MS - (Date.now() - downAt)));
        pipeline.assertRunning(...all);
        const readyDuringOutage = await readiness.stop();

        await replicated.kafka.brokerUp(FAILED_BROKER);
        const upAt = Date.now();
        // The broker is back: leadership returns to the preferred replicas, which the clients must follow again.
        await replicated.preferredLeaderElection();
        const after = await sendTimed(AFTER);
        expect(after).toMatchObject({ ok: true });
        const measured = await everyWindowMeasured(observer, feed.publishedIds, 60_000, context);
        const backMs = Date.now() - upAt;

        const alerts = await tachycardiaAlertStoredOnce(redis().url, keyPrefix, 30_000, context);
        await expectAlertTopicMatchesStore(observer, alerts, context);
        const readyAtEnd = await Promise.all(all.map((app) => app.ready()));
        expect(readyAtEnd).toEqual([true, true, true]);

        report('broker-down', {
          brokers: BROKERS,
          partitions_led_by_failed_broker: ledByFailed,
          groups_coordinated_by_failed_broker: coordinatedByFailed.join(','),
          moved_at_election: `${moved.partitions} partitions, ${moved.groups} groups`,
          down_ms: upAt - downAt,
          election_after_ms: electedAt - downAt,
          device_send_in_election_took_ms: sentInElection.ms,
          device_send_after_election_took_ms: afterElection.ms,
          outage_windows_measured_after_down_ms: outageMeasuredMs,
          ready_fraction_during_outage: readyDuringOutage,
          after_windows_measured_after_up_ms: backMs,
          alert_events_stored: alerts.length,
          duplicate_alert_events_on_topic: duplicateAlertEventsOnTopic(observer),
          ...measured,
        });
        pipeline.assertRunning(...all);
      }, 180_000);
    });
  });
});

/**
 * Polls every app's /ready every 500 ms until stop() or for at most `maxMs` (so a failed test leaves
 * no poller behind); stop() gives the fraction of ready answers per app.
 */
function sampleReadiness(apps: AppProcess[], maxMs: number): { stop(): Promise<Record<string, number>> } {
  const answers = new Map(apps.map((app) => [app.name, [] as boolean[]]));
  const until = Date.now() + maxMs;
  let running = true;
  const loop = (async () => {
    while (running && Date.now() < until) {
      const states = await Promise.all(apps.map((app) => app.ready()));
      apps.forEach((app, i) => answers.get(app.name)!.push(states[i]));
      await sleep(500);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return Object.fromEntries([...answers].map(([name, list]) => [name, Math.round((list.filter(Boolean).length / Math.max(1, list.length)) * 100) / 100]));
    },
  };
}
