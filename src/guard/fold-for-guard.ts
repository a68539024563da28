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
const WHITESPACE_RUN = /[\s\u3000]+/g;

export function foldForGuard(text: string): string {
  let folded = text;
  if (NON_ASCII.test(folded)) {
    folded = folded.normalize('NFKC').replace(INVISIBLE, '').replace(TAGS, '');
    folded = folded.toLowerCase().replace(CONFUSABLE_RE, (char) => CONFUSABLES[char] ?? char);
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
