import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig, PipelineMetrics } from '@aicrn/platform';
import { MetricsEndpoint } from './auth/auth.guard';
import { Public } from './auth/roles';
import { APP_CONFIG } from './platform.constants';
import { Readiness } from './readiness';

@Controller()
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readiness: Readiness,
    private readonly metrics: PipelineMetrics,
  ) {}

  /** Liveness: the process is up and serving. */
  @Get('health')
  @Public()
  health() {
    return { status: 'ok', app: this.config.app, transport: this.config.transport, state: this.config.state, uptime_s: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  /** Readiness: broker, state store and model answer. 503 until they do. */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response) {
    const report = await this.readiness.report();
    res.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  @Get('metrics')
  @MetricsEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metricsText(): Promise<string> {
    return this.metrics.text();
  }
}
