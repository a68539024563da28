import { EventEmitter } from 'node:events';
import type { FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { openSse, SSE_UNSENT_BYTES } from './write-sse.js';

/** A response whose socket never takes anything (every write reports back-pressure); `unsent` is what it holds. */
class StalledResponse extends EventEmitter {
  unsent = 0;
  readonly written: Array<string | Uint8Array> = [];
  readonly destroyed = false;
  writeHead(): void {}
  write(chunk: string | Uint8Array): boolean {
    this.written.push(chunk);
    this.unsent += chunk.length;
    return false;
  }
  get writableLength(): number {
    return this.unsent;
  }
  end(): void {}
}

function stalledReply(): { reply: FastifyReply; raw: StalledResponse } {
  const raw = new StalledResponse();
  return { reply: { hijack: () => undefined, raw } as unknown as FastifyReply, raw };
}

describe('openSse', () => {
  it('hands text and bytes to the socket and returns at once while little is unsent', async () => {
    const { reply, raw } = stalledReply();
    const sink = openSse(reply, {});
    await sink.write('data: a\n\n');
    await sink.write(new TextEncoder().encode('data: b\n\n'));
    await sink.write('');
    expect(raw.written).toHaveLength(2);
    expect(raw.unsent).toBeLessThan(SSE_UNSENT_BYTES);
  });

  it('waits for drain once the socket holds more than SSE_UNSENT_BYTES unsent (a client that does not read)', async () => {
    const { reply, raw } = stalledReply();
    const sink = openSse(reply, {});
    await sink.write('x'.repeat(SSE_UNSENT_BYTES));
    let returned = false;
    const pending = sink.write('y').then(() => void (returned = true));
    for (let turn = 0; turn < 10; turn++) await Promise.resolve();
    expect(returned).toBe(false);
    raw.unsent = 0;
    raw.emit('drain');
    await pending;
    expect(returned).toBe(true);
  });
});
