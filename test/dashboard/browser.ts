import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium; CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Offline, reproducible Chromium: no sync, updates or background traffic that could reach the internet. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** describe, or describe.skip with one clear line when Chromium is not installed. */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  process.stderr.write(`${name}: skipped, no Chromium at ${CHROMIUM_PATH} (install the chromium package or set CHROMIUM_PATH)\n`);
  describe.skip(name, body);
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile directory. Playwright takes the profile directory as the
 * persistent-context argument (it rejects --user-data-dir in args), which is the same flag underneath.
 */
export async function launchChromium(viewport = { width: 1600, height: 1000 }): Promise<Chromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'aicrn-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
