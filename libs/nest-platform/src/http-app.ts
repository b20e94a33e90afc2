import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppConfig, Logger } from '@aicrn/platform';
import { RateLimiter, rateLimitMiddleware } from './auth/rate-limit';
import { HttpErrorsFilter } from './http-errors.filter';
import { PinoNestLogger } from './pino-nest-logger';

/**
 * Creates the HTTP app with the same hardening everywhere: body size limit, security headers,
 * per-client rate limit on /api, CORS closed unless origins are configured, JSON errors, graceful
 * shutdown on SIGINT/SIGTERM. Authentication is the global AuthGuard (PlatformModule).
 */
export async function createHttpApp(module: Type<unknown> | ReturnType<typeof Object>, config: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as Type<unknown>, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] } } }));
  // Before body parsing and authentication, so floods (including token guessing) cost the least.
  app.use('/api', rateLimitMiddleware(new RateLimiter({ perMinute: config.http.rateLimitPerMin }), config.http.rateLimitPerMin));
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  if (config.http.corsOrigins.length) app.enableCors({ origin: config.http.corsOrigins, credentials: false });
  app.useGlobalFilters(new HttpErrorsFilter(logger));
  app.enableShutdownHooks();
  return app;
}

/** Listens and returns the address users should open. */
export async function listen(app: INestApplication, config: AppConfig): Promise<string> {
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
  return `http://${host}:${port}`;
}

/** Exits if shutdown hangs: a monitoring process must not linger half-closed. */
export function exitIfShutdownHangs(config: AppConfig, logger: Logger): void {
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (signalled) return;
      signalled = true;
      logger.info({ signal }, 'shutting down');
      setTimeout(() => {
        logger.error({ timeout_ms: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
        logger.flush();
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
    });
  }
}
