/**
 * The mock's notion of a "token": a run of non-space characters, or a single CJK character
 * (Chinese, Japanese kana, Korean syllables, full-width forms). Cheap, deterministic and close
 * enough to real tokenizers for usage figures and streaming granularity; it is not a tokenizer.
 */

function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000;
}

/** Each of these characters counts as one token, as CJK tokenizers roughly do. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x3001 && code <= 0x30ff) || // CJK punctuation, hiragana, katakana
    (code >= 0x3400 && code <= 0x4dbf) || // CJK extension A
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0xac00 && code <= 0xd7af) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xff00 && code <= 0xffef) // full-width and half-width forms
  );
}

/** Number of mock tokens in `text` (a character loop: no regex, no allocation). */
export function countTokens(text: string): number {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isWhitespace(code)) {
      inWord = false;
    } else if (isCjk(code)) {
      count += 1;
      inWord = false;
    } else if (!inWord) {
      count += 1;
      inWord = true;
    }
  }
  return count;
}

/**
 * Splits `text` into one piece per token, each carrying the whitespace before it; trailing
 * whitespace joins the last piece. `pieces.join('') === text` always holds, so a streamed echo
 * reassembles to exactly the input.
 */
export function splitIntoTokenPieces(text: string): string[] {
  // A piece ends where its token ends, so record every token end; the last piece runs to the end.
  const ends: number[] = [];
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isWhitespace(code)) {
      if (inWord) ends.push(index);
      inWord = false;
    } else if (isCjk(code)) {
      if (inWord) ends.push(index);
      ends.push(index + 1);
      inWord = false;
    } else {
      inWord = true;
    }
  }
  if (inWord) ends.push(text.length);
  if (ends.length === 0) return text === '' ? [] : [text];
  const pieces: string[] = [];
  let start = 0;
  for (let index = 0; index < ends.length - 1; index += 1) {
    const end = ends[index] as number;
    pieces.push(text.slice(start, end));
    start = end;
  }
  pieces.push(text.slice(start));
  return pieces;
}
