#!/usr/bin/env node
'use strict';
// The package bin: runs the compiled CLI (dist/ is built by `npm ci` through the `prepare` script).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('aicrn: not built yet; run `npm run build` (npm ci does this automatically)\n');
  process.exit(1);
}
require(entry).main(process.argv);
