import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TOPICS, ValidatedWindow } from '@aicrn/contracts';
import { APP_CONFIG, LOGGER, MESSAGE_BUS } from '@aicrn/nest-platform';
import { measureWindows } from '@aicrn/pipeline';
import { AppConfig, Logger, PipelineMetrics } from '@aicrn/platform';
import { BusMessage, MessageBus, Subscription } from '@aicrn/transport';
import { INFERENCE_GROUP, MEASUREMENT_METHODS } from './inference.constants';
import { MeasurementMethods } from './measurement-methods.provider';

/** Consumes validated windows in micro-batches, measures them and publishes the measurements, then commits. */
@Injectable()
export class InferenceService implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(MEASUREMENT_METHODS) private readonly methods: MeasurementMethods,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: PipelineMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(
      TOPICS.windows,
      { groupId: INFERENCE_GROUP, maxBatchSize: Math.max(this.config.env.INFERENCE_MAX_BATCH * 4, 16) },
      (batch) => this.handle(batch),
    );
    this.logger.info({ topic: TOPICS.windows, group: INFERENCE_GROUP }, 'inference consuming');
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
    await this.methods.primary?.close?.();
    await this.methods.fallback.close?.();
  }

  async handle(batch: Array<BusMessage<ValidatedWindow>>): Promise<void> {
    const windows = batch.map((m) => m.value);
    // With the network, the micro-batcher reports its own batches; without it, this is the batch.
    if (!this.methods.primary) this.metrics.batchSize.observe(windows.length);
    const measurements = await measureWindows(windows, { ...this.methods, qtcFormula: this.config.env.QTC_FORMULA });
    await this.bus.publish(
      TOPICS.measurements,
      measurements.map((m) => ({ key: m.bed_id, value: m })),
    );
    const now = Date.now();
    for (const m of measurements) {
      this.metrics.windowsMeasured.inc({ method: m.method });
      this.metrics.processingLatency.observe(m.latency_ms);
      this.metrics.measurementLatency.observe(now - m.window_end_ms);
    }
  }
}
