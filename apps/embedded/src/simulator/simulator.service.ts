import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TOPICS, WINDOW_SECONDS } from '@aicrn/contracts';
import { APP_CONFIG, LOGGER, MESSAGE_BUS } from '@aicrn/nest-platform';
import { WardSimulator } from '@aicrn/pipeline';
import { AppConfig, Logger } from '@aicrn/platform';
import { MessageBus } from '@aicrn/transport';

const TICK_MS = 1000;

/**
 * Simulated bedside monitors publishing to `ecg.raw.v1` in real time: one 10-s window per bed every
 * 10 s. With SIM_BACKFILL_S the beds start that far in the past and their history is published at
 * once (as fast as the pipeline accepts it), so trends and alerts exist from the first minute.
 */
@Injectable()
export class SimulatorService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private ticking: Promise<void> = Promise.resolve();
  private simulator!: WardSimulator;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const { beds, seed, backfillS } = this.config.simulator;
    // The first window ends now (or backfillS ago), so measurements appear at once rather than after 10 s.
    const startedMs = Date.now() - (backfillS + WINDOW_SECONDS) * 1000;
    this.simulator = new WardSimulator({ beds, seed, startedMs });
    this.logger.info({ beds, seed, backfill_s: backfillS, scenarios: this.simulator.beds.map((b) => `${b.bedId}:${b.scenario.name}`) }, 'bed simulator started');
    this.ticking = this.tick();
    this.timer = setInterval(() => (this.ticking = this.ticking.then(() => this.tick())), TICK_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  private async tick(): Promise<void> {
    try {
      const windows = this.simulator.windowsDue(Date.now());
      if (windows.length) await this.bus.publish(TOPICS.raw, windows.map((w) => ({ key: w.bed_id, value: w })));
    } catch (error) {
      this.logger.error({ err: error }, 'simulator failed to publish; will retry on the next tick');
    }
  }
}
