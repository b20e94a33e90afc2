import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'aicrn', 'children');

/**
 * Bundles a TypeScript entry (with the @aicrn/* path aliases) into one CommonJS file that a child
 * process can run, for tests that must kill a real process. The file is named by its content hash
 * and written by rename, so parallel Jest workers share it safely and reruns add no files. The
 * contracts' Avro schemas are read relative to the bundle, so they are copied beside it.
 */
export function bundleChild(entry: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const result = buildSync({ entryPoints: [entry], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node20', tsconfig: join(ROOT, 'tsconfig.json'), logLevel: 'error' });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  const outfile = join(OUT_DIR, `${basename(entry, '.ts')}-${hash}.js`);
  if (!existsSync(outfile)) {
    const temporary = `${outfile}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, outfile);
  }
  cpSync(join(ROOT, 'libs', 'contracts', 'src', 'schemas'), join(OUT_DIR, 'schemas'), { recursive: true });
  return outfile;
}
