import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows a burst of perMinute, then refuses until tokens refill at perMinute/60 per second', () => {
    let t = 0;
    const limiter = new RateLimiter({ perMinute: 60, now: () => t });
    for (let i = 0; i < 60; i++) expect(limiter.take('a').allowed).toBe(true);
    const refused = limiter.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterMs: 1000 });
    t += 1000;
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0 });
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('keeps clients apart', () => {
    const limiter = new RateLimiter({ perMinute: 1, now: () => 0 });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('forgets the least recently seen client beyond maxClients (bounded memory)', () => {
    const limiter = new RateLimiter({ perMinute: 1, maxClients: 2, now: () => 0 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a');
    limiter.take('c');
    expect(limiter.trackedClients).toBe(2);
    // b was evicted, so it starts with a full bucket; a was kept and is still empty.
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('rejects a nonsensical rate', () => {
    expect(() => new RateLimiter({ perMinute: 0 })).toThrow(/perMinute/);
  });
});
