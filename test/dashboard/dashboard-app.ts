import 'reflect-metadata';
import { join } from 'node:path';
import { startApp, RunningApp } from '@aicrn/nest-platform';
import { embeddedFeatures } from '../../apps/embedded/src/embedded.features';

const { buildDashboard } = require('../../apps/dashboard/build.js') as { buildDashboard(root: string): string };

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The embedded pipeline with its simulated beds, serving the freshly built dashboard, on a free port.
 * The bundle is rebuilt first (about 0.2 s) so the browser tests exercise the current web sources.
 */
export async function startDashboardApp(env: Record<string, string>): Promise<RunningApp> {
  buildDashboard(REPO_ROOT);
  return startApp('embedded', embeddedFeatures, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Polls a condition of the server (not the page) until it holds. A failing probe counts as "not yet"
 * (a busy server may reset a connection while starting); the timeout names what was awaited and the last error.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
