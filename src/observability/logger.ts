import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * The one redaction list. Anything that may carry a credential or prompt content is censored
 * here, so a careless log call elsewhere cannot leak it.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["api-key"]',
  'apiKey',
  'api_key',
  'key',
  'secret',
  'password',
  'token',
  'body',
  'messages',
  'prompt',
  'content',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.password',
  '*.token',
  '*.body',
  '*.messages',
  '*.prompt',
  '*.content',
];

/**
 * The gateway's logger. Without a destination it writes to stdout **asynchronously**: a line is
 * handed to one non-blocking write, and lines logged while that write is in flight go together in
 * the next (under load, batches instead of one blocking write per line, which was a visible share
 * of CPU per request; at low load, no added delay — hence no `minLength`). Nothing is lost on the way out: `flushLogger` runs at the
 * end of a graceful stop, and pino flushes the buffer synchronously on `exit` (even after
 * `process.exit`). A SIGKILL can lose the last buffered lines; the audit log is the record.
 */
export function createLogger(level: LoggerOptions['level'] = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'switchyard' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  if (process.env.NODE_ENV === 'development' && process.stdout.isTTY) {
    return pino({ ...options, transport: { target: 'pino-pretty' } });
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

/** Writes out whatever the logger still buffers (the last lines of a graceful stop). */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

export type { Logger };
