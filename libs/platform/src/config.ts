import { z } from 'zod';

/** Which process is starting: each has its own default port and consumer group. */
export type AppName = 'embedded' | 'ingestion' | 'inference' | 'alerting';

const DEFAULT_PORTS: Record<AppName, number> = { embedded: 3000, alerting: 3000, ingestion: 3001, inference: 3002 };

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .optional();
const boolFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable the apps read, with its default. The README's configuration table mirrors it. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAFKA_BROKERS: optionalUrl,
  REDIS_URL: optionalUrl,
  SCHEMA_REGISTRY_URL: optionalUrl,
  SIM_BEDS: z.coerce.number().int().min(0).max(500).default(8),
  SIM_SEED: z.coerce.number().int().default(1),
  SIM_BACKFILL_S: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(0),
  MEASURE_METHOD: z.enum(['auto', 'aicrn', 'dsp']).default('auto'),
  MODEL_DIR: optionalUrl,
  INFERENCE_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  INFERENCE_MAX_BATCH: z.coerce.number().int().min(1).max(256).default(16),
  INFERENCE_MAX_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(50),
  QTC_FORMULA: z.enum(['bazett', 'fridericia', 'framingham']).default('bazett'),
  AUTH_MODE: z.enum(['open', 'jwt']).optional(),
  CORS_ORIGINS: z.string().default(''),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'like 100kb or 1mb').default('100kb'),
  RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(600),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(4000),
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(12),
  KAFKA_CLIENT_ID: z.string().default('aicrn'),
  METRICS_ENABLED: boolFlag.default(true),
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  app: AppName;
  env: Env;
  /** The raw environment, for adapters that validate their own variables (Kafka, Redis). */
  source: Readonly<Record<string, string | undefined>>;
  http: { host: string; port: number; bodyLimit: string; corsOrigins: string[]; rateLimitPerMin: number };
  transport: 'memory' | 'kafka';
  state: 'memory' | 'redis';
  /** Open (no authentication) only when asked for explicitly, or in the embedded demo. */
  authMode: 'open' | 'jwt';
  simulator: { beds: number; seed: number; backfillS: number };
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment once at start-up; every problem is reported, by variable name. */
export function loadConfig(app: AppName, source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(source[String(issue.path[0])])})`));
  }
  const env = parsed.data;
  return {
    app,
    env,
    source: { ...source },
    http: {
      host: env.HOST,
      port: env.PORT ?? DEFAULT_PORTS[app],
      bodyLimit: env.BODY_LIMIT,
      corsOrigins: env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
      rateLimitPerMin: env.RATE_LIMIT_PER_MIN,
    },
    transport: env.KAFKA_BROKERS ? 'kafka' : 'memory',
    state: env.REDIS_URL ? 'redis' : 'memory',
    authMode: env.AUTH_MODE ?? (app === 'embedded' ? 'open' : 'jwt'),
    simulator: { beds: env.SIM_BEDS, seed: env.SIM_SEED, backfillS: env.SIM_BACKFILL_S },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}
