import type { NextFunction, Request, Response } from 'express';

export interface RateLimitOptions {
  /** Sustained requests per minute per client; also the burst a quiet client may spend at once. */
  perMinute: number;
  /** Most clients tracked; beyond it the least recently seen are forgotten (bounded memory under spoofed floods). */
  maxClients?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token bucket per client IP. Neither express-rate-limit nor @nestjs/throttler is installed, and a
 * bucket is a few lines: capacity = perMinute, refilled continuously at perMinute / 60 per second.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    if (!Number.isFinite(options.perMinute) || options.perMinute < 1) throw new RangeError(`perMinute must be >= 1, got ${options.perMinute}`);
    this.refillPerMs = options.perMinute / 60_000;
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one token; returns the tokens left, or the ms until one is available when none is. */
  take(client: string): { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number } {
    const now = this.now();
    const capacity = this.options.perMinute;
    let bucket = this.buckets.get(client);
    if (bucket) {
      bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedMs) * this.refillPerMs);
      bucket.updatedMs = now;
      // Re-insert so Map order is least-recently-seen first, for eviction.
      this.buckets.delete(client);
    } else {
      bucket = { tokens: capacity, updatedMs: now };
      if (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(client, bucket);
    if (bucket.tokens < 1) return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.refillPerMs) };
    bucket.tokens -= 1;
    return { allowed: true, remaining: Math.floor(bucket.tokens) };
  }

  get trackedClients(): number {
    return this.buckets.size;
  }
}

/** Express middleware: 429 JSON with Retry-After when a client's bucket is empty. */
export function rateLimitMiddleware(limiter: RateLimiter, perMinute: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const outcome = limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    res.setHeader('RateLimit-Limit', String(perMinute));
    if (outcome.allowed) {
      res.setHeader('RateLimit-Remaining', String(outcome.remaining));
      return next();
    }
    const retryAfterS = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
    res.setHeader('RateLimit-Remaining', '0');
    res.setHeader('Retry-After', String(retryAfterS));
    res.status(429).json({ statusCode: 429, error: 'Too Many Requests', message: `rate limit of ${perMinute} requests per minute exceeded; retry after ${retryAfterS} s` });
  };
}
