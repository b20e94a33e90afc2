import type { Logger, PipelineMetrics } from '@aicrn/platform';
import type { MessageBus, Subscription } from '@aicrn/transport';

export const LAG_SAMPLE_INTERVAL_MS = 5000;

interface Tracked {
  topic: string;
  group: string;
  subscription: Subscription;
}

/**
 * Samples every subscription's lag into the `aicrn_consumer_lag` gauge. It hooks the bus's
 * subscribe() so that each consuming service is covered without code of its own, and a service that
 * forgets to report lag cannot exist.
 */
export class ConsumerLagSampler {
  private readonly tracked = new Set<Tracked>();
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;

  constructor(
    private readonly metrics: PipelineMetrics,
    private readonly logger: Logger,
    private readonly intervalMs = LAG_SAMPLE_INTERVAL_MS,
  ) {}

  /** Replaces `bus.subscribe` on this instance (keeping its identity and other methods) to track new subscriptions. */
  instrument(bus: MessageBus): MessageBus {
    const subscribe = bus.subscribe.bind(bus);
    bus.subscribe = async (topic, options, handler) => {
      const subscription = await subscribe(topic, options, handler);
      const entry: Tracked = { topic, group: options.groupId, subscription };
      this.tracked.add(entry);
      const close = subscription.close.bind(subscription);
      subscription.close = async () => {
        this.tracked.delete(entry);
        this.metrics.consumerLag.remove({ topic, group: options.groupId });
        await close();
      };
      return subscription;
    };
    return bus;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sampling ??= this.sample().finally(() => (this.sampling = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  /** One sample of every tracked subscription; a failing lag() is logged and skipped, never fatal. */
  async sample(): Promise<void> {
    await Promise.all(
      [...this.tracked].map(async ({ topic, group, subscription }) => {
        try {
          this.metrics.consumerLag.set({ topic, group }, await subscription.lag());
        } catch (error) {
          this.logger.debug({ topic, group, err: error }, 'consumer lag not available');
        }
      }),
    );
  }
}
