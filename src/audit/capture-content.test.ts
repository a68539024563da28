import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureContent } from './capture-content.js';

describe('captureContent: hash mode', () => {
  it('keeps the SHA-256 of the UTF-8 text, for any string (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (request, response) => {
        const expected = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
        expect(captureContent('hash', { request, response })).toEqual({ mode: 'hash', requestSha256: expected(request), responseSha256: expected(response) });
      }),
      { numRuns: 500 },
    );
  });
});
