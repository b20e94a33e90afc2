import { RedisConfigError, redactRedisUrl, redisConfigFromEnv } from './redis-config';

describe('redisConfigFromEnv', () => {
  it('accepts redis:// and rediss:// with a password', () => {
    expect(redisConfigFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379/2' })).toMatchObject({ url: 'redis://127.0.0.1:6379/2', keyPrefix: '' });
    expect(redisConfigFromEnv({ REDIS_URL: 'rediss://:pw@cache.example:6380', REDIS_KEY_PREFIX: 'prod:' })).toMatchObject({ keyPrefix: 'prod:' });
  });

  it('names every problem', () => {
    expect(() => redisConfigFromEnv({})).toThrow(RedisConfigError);
    expect(() => redisConfigFromEnv({})).toThrow(/REDIS_URL is required/);
    expect(() => redisConfigFromEnv({ REDIS_URL: 'http://x:1' })).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => redisConfigFromEnv({ REDIS_URL: 'redis://x:1/abc' })).toThrow(/database must be a number/);
    expect(() => redisConfigFromEnv({ REDIS_URL: 'redis://x:1', REDIS_TLS_CA_FILE: '/nope.pem' })).toThrow(/not rediss:\/\/.*cannot be read/);
  });

  it('never shows the password', () => {
    expect(redactRedisUrl('rediss://user:s3cret@host:6380/0')).toBe('rediss://user:[redacted]@host:6380/0');
    expect(redactRedisUrl('redis://:s3cret@host')).toBe('redis://:[redacted]@host');
    let message = '';
    try {
      redisConfigFromEnv({ REDIS_URL: 'redis://:s3cret@host:99999999' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('s3cret');
  });
});
