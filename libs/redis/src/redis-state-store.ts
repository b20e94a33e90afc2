import Redis, { RedisOptions } from 'ioredis';
import { Alert, BedSnapshot, EcgMeasurement, isActiveAlert } from '@aicrn/contracts';
import type { AlertQuery, StateStore, Unsubscribe } from '@aicrn/state';
import { toTrendPoint, TREND_RETENTION_MS } from '@aicrn/state';
import { RedisConfig, redactRedisUrl, redisConfigFromEnv } from './redis-config';
import { RedisKeys } from './redis-keys';
import { READ_TREND, RECORD_MEASUREMENT, SAVE_ALERT_EVENT } from './redis-scripts';

export interface StoreLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const SILENT: StoreLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface ScriptedRedis {
  recordMeasurement(...args: Array<string | number>): Promise<number>;
  saveAlertEvent(...args: Array<string | number>): Promise<number>;
  readTrend(...args: Array<string | number>): Promise<string[]>;
}

const ALERT_PAGE = 200;

/** "bed-2" before "bed-10", like the in-memory store. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

function byRaisedDesc(a: Alert, b: Alert): number {
  return b.raised_ms - a.raised_ms || a.alert_id.localeCompare(b.alert_id);
}

/**
 * The state port on Redis (layout in libs/redis/README.md). Multi-key writes run as Lua scripts, so
 * they are atomic; Pub/Sub listeners use a second connection, opened on first use. Values are JSON:
 * bed state must be JSON-serialisable. Commands fail after two reconnect attempts instead of
 * queueing forever, so callers see the outage (and a consumer's batch is retried).
 */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly keys: RedisKeys;
  private subscriber: Redis | null = null;
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private closed = false;

  private constructor(
    private readonly client: Redis,
    private readonly config: RedisConfig,
    private readonly logger: StoreLogger,
  ) {
    this.keys = new RedisKeys(config.keyPrefix);
    client.defineCommand('recordMeasurement', { numberOfKeys: 4, lua: RECORD_MEASUREMENT });
    client.defineCommand('saveAlertEvent', { numberOfKeys: 7, lua: SAVE_ALERT_EVENT });
    client.defineCommand('readTrend', { numberOfKeys: 2, lua: READ_TREND });
  }

  /** Connects (failing if Redis does not answer within connectTimeoutMs). */
  static async connect(config: RedisConfig, logger: StoreLogger = SILENT): Promise<RedisStateStore> {
    const client = watchErrors(new Redis(config.url, connectionOptions(config)), config, logger, 'commands');
    try {
      await client.connect();
    } catch (error) {
      // Stop the reconnect loop too, which a close event arriving after disconnect() would restart.
      client.options.retryStrategy = () => null;
      client.disconnect();
      throw new Error(`cannot connect to Redis at ${redactRedisUrl(config.url)}: ${(error as Error).message}`);
    }
    return new RedisStateStore(client, config, logger);
  }

  private get scripts(): ScriptedRedis {
    return this.client as unknown as ScriptedRedis;
  }

  async recordMeasurement(m: EcgMeasurement): Promise<void> {
    const k = this.keys;
    await this.scripts.recordMeasurement(
      k.bed(m.bed_id), k.trend(m.bed_id), k.trendValues(m.bed_id), k.beds(),
      JSON.stringify(m), m.window_id, m.window_start_ms, m.bed_id, TREND_RETENTION_MS, this.config.maxTrendPoints, k.measurementChannel(),
      JSON.stringify(toTrendPoint(m)),
    );
  }

  async listBeds(): Promise<BedSnapshot[]> {
    const ids = (await this.client.smembers(this.keys.beds())).sort(naturalCompare);
    const snapshots = await Promise.all(ids.map((id) => this.getBed(id)));
    return snapshots.filter((s): s is BedSnapshot => s !== null);
  }

  async getBed(bedId: string): Promise<BedSnapshot | null> {
    const [isMember, fields] = await Promise.all([this.client.sismember(this.keys.beds(), bedId), this.client.hgetall(this.keys.bed(bedId))]);
    if (!isMember) return null;
    const alertIds = Object.keys(fields).filter((f) => f.startsWith('alert:')).map((f) => f.slice('alert:'.length));
    const alerts = (await this.loadAlerts(alertIds)).filter(isActiveAlert).sort((a, b) => b.raised_ms - a.raised_ms);
    return { bed_id: bedId, latest: fields.latest ? (JSON.parse(fields.latest) as EcgMeasurement) : null, active_alerts: alerts };
  }

  async trend(bedId: string, sinceMs: number, limit = this.config.maxTrendPoints): Promise<EcgMeasurement[]> {
    if (limit <= 0) return [];
    const values = await this.scripts.readTrend(this.keys.trend(bedId), this.keys.trendValues(bedId), sinceMs, Math.floor(limit));
    return values.map((v) => JSON.parse(v) as EcgMeasurement);
  }

  onMeasurement(listener: (m: EcgMeasurement) => void): Promise<Unsubscribe> {
    return this.listen(this.keys.measurementChannel(), (payload) => listener(JSON.parse(payload) as EcgMeasurement));
  }

  async saveAlertEvent(alert: Alert): Promise<boolean> {
    const k = this.keys;
    const stored = await this.scripts.saveAlertEvent(
      k.alertEvent(alert.event_id), k.alert(alert.alert_id), k.bed(alert.bed_id), k.alerts(), k.bedAlerts(alert.bed_id), k.beds(), k.alertStream(),
      JSON.stringify(alert), alert.alert_id, alert.state, alert.bed_id, alert.raised_ms, alert.updated_ms, this.config.eventDedupTtlMs,
      isActiveAlert(alert) ? 1 : 0, k.alertChannel(), this.config.alertStreamMaxLen, this.config.clearedAlertRetentionMs,
    );
    return stored === 1;
  }

  async getAlert(alertId: string): Promise<Alert | null> {
    const data = await this.client.hget(this.keys.alert(alertId), 'data');
    return data ? (JSON.parse(data) as Alert) : null;
  }

  async listAlerts(query: AlertQuery): Promise<Alert[]> {
    const limit = query.limit ?? 500;
    if (limit <= 0) return [];
    const index = query.bed_id ? this.keys.bedAlerts(query.bed_id) : this.keys.alerts();
    const matches: Alert[] = [];
    // Pages newest-raised first until enough alerts match; ids whose alert expired are removed from the index.
    for (let start = 0; matches.length < limit; start += ALERT_PAGE) {
      const ids = await this.client.zrevrange(index, start, start + ALERT_PAGE - 1);
      if (ids.length === 0) break;
      const data = await this.client.pipeline(ids.map((id) => ['hget', this.keys.alert(id), 'data'])).exec();
      const expired: string[] = [];
      data?.forEach(([, value], i) => {
        if (typeof value !== 'string') return void expired.push(ids[i]);
        const alert = JSON.parse(value) as Alert;
        if (query.since_ms !== undefined && alert.updated_ms < query.since_ms) return;
        if (query.state && (query.state === 'active' ? !isActiveAlert(alert) : alert.state !== query.state)) return;
        matches.push(alert);
      });
      if (expired.length) {
        await this.client.zrem(index, ...expired);
        start -= expired.length;
      }
    }
    return matches.sort(byRaisedDesc).slice(0, limit);
  }

  onAlert(listener: (alert: Alert) => void): Promise<Unsubscribe> {
    return this.listen(this.keys.alertChannel(), (payload) => listener(JSON.parse(payload) as Alert));
  }

  async loadBedState<T>(bedId: string, namespace: string): Promise<T | null> {
    const value = await this.client.get(this.keys.bedState(bedId, namespace));
    return value === null ? null : (JSON.parse(value) as T);
  }

  async saveBedState<T>(bedId: string, namespace: string, value: T): Promise<void> {
    await this.client.set(this.keys.bedState(bedId, namespace), JSON.stringify(value));
  }

  async markOnce(namespace: string, id: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.round(ttlMs));
    return (await this.client.set(this.keys.mark(namespace, id), '1', 'PX', ttl, 'NX')) === 'OK';
  }

  async isReady(): Promise<boolean> {
    if (this.closed || this.client.status !== 'ready') return false;
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await Promise.allSettled([this.subscriber?.quit(), this.client.quit()]);
  }

  private async loadAlerts(alertIds: string[]): Promise<Alert[]> {
    if (alertIds.length === 0) return [];
    const values = await this.client.pipeline(alertIds.map((id) => ['hget', this.keys.alert(id), 'data'])).exec();
    return (values ?? []).flatMap(([, value]) => (typeof value === 'string' ? [JSON.parse(value) as Alert] : []));
  }

  private async listen(channel: string, deliver: (payload: string) => void): Promise<Unsubscribe> {
    if (this.closed) throw new Error('the Redis state store is closed');
    const subscriber = this.subscriberConnection();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await subscriber.subscribe(channel);
    }
    const guarded = (payload: string) => {
      try {
        deliver(payload);
      } catch (error) {
        this.logger.error({ channel, error: (error as Error).message }, 'Pub/Sub listener failed');
      }
    };
    set.add(guarded);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(guarded) || current.size > 0) return;
      this.listeners.delete(channel);
      if (!this.closed) await subscriber.unsubscribe(channel);
    };
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      // A connection in subscriber mode cannot run other commands, hence a second one.
      this.subscriber = watchErrors(new Redis(this.config.url, { ...connectionOptions(this.config), lazyConnect: false }), this.config, this.logger, 'subscriber');
      this.subscriber.on('message', (channel: string, payload: string) => this.listeners.get(channel)?.forEach((deliver) => deliver(payload)));
    }
    return this.subscriber;
  }
}

