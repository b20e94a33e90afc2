import Redis from 'ioredis';
import { describeWithRedis } from '../../../../../test/infra';
import { BENCH_LEASE_TTL_MS, benchKeyPrefix, BenchRedis } from './bench-redis';

describeWithRedis('BenchRedis', (redis) => {
  let raw: Redis;
  beforeEach(() => {
    raw = new Redis(redis().url);
  });
  afterEach(() => raw.disconnect());

  it('deletes the keys of runs killed before their cleanup, and only those, then holds its own lease', async () => {
    const killed = benchKeyPrefix();
    const running = benchKeyPrefix();
    const unrelated = `bed-state-${benchKeyPrefix()}`;
    await raw.hset(`${killed}bed:bed-01`, 'hr_bpm', '72');
    await raw.xadd(`${killed}ecg:alerts:stream`, '*', 'id', 'a-1');
    await raw.set(`${running}lease`, '1', 'PX', BENCH_LEASE_TTL_MS);
    await raw.hset(`${running}bed:bed-01`, 'hr_bpm', '80');
    await raw.set(unrelated, 'kept');

    const bench = await BenchRedis.connect(redis().url);
    try {
      const swept = await bench.begin();
      expect(swept.runs).toBeGreaterThanOrEqual(1);
      expect(swept.keys).toBeGreaterThanOrEqual(2);
      expect(await raw.exists(`${killed}bed:bed-01`, `${killed}ecg:alerts:stream`)).toBe(0);
      expect(await raw.hget(`${running}bed:bed-01`, 'hr_bpm')).toBe('80');
      expect(await raw.get(unrelated)).toBe('kept');
      const ttl = await raw.pttl(`${bench.keyPrefix}lease`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(BENCH_LEASE_TTL_MS);
    } finally {
      await bench.removeKeys();
      bench.close();
      await raw.del(`${running}lease`, `${running}bed:bed-01`, unrelated);
    }
  });

  it('removes every key of its own run, lease included', async () => {
    const bench = await BenchRedis.connect(redis().url);
    try {
      await bench.begin();
      await raw.hset(`${bench.keyPrefix}bed:bed-02`, 'qt_ms', '400');
      await raw.set(`${bench.keyPrefix}alert:1`, '{}');
      expect(await bench.removeKeys()).toBe(2);
      expect(await raw.keys(`${bench.keyPrefix}*`)).toEqual([]);
    } finally {
      bench.close();
    }
  });
});
