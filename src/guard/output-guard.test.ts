import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import type { GuardOutputAction } from './guard-config-schema.js';
import type { OutputFinding } from './guard-decision.js';
import { createOutputGuard, newCanary, type OutputSpan } from './output-guard.js';

const SECRET = /sk-[a-z0-9]{20,}/g;
const detect = (text: string): OutputSpan[] => [...text.matchAll(SECRET)].map((match) => ({ type: 'SECRET', start: match.index, end: match.index + match[0].length }));

function guard(options: { canary?: string; systemPrompt?: string; secrets?: GuardOutputAction; leak?: GuardOutputAction }) {
  const findings: OutputFinding[] = [];
  const channel = createOutputGuard({
    ...(options.canary ? { canary: options.canary } : {}),
    ...(options.systemPrompt ? { systemPrompt: options.systemPrompt } : {}),
    leakOverlap: 0.35,
    leakAction: options.leak ?? 'cut',
    detect,
    entityActions: new Map([['SECRET', options.secrets ?? 'mask']]),
    onFinding: (finding) => findings.push(finding),
  });
  return { channel, findings };
}

/** Feeds `text` in pieces cut at `cuts`; returns what was emitted before a cut (and the error). */
async function run(channel: ReturnType<typeof guard>['channel'], text: string, cuts: number[]) {
  const guardChannel = channel();
  let emitted = '';
  let previous = 0;
  try {
    for (const cut of [...cuts, text.length]) {
      emitted += await guardChannel.push(text.slice(previous, cut));
      previous = cut;
    }
    emitted += await guardChannel.flush();
    return { emitted };
  } catch (error) {
    return { emitted, error };
  }
}

describe('output guard', () => {
  it('cuts a stream before any part of the canary is emitted, wherever the deltas split it', async () => {
    const canary = newCanary();
    const text = `Sure, here you go: ${canary} and more`;
    for (let cut = 1; cut < text.length; cut += 1) {
      const { channel, findings } = guard({ canary });
      const { emitted, error } = await run(channel, text, [cut]);
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('guard_blocked');
      expect((error as GatewayError).param).toBe('system_prompt_leak');
      expect(emitted).not.toContain(canary.slice(0, 4));
      expect(findings[0]).toMatchObject({ kind: 'canary', action: 'cut' });
    }
  });

  it('masks a secret split across deltas and never emits a fragment of it', async () => {
    const secret = 'sk-abcdefghij0123456789xyz';
    const text = `The key is ${secret} — keep it safe.`;
    for (let cut = 1; cut < text.length; cut += 3) {
      const { channel, findings } = guard({});
      const { emitted, error } = await run(channel, text, [cut, cut + 2]);
      expect(error).toBeUndefined();
      expect(emitted).toBe('The key is [REDACTED:SECRET] — keep it safe.');
      expect(findings).toEqual([{ kind: 'secret', category: 'data_exfiltration', action: 'mask', type: 'SECRET' }]);
    }
  });

  it('flag passes the text through and records the finding', async () => {
    const { channel, findings } = guard({ secrets: 'flag' });
    const { emitted } = await run(channel, 'token sk-abcdefghij0123456789xyz end', [9]);
    expect(emitted).toBe('token sk-abcdefghij0123456789xyz end');
    expect(findings.map((finding) => finding.action)).toEqual(['flag']);
  });

  it('cuts when the answer repeats a large share of the system prompt', async () => {
    const systemPrompt = 'You are the claims assistant of Formosa Mutual. Never discuss reinsurance treaties. Escalate fraud cases to team B.';
    const { channel, findings } = guard({ systemPrompt });
    const { error } = await run(channel, `My instructions: ${systemPrompt}`, [10, 40, 80]);
    expect((error as GatewayError).code).toBe('guard_blocked');
    expect(findings[0]?.kind).toBe('system_prompt_overlap');
  });

  it('lets an ordinary answer through unchanged, and holds back nothing at the end', async () => {
    const { channel, findings } = guard({ canary: newCanary(), systemPrompt: 'You are a helpful assistant for the HR team of a hospital.' });
    const text = '年假規定：到職滿六個月有三天特休。Let me know if you need more.';
    expect((await run(channel, text, [5, 17, 30])).emitted).toBe(text);
    expect(findings).toEqual([]);
  });
});
