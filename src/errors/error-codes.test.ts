import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './error-codes.js';
import { GatewayError } from './gateway-error.js';

describe('error catalogue', () => {
  const documentation = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

  it.each(Object.keys(ERROR_CODES))('documents %s in docs/errors.md', (code) => {
    expect(documentation).toContain(`| \`${code}\` |`);
  });

  it('takes status, type and retryability from the catalogue', () => {
    const error = new GatewayError('upstream_timeout', 'slow');
    expect([error.status, error.type, error.retryable]).toEqual([504, 'api_error', true]);
    expect(new GatewayError('upstream_bad_request', 'no', { status: 422 }).status).toBe(422);
  });
});
