import type { CDPSession, Page } from 'playwright-core';
import { describeWithChromium, launchChromium, Chromium } from './browser';
import { eventually } from '../support/eventually';
import { DashboardUnderTest, getJson, startDashboardApp } from './dashboard-app';

const BEDS = 32;
const SOAK_MS = Number(process.env.DASHBOARD_SOAK_MS ?? 10 * 60_000);
const SAMPLE_EVERY_MS = 30_000;
/** Growth allowed from the first sample after warm-up to the largest later one (garbage collected before each sample). */
const MAX_HEAP_GROWTH_BYTES = 4 * 1024 * 1024;

jest.setTimeout(SOAK_MS + 5 * 60_000);

interface Sample {
  atS: number;
  heapUsedBytes: number;
  nodes: number;
  listeners: number;
}

async function sample(cdp: CDPSession, startedMs: number): Promise<Sample> {
  // Only what survives a collection counts: garbage waiting for the next GC is not growth.
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { atS: Math.round((Date.now() - startedMs) / 1000), heapUsedBytes: metric('JSHeapUsedSize'), nodes: metric('Nodes'), listeners: metric('JSEventListeners') };
}

/** End of the window each tile shows (ms), by bed, from the tiles' machine-readable datetime. */
async function tileWindowEnds(page: Page): Promise<Map<string, number>> {
  const rows = await page.$$eval('a.tile', (els) =>
    els.map((e) => [e.getAttribute('data-bed-id') ?? '', e.querySelector('time.updated')?.getAttribute('datetime') ?? ''] as const),
  );
  return new Map(rows.map(([bed, iso]) => [bed, iso ? Date.parse(iso) : NaN]));
}

/** End of each bed's latest measured window (ms), as the server has it. */
async function serverWindowEnds(url: string): Promise<Map<string, number>> {
  const { beds } = await getJson<{ beds: Array<{ bed_id: string; latest: { window_end_ms: number } | null }> }>(`${url}/api/beds`);
  return new Map(beds.map((b) => [b.bed_id, b.latest?.window_end_ms ?? NaN]));
}

describeWithChromium('dashboard soak: 32 beds for 10 minutes', () => {
  let running: DashboardUnderTest;
  let browser: Chromium;

  beforeAll(async () => {
    running = await startDashboardApp({ SIM_BEDS: String(BEDS) });
    await eventually(`${BEDS} beds with a measurement`, async () => {
      const { beds } = await getJson<{ beds: Array<{ latest: unknown }> }>(`${running.url}/api/beds`);
      return beds.filter((b) => b.latest).length === BEDS;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    browser = await launchChromium({ width: 1920, height: 1080 });
  });

  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
  });

  it('keeps updating the ward without the page memory growing without bound', async () => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${running.url}/`);
    await page.waitForFunction((n) => document.querySelectorAll('a.tile').length === n, BEDS);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');

    const startedMs = Date.now();
    const samples: Sample[] = [];
    const firstShown = await tileWindowEnds(page);
    // A tile lags when the server has a window more than two windows (20 s) newer than the one it shows.
    // The page is read before the server, so one window arriving in between is not a lag. Comparing with
    // the server, not the wall clock, keeps a machine-wide stall (which also holds the pipeline) from
    // reading as a dashboard that stopped updating.
    const laggingPerSample: number[] = [];
    while (Date.now() - startedMs < SOAK_MS) {
      await page.waitForTimeout(SAMPLE_EVERY_MS);
      samples.push(await sample(cdp, startedMs));
      const shown = await tileWindowEnds(page);
      const server = await serverWindowEnds(running.url);
      laggingPerSample.push([...server].filter(([bed, endMs]) => !(endMs - (shown.get(bed) ?? NaN) <= 20_000)).length);
    }
    const lastShown = await tileWindowEnds(page);
    const elapsedMs = Date.now() - startedMs;
    // The ward kept moving: each tile advanced by most of the soak (the simulator sends a window per 10 s).
    const advancedMs = [...lastShown].map(([bed, endMs]) => endMs - (firstShown.get(bed) ?? NaN));
    const leastAdvancedMs = Math.min(...advancedMs); // NaN if a tile lost its time
    process.stderr.write(
      `dashboard soak (${BEDS} beds, ${Math.round(SOAK_MS / 1000)} s):\n${samples
        .map((s) => `  t=${s.atS}s heap=${(s.heapUsedBytes / 1048576).toFixed(2)} MiB nodes=${s.nodes} listeners=${s.listeners}`)
        .join('\n')}\n  tiles lagging the server per sample: ${laggingPerSample.join(' ')}; least advanced tile ${Math.round(leastAdvancedMs / 1000)} s of ${Math.round(elapsedMs / 1000)} s\n`,
    );

    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(laggingPerSample.filter((n) => n > BEDS * 0.1)).toEqual([]);
    expect(advancedMs.length).toBe(BEDS);
    expect(leastAdvancedMs).toBeGreaterThan(elapsedMs * 0.5);
    // Warm-up: the sparkline histories fill and the JIT settles in the first samples.
    const warm = samples[Math.min(2, samples.length - 2)];
    const later = samples.slice(samples.indexOf(warm) + 1);
    const peak = Math.max(...later.map((s) => s.heapUsedBytes));
    expect(peak - warm.heapUsedBytes).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    // The DOM does not grow either: tiles are updated in place.
    expect(Math.max(...later.map((s) => s.nodes))).toBeLessThan(warm.nodes * 1.1 + 50);
    expect(Math.max(...later.map((s) => s.listeners))).toBeLessThanOrEqual(warm.listeners + 10);
    expect(errors).toEqual([]);
  });
});
