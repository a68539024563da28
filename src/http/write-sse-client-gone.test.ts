import { connect } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openSse } from './write-sse.js';

// A client that stops reading and then leaves while the sink waits for 'drain': node emits no
// 'drain' (nor 'error') on a destroyed response, only 'close'. The write must settle then, or the
// relay hangs for good (upstream body, audit record and finish event of that request with it).
describe('SSE sink: a client that leaves while the sink waits for drain', () => {
  const apps: Array<ReturnType<typeof Fastify>> = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  it('settles the pending write', async () => {
    const app = Fastify();
    apps.push(app);
    let outcome: Promise<string> | undefined;
    let waiting: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (waiting = resolve));
    app.get('/stream', async (_request, reply) => {
      const sink = openSse(reply, {});
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      outcome = (async () => {
        // Until a write has to wait: the client reads nothing.
        for (;;) {
          const write = sink.write(chunk);
          const first = await Promise.race([write.then(() => 'written'), new Promise<string>((resolve) => setImmediate(() => resolve('waiting')))]);
          if (first === 'waiting') {
            waiting();
            await write;
            return 'settled';
          }
        }
      })();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect((app.server.address() as { port: number }).port, '127.0.0.1');
    socket.pause();
    socket.write('GET /stream HTTP/1.1\r\nhost: x\r\n\r\n');
    await stuck;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.destroy();
    await closed;
    expect(await outcome).toBe('settled');
  }, 10_000);
});
