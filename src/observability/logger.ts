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
  const format: LoggerOptions = { base: { service: 'switchyard' }, timestamp: pino.stdTimeFunctions.isoTime };
  const options: LoggerOptions = { ...format, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  let logger: Logger;
  if (destination) logger = pino(options, destination);
  else if (process.env.NODE_ENV === 'development' && process.stdout.isTTY) logger = pino({ ...options, transport: { target: 'pino-pretty' } });
  else logger = pino(options, pino.destination({ dest: 1, sync: false }));
  // Same stream, same format, no redaction and no level of its own (the caller checks the main
  // logger's level): only for lines every field of which is a known-safe scalar (`logKnownSafe`).
  knownSafe.set(logger, pino({ ...format, level: 'trace' }, (logger as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym]));
  return logger;
}

const knownSafe = new WeakMap<object, Logger>();

/**
 * Logs a line whose field NAMES are fixed by the caller, none matching `REDACT_PATHS`, and whose
 * values are scalars (strings, numbers, booleans, undefined) — so redaction provably has nothing
 * to censor, and its per-line walk of the wildcard paths is skipped. The request line (one per
 * request) is the one such line; every other log call goes through the redacting logger.
 * `request-log.test.ts` checks the request line's names against the redaction list. A logger
 * not made by `createLogger` (a test double, a child) logs through its own `info`.
 */
export function logKnownSafe(logger: { info(fields: object, message: string): void }, fields: Record<string, string | number | boolean | undefined>, message: string): void {
  const sibling = knownSafe.get(logger);
  if (sibling === undefined) return logger.info(fields, message);
  if ((logger as unknown as Logger).isLevelEnabled('info')) sibling.info(fields, message);
}

/** Writes out whatever the logger still buffers (the last lines of a graceful stop). */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

export type { Logger };
