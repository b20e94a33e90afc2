import { readFileSync } from 'node:fs';

/** Everything the Redis adapter needs, read once at boot (see redisConfigFromEnv). */
export interface RedisConfig {
  /** redis://[:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  /** Prepended to every key and channel, to share one Redis between deployments or tests. */
  keyPrefix: string;
  /** Extra TLS settings for rediss:// (a private CA). */
  tls?: { ca?: string; rejectUnauthorized: boolean };
  connectTimeoutMs: number;
  /** Reconnect backoff doubles from 50 ms up to this cap, forever. */
  maxReconnectDelayMs: number;
  /** Approximate length kept of the durable alert stream (XADD MAXLEN ~). */
  alertStreamMaxLen: number;
  /** How long an alert event id is remembered, so a replay is not fanned out twice. */
  eventDedupTtlMs: number;
  /** How long a cleared alert stays readable by id. Active alerts never expire. */
  clearedAlertRetentionMs: number;
  /** Most trend points per bed, on top of the 24-h retention. */
  maxTrendPoints: number;
}

export const REDIS_DEFAULTS = {
  keyPrefix: '',
  connectTimeoutMs: 5_000,
  maxReconnectDelayMs: 5_000,
  alertStreamMaxLen: 100_000,
  eventDedupTtlMs: 7 * 24 * 3600_000,
  clearedAlertRetentionMs: 7 * 24 * 3600_000,
  maxTrendPoints: 24 * 360 + 60,
} as const;

export class RedisConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads REDIS_URL (required; redis:// or rediss://, password in the URL), REDIS_KEY_PREFIX,
 * REDIS_TLS_CA_FILE and REDIS_TLS_REJECT_UNAUTHORIZED (true|false). Every problem is reported at once.
 */
export function redisConfigFromEnv(env: Env = process.env): RedisConfig {
  const problems: string[] = [];
  const url = env.REDIS_URL?.trim() ?? '';
  let parsed: URL | undefined;
  if (!url) problems.push('REDIS_URL is required (redis://[:password@]host:port[/db] or rediss://...)');
  else {
    try {
      parsed = new URL(url);
      if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') problems.push(`REDIS_URL must start with redis:// or rediss://, got ${parsed.protocol}//`);
      if (parsed.pathname.length > 1 && !/^\/\d+$/.test(parsed.pathname)) problems.push(`REDIS_URL database must be a number, got "${parsed.pathname.slice(1)}"`);
    } catch {
      problems.push(`REDIS_URL is not a URL: ${redactRedisUrl(url)}`);
    }
  }
  let tls: RedisConfig['tls'];
  const reject = env.REDIS_TLS_REJECT_UNAUTHORIZED?.trim().toLowerCase();
  if (reject !== undefined && reject !== '' && !['true', 'false'].includes(reject)) problems.push(`REDIS_TLS_REJECT_UNAUTHORIZED must be true or false, got "${reject}"`);
  if (env.REDIS_TLS_CA_FILE || reject) {
    if (parsed && parsed.protocol !== 'rediss:') problems.push('REDIS_TLS_* is set but REDIS_URL is not rediss://');
    let ca: string | undefined;
    if (env.REDIS_TLS_CA_FILE) {
      try {
        ca = readFileSync(env.REDIS_TLS_CA_FILE, 'utf8');
      } catch (error) {
        problems.push(`REDIS_TLS_CA_FILE "${env.REDIS_TLS_CA_FILE}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
    tls = { ca, rejectUnauthorized: reject !== 'false' };
  }
  if (problems.length) throw new RedisConfigError(`invalid Redis configuration: ${problems.join('; ')}`);
  return { ...REDIS_DEFAULTS, url, keyPrefix: env.REDIS_KEY_PREFIX ?? REDIS_DEFAULTS.keyPrefix, tls };
}

/** The URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:[redacted]@');
}
