import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { errorHandler } from './error-handler.js';
import { createGracefulDrain } from './graceful-drain.js';
import { openSse } from './write-sse.js';

/**
 * The drain's own rules, on a small fastify app (the process-level behaviour, with real streams,
 * is test/e2e/graceful-drain.test.ts). No assertion on how long anything takes: waits that must
 * be skipped are set far beyond the test timeout instead.
 */

const logger = createLogger('silent');
const apps: FastifyInstance[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function appWith(grace_ms: number, deadline_ms: number) {
  const drain = createGracefulDrain(() => ({ grace_ms, deadline_ms }), logger);
  const app = Fastify();
  apps.push(app);
  app.setErrorHandler(errorHandler);
  drain.register(app);
  let release: () => void = () => undefined;
  let enter: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const entered = new Promise<void>((resolve) => (enter = resolve));
  app.get('/held', async () => {
    enter();
    await held;
    return { done: true };
  });
  app.get('/quick', async () => ({ ok: true }));
  // A streamed answer (the SSE sink writes its own head): opened once released, like a stream that waits for its first byte.
  app.get('/stream', async (_request, reply) => {
    enter();
    await held;
    const sink = openSse(reply, {});
    await sink.write('data: [DONE]\n\n');
    sink.end();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, drain, release, entered };
}

describe('graceful drain', () => {
  it('is not draining until asked, and then reports it at once', async () => {
    const { drain } = await appWith(60_000, 120_000);
    expect(drain.draining).toBe(false);
    const running = drain.drain();
    expect(drain.draining).toBe(true);
    drain.hurry();
    await running;
  });

  it('asks clients to reconnect during the grace, then refuses requests with an OpenAI-style 503 server_shutting_down', async () => {
    const { app, drain } = await appWith(60_000, 120_000);
    const running = drain.drain();
    const duringGrace = await app.inject({ method: 'GET', url: '/quick' });
    expect(duringGrace.statusCode).toBe(200);
    expect(duringGrace.headers.connection).toBe('close');
    drain.hurry();
    await running;
    const refused = await app.inject({ method: 'GET', url: '/quick' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers.connection).toBe('close');
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toMatchObject({ error: { code: 'server_shutting_down', type: 'api_error' } });
  });

  it('asks a request already in flight when the drain starts to close its connection too', async () => {
    const { app, drain, release, entered } = await appWith(60_000, 120_000);
    const port = (app.server.address() as { port: number }).port;
    const held = fetch(`http://127.0.0.1:${port}/held`);
    await entered;
    const running = drain.drain();
    release();
    const answered = await held;
    expect([answered.status, answered.headers.get('connection')]).toEqual([200, 'close']);
    drain.hurry();
    await running;
  });

  it('asks a stream in flight when the drain starts to close its connection too', async () => {
    const { app, drain, release, entered } = await appWith(60_000, 120_000);
    const port = (app.server.address() as { port: number }).port;
    const held = fetch(`http://127.0.0.1:${port}/stream`);
    await entered;
    const running = drain.drain();
    release();
    const answered = await held;
    await answered.text();
    expect([answered.status, answered.headers.get('connection')]).toEqual([200, 'close']);
    drain.hurry();
    await running;
  });

  it('asks a stream that arrives during the grace period to close its connection', async () => {
    const { app, drain, release } = await appWith(60_000, 120_000);
    const port = (app.server.address() as { port: number }).port;
    const running = drain.drain();
    release();
    const answered = await fetch(`http://127.0.0.1:${port}/stream`);
    await answered.text();
    expect([answered.status, answered.headers.get('connection')]).toEqual([200, 'close']);
    drain.hurry();
    await running;
  });

  it('keeps connections alive while not draining', async () => {
    const { app } = await appWith(60_000, 120_000);
    const answered = await fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/quick`);
    expect(answered.headers.get('connection')).not.toBe('close');
  });

  it('waits for in-flight requests, and resolves as soon as they end (not at the deadline)', async () => {
    const { app, drain, release, entered } = await appWith(0, 600_000);
    const held = fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/held`);
    await entered;
    let drained = false;
    const running = drain.drain().then((report) => {
      drained = true;
      return report;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(drained).toBe(false);
    release();
    expect((await held).status).toBe(200);
    // A deadline of ten minutes would time the test out if the drain waited for it.
    expect(await running).toMatchObject({ openAtDeadline: 0, forcedClosed: 0 });
  });

  it('runs once: a second call returns the same drain', async () => {
    const { drain } = await appWith(60_000, 120_000);
    const first = drain.drain();
    expect(drain.drain()).toBe(first);
    drain.hurry();
    await first;
  });

  it('at the deadline closes requests that never end, and reports them', async () => {
    const { app, drain, entered } = await appWith(0, 1);
    const port = (app.server.address() as { port: number }).port;
    const held = fetch(`http://127.0.0.1:${port}/held`).then(
      () => 'answered',
      () => 'cut',
    );
    await entered;
    // Not a stream, so it has no error event to send: after the final grace its connection is closed.
    const report = await drain.drain();
    expect(report.openAtDeadline).toBe(1);
    expect(await held).toBe('cut');
  });
});
