/**
 * The relay against a hostile or sloppy upstream: bytes that the canonical decoder reads one way
 * but that would reach the client as written must not pass — the client reads exactly what the
 * re-encoding path writes (that path's bytes, not only the fields the SDKs accumulate).
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import type { RelayPart } from '../../model/relay-part.js';
import { parseSse } from '../sse/parse-sse.js';
import { decodeOpenAIStream } from './decode-openai-stream.js';
import { createOpenAIStreamEncoder } from './encode-openai-client-response.js';
import { relayOpenAIStream } from './relay-openai-stream.js';

async function* reads(chunks: readonly string[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield new TextEncoder().encode(chunk);
}

const failed = (error: unknown) => new GatewayError('upstream_stream_interrupted', error instanceof Error ? error.message : String(error));

async function reencoded(chunks: readonly string[]): Promise<string> {
  const encoder = createOpenAIStreamEncoder({ includeUsage: false });
  let sse = '';
  try {
    for await (const part of decodeOpenAIStream(parseSse(reads(chunks)))) sse += encoder.encode(part);
    sse += encoder.end();
  } catch (error) {
    sse += encoder.error(failed(error));
  }
  return sse;
}

async function relayed(chunks: readonly string[]): Promise<{ sse: string; text: string }> {
  const encoder = createOpenAIStreamEncoder({ includeUsage: false });
  let sse = '';
  let text = '';
  try {
    for await (const part of relayOpenAIStream(reads(chunks)) as AsyncIterable<RelayPart>) {
      if (part.type === 'relay') {
        sse += typeof part.sse === 'string' ? part.sse : new TextDecoder('utf-8', { fatal: true }).decode(part.sse);
        text += part.text;
      } else {
        if (part.type === 'text-delta' && part.choice === 0) text += part.text;
        sse += encoder.encode(part);
      }
    }
    sse += encoder.end();
  } catch (error) {
    sse += encoder.error(failed(error));
  }
  return { sse, text };
}

const HEAD = '"id":"c1","object":"chat.completion.chunk","created":1,"model":"m"';
/** A content chunk exactly as the gateway's encoder writes it (so a relayed one is byte-identical). */
const text = (content: string, top = '', choice = '') => `data: {${HEAD}${top},"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null${choice}}]}\n\n`;
const ROLE = `data: {${HEAD},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
const FINISH = `data: {${HEAD},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}\n\n`;
/** Role, then two plain chunks (the second is relayed and teaches the template), then `middle`, then the end. */
const around = (...middle: string[]) => [ROLE, text('x'), text('y'), ...middle, text('z'), FINISH, 'data: [DONE]\n\n'];

describe('relayOpenAIStream against a hostile upstream', () => {
  it('does not pass a chunk with duplicate keys, which clients may read differently than the gateway did', async () => {
    // JSON.parse keeps the last value: the gateway audits "good" and checks the model "m"; a
    // first-wins parser reads "evil" and the deployment's name, a strict one (serde) fails.
    const dupContent = `data: {${HEAD},"choices":[{"index":0,"delta":{"content":"evil","content":"good"},"logprobs":null,"finish_reason":null}]}\n\n`;
    const dupModel = `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"azure-deployment-internal","model":"m","choices":[{"index":0,"delta":{"content":"a"},"logprobs":null,"finish_reason":null}]}\n\n`;
    const chunks = around(dupContent, dupModel);
    const { sse, text: audited } = await relayed(chunks);
    expect(sse).toBe(await reencoded(chunks));
    expect(sse).not.toContain('evil');
    expect(sse).not.toContain('azure-deployment-internal');
    expect(audited).toBe('xygoodaz');
  });

  it('writes a chunk with unusual JSON spelling (spaces, escapes) as the encoder would', async () => {
    const spaced = `data:  { ${HEAD.replaceAll(',', ', ')}, "choices": [{"index":0,"delta":{"content":"a"},"logprobs":null,"finish_reason":null}]}  \n\n`;
    const escaped = text('b').replace('"b"', '"\\u0062"');
    const chunks = around(spaced, escaped);
    expect((await relayed(chunks)).sse).toBe(await reencoded(chunks));
  });

  it('passes upstream metadata only as small flat values of its documented shape', async () => {
    const chunks = around(
      text('a', `,"system_fingerprint":${JSON.stringify('fp_'.repeat(5000))}`),
      text('b', ',"obfuscation":{"smuggled":{"deep":[1,2,3]}}'),
      text('c', ',"service_tier":"internal-tenant-42"'),
      text('d', '', ',"content_filter_results":{"custom_blocklists":{"filtered":false,"details":[{"id":"acme-internal-blocklist","filtered":false}]}}'),
      text('e', '', ',"content_filter_results":{"protected_material_code":{"filtered":false,"detected":true,"citation":{"URL":"https://internal.example/repo","license":"x"}}}'),
      text('f', '', ',"content_filter_results":"a string"'),
    );
    const { sse } = await relayed(chunks);
    expect(sse).toBe(await reencoded(chunks));
  });

  it('still relays the usual metadata (OpenAI fingerprint, tier, obfuscation; Azure filter results)', async () => {
    const azure = ',"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false}}';
    const usual = [text('a', ',"system_fingerprint":"fp_8f1b9c2e1a","service_tier":"default","obfuscation":"Qx7fK2"'), text('b', '', azure)];
    const { sse } = await relayed(around(...usual));
    for (const chunk of usual) expect(sse).toContain(chunk);
  });

  it('reads the upstream no faster than the client takes its events (no buffering behind a slow client)', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode(ROLE);
      for (;;) {
        pulled++;
        yield new TextEncoder().encode(text(`chunk ${pulled}`));
      }
    }
    const parts = relayOpenAIStream(endless());
    // The client took three parts and stalls: the relay holds no more than the read it is in.
    for (let taken = 0; taken < 3; taken++) await parts.next();
    expect(pulled).toBeLessThanOrEqual(3);
    await parts.return(undefined);
  });

  it('stops reading at [DONE]: what follows in the same read or later never reaches the client', async () => {
    const chunks = [ROLE, text('x'), text('y') + FINISH + 'data: [DONE]\n\n' + text('smuggled'), text('more'), 'data: [DONE]\n\n'];
    const { sse } = await relayed(chunks);
    expect(sse).toBe(await reencoded(chunks));
    expect(sse).not.toContain('smuggled');
    expect(sse.match(/\[DONE\]/g)).toHaveLength(1);
  });

  const usage = (counts: string) => `data: {${HEAD},"choices":[],"usage":${counts}}\n\n`;
  const quirks: Record<string, string[]> = {
    'data: without its space': around(text('a').replace('data: ', 'data:')),
    'event:, id: and retry: lines': around(`event: error\nid: 7\nretry: 10\n${text('a')}`),
    'CR-only line ends': [around(text('a')).join('').replaceAll('\n', '\r')],
    'a byte-order mark': ['\ufeff' + ROLE, ...around(text('a')).slice(1)],
    'a NUL escape in the text': around(text('a\u0000b')),
    'usage twice, mid-stream and negative': [ROLE, text('x'), usage('{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}'), text('y'), FINISH, usage('{"prompt_tokens":-5,"completion_tokens":-1,"total_tokens":-6}'), 'data: [DONE]\n\n'],
    'usage on a content chunk': around(text('a').replace(']}', '],"usage":{"prompt_tokens":5,"completion_tokens":100,"total_tokens":105}}')),
    'a JSON body instead of SSE': ['{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}'],
    'a content_filter finish': [ROLE, text('x'), text('y'), FINISH.replace('"stop"', '"content_filter"'), 'data: [DONE]\n\n'],
    'an unknown finish reason': [ROLE, text('x'), text('y'), FINISH.replace('"stop"', '"evil_reason"'), 'data: [DONE]\n\n'],
    'a role other than assistant': around(text('a').replace('"delta":{', '"delta":{"role":"tool",')),
    'an unknown top-level field': around(text('a', ',"x_internal":"secret"')),
  };
  for (const [name, chunks] of Object.entries(quirks)) {
    it(`writes what the re-encoding path writes for ${name}`, async () => {
      expect((await relayed(chunks)).sse).toBe(await reencoded(chunks));
    });
  }
});
