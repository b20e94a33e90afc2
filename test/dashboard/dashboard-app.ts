import { join } from 'node:path';
import { AppProcess } from '../distributed/support/app-process';

const { buildDashboard } = require('../../apps/dashboard/build.js') as { buildDashboard(root: string): string };

export const REPO_ROOT = join(__dirname, '..', '..');

/** The running embedded app as the browser tests see it: its URL, and a way to stop it. */
export interface DashboardUnderTest {
  url: string;
  app: { close(): Promise<void> };
}

/**
 * The embedded pipeline with its simulated beds, serving the freshly built dashboard, on a free port.
 * The bundle is rebuilt first (about 0.2 s) so the browser tests exercise the current web sources.
 * It runs as `npm start` runs it, from the compiled app in its own process: inside Jest's module sandbox
 * the simulator's floating-point loops run many times slower (Math calls in a vm context), and 32 beds of
 * windows would then starve the event loop the HTTP server and the measurements share.
 */
export async function startDashboardApp(env: Record<string, string>): Promise<DashboardUnderTest> {
  buildDashboard(REPO_ROOT);
  const embedded = await AppProcess.start('embedded', { LOG_LEVEL: 'warn', ...env });
  try {
    await embedded.waitUntilReady(30_000);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { url: embedded.url, app: { close: () => embedded.stop() } };
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
