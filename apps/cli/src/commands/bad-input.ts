import { UnknownMethodError, WfdbError } from '@aicrn/signal';

/** Exit code for input the user can fix: unreadable or corrupt files, unknown methods, unusable sample rates. */
export const BAD_INPUT_EXIT_CODE = 2;

/** Thrown by commands for input problems that are not WFDB or method errors (bad ranges, missing options). */
export class BadInputError extends Error {
  override name = 'BadInputError';
}

/** True for errors caused by the input rather than by a bug: they get a one-line message and exit code 2. */
export function isBadInput(error: unknown): error is Error {
  return error instanceof WfdbError || error instanceof UnknownMethodError || error instanceof BadInputError || error instanceof RangeError;
}

/** Writes `aicrn <command>: <message>` to stderr (or `err`) and sets exit code 2; rethrows anything that is not bad input. */
export function reportBadInput(command: string, error: unknown, err: NodeJS.WritableStream = process.stderr): void {
  if (!isBadInput(error)) throw error;
  err.write(`aicrn ${command}: ${error.message}\n`);
  process.exitCode = BAD_INPUT_EXIT_CODE;
}
