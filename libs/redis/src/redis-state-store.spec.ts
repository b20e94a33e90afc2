import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { describeWithRedis } from '../../../test/infra';
import { describeStateStoreContract } from '../../state/src/testing/state-store-contract';
import { alertEvent, measurementAt } from '@aicrn/contracts/testing';
import { REDIS_DEFAULTS, RedisConfig } from './redis-config';
import { RedisStateStore } from './redis-state-store';

describeWithRedis('RedisStateStore', (redis) => {
  // A fresh key prefix per store: tests stay independent even on a shared Redis (REDIS_URL).
  const config = (overrides: Partial<RedisConfig> = {}): RedisConfig => ({ ...REDIS_DEFAULTS, url: redis().url, keyPrefix: `test:${randomUUID()}:`, ...overrides });

  describeStateStoreContract('redis', () => RedisStateStore.connect(config()));

  describe('Redis layout', () => {
    let store: RedisStateStore;
    let raw: Redis;
    let prefix: string;
    beforeEach(async () => {
      const c = config();
      prefix = c.keyPrefix;
      store = await RedisStateStore.connect(c);
      raw = new Redis(redis().url);
    });
    afterEach(async () => {
      await store.close();
      raw.disconnect();
    });

    it('appends every alert event to the durable stream and keeps the bed hash', async () => {
      const raised = alertEvent('bed-1', 'qtc_prolonged', 'raised', 0);
      await store.saveAlertEvent(raised);
      await store.saveAlertEvent(raised);
      await store.saveAlertEvent(alertEvent('bed-1', 'qtc_prolonged', 'cleared', 1));
      const entries = await raw.xrange(`${prefix}ecg:alerts:stream`, '-', '+');
      expect(entries.map(([, fields]) => JSON.parse(fields[1]).state)).toEqual(['raised', 'cleared']);
      await store.recordMeasurement(measurementAt('bed-1', 1));
      expect(JSON.parse((await raw.hget(`${prefix}ecg:bed:bed-1`, 'latest'))!)).toEqual(measurementAt('bed-1', 1));
      expect(await raw.sismember(`${prefix}ecg:beds`, 'bed-1')).toBe(1);
      // A cleared alert expires eventually; an active one never does.
      expect(await raw.pttl(`${prefix}ecg:alert:${raised.alert_id}`)).toBeGreaterThan(0);
      await store.saveAlertEvent(alertEvent('bed-1', 'hr_high', 'raised', 0));
      expect(await raw.pttl(`${prefix}ecg:alert:bed-1:hr_high:${raised.onset_ms}`)).toBe(-1);
    });

    it('forgets alert ids whose alert expired', async () => {
      const cleared = alertEvent('bed-1', 'hr_low', 'cleared', 0);
      await store.saveAlertEvent(cleared);
      await raw.del(`${prefix}ecg:alert:${cleared.alert_id}`);
      expect(await store.listAlerts({})).toEqual([]);
      expect(await raw.zcard(`${prefix}ecg:alerts:index`)).toBe(0);
    });

    it('caps the trend at maxTrendPoints', async () => {
      await store.close();
      store = await RedisStateStore.connect(config({ keyPrefix: prefix, maxTrendPoints: 3 }));
      for (let i = 0; i < 6; i++) await store.recordMeasurement(measurementAt('bed-1', i));
      expect((await store.trend('bed-1', 0)).map((m) => m.window_id)).toEqual([3, 4, 5].map((i) => `bed-1:dev:${i}`));
      expect(await raw.hlen(`${prefix}ecg:trendval:bed-1`)).toBe(3);
    });

    it('reports not ready after close and fails clearly on an unreachable server', async () => {
      expect(await store.isReady()).toBe(true);
      await store.close();
      expect(await store.isReady()).toBe(false);
      await expect(RedisStateStore.connect(config({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 300 }))).rejects.toThrow(/cannot connect to Redis at redis:\/\/127.0.0.1:1/);
    });
  });
});
