import { DynamicModule, Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig, createLogger, Logger, PipelineMetrics } from '@aicrn/platform';
import { StateStore } from '@aicrn/state';
import { MessageBus } from '@aicrn/transport';
import { createMessageBus, createStateStore } from './adapters';
import { AuthGuard, TOKEN_VERIFIER } from './auth/auth.guard';
import { createTokenVerifier } from './auth/token-verifier';
import { ConsumerLagSampler } from './consumer-lag-sampler';
import { HealthController } from './health.controller';
import { APP_CONFIG, LOGGER, MESSAGE_BUS, STATE_STORE } from './platform.constants';
import { Readiness } from './readiness';

export interface PlatformOptions {
  config: AppConfig;
  logger?: Logger;
  /** Pre-built adapters (tests, benchmarks); otherwise chosen from configuration. */
  bus?: MessageBus;
  state?: StateStore;
  metrics?: PipelineMetrics;
}

/** Closes the transport and the state store last, after the feature modules have drained. */
class AdapterLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly lag: ConsumerLagSampler,
  ) {}

  onApplicationBootstrap(): void {
    this.lag.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lag.stop();
    await this.bus.close();
    await this.state.close();
    this.logger.info('transport and state store closed');
    this.logger.flush();
  }
}

/** Configuration, logging, metrics, health and the two ports (transport, state) for every app. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const logger = options.logger ?? createLogger(options.config.app, options.config.env.LOG_LEVEL);
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: logger },
        { provide: PipelineMetrics, useValue: options.metrics ?? new PipelineMetrics(options.config.app, options.config.env.METRICS_ENABLED) },
        { provide: ConsumerLagSampler, inject: [PipelineMetrics], useFactory: (metrics: PipelineMetrics) => new ConsumerLagSampler(metrics, logger) },
        {
          provide: MESSAGE_BUS,
          inject: [ConsumerLagSampler],
          useFactory: async (lag: ConsumerLagSampler) => lag.instrument(options.bus ?? (await createMessageBus(options.config, logger))),
        },
        { provide: TOKEN_VERIFIER, useFactory: () => (options.config.auth.mode === 'jwt' ? createTokenVerifier(options.config.auth) : null) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: STATE_STORE, useFactory: () => options.state ?? createStateStore(options.config, logger) },
        {
          provide: Readiness,
          inject: [MESSAGE_BUS, STATE_STORE],
          useFactory: (bus: MessageBus, state: StateStore) => {
            const readiness = new Readiness();
            readiness.register(`transport:${bus.kind}`, () => bus.isReady());
            readiness.register(`state:${state.kind}`, () => state.isReady());
            return readiness;
          },
        },
        AdapterLifecycle,
      ],
      exports: [APP_CONFIG, LOGGER, PipelineMetrics, MESSAGE_BUS, STATE_STORE, Readiness],
    };
  }
}
