/**
 * The character-level fold the guard scans: NFKC (full-width, ligatures, mathematical and
 * circled letters), invisible characters removed, common Cyrillic/Greek look-alikes mapped to
 * Latin, lower case, whitespace runs collapsed. Offsets are not needed here (the guard reports
 * scores and rule ids, never spans), so the fold may change lengths freely.
 *
 * The ground-floor normaliser (src/text/normalize-text.ts, issue 13) replaces the NFKC and
 * invisible-character steps once it lands; the guard keeps only what is guard-specific.
 */

/** Zero-width, bidi controls, word joiner, BOM, soft hyphen, variation selectors, Mongolian vowel separator. */
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;
/** Unicode tag characters (U+E0000–E007F), used to smuggle ASCII invisibly; decoded separately. */
const TAGS = /\udb40[\udc00-\udc7f]/g;

const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', ӏ: 'l', ԛ: 'q', ԝ: 'w', ɡ: 'g',
  α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ʏ: 'y', ɪ: 'i', ᴀ: 'a', ᴇ: 'e', ɴ: 'n', ʀ: 'r', ᴏ: 'o', ᴛ: 't', ꜱ: 's', ᴜ: 'u', ᴅ: 'd', ɢ: 'g', ʜ: 'h', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ᴘ: 'p', ᴄ: 'c', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z',
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'g');
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
/** Runs of horizontal space (line breaks stay: rules keep matches inside one line or sentence). */
const WHITESPACE_RUN = /[ \t\u00a0\u3000]{2,}|[\t\u00a0\u3000]/g;

/** Characters NFKC changes or that hide text: compatibility forms, full-width, math letters, invisibles. */
const NEEDS_NFKC = /[\u00a0-\u036f\u1d00-\u1dbf\u2000-\u2bff\u3000\u3200-\u33ff\uf900-\ufaff\ufb00-\ufb4f\ufe00-\ufe6f\uff00-\uffef\ud835\ud83c\udb40\u180b-\u180e\u115f\u1160\u3164\ufeff\u061c\u17b4\u17b5\uffa0]/;
const MAYBE_CONFUSABLE = /[\u0250-\u02af\u0370-\u03ff\u0400-\u052f\u1d00-\u1d2f\ua700-\ua7ff]/;

export function foldForGuard(text: string): string {
  let folded = text;
  // Each step runs only when a cheap scan says it can change something: most prompts are plain.
  if (NON_ASCII.test(folded)) {
    if (NEEDS_NFKC.test(folded)) folded = folded.normalize('NFKC').replace(INVISIBLE, '').replace(TAGS, '');
    folded = folded.toLowerCase();
    if (MAYBE_CONFUSABLE.test(folded)) folded = folded.replace(CONFUSABLE_RE, (char) => CONFUSABLES[char] ?? char);
  } else {
    folded = folded.toLowerCase();
  }
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
