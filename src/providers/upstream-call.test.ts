/**
 * A stream that breaks after it was accepted: what the client's error event and the audit record
 * say of it. The upstream's own words (an `error` event) are kept, sanitised as its HTTP error
 * bodies are: both the relay and the re-encoding path throw what `streamInterruption` makes.
 */
import { describe, expect, it } from 'vitest';
import { WireProtocolError } from '../wire/wire-protocol-error.js';
import { guardUpstreamStream, streamInterruption } from './upstream-call.js';

const context = { deploymentId: 'up', secrets: ['deployment-key-0123456789'] };

describe('streamInterruption', () => {
  it('keeps the sentence of an upstream error event, not its URLs, hosts or keys', () => {
    const reported = new WireProtocolError('The upstream reported an error mid-stream: overloaded, retry via http://10.0.0.5:8080/v1/internal with deployment-key-0123456789 or sk-proj-abcdefghijklmnop', { reportedByUpstream: true });
    const error = streamInterruption(reported, undefined, context) as Error;
    expect(error.message).toContain('overloaded, retry via');
    expect(error.message).not.toMatch(/10\.0\.0\.5|internal|deployment-key|sk-proj/);
  });

  it('bounds a huge upstream message', async () => {
    async function* broken(): AsyncGenerator<never> {
      throw new WireProtocolError(`The upstream reported an error mid-stream: ${'x '.repeat(50_000)}`, { reportedByUpstream: true });
    }
    const thrown = await (async () => {
      for await (const part of guardUpstreamStream(broken(), undefined, context)) void part;
    })().catch((error: unknown) => error as Error);
    expect(thrown?.message.length).toBeLessThan(1000);
  });
});
