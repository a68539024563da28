import { describe, expect, it } from 'vitest';
import { AllTargetsFailedError, GatewayError, UpstreamError } from '../errors/gateway-error.js';
import { dispatchWithFailover } from './dispatch-with-failover.js';

const chain = [
  { deployment: 'primary', model: 'm', weight: 1 },
  { deployment: 'secondary', model: 'm', weight: 1 },
];

describe('dispatchWithFailover', () => {
  it('moves on after a retryable failure and records the attempt', async () => {
    const result = await dispatchWithFailover('chat', chain, async (target) => {
      if (target.deployment === 'primary') throw new UpstreamError('upstream_error', 'HTTP 500', 'primary', { upstreamStatus: 500 });
      return 'ok';
    });
    expect(result.result).toBe('ok');
    expect(result.target.deployment).toBe('secondary');
    expect(result.attempts).toEqual([{ deployment: 'primary', status: 500, code: 'upstream_error', reason: 'HTTP 500' }]);
  });

  it('passes a non-retryable upstream 4xx through without trying elsewhere', async () => {
    const called: string[] = [];
    const failure = dispatchWithFailover('chat', chain, async (target) => {
      called.push(target.deployment);
      throw new UpstreamError('upstream_bad_request', 'bad temperature', target.deployment, { status: 422, upstreamStatus: 422 });
    });
    await expect(failure).rejects.toMatchObject({ code: 'upstream_bad_request', status: 422 });
    expect(called).toEqual(['primary']);
  });

  it('reports every attempt when all targets fail', async () => {
    const failure = dispatchWithFailover('chat', chain, async (target) => {
      throw new UpstreamError('upstream_unavailable', 'connection refused', target.deployment);
    });
    const error = await failure.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AllTargetsFailedError);
    expect((error as GatewayError).status).toBe(503);
    expect((error as GatewayError).attempts?.map((attempt) => attempt.deployment)).toEqual(['primary', 'secondary']);
  });
});
