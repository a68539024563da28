import { describe, expect, it } from 'vitest';
import { sanitizeUpstreamMessage } from './sanitize-upstream-message.js';

describe('sanitizeUpstreamMessage', () => {
  it('keeps the human explanation of an upstream 4xx', () => {
    const message = "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.";
    expect(sanitizeUpstreamMessage(message)).toBe(message);
  });

  it('strips URLs, internal hosts and IP addresses', () => {
    const out = sanitizeUpstreamMessage(
      'Model not found at https://vllm.internal.corp:8000/v1/models, try 10.0.3.4 or gpu-01.lan:11434',
    );
    expect(out).not.toMatch(/internal|10\.0|gpu-01|11434|https/);
    expect(out).toContain('Model not found at [url]');
  });

  it('strips vendor keys (even masked), bearer tokens, opaque tokens and the known secret', () => {
    const out = sanitizeUpstreamMessage(
      'Incorrect API key provided: sk-proj-abc1***************xyz9. Bearer eyJhbGciOi.x.y token 4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c secretvalue123',
      ['secretvalue123'],
    );
    expect(out).toBe('Incorrect API key provided: [redacted] [redacted] token [redacted] [redacted]');
  });

  it('keeps model names and request ids', () => {
    const message = 'max_tokens: 100000 > 64000 for claude-sonnet-4-20250514 (request req_011CSHoEeqs5C35K2UUqR7Fy)';
    expect(sanitizeUpstreamMessage(message)).toBe(message);
  });

  it('bounds the length', () => {
    expect(sanitizeUpstreamMessage('word '.repeat(500)).length).toBeLessThanOrEqual(501);
  });
});
