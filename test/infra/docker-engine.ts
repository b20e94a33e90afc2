import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

let cached: { available: boolean; reason: string } | undefined;

/**
 * Whether a Docker engine answers /_ping within 1.5 s. Synchronous (Jest decides to skip a suite
 * while collecting it) and bounded: a missing socket answers at once, a hung one times out.
 * AICRN_TEST_CONTAINERS=0 skips the probe.
 */
export function dockerEngine(): { available: boolean; reason: string } {
  if (cached) return cached;
  cached = probe();
  return cached;
}

function probe(): { available: boolean; reason: string } {
  if (process.env.AICRN_TEST_CONTAINERS === '0') return { available: false, reason: 'AICRN_TEST_CONTAINERS=0' };
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  let target: string;
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!existsSync(socketPath)) return { available: false, reason: `no Docker engine socket at ${socketPath}` };
    target = JSON.stringify({ socketPath, path: '/_ping' });
  } else if (host.startsWith('tcp://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    target = JSON.stringify({ host: url.hostname, port: Number(url.port || 2375), path: '/_ping' });
  } else {
    return { available: false, reason: `unsupported DOCKER_HOST ${host}` };
  }
  const script = `require('http').get(${target}, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))`;
  const result = spawnSync(process.execPath, ['-e', script], { timeout: 1_500, stdio: 'ignore' });
  if (result.status === 0) return { available: true, reason: `Docker engine at ${host}` };
  return { available: false, reason: `Docker engine at ${host} did not answer /_ping` };
}
