import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ENTRY = 'inference-worker';

/**
 * The worker thread's .js file (`entry`: the module name without extension; the training worker passes its own). Built code (dist/) has it beside this module. Running from TypeScript
 * sources (jest, ts-node) there is only the .ts file, which Node cannot start as a worker, so it is
 * bundled once with esbuild (a dev dependency) into node_modules/.cache, named by content hash.
 */
export function resolveWorkerScript(directory: string = __dirname, entryName: string = ENTRY): string {
  const js = path.join(directory, `${entryName}.js`);
  if (fs.existsSync(js)) return js;
  const ts = path.join(directory, `${entryName}.ts`);
  if (fs.existsSync(ts)) return bundleForSources(ts, entryName);
  throw new Error(`${entryName} script not found: neither ${js} nor ${ts} exists (run npm run build)`);
}

function bundleForSources(entry: string, entryName: string): string {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = require('esbuild');
  } catch {
    throw new Error(`cannot start ${entryName} threads from TypeScript sources without esbuild; run npm run build and use dist/`);
  }
  const root = findPackageRoot(path.dirname(entry));
  const result = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // TensorFlow.js stays a normal dependency so the custom layers register on the one shared copy.
    external: ['@tensorflow/*'],
    tsconfig: path.join(root, 'tsconfig.json'),
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = path.join(root, 'node_modules', '.cache', 'aicrn-model');
  const file = path.join(dir, `${entryName}.${hash}.js`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    // Atomic: parallel test processes may bundle at the same moment.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
    pruneStaleBundles(dir, file, entryName);
  }
  return file;
}

/** Old bundles pile up as the sources change; a day-old one is no longer in use by a running test. */
function pruneStaleBundles(dir: string, keep: string, entryName: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file === keep || !name.startsWith(`${entryName}.`)) continue;
    try {
      if (fs.statSync(file).mtimeMs < dayAgo) fs.unlinkSync(file);
    } catch {
      // Another process pruned it first.
    }
  }
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'node_modules'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package root (package.json + node_modules) above ${start}`);
  }
}
