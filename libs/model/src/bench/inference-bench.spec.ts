import { benchInference } from './inference-bench';

describe('benchInference', () => {
  it.each(['split', 'whole'] as const)('reports throughput and batch latency with placement %s', async (placement) => {
    const result = await benchInference({ preset: 'serving', batch: 2, workers: 2, seconds: 0.5, backend: 'wasm', placement });
    expect(result).toMatchObject({ preset: 'serving', backend: 'wasm', workers: 2, batch: 2, placement });
    expect(result.batches).toBeGreaterThan(0);
    expect(result.windows_per_s).toBeGreaterThan(0);
    expect(result.batch_ms_p99).toBeGreaterThanOrEqual(result.batch_ms_p50);
    // ms per window is the batch's wall time over its windows.
    expect(result.ms_per_window_p50).toBeCloseTo(result.batch_ms_p50 / 2, -1);
  }, 60_000);
});
