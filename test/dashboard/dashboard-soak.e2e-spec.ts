import type { CDPSession, Page } from 'playwright-core';
import type { RunningApp } from '@aicrn/nest-platform';
import { describeWithChromium, launchChromium, Chromium } from './browser';
import { eventually } from '../support/eventually';
import { getJson, startDashboardApp } from './dashboard-app';

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

/** Newest window end shown on any tile, from the page's own text (HH:MM:SS). */
function newestTileTimes(page: Page): Promise<string[]> {
  return page.$$eval('a.tile .updated', (els) => els.map((e) => e.textContent ?? ''));
}

describeWithChromium('dashboard soak: 32 beds for 10 minutes', () => {
  let running: RunningApp;
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
    let lastTimes = await newestTileTimes(page);
    let stalledSamples = 0;
    while (Date.now() - startedMs < SOAK_MS) {
      await page.waitForTimeout(SAMPLE_EVERY_MS);
      samples.push(await sample(cdp, startedMs));
      const times = await newestTileTimes(page);
      // Every 30 s each bed has sent about three windows: the tiles must have moved on.
      const moved = times.filter((t, i) => t !== lastTimes[i]).length;
      if (moved < BEDS * 0.9) stalledSamples++;
      lastTimes = times;
    }
    process.stderr.write(
      `dashboard soak (${BEDS} beds, ${Math.round(SOAK_MS / 1000)} s):\n${samples
        .map((s) => `  t=${s.atS}s heap=${(s.heapUsedBytes / 1048576).toFixed(2)} MiB nodes=${s.nodes} listeners=${s.listeners}`)
        .join('\n')}\n`,
    );

    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(stalledSamples).toBe(0);
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
