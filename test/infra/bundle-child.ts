import { buildSync } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'aicrn', 'children');

/**
 * Bundles a TypeScript entry (with the @aicrn/* path aliases) into one CommonJS file that a child
 * process can run, for tests that must kill a real process. The contracts' Avro schemas are read
 * relative to the bundle, so they are copied beside it.
 */
export function bundleChild(entry: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = join(OUT_DIR, `${basename(entry, '.ts')}-${process.pid}.js`);
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', tsconfig: join(ROOT, 'tsconfig.json'), logLevel: 'error' });
  cpSync(join(ROOT, 'libs', 'contracts', 'src', 'schemas'), join(OUT_DIR, 'schemas'), { recursive: true });
  return outfile;
}
