/** The logging the adapter needs; a pino logger satisfies it. Never pass secrets in `fields`. */
export interface BusLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

function line(level: string) {
  return (fields: object, message: string) => process.stderr.write(`${JSON.stringify({ level, component: 'kafka', message, ...fields })}\n`);
}

/** Warnings and errors as JSON lines on stderr; debug and info dropped. */
export const STDERR_LOGGER: BusLogger = { debug: () => undefined, info: () => undefined, warn: line('warn'), error: line('error') };
