import { decodeTagCharacters } from './fold-for-guard.js';

/**
 * Obfuscation layers: encoded segments are decoded and the decoded text is scanned again by the
 * same rules. A signal found only in decoded text is reported with its layer (`base64:…`) and
 * scores a little higher — hiding an instruction is itself a sign of intent.
 *
 * Everything here is linear in the text and bounded: at most MAX_DECODED segments, each at
 * most MAX_SEGMENT characters, one level deep plus one nested level for base64-in-base64.
 */

export type DecodeLayer = 'base64' | 'hex' | 'url' | 'rot13' | 'spaced' | 'reversed' | 'tags';

export interface DecodedSegment {
  layer: DecodeLayer;
  text: string;
}

const MAX_DECODED = 16;
const MAX_SEGMENT = 16_384;
const MIN_BASE64 = 16;
const MIN_HEX = 16;

function isBase64Char(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 45 || code === 95;
}

/**
 * Separators between spelled-out letters: exactly the class `[\s.\-_*|/+]` of SPACED below
 * (JavaScript's `\s`: ASCII tab to carriage return and space, plus the Unicode spaces), so the
 * run scan can tell for certain when SPACED cannot match.
 */
function isSeparator(code: number): boolean {
  if (code < 128) return (code >= 9 && code <= 13) || code === 32 || code === 46 || code === 45 || code === 95 || code === 42 || code === 124 || code === 47 || code === 43;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

function isHexChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** Mostly readable text (letters, CJK, punctuation), not binary noise that happened to decode. */
function readable(text: string): boolean {
  if (text.length < 4) return false;
  let good = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code >= 32 && code < 127) || code === 10 || code === 13 || code === 9 || (code >= 0x3000 && code < 0xa000) || (code >= 0xff00 && code < 0xfff0) || (code >= 0xc0 && code < 0x2000))
      good += 1;
    else if (code === 0xfffd) good -= 1;
  }
  return good / text.length >= 0.9;
}

function decodeBase64(run: string): string | undefined {
  const decoded = Buffer.from(run, 'base64').toString('utf8');
  return readable(decoded) ? decoded : undefined;
}

function decodeHex(run: string): string | undefined {
  const even = run.length % 2 === 0 ? run : run.slice(0, -1);
  const decoded = Buffer.from(even, 'hex').toString('utf8');
  return readable(decoded) ? decoded : undefined;
}

const ROT13_HINT = /rot-?\s?13|caesar|凱撒|凯撒|位移密碼/i;
const REVERSED_HINT = /revers|backwards|倒過來|倒过来|反過來|反过来|倒著|倒着/i;
const URL_ESCAPE = /%[0-9a-f]{2}/gi;
const HEX_ESCAPE = /\\x([0-9a-f]{2})/gi;
/** Letters (or CJK characters) spelled out one at a time: "i g n o r e", "忽 略 指 令", "i.g.n.o.r.e". */
const SPACED = /(?:(?<![a-z])[a-z][\s.\-_*|/+]{1,3}){4,}[a-z](?![a-z])|(?:[\u4e00-\u9fff][\s.\-_*|/+]{1,3}){3,}[\u4e00-\u9fff]/gi;
const SPACING = /[\s.\-_*|/+]/g;

/**
 * Joins spelled-out letters. With dots or dashes between letters ("i.g.n.o.r.e a.l.l"), spaces
 * are word breaks; with spaces between letters, wider gaps are ("i g n o r e   a l l").
 */
function joinSpelled(run: string): string {
  if (/[.\-_*|/+]/.test(run)) return run.replace(/\s+/g, '\u0000').replace(SPACING, '').replace(/\u0000/g, ' ');
  return run.replace(/\s{2,}/g, '\u0000').replace(SPACING, '').replace(/\u0000/g, ' ');
}

export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (char) => {
    const code = char.charCodeAt(0);
    const base = code >= 97 ? 97 : 65;
    return String.fromCharCode(((code - base + 13) % 26) + base);
  });
}

const SEPARATOR = 1;
const BASE64 = 2;
const HEX = 4;
/** Character classes of ASCII code units, looked up once per unit (everything above is none of them). */
const CLASSES = new Uint8Array(128);
for (let code = 0; code < 128; code += 1)
  CLASSES[code] = (isSeparator(code) ? SEPARATOR : 0) | (isBase64Char(code) ? BASE64 : 0) | (isHexChar(code) ? HEX : 0);