function connectionOptions(config: RedisConfig): RedisOptions {
  const options: RedisOptions = {
    lazyConnect: true,
    connectTimeout: config.connectTimeoutMs,
    maxRetriesPerRequest: 2,
    // How long a closing socket may linger (ioredis waits 2 s by default, which delays shutdown).
    disconnectTimeout: 200,
    // Bounded exponential backoff, retrying for as long as the process lives.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), config.maxReconnectDelayMs),
  };
  if (config.tls) options.tls = { ...(config.tls.ca ? { ca: [config.tls.ca] } : {}), rejectUnauthorized: config.tls.rejectUnauthorized };
  return options;
}

/** Logs connection errors once per distinct message rather than once per reconnect attempt. */
function watchErrors(client: Redis, config: RedisConfig, logger: StoreLogger, role: string): Redis {
  let last = '';
  client.on('error', (error: Error) => {
    if (error.message !== last) logger.warn({ role, url: redactRedisUrl(config.url), error: error.message }, 'Redis connection error');
    last = error.message;
  });
  client.on('ready', () => (last = ''));
  return client;
}

/** RedisStateStore from environment variables (see redisConfigFromEnv). */
export async function createRedisStateStore(env: Record<string, string | undefined> = process.env, logger: StoreLogger = SILENT): Promise<RedisStateStore> {
  const config = redisConfigFromEnv(env);
  logger.info({ url: redactRedisUrl(config.url), keyPrefix: config.keyPrefix }, 'connecting to Redis');
  return RedisStateStore.connect(config, logger);
}
