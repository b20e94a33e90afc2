import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Secrets are redacted by path; ids that may appear are bed, device and window
 * ids only — never patient identity.
 */
export function createLogger(app: string, level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: app,
      level,
      base: { app },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['password', '*.password', 'sasl.password', 'authorization', '*.authorization', 'headers.authorization', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
