import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DisplayStrip, TOPICS, ValidatedWindow } from '@aicrn/contracts';
import { LOGGER, MESSAGE_BUS, STATE_STORE } from '@aicrn/nest-platform';
import { toDisplayStrip } from '@aicrn/pipeline';
import { Logger } from '@aicrn/platform';
import { StateStore } from '@aicrn/state';
import { BusMessage, MessageBus, Subscription } from '@aicrn/transport';

export const STRIP_GROUP = 'aicrn-display-strip';
export const STRIP_NAMESPACE = 'display-strip';

/** Keeps each bed's latest window, reduced for display, so the bed view can draw the strip behind a number. */
@Injectable()
export class StripService implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(TOPICS.windows, { groupId: STRIP_GROUP, maxBatchSize: 200 }, (batch) => this.handle(batch));
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }

  async handle(batch: Array<BusMessage<ValidatedWindow>>): Promise<void> {
    // Only the newest window of each bed in the batch matters for display.
    const newest = new Map<string, ValidatedWindow>();
    for (const { value } of batch) {
      const current = newest.get(value.window.bed_id);
      if (!current || value.window.start_ms >= current.window.start_ms) newest.set(value.window.bed_id, value);
    }
    // A bed's windows arrive in order (one partition per bed), so the newest in the batch is the newest.
    for (const [bedId, window] of newest) await this.state.saveBedState(bedId, STRIP_NAMESPACE, toDisplayStrip(window));
    this.logger.trace({ beds: newest.size }, 'display strips updated');
  }

  latest(bedId: string): Promise<DisplayStrip | null> {
    return this.state.loadBedState<DisplayStrip>(bedId, STRIP_NAMESPACE);
  }
}
