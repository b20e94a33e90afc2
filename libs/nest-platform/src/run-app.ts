import { DynamicModule, Module, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, AppName, ConfigError, createLogger, loadConfig, Logger } from '@aicrn/platform';
import { createHttpApp, exitIfShutdownHangs, listen } from './http-app';
import { PlatformModule, PlatformOptions } from './platform.module';

export type FeatureModules = Array<Type<unknown> | DynamicModule>;

/** The root module of a process: the platform plus the feature modules it runs. */
export function appRootModule(options: PlatformOptions, features: FeatureModules): DynamicModule {
  @Module({})
  class AppRootModule {}
  return { module: AppRootModule, imports: [PlatformModule.forRoot(options), ...features] };
}

export interface RunningApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  logger: Logger;
}

/** Starts one process: validated configuration, HTTP server, feature modules, graceful shutdown. */
export async function startApp(name: AppName, features: (config: AppConfig) => FeatureModules, env: NodeJS.ProcessEnv = process.env, overrides: Partial<PlatformOptions> = {}): Promise<RunningApp> {
  const config = overrides.config ?? loadConfig(name, env);
  const logger = overrides.logger ?? createLogger(name, config.env.LOG_LEVEL);
  const app = await createHttpApp(appRootModule({ ...overrides, config, logger }, features(config)), config, logger);
  let url: string;
  try {
    url = await listen(app, config);
  } catch (error) {
    // e.g. EADDRINUSE: stop the consumers and timers the modules started, so the process can exit.
    await app.close();
    throw error;
  }
  logger.info({ url, transport: config.transport, state: config.state, auth: config.authMode }, `${name} listening`);
  return { app, url, config, logger };
}

/** Entry point of an app's main.ts: configuration errors exit with code 2 and a clear message. */
export async function main(name: AppName, features: (config: AppConfig) => FeatureModules): Promise<void> {
  try {
    const running = await startApp(name, features);
    exitIfShutdownHangs(running.config, running.logger);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${name}: failed to start: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  }
}
