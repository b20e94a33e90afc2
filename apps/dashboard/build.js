// Bundles the central-station dashboard into dist/dashboard/ with esbuild (synchronous, ~100 ms).
// Output: index.html (references the bundle by content hash so the bundle can be cached forever),
// assets/app.js, assets/app.css, assets/icon.svg. Everything is local: the page must work without internet.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const WEB_DIR = path.join('apps', 'dashboard', 'web');
const OUT_DIR = path.join('dist', 'dashboard');

function contentHash(text) {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** Builds the dashboard under `rootDir` (the repository root) and returns the output directory. */
function buildDashboard(rootDir) {
  const esbuild = require('esbuild');
  const web = path.join(rootDir, WEB_DIR);
  const out = path.join(rootDir, OUT_DIR);
  const assets = path.join(out, 'assets');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(assets, { recursive: true });

  const result = esbuild.buildSync({
    // main.ts imports styles.css, so esbuild emits app.css beside app.js.
    entryPoints: { app: path.join(web, 'src', 'main.ts') },
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'iife',
    target: ['chrome109', 'firefox115', 'safari16'],
    outdir: assets,
    entryNames: '[name]',
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
  });
  if (result.errors.length) throw new Error(`dashboard build failed: ${result.errors.map((e) => e.text).join('; ')}`);

  const hashes = {};
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    fs.writeFileSync(path.join(assets, name), file.contents);
    hashes[name] = contentHash(file.contents);
  }
  fs.copyFileSync(path.join(web, 'icon.svg'), path.join(assets, 'icon.svg'));
  hashes['icon.svg'] = contentHash(fs.readFileSync(path.join(assets, 'icon.svg')));

  // Query-string versions: the names stay stable for the server's allowlist, the URL changes with the content.
  const html = fs
    .readFileSync(path.join(web, 'index.html'), 'utf8')
    .replace(/assets\/(app\.js|app\.css|icon\.svg)/g, (match, name) => `${match}?v=${hashes[name]}`);
  fs.writeFileSync(path.join(out, 'index.html'), html);
  return out;
}

module.exports = { buildDashboard };

if (require.main === module) {
  const started = Date.now();
  const out = buildDashboard(path.resolve(__dirname, '..', '..'));
  process.stdout.write(`dashboard built in ${Date.now() - started} ms -> ${out}\n`);
}