function classOf(code: number): number {
  if (code < 128) return CLASSES[code] as number;
  return code === 0xa0 || code >= 0x1680 ? (isSeparator(code) ? SEPARATOR : 0) : 0;
}

/** Decodes the run text[start, end) when it is long enough (ordinary words are not: nothing is sliced). */
function decodeRun(text: string, start: number, end: number, allHex: boolean, push: (segment: DecodedSegment) => void): void {
  const size = end - start;
  if (allHex && size >= MIN_HEX) {
    const hex = decodeHex(text.slice(start, end));
    if (hex !== undefined) push({ layer: 'hex', text: hex });
  } else if (size >= MIN_BASE64) {
    let stop = end;
    while (stop < text.length && text.charCodeAt(stop) === 61 /* = */) stop += 1;
    const base64 = decodeBase64(text.slice(start, stop));
    if (base64 !== undefined) push({ layer: 'base64', text: base64 });
  }
}

/**
 * Finds base64/hex runs; returns whether two isolated units (one code unit with a separator on
 * each side) lie at most 4 apart — which any SPACED match holds: its second and third letters
 * (of at least four CJK characters or five letters) are each between separators, with one to
 * three separators between them. Without such a pair SPACED cannot match, so it is not run.
 * No closures here: the dev runner (tsx) names every closure it creates, once per call.
 */
function scanRuns(text: string, push: (segment: DecodedSegment) => void): boolean {
  const length = text.length;
  let spelled = false;
  let lastIsolated = -8;
  let start = -1;
  let allHex = true;
  // Classes of the two previous units: an isolated unit sits between two separators.
  let beforePrevious = 0;
  let previous = 0;
  for (let index = 0; index < length; index += 1) {
    const kind = classOf(text.charCodeAt(index));
    if ((kind & SEPARATOR) !== 0 && index >= 2 && (beforePrevious & SEPARATOR) !== 0 && (previous & SEPARATOR) === 0) {
      if (index - 1 - lastIsolated <= 4) spelled = true;
      lastIsolated = index - 1;
    }
    beforePrevious = previous;
    previous = kind;
    if ((kind & BASE64) !== 0) {
      if (start < 0) {
        start = index;
        allHex = true;
      }
      if (allHex && (kind & HEX) === 0) allHex = false;
    } else if (start >= 0) {
      decodeRun(text, start, index, allHex, push);
      start = -1;
    }
  }
  if (start >= 0) decodeRun(text, start, length, allHex, push);
  return spelled;
}

/** Decoded forms of the encoded segments in `text` (the original text itself is not included). */
export function decodeLayers(text: string): DecodedSegment[] {
  const segments: DecodedSegment[] = [];
  const push = (segment: DecodedSegment): void => {
    if (segments.length < MAX_DECODED && segment.text.length > 0) segments.push({ layer: segment.layer, text: segment.text.slice(0, MAX_SEGMENT) });
  };
  const spelled = scanRuns(text, push);
  // One nested level: base64 of base64 (or of hex) is a common second wrapper.
  for (const segment of [...segments]) if (segment.layer === 'base64' || segment.layer === 'hex') scanRuns(segment.text, (inner) => push({ layer: segment.layer, text: inner.text }));
  if (text.includes('%')) {
    URL_ESCAPE.lastIndex = 0;
    let escapes = 0;
    while (URL_ESCAPE.exec(text) && escapes < 3) escapes += 1;
    if (escapes >= 3) {
      try {
        push({ layer: 'url', text: decodeURIComponent(text.replace(/%(?![0-9a-f]{2})/gi, '%25')) });
      } catch {
        push({ layer: 'url', text: text.replace(URL_ESCAPE, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16))) });
      }
    }
  }
  if (text.includes('\\x')) {
    const decoded = text.replace(HEX_ESCAPE, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (decoded !== text) push({ layer: 'hex', text: decoded });
  }
  if (ROT13_HINT.test(text)) push({ layer: 'rot13', text: rot13(text) });
  if (REVERSED_HINT.test(text)) push({ layer: 'reversed', text: [...text].reverse().join('') });
  SPACED.lastIndex = 0;
  // Spelled-out text needs two "x " units close together; the run scan looked for them.
  if (spelled)
  // Wider gaps between the spelled-out letters are word breaks: "i g n o r e   a l l" → "ignore all".
  for (let match = SPACED.exec(text); match; match = SPACED.exec(text)) push({ layer: 'spaced', text: joinSpelled(match[0]) });
  const tags = decodeTagCharacters(text);
  if (tags !== '') push({ layer: 'tags', text: tags });
  return segments;
}
