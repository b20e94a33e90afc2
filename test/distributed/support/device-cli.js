#!/usr/bin/env node
'use strict';
// Runs the compiled `aicrn simulate` / `aicrn replay` commands on their own, so the distributed tests
// exercise the real device-side CLI in a separate process whether or not the CLI index wires them in.
require('reflect-metadata');
const path = require('node:path');
const { Command } = require('commander');

const commands = path.resolve(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'src', 'commands');
const program = new Command('aicrn').exitOverride();
require(path.join(commands, 'simulate.command.js')).registerSimulateCommand(program);
require(path.join(commands, 'replay.command.js')).registerReplayCommand(program);
program.parseAsync(process.argv).catch((error) => {
  if (typeof error.exitCode === 'number') process.exitCode = error.exitCode;
  else {
    process.stderr.write(`aicrn: ${error.message}\n`);
    process.exitCode = 1;
  }
});
