import { EcgWindow, TOPICS, windowIdOf } from '@aicrn/contracts';
import { sampleMeasurement } from '@aicrn/contracts/testing';
import { InMemoryBus } from '@aicrn/transport';
import { runPipelineBenchmark } from './pipeline-benchmark';

jest.setTimeout(20_000);

/** A stand-in pipeline: measures every window at once, except that it drops bed-02's and repeats bed-01's. */
async function fakePipeline(bus: InMemoryBus): Promise<void> {
  await bus.subscribe(TOPICS.raw, { groupId: 'fake-pipeline' }, async (batch) => {
    const out = batch
      .map(({ value }) => value as EcgWindow)
      .filter((w) => w.bed_id !== 'bed-02')
      .flatMap((w) => {
        const m = sampleMeasurement({ window_id: windowIdOf(w), bed_id: w.bed_id, window_start_ms: w.start_ms, window_end_ms: w.start_ms + 10_000 });
        return w.bed_id === 'bed-01' ? [m, m] : [m];
      });
    await bus.publish(TOPICS.measurements, out.map((m) => ({ key: m.bed_id, value: m })));
  });
}

describe('runPipelineBenchmark', () => {
  it('publishes staggered real-time windows and counts what comes back: lost, duplicates, latency, memory', async () => {
    const bus = new InMemoryBus();
    await fakePipeline(bus);
    const phases = new Set<string>();
    // 4 beds staggered 2.5 s apart: within 4 s, beds 1 and 2 publish 1 window each (ends at 0 s and 2.5 s).
    const report = await runPipelineBenchmark({ bus, beds: 4, seconds: 4, tickMs: 20, drainTimeoutMs: 600, onProgress: (p) => phases.add(p.phase) });
    await bus.close();
    expect(report).toMatchObject({ beds: 4, seconds: 4, windows_in: 2, windows_measured: 1, lost: 1, duplicates: 1, drained: false });
    expect(report.latency_ms_p50).toBeGreaterThanOrEqual(0);
    expect(report.latency_ms_p50).toBeLessThan(500);
    expect(report.max_rss_mb).toBeGreaterThan(10);
    expect([...phases]).toEqual(['generating', 'running', 'draining']);
  });

  it('stops at once when aborted, closes its subscription and rejects with the reason', async () => {
    const bus = new InMemoryBus();
    await fakePipeline(bus);
    const controller = new AbortController();
    const phases: string[] = [];
    const run = runPipelineBenchmark({ bus, beds: 2, seconds: 60, tickMs: 20, signal: controller.signal, onProgress: (p) => phases.push(p.phase) });
    setTimeout(() => controller.abort(new Error('interrupted')), 300);
    const started = Date.now();
    await expect(run).rejects.toThrow('interrupted');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(phases).toContain('running');
    await bus.close();
  });

  it('rejects nonsensical sizes', async () => {
    await expect(runPipelineBenchmark({ bus: new InMemoryBus(), beds: 0, seconds: 1 })).rejects.toThrow(/beds/);
    await expect(runPipelineBenchmark({ bus: new InMemoryBus(), beds: 1, seconds: -1 })).rejects.toThrow(/seconds/);
  });
});
