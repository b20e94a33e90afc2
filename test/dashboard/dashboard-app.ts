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
