import Redis from 'ioredis';
import { RedisProcess, redisServerAvailable } from '../infra/redis-process';
import { eventually } from '../support/eventually';
import { describeFaultPipeline } from './support/fault-pipeline';
import { describeWithKafkaUnless, everyWindowMeasured, expectAlertTopicMatchesStore, report, tachycardiaAlertStoredOnce } from './support/fault-probes';
import { serverSocket, StalledClient } from './support/stalled-clients';

const BEDS = 8;
const LEADS = ['II', 'V5'];
const ROUND = 4;
/**
 * Redis's default limit for subscriber connections is `pubsub 32mb 8mb 60` (disconnect at 32 MB
 * queued, or after 60 s above 8 MB); the burst runs under it. Then this lower limit is set, which
 * shows the disconnect within seconds.
 */
const LOW_PUBSUB_LIMIT = 'pubsub 4mb 1mb 5';
/** Measurement events pushed through the channels in a burst: more than the SSE (4 MB) and Pub/Sub limits plus the kernel's socket buffers. */
const BURST_BYTES = 24 * 1024 * 1024;
const SSE_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

const redisServer = redisServerAvailable();

/**
 * Consumers of the live channels that stop reading: a Redis Pub/Sub subscriber on ecg:alerts and
 * ecg:measurements, and an SSE client of /api/events. Neither may slow the pipeline down or make a
 * server hold their backlog without bound: the alerting app drops an SSE client once 4 MB are
 * buffered for it and releases the connection; Redis disconnects a subscriber over its
 * client-output-buffer-limit (pubsub class). PUBLISH never waits for subscribers.
 */
