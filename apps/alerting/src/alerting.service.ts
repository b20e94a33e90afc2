import { Inject, Injectable, NotFoundException, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Alert, EcgMeasurement, TOPICS } from '@aicrn/contracts';
import { AlarmSettings, BedAlarms, BedAlarmsState, BedProfile } from '@aicrn/alarms';
import { LOGGER, MESSAGE_BUS, STATE_STORE } from '@aicrn/nest-platform';
import { Logger, PipelineMetrics } from '@aicrn/platform';
import { StateStore } from '@aicrn/state';
import { BusMessage, MessageBus, Subscription } from '@aicrn/transport';
import { ALERTING_GROUP, BED_ALARMS_NAMESPACE, TICK_INTERVAL_MS } from './alerting.constants';
import { BedLock } from './bed-lock';

export interface BedAlarmSettings {
  bed_id: string;
  baseline: BedAlarmsState['baseline'] | null;
  profile: BedProfile;
  settings: AlarmSettings;
}

/**
 * Step 3 of the pipeline: measurements -> alerts. Each bed's alarm engine is loaded from the state
 * store, fed, and saved back after its alert events are published, so a restarted or rebalanced
 * instance continues where the last one stopped and a redelivered batch yields the same event ids.
 */
@Injectable()
export class AlertingService implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private ticking: Promise<void> = Promise.resolve();
  private readonly lock = new BedLock();

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: PipelineMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(TOPICS.measurements, { groupId: ALERTING_GROUP, maxBatchSize: 200 }, (batch) => this.handle(batch));
    this.timer = setInterval(() => (this.ticking = this.ticking.then(() => this.tickAll(Date.now()))), TICK_INTERVAL_MS);
    this.logger.info({ topic: TOPICS.measurements, group: ALERTING_GROUP }, 'alerting consuming');
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.subscription?.close();
    await this.ticking;
  }

  async handle(batch: Array<BusMessage<EcgMeasurement>>): Promise<void> {
    const byBed = new Map<string, EcgMeasurement[]>();
    for (const { value } of batch) {
      const list = byBed.get(value.bed_id);
      if (list) list.push(value);
      else byBed.set(value.bed_id, [value]);
    }
    await Promise.all([...byBed].map(([bedId, measurements]) => this.lock.run(bedId, () => this.observeBed(bedId, measurements))));
  }

  async acknowledge(alertId: string, user: string, nowMs = Date.now()): Promise<Alert> {
    const stored = await this.state.getAlert(alertId);
    if (!stored) throw new NotFoundException(`no alert ${alertId}`);
    return this.lock.run(stored.bed_id, async () => {
      const engine = await this.load(stored.bed_id);
      const event = engine.acknowledge(alertId, user, nowMs);
      if (event) await this.emit([event]);
      await this.save(engine);
      return event ?? (await this.state.getAlert(alertId)) ?? stored;
    });
  }

  resetBaseline(bedId: string, nowMs = Date.now()): Promise<{ bed_id: string; reset_ms: number; ended_alerts: number }> {
    return this.lock.run(bedId, async () => {
      const engine = await this.load(bedId);
      const events = engine.resetBaseline(nowMs);
      await this.emit(events);
      await this.save(engine);
      this.logger.info({ bed_id: bedId }, 'baseline reset');
      return { bed_id: bedId, reset_ms: nowMs, ended_alerts: events.length };
    });
  }

  setProfile(bedId: string, profile: BedProfile): Promise<BedAlarmSettings> {
    return this.lock.run(bedId, async () => {
      const engine = await this.load(bedId);
      engine.setProfile(profile);
      await this.save(engine);
      this.logger.info({ bed_id: bedId }, 'alarm profile updated');
      return settingsOf(engine);
    });
  }

  async settings(bedId: string): Promise<BedAlarmSettings> {
    return settingsOf(await this.load(bedId));
  }

  private async observeBed(bedId: string, measurements: EcgMeasurement[]): Promise<void> {
    const engine = await this.load(bedId);
    const events: Alert[] = [];
    for (const m of measurements) {
      await this.state.recordMeasurement(m);
      events.push(...engine.observe(m));
    }
    // Publish before saving the engine: a crash in between replays the batch and re-derives the same
    // events (deterministic ids), which the stores deduplicate. Saving first could lose them.
    await this.emit(events);
    await this.save(engine);
  }

  private async tickAll(nowMs: number): Promise<void> {
    try {
      const beds = await this.state.listBeds();
      for (const bed of beds.filter((b) => b.active_alerts.length > 0)) {
        await this.lock.run(bed.bed_id, async () => {
          const engine = await this.load(bed.bed_id);
          const events = engine.tick(nowMs);
          if (!events.length) return;
          await this.emit(events);
          await this.save(engine);
        });
      }
    } catch (error) {
      this.logger.error({ err: error }, 'escalation check failed; retrying on the next tick');
    }
  }

  private async emit(events: Alert[]): Promise<void> {
    if (!events.length) return;
    await this.bus.publish(
      TOPICS.alerts,
      events.map((alert) => ({ key: alert.bed_id, value: alert })),
    );
    for (const alert of events) {
      if (!(await this.state.saveAlertEvent(alert))) continue;
      this.metrics.alerts.inc({ kind: alert.kind, priority: alert.priority, state: alert.state });
      this.logger.info({ bed_id: alert.bed_id, alert_id: alert.alert_id, kind: alert.kind, priority: alert.priority, state: alert.state }, alert.message);
    }
  }

  private async load(bedId: string): Promise<BedAlarms> {
    const saved = await this.state.loadBedState<BedAlarmsState>(bedId, BED_ALARMS_NAMESPACE);
    return saved ? BedAlarms.restore(saved) : new BedAlarms(bedId);
  }

  private save(engine: BedAlarms): Promise<void> {
    return this.state.saveBedState(engine.bedId, BED_ALARMS_NAMESPACE, engine.snapshot());
  }
}

function settingsOf(engine: BedAlarms): BedAlarmSettings {
  const snapshot = engine.snapshot();
  return { bed_id: engine.bedId, baseline: engine.baselineState(), profile: snapshot.profile, settings: engine.resolvedSettings() };
}
