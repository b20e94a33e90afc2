import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { redactRedisUrl } from '@aicrn/redis';

export const DEFAULT_BENCH_REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix no other run uses, so the benchmark never reads or overwrites anyone's data. */
export function benchKeyPrefix(): string {
  return `aicrn-bench-${randomBytes(4).toString('hex')}:`;
}

/**
 * The Redis of one distributed benchmark run: reachable before any app starts, every key under a
 * prefix of this run, and those keys (only those) deleted at the end.
 */
export class BenchRedis {
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

  get description(): string {
    return `${redactRedisUrl(this.url)}, key prefix ${this.keyPrefix}`;
  }

  /** Redis variables for the apps. */
  get env(): Record<string, string> {
    return { REDIS_URL: this.url, REDIS_KEY_PREFIX: this.keyPrefix };
  }

  /** Deletes every key of this run (call after the apps have stopped); returns how many. */
  async removeKeys(): Promise<number> {
    let removed = 0;
    // The prefix is [a-z0-9-] and ':', so it has no glob characters to escape.
    for await (const keys of this.client.scanStream({ match: `${this.keyPrefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length) removed += await this.client.unlink(...keys);
    }
    return removed;
  }

  close(): void {
    this.client.disconnect();
  }
}
