import { Command } from 'commander';
import { registerBenchInferenceCommand } from './bench-inference.command';

function program(): { cli: Command; errors: string[] } {
  const errors: string[] = [];
  const cli = new Command('aicrn').exitOverride().configureOutput({ writeErr: (s) => errors.push(s), writeOut: () => undefined });
  registerBenchInferenceCommand(cli);
  cli.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: (s) => errors.push(s) }).commands.forEach((s) => s.exitOverride().configureOutput({ writeErr: (e) => errors.push(e) })));
  return { cli, errors };
}

describe('aicrn bench inference', () => {
  it.each([
    [['--preset', 'huge'], /Allowed choices are paper, serving/],
    [['--batch', '0'], /--batch must be an integer in 1..256/],
    [['--workers', '2.5'], /--workers must be an integer in 1..64/],
    [['--seconds', '-1'], /--seconds must be a number in \(0, 600\]/],
    [['--placement', 'spread'], /Allowed choices are split, whole/],
  ])('rejects %j with a clear message before starting any worker', async (args, message) => {
    const { cli, errors } = program();
    await expect(cli.parseAsync(['node', 'aicrn', 'bench', 'inference', ...args])).rejects.toThrow();
    expect(errors.join('')).toMatch(message);
  });

  it('shares an existing `bench` command', () => {
    const cli = new Command('aicrn');
    cli.command('bench').command('dsp');
    registerBenchInferenceCommand(cli);
    expect(cli.commands.filter((c) => c.name() === 'bench')).toHaveLength(1);
    expect(cli.commands[0].commands.map((c) => c.name())).toEqual(['dsp', 'inference']);
  });
});
