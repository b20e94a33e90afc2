import { setImmediate } from 'node:timers/promises';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DeadLetter, TOPICS, ValidatedWindow } from '@aicrn/contracts';
import { LOGGER, MESSAGE_BUS } from '@aicrn/nest-platform';
import { ingestWindow } from '@aicrn/pipeline';
import { Logger, PipelineMetrics } from '@aicrn/platform';
import { assessSignalQuality } from '@aicrn/signal';
import { BusMessage, MessageBus, Subscription } from '@aicrn/transport';

export const INGESTION_GROUP = 'aicrn-ingestion';

/** Consumes device windows, publishes validated ones and dead-letters the rest, then commits. */
@Injectable()
export class IngestionService implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: PipelineMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(TOPICS.raw, { groupId: INGESTION_GROUP, maxBatchSize: 200 }, (batch) => this.handle(batch));
    this.logger.info({ topic: TOPICS.raw, group: INGESTION_GROUP }, 'ingestion consuming');
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }

  async handle(batch: Array<BusMessage<unknown>>): Promise<void> {
    const accepted: Array<{ key: string; value: ValidatedWindow }> = [];
    const rejected: Array<{ key: string; value: DeadLetter }> = [];
    const now = Date.now();
    for (const [i, message] of batch.entries()) {
      // Validation and the quality index cost milliseconds per window; a batch of 200 must not hold
      // the event loop (HTTP, heartbeats, and in the embedded app everything else) for a second.
      if (i > 0 && i % 8 === 0) await setImmediate();
      const outcome = ingestWindow(message.value, { partition: message.partition, offset: message.offset, key: message.key }, now, assessSignalQuality);
      if (outcome.accepted) {
        accepted.push({ key: outcome.window.window.bed_id, value: outcome.window });
      } else {
        const dead = outcome.deadLetter;
        rejected.push({ key: dead.bed_id ?? message.key, value: dead });
        this.metrics.windowsRejected.inc({ code: dead.code });
        this.logger.warn({ bed_id: dead.bed_id, device_id: dead.device_id, seq: dead.seq, code: dead.code, reason: dead.reason }, 'window rejected to dead-letter topic');
      }
    }
    this.metrics.windowsIn.inc(batch.length);
    if (accepted.length) await this.bus.publish(TOPICS.windows, accepted);
    if (rejected.length) await this.bus.publish(TOPICS.dlq, rejected);
    this.metrics.windowsValidated.inc(accepted.length);
  }
}
