#!/usr/bin/env node
// Compiles apps/ and libs/ to dist/ with swc (fast enough to run on every `npm ci` via `prepare`)
// and bundles the dashboard. Non-TypeScript assets (.avsc schemas, model weights) are copied.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(bin('swc'), ['apps', 'libs', '-d', 'dist', '--copy-files', '--quiet'], { cwd: root, stdio: 'inherit' });

const dashboard = path.join(root, 'apps', 'dashboard', 'build.js');
if (fs.existsSync(dashboard)) require(dashboard).buildDashboard(root);
