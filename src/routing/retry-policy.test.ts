import { describe, expect, it } from 'vitest';
import { GatewayError, UpstreamError } from '../errors/gateway-error.js';
import { classifyFailure } from './retry-policy.js';

const upstream = (status: number, code: ConstructorParameters<typeof UpstreamError>[0], retryAfterSeconds?: number) =>
  new UpstreamError(code, `HTTP ${status}`, 'd1', { upstreamStatus: status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

describe('classifyFailure', () => {
  it.each([
    [408, 'upstream_timeout'],
    [409, 'upstream_bad_request'],
    [429, 'upstream_rate_limited'],
    [500, 'upstream_error'],
    [503, 'upstream_error'],
  ] as const)('retries HTTP %i', (status, code) => {
    expect(classifyFailure(upstream(status, code))).toMatchObject({ kind: 'retryable', deploymentFault: true, status });
  });

  it.each([400, 404, 413, 422])('never retries the client error HTTP %i, and does not blame the deployment', (status) => {
    expect(classifyFailure(upstream(status, 'upstream_bad_request'))).toMatchObject({ kind: 'fatal', deploymentFault: false });
  });

  it('fails over, without retrying, when the gateway credentials were refused', () => {
    expect(classifyFailure(upstream(401, 'upstream_auth_failed'))).toMatchObject({ kind: 'failover-only', deploymentFault: true });
  });

  it.each(['upstream_unavailable', 'upstream_timeout', 'upstream_stream_interrupted'] as const)(
    'retries %s without an HTTP status (connection errors, timeouts, early stream cuts)',
    (code) => {
      expect(classifyFailure(new UpstreamError(code, 'x', 'd1')).kind).toBe('retryable');
    },
  );

  it('carries the Retry-After of a 429 in milliseconds', () => {
    expect(classifyFailure(upstream(429, 'upstream_rate_limited', 1.5)).retryAfterMs).toBe(1_500);
  });

  it('treats an unknown throwable as a retryable upstream_error and keeps it as cause', () => {
    const cause = new TypeError('boom');
    const classification = classifyFailure(cause);
    expect(classification).toMatchObject({ kind: 'retryable', code: 'upstream_error' });
    expect(classification.error.cause).toBe(cause);
  });

  it('does not retry gateway-internal errors', () => {
    expect(classifyFailure(new GatewayError('internal_error', 'bug')).kind).toBe('fatal');
  });
});
