import 'reflect-metadata';
import { join } from 'node:path';
import { startApp, RunningApp } from '@aicrn/nest-platform';
import { AlertingModule } from '../../apps/alerting/src/alerting.module';
import { DashboardModule } from '../../apps/alerting/src/dashboard/dashboard.module';
import { embeddedFeatures } from '../../apps/embedded/src/embedded.features';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildDashboard } = require('../../apps/dashboard/build.js') as { buildDashboard(root: string): string };

export const REPO_ROOT = join(__dirname, '..', '..');

/** True once the lead has imported DashboardModule into AlertingModule; until then the test adds it. */
function alertingServesDashboard(): boolean {
  const imports = (Reflect.getMetadata('imports', AlertingModule) ?? []) as unknown[];
  return imports.includes(DashboardModule);
}

/**
 * The embedded pipeline with its simulated beds, serving the freshly built dashboard, on a free port.
 * The bundle is rebuilt first (about 0.2 s) so the browser tests exercise the current web sources.
 */
export async function startDashboardApp(env: Record<string, string>): Promise<RunningApp> {
  buildDashboard(REPO_ROOT);
  const features = alertingServesDashboard() ? embeddedFeatures : (config: Parameters<typeof embeddedFeatures>[0]) => [...embeddedFeatures(config), DashboardModule];
  return startApp('embedded', features, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Polls a condition of the server (not the page) until it holds; the failure names what was awaited. */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
