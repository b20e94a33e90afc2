import type { TestKafka } from '../../infra';
import { DistributedPipeline, distributedEnv, uniqueKeyPrefix } from '../../distributed/support/distributed-pipeline';
import { TopicObserver } from '../../distributed/support/topic-observer';
import { WindowFeed } from '../../distributed/support/window-feed';

export interface FaultPipeline {
  keyPrefix: string;
  redisUrl: string;
  pipeline: DistributedPipeline;
  /** What a downstream system sees on ecg.measurements.v1 and ecg.alerts.v1. */
  observer: TopicObserver;
  /** The bedside devices. */
  feed: WindowFeed;
  /** The apps' recent output, for failure messages. */
  context: () => string;
}

export interface FaultPipelineOptions {
  /** Names the key prefix, the observer's groups and the report. */
  name: string;
  kafka: () => TestKafka;
  redisUrl: () => string;
  beds: number;
  windowsPerBed: number;
  /** Send only these leads (smaller records; the fault tests need no 12-lead measurement). */
  leads: readonly string[];
}

/**
 * A describe block with the three apps' harness, a topic observer and a window feed (the apps are
 * started by the test, which times them). Its teardown runs before the enclosing infrastructure blocks
 * stop Kafka and Redis: kafkajs consumers that lose their cluster keep restarting and hold Jest open.
 */
export function describeFaultPipeline(title: string, options: FaultPipelineOptions, body: (harness: () => FaultPipeline) => void): void {
  describe(title, () => {
    let harness: FaultPipeline | undefined;

    beforeAll(async () => {
      const keyPrefix = uniqueKeyPrefix(options.name);
      const redisUrl = options.redisUrl();
      const pipeline = new DistributedPipeline(distributedEnv(options.kafka(), redisUrl, keyPrefix));
      const [observer, feed] = await Promise.allSettled([
        TopicObserver.start(options.kafka(), options.name),
        WindowFeed.start(options.kafka(), options.beds, options.windowsPerBed, options.leads),
      ]);
      if (observer.status === 'rejected' || feed.status === 'rejected') {
        await Promise.allSettled([observer, feed].map((started) => started.status === 'fulfilled' && started.value.close()));
        throw observer.status === 'rejected' ? observer.reason : (feed as PromiseRejectedResult).reason;
      }
      harness = { keyPrefix, redisUrl, pipeline, observer: observer.value, feed: feed.value, context: () => pipeline.logs() };
    }, 30_000);

    afterAll(async () => {
      if (!harness) return;
      await Promise.allSettled([harness.observer.close(), harness.feed.close()]);
      await harness.pipeline.stopAll();
    }, 30_000);

    body(() => {
      if (!harness) throw new Error('the fault pipeline is not set up (use it inside tests)');
      return harness;
    });
  });
}
