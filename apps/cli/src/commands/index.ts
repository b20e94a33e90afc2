import { Command } from 'commander';
import { registerStartCommand } from './start.command';

/** One file per command; each exports `register<Name>Command(program)`. */
export function registerCommands(program: Command): void {
  registerStartCommand(program);
}
