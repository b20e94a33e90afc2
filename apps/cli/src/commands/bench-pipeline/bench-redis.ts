import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { redactRedisUrl } from '@aicrn/redis';

export const DEFAULT_BENCH_REDIS_URL = 'redis://127.0.0.1:6379';

const BENCH_PREFIX_PATTERN = 'aicrn-bench-*';

/** A key prefix no other run uses, so the benchmark never reads or overwrites anyone's data. */
export function benchKeyPrefix(): string {
  return `aicrn-bench-${randomBytes(4).toString('hex')}:`;
}

/** A live run holds `<prefix>lease`; it expires this long after the run stopped renewing it (killed, crashed). */
export const BENCH_LEASE_TTL_MS = 30_000;
const LEASE_KEY = 'lease';

/**
 * The Redis of one distributed benchmark run: reachable before any app starts, every key under a
 * prefix of this run, and those keys (only those) deleted at the end. A run that cannot clean up
 * (SIGKILL, power loss) leaves its keys behind without a lease; the next run deletes them.
 */
export class BenchRedis {
  private leaseTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly client: Redis,
    readonly url: string,
    readonly keyPrefix: string,
  ) {}

  static async connect(url: string): Promise<BenchRedis> {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000, retryStrategy: () => null });
    // The 'error' event carries the cause (ECONNREFUSED, ...); connect() only says the connection closed.
    let cause: Error | undefined;
    client.on('error', (error: Error) => (cause ??= error));
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      client.disconnect();
      throw new Error(`cannot reach Redis at ${redactRedisUrl(url)}: ${(cause ?? (error as Error)).message} (give --redis-url or REDIS_URL)`);
    }
    return new BenchRedis(client, url, benchKeyPrefix());
  }

  /**
   * Deletes the keys of earlier runs whose lease has expired (they were killed before their own cleanup), then
   * takes this run's lease and renews it until removeKeys(). Returns what was swept.
   */
  async begin(): Promise<{ runs: number; keys: number }> {
    const swept = await this.sweepAbandonedRuns();
    await this.renewLease();
    this.leaseTimer = setInterval(() => void this.renewLease().catch(() => undefined), BENCH_LEASE_TTL_MS / 3);
    this.leaseTimer.unref();
    return swept;
  }

  get description(): string {
    return `${redactRedisUrl(this.url)}, key prefix ${this.keyPrefix}`;
  }

  /** Redis variables for the apps. */
  get env(): Record<string, string> {
    return { REDIS_URL: this.url, REDIS_KEY_PREFIX: this.keyPrefix };
  }

  /** Deletes every key of this run, its lease last (call after the apps have stopped); returns how many, lease excluded. */
  async removeKeys(): Promise<number> {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
    const removed = await this.unlinkPrefix(this.keyPrefix, `${this.keyPrefix}${LEASE_KEY}`);
    await this.client.unlink(`${this.keyPrefix}${LEASE_KEY}`);
    return removed;
  }

  close(): void {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.client.disconnect();
  }

  private async renewLease(): Promise<void> {
    await this.client.set(`${this.keyPrefix}${LEASE_KEY}`, String(process.pid), 'PX', BENCH_LEASE_TTL_MS);
  }

  private async sweepAbandonedRuns(): Promise<{ runs: number; keys: number }> {
    const prefixes = new Set<string>();
    for await (const keys of this.client.scanStream({ match: BENCH_PREFIX_PATTERN, count: 1000 }) as AsyncIterable<string[]>) {
      for (const key of keys) {
        const colon = key.indexOf(':');
        if (colon > 0) prefixes.add(key.slice(0, colon + 1));
      }
    }
    let runs = 0;
    let keys = 0;
    for (const prefix of prefixes) {
      if (prefix === this.keyPrefix || (await this.client.exists(`${prefix}${LEASE_KEY}`)) === 1) continue;
      runs++;
      keys += await this.unlinkPrefix(prefix);
    }
    return { runs, keys };
  }

  private async unlinkPrefix(prefix: string, except?: string): Promise<number> {
    let removed = 0;
    // Prefixes are [a-z0-9-] and ':', so they have no glob characters to escape.
    for await (const keys of this.client.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      const doomed = except === undefined ? keys : keys.filter((key) => key !== except);
      if (doomed.length) removed += await this.client.unlink(...doomed);
    }
    return removed;
  }
}
