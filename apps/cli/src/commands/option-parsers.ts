import { Command, InvalidArgumentError } from 'commander';

/** Commander parser for an integer option within [min, max]; the error names the option. */
export const integerIn = (name: string, min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}`);
  return n;
};

/** Commander parser for a number option in (0, max]. */
export const positiveNumberUpTo = (name: string, max: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`${name} must be a number in (0, ${max}]`);
  return n;
};

/** Commander parser for a comma-separated list of positive numbers ("2,1,1"). */
export const positiveNumberList = (name: string) => (value: string): number[] => {
  const items = value.split(',').map((item) => item.trim());
  const numbers = items.map(Number);
  if (items.some((item) => item === '') || numbers.some((n) => !Number.isFinite(n) || n <= 0)) {
    throw new InvalidArgumentError(`${name} must be positive numbers separated by commas, e.g. 2,1,1`);
  }
  return numbers;
};

/** The `bench` parent command, created by whichever benchmark registers first. */
export function benchCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'bench') ?? program.command('bench').description('benchmarks whose numbers the README reports (run them on an idle machine)');
}
