import { sampleMeasurement } from '@aicrn/contracts/testing';
import { MemoryStateStore } from './memory-state-store';
import { describeStateStoreContract } from './testing';
import { TREND_RETENTION_MS } from './state-store';

describeStateStoreContract('MemoryStateStore', () => new MemoryStateStore());

describe('MemoryStateStore retention', () => {
  it('keeps 24 h of trend per bed and drops older points', async () => {
    const store = new MemoryStateStore();
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 0; i <= 8640 + 30; i++) {
      const start = t0 + i * 10_000;
      await store.recordMeasurement(sampleMeasurement({ window_id: `w${i}`, window_start_ms: start, window_end_ms: start + 10_000 }));
    }
    const kept = await store.trend('bed-01', 0);
    expect(kept[kept.length - 1].window_id).toBe('w8670');
    expect(kept[kept.length - 1].window_start_ms - kept[0].window_start_ms).toBeLessThanOrEqual(TREND_RETENTION_MS);
  });

  it('treats a re-recorded window as the same point, not a new one', async () => {
    const store = new MemoryStateStore();
    await store.recordMeasurement(sampleMeasurement({ hr_bpm: 70 }));
    await store.recordMeasurement(sampleMeasurement({ hr_bpm: 71 }));
    const trend = await store.trend('bed-01', 0);
    expect(trend.map((m) => m.hr_bpm)).toEqual([71]);
  });
});