describeWithKafkaUnless(
  redisServer.available ? null : redisServer.reason,
  'faults: slow alert subscribers',
  (kafka) => {
    let redis: RedisProcess | undefined;
    beforeAll(async () => {
      redis = await RedisProcess.start();
    });
    afterAll(async () => {
      await redis?.stop();
    });
    describeFaultPipeline('the pipeline', { name: 'slow-subscriber', kafka, redisUrl: () => redis!.url, beds: BEDS, windowsPerBed: 4 * ROUND, leads: LEADS }, (harness) => {
      const stalled: StalledClient[] = [];
      let publisher: Redis | undefined;
      afterAll(() => {
        stalled.forEach((client) => client.close());
        publisher?.disconnect();
      });

      it('keeps measuring at its rate while subscribers stall, and bounds what is buffered for them', async () => {
        const { keyPrefix, pipeline, observer, feed, context } = harness();
        const server = redis!;
        const apps = await pipeline.startAll();
        const all = [apps.ingestion, apps.inference, apps.alerting];
        const alertingPort = Number(new URL(apps.alerting.url).port);
        const timeRound = async () => {
          const started = Date.now();
          await feed.publish(ROUND);
          await everyWindowMeasured(observer, feed.publishedIds, 60_000, context);
          return Date.now() - started;
        };

        // Warm up (consumer groups joined, DSP loaded), then the undisturbed time of a round.
        await timeRound();
        const normalMs = await timeRound();

        const subscriber = await StalledClient.redisSubscriber(server.port, 'stalled-subscriber', [`${keyPrefix}ecg:alerts`, `${keyPrefix}ecg:measurements`]);
        const sse = await StalledClient.sseClient(alertingPort, '/api/events');
        stalled.push(subscriber, sse);
        const redisClient = new Redis(server.url, { maxRetriesPerRequest: 1 });
        publisher = redisClient;
        // The alerting app's own subscriber connection (opened for the SSE client): must keep up, or be reconnected.
        const appSubscriberIds = await eventually(
          "the alerting app's Pub/Sub connection",
          async () => {
            const ids = subscriberIds((await redisClient.client('LIST')) as string).filter((c) => c.name !== 'stalled-subscriber').map((c) => c.id);
            return ids.length > 0 && ids;
          },
          { timeoutMs: 10_000, context },
        );

        // A burst of measurement events (copies of real ones) through the channel both clients listen to,
        // while the next round of windows goes through the pipeline.
        const sample = JSON.stringify(observer.measurements[0]);
        const copies = Math.ceil(BURST_BYTES / sample.length);
        const burst = (async () => {
          for (let sent = 0; sent < copies; sent += 1_000) {
            const pipe = redisClient.pipeline();
            for (let i = sent; i < Math.min(copies, sent + 1_000); i++) pipe.publish(`${keyPrefix}ecg:measurements`, sample);
            await pipe.exec();
          }
        })();
        const stalledMs = await timeRound();
        await burst;
        // PUBLISH never waits for subscribers: the round takes about as long as an undisturbed one (the
        // burst's own CPU cost and the machine's load allowed for; a blocked pipeline would take minutes).
        expect(stalledMs).toBeLessThan(3 * normalMs + 15_000);

        // Redis under its default limits: the stalled subscriber's queue is held (bounded by the
        // limit), the app's subscriber keeps up. A lower limit then disconnects the stalled one.
        const beforeLimit = (await redisClient.client('LIST')) as string;
        const stalledQueueBytes = Number(/name=stalled-subscriber .*?omem=(\d+)/.exec(beforeLimit)?.[1] ?? NaN);
        const appSubscriberKept = appSubscriberIds.every((id) => beforeLimit.includes(`id=${id} `));
        await redisClient.config('SET', 'client-output-buffer-limit', LOW_PUBSUB_LIMIT);
        await redisClient.publish(`${keyPrefix}ecg:measurements`, sample);
        await eventually(
          'Redis to disconnect the stalled subscriber over the lowered pubsub limit',
          async () => !((await redisClient.client('LIST')) as string).includes('name=stalled-subscriber'),
          { timeoutMs: 20_000, context },
        );
        const stats = (await redisClient.info('stats')).match(/client_output_buffer_limit_disconnections:(\d+)/);

        // The alerting app: the SSE client that never reads was dropped and its connection released
        // (no socket left in the process holding its backlog).
        const sseSocket = await eventually(
          'the alerting app to release the stalled SSE connection',
          () => {
            const view = serverSocket(alertingPort, sse.localPort);
            return (view === null || view.inode === 0) && { view };
          },
          { timeoutMs: 20_000, observe: () => JSON.stringify(serverSocket(alertingPort, sse.localPort)), context },
        );
        const received = await sse.drain(5_000);
        expect(received.ended).toBe(true);
        expect(received.bytes).toBeLessThan(BURST_BYTES);

        // Live updates still work for a client that reads.
        const reader = await fetch(`${apps.alerting.url}/api/events`, { signal: AbortSignal.timeout(60_000) });
        const events = reader.body!.getReader();
        const next = feed.publish(ROUND);
        let text = '';
        while (!text.includes('event: measurement')) {
          const { value, done } = await events.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        await events.cancel();
        await next;
        expect(text).toContain('event: measurement');
        await everyWindowMeasured(observer, feed.publishedIds, 60_000, context);
        await expectAlertTopicMatchesStore(observer, await tachycardiaAlertStoredOnce(server.url, keyPrefix, 30_000, context), context);

        report('slow-subscriber', {
          round_windows: ROUND * BEDS,
          normal_round_ms: normalMs,
          round_with_stalled_clients_and_burst_ms: stalledMs,
          burst_events: copies,
          burst_mb: Math.round((copies * sample.length) / 1e5) / 10,
          app_subscriber_connection_kept: appSubscriberKept,
          stalled_subscriber_queue_bytes_under_default_limit: stalledQueueBytes,
          // INFO reports the counter from Redis 7.2 on.
          redis_output_buffer_limit_disconnections: stats ? Number(stats[1]) : null,
          sse_server_socket_after_drop: sseSocket.view ?? 'gone',
          sse_bytes_received_after_resume: received.bytes,
          sse_drop_threshold_bytes: SSE_MAX_BUFFERED_BYTES,
        });
        pipeline.assertRunning(...all);
      }, 150_000);
    });
  },
  { partitions: 8 },
);

/** Connections in a CLIENT LIST reply that are subscribed to something. */
function subscriberIds(list: string): Array<{ id: string; name: string }> {
  return list
    .split('\n')
    .filter((line) => / sub=[1-9]/.test(line))
    .map((line) => ({ id: /(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? '', name: /(?:^|\s)name=(\S*)/.exec(line)?.[1] ?? '' }));
}
