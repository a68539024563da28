import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACT_PATHS } from './logger.js';
import { logRequest, type RequestLogFacts } from './request-log.js';

/** Every optional fact set, so every field name of the line appears. */
const FACTS: RequestLogFacts = {
  requestId: 'req-1',
  method: 'POST',
  route: '/v1/chat/completions',
  status: 502,
  durationMs: 12.3456,
  principalId: 'team-key',
  alias: 'chat',
  deployment: 'primary',
  tier: 'on-prem',
  policy: { action: 'allow', rule: 'default', dataClass: 'internal', entities: {}, maskedTypes: [] },
  failedAttempts: [{ deployment: 'secondary', code: 'upstream_timeout', reason: 'slow' }],
  streamCompleted: false,
  streamErrorCode: 'upstream_stream_interrupted',
  errorCode: 'upstream_unavailable',
};

function capture(level: string): { logger: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger(level, sink);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('the request log line', () => {
  it('uses no field name a redaction path could match, so skipping redaction censors nothing', () => {
    const { logger, lines } = capture('info');
    logRequest(logger, FACTS);
    const [line] = lines();
    expect(line).toBeDefined();
    const names = Object.keys(line ?? {});
    expect(names).toContain('request_id');
    expect(names).toContain('stream_error');
    for (const path of REDACT_PATHS) {
      // Top-level paths ("key") and one-level wildcards ("*.key") both name a field by its last segment.
      const last = path.replace(/^\*\./, '').split(/[.[]/)[0] ?? path;
      expect(names, path).not.toContain(last);
    }
    // Every value is a scalar: no nested object a wildcard path could reach into.
    for (const value of Object.values(line ?? {})) expect(typeof value === 'object' && value !== null).toBe(false);
  });

  it('is the same line the redacting logger writes for the same fields', () => {
    const safe = capture('info');
    logRequest(safe.logger, FACTS);
    const redacting = capture('info');
    logRequest({ info: (fields, message) => redacting.logger.info(fields, message) }, FACTS);
    const strip = (line: Record<string, unknown> | undefined) => ({ ...line, time: undefined });
    expect(strip(safe.lines()[0])).toEqual(strip(redacting.lines()[0]));
  });

  it('follows the logger level', () => {
    const { logger, lines } = capture('warn');
    logRequest(logger, FACTS);
    expect(lines()).toEqual([]);
  });

  it('still redacts every other call on the same logger', () => {
    const { logger, lines } = capture('info');
    logger.info({ headers: { authorization: 'Bearer sk-secret' }, messages: ['hi'], nested: { content: 'text' } }, 'other');
    const [line] = lines();
    expect(JSON.stringify(line)).not.toContain('sk-secret');
    expect(line).toMatchObject({ messages: '[redacted]', nested: { content: '[redacted]' }, headers: { authorization: '[redacted]' } });
  });
});
