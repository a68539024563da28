import { normalizeForMatching } from '../text/normalize-text.js';

/**
 * The fold the guard scans: the shared ground-floor normaliser (src/text/normalize-text.ts:
 * NFKC, invisible characters, look-alike letters, any-script digits, space and dash
 * look-alikes), then lower case and single horizontal spaces. Line breaks stay: rules keep a
 * match inside one sentence or line. Offsets are not needed here (the guard reports scores and
 * rule ids, never spans), so the guard uses the text-only entry point.
 */

/** Unicode tag characters (U+E0000–E007F), used to smuggle ASCII invisibly; decoded separately. */
const TAGS = /\udb40[\udc00-\udc7f]/g;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
const WHITESPACE_RUN = /[ \t]{2,}|\t/g;

export function foldForGuard(text: string): string {
  // Plain ASCII (most prompts) needs no Unicode fold: a cheap scan decides.
  const folded = NON_ASCII.test(text) ? normalizeForMatching(text).replace(TAGS, '').toLowerCase() : text.toLowerCase();
  return folded.replace(WHITESPACE_RUN, ' ');
}

/** ASCII hidden in Unicode tag characters ("ASCII smuggling"), or '' when there is none. */
export function decodeTagCharacters(text: string): string {
  if (!text.includes('\udb40')) return '';
  let decoded = '';
  for (const match of text.matchAll(TAGS)) {
    const code = match[0].charCodeAt(1) - 0xdc00;
    if (code >= 0x20 && code < 0x7f) decoded += String.fromCharCode(code);
  }
  return decoded;
}
