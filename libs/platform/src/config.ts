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
  // Unset: see AppConfig.measureMethod.
  MEASURE_METHOD: z.enum(['auto', 'aicrn', 'consensus', 'dsp']).optional(),
  MODEL_DIR: optionalUrl,
  INFERENCE_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  INFERENCE_PLACEMENT: z.enum(['split', 'whole']).default('split'),
  INFERENCE_MAX_BATCH: z.coerce.number().int().min(1).max(256).default(16),
  INFERENCE_MAX_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(50),
  QTC_FORMULA: z.enum(['bazett', 'fridericia', 'framingham']).default('bazett'),
  AUTH_MODE: z.enum(['open', 'jwt']).optional(),
  AUTH_JWT_SECRET: z.string().min(32, 'an HS256 secret needs at least 32 characters (256 bits)').optional(),
  AUTH_JWT_PUBLIC_KEY: z.string().trim().startsWith('-----BEGIN PUBLIC KEY-----', 'must be an SPKI PEM (-----BEGIN PUBLIC KEY-----)').optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  AUTH_JWT_ISSUER: optionalUrl,
  AUTH_JWT_AUDIENCE: optionalUrl,
  AUTH_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(30),
  AUTH_ROLES_CLAIM: z.string().trim().regex(/^[A-Za-z0-9_:/.-]+$/, 'a claim name, dotted for nested claims (realm_access.roles)').default('roles'),
  METRICS_PUBLIC: boolFlag.default(true),
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
  /**
   * MEASURE_METHOD, or when unset: aicrn if MODEL_DIR names a model (a named model is meant to be used, as
   * `aicrn measure --model` is), else dsp. The shipped weights measure only when asked (auto or aicrn) while
   * they do not meet the accuracy criteria of libs/model/MODEL_CARD.md. consensus measures every window with the
   * network and DSP and reports their mean (ConsensusMethod).
   */
  measureMethod: 'auto' | 'aicrn' | 'consensus' | 'dsp';
  /** Open (no authentication) only when asked for explicitly, or in the embedded demo. */
  authMode: 'open' | 'jwt';
  auth: AuthConfig;
  simulator: { beds: number; seed: number; backfillS: number };
  shutdownTimeoutMs: number;
}

/** Where bearer tokens are verified against; exactly one source in jwt mode. */
export type JwtKeySource = { kind: 'secret'; secret: string } | { kind: 'public-key'; pem: string } | { kind: 'jwks'; url: string } | { kind: 'none' };

export interface AuthConfig {
  mode: 'open' | 'jwt';
  key: JwtKeySource;
  issuer?: string;
  audience?: string;
  clockToleranceS: number;
  /** Claim holding the roles; dots reach into nested objects (Keycloak: realm_access.roles). */
  rolesClaim: string;
  /** /metrics without a token (scrapers on a private network); false = admin token or none at all. */
  metricsPublic: boolean;
}

/** Variables whose values must never appear in errors or logs. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set(['AUTH_JWT_SECRET', 'KAFKA_SASL_PASSWORD', 'SCHEMA_REGISTRY_PASSWORD', 'REDIS_PASSWORD']);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment once at start-up; every problem is reported, by variable name. */
export function loadConfig(app: AppName, source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${shownValue(String(issue.path[0]), source)})`));
  }
  const env = parsed.data;
  const authMode = env.AUTH_MODE ?? (app === 'embedded' ? 'open' : 'jwt');
  const auth = authConfigOf(env, authMode);
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
    measureMethod: env.MEASURE_METHOD ?? (env.MODEL_DIR ? 'aicrn' : 'dsp'),
    authMode,
    auth,
    simulator: { beds: env.SIM_BEDS, seed: env.SIM_SEED, backfillS: env.SIM_BACKFILL_S },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}

function shownValue(name: string, source: NodeJS.ProcessEnv): string {
  const value = source[name];
  if (value !== undefined && SECRET_VARIABLES.has(name)) return `a value of ${value.length} characters, not shown`;
  return JSON.stringify(value);
}

/** jwt mode without a key would reject every request, so it is a start-up error rather than a silent lock-out. */
function authConfigOf(env: Env, mode: 'open' | 'jwt'): AuthConfig {
  const sources: JwtKeySource[] = [];
  if (env.AUTH_JWT_SECRET) sources.push({ kind: 'secret', secret: env.AUTH_JWT_SECRET });
  if (env.AUTH_JWT_PUBLIC_KEY) sources.push({ kind: 'public-key', pem: env.AUTH_JWT_PUBLIC_KEY });
  if (env.AUTH_JWKS_URL) sources.push({ kind: 'jwks', url: env.AUTH_JWKS_URL });
  if (mode === 'jwt' && sources.length === 0) {
    throw new ConfigError([
      'AUTH_MODE is jwt (the default outside the embedded demo) but no token key is configured: set AUTH_JWT_SECRET (HS256), AUTH_JWT_PUBLIC_KEY (RS256/ES256 PEM) or AUTH_JWKS_URL, or AUTH_MODE=open for a closed network only',
    ]);
  }
  if (sources.length > 1) {
    throw new ConfigError([`set only one of AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY, AUTH_JWKS_URL (got ${sources.map((s) => s.kind).join(', ')})`]);
  }
  return {
    mode,
    key: sources[0] ?? { kind: 'none' },
    issuer: env.AUTH_JWT_ISSUER,
    audience: env.AUTH_JWT_AUDIENCE,
    clockToleranceS: env.AUTH_CLOCK_TOLERANCE_S,
    rolesClaim: env.AUTH_ROLES_CLAIM,
    metricsPublic: env.METRICS_PUBLIC,
  };
}
