#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { registerCommands } from './commands';

/** `aicrn`: every command has --help; with --json, stdout carries only machine-readable output. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('aicrn')
    .description('AICRN Telemetry: real-time ECG measurement and alerting')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const { exitCode, code } = error as { exitCode?: number; code?: string };
    if (typeof exitCode === 'number') {
      // Commander already printed the message; a usage error is bad input (2), --help is success.
      process.exitCode = exitCode !== 0 && code?.startsWith('commander.') ? 2 : exitCode;
      return;
    }
    process.stderr.write(`aicrn: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main(process.argv);
