import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What building the mock cluster needs: a C compiler and librdkafka's headers (with rdkafka_mock.h) and library. */
export const MOCK_CLUSTER_APT_PACKAGES = ['gcc', 'librdkafka-dev'] as const;

// The build copies this file next to the compiled JavaScript (scripts/build.js copies non-TS assets).
const SOURCE = join(__dirname, 'mock_cluster.c');
const MOCK_HEADER = '/usr/include/librdkafka/rdkafka_mock.h';
const INSTALL_HINT = `apt-get install ${MOCK_CLUSTER_APT_PACKAGES.join(' ')}`;

let compiled: { binary: string } | { error: string } | undefined;

/**
 * node_modules/.cache/aicrn of the checkout (the same directory from libs/ under Jest and from dist/),
 * else a per-user temporary directory.
 */
function cacheDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'aicrn');
  }
  return join(tmpdir(), `aicrn-cache-${process.getuid?.() ?? 'user'}`);
}

/**
 * Compiles the mock-cluster program once per source version (synchronous: Jest decides whether to
 * skip a suite while collecting it). Concurrent processes each compile to a temporary name and
 * rename, so nobody runs a half-written binary. Errors name the apt packages that are missing.
 */
export function mockClusterBinary(): { binary: string } | { error: string } {
  if (compiled) return compiled;
  if (!existsSync(SOURCE)) return (compiled = { error: `${SOURCE} is missing (rebuild with \`npm run build\`)` });
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 12);
  const directory = cacheDir();
  const binary = join(directory, `mock_cluster-${hash}`);
  if (existsSync(binary)) return (compiled = { binary });
  if (!existsSync(MOCK_HEADER)) return (compiled = { error: `${MOCK_HEADER} is missing (${INSTALL_HINT})` });
  mkdirSync(directory, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  const result = spawnSync('gcc', ['-O2', '-Wall', '-o', temporary, SOURCE, '-lrdkafka'], { encoding: 'utf8', timeout: 60_000 });
  if (result.error) return (compiled = { error: `gcc could not run: ${result.error.message} (${INSTALL_HINT})` });
  if (result.status !== 0) return (compiled = { error: `compiling ${SOURCE} failed (${INSTALL_HINT}): ${result.stderr.trim().split('\n').slice(0, 3).join(' | ')}` });
  renameSync(temporary, binary);
  return (compiled = { binary });
}
