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
  return pino(options);
}

export type { Logger };
