/**
 * Character-level helpers shared by detectors: token boundaries and context words.
 *
 * `\b` is useless next to Chinese (every CJK character is a "non-word" character), so
 * boundaries and context words are decided on characters here.
 */

export function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

export function isAsciiAlnum(code: number): boolean {
  return isAsciiDigit(code) || isAsciiLetter(code);
}

/** CJK unified ideographs (basic block and extension A) — enough for names and addresses. */
export function isCjk(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf);
}

/** `-`, `_`, `/`: joiners that glue two alphanumeric parts into one token. */
function isJoiner(code: number): boolean {
  return code === 0x2d || code === 0x5f || code === 0x2f;
}

/**
 * True when `index` starts a token: the previous character is not a letter or digit, and not a
 * joiner glued to one (`HF-58241586` does not start a token at `5`).
 */
export function isTokenStart(text: string, index: number): boolean {
  if (index <= 0) return true;
  const previous = text.charCodeAt(index - 1);
  if (isAsciiAlnum(previous)) return false;
  if (isJoiner(previous) && index >= 2 && isAsciiAlnum(text.charCodeAt(index - 2))) return false;
  return true;
}

/** True when `index` (exclusive end) ends a token; mirror of `isTokenStart`. */
export function isTokenEnd(text: string, index: number): boolean {
  if (index >= text.length) return true;
  const next = text.charCodeAt(index);
  if (isAsciiAlnum(next)) return false;
  if (isJoiner(next) && index + 1 < text.length && isAsciiAlnum(text.charCodeAt(index + 1))) return false;
  return true;
}

/**
 * Characters that end a clause: context words do not reach across them (`。；;\n！？!?|`).
 * Tested on char codes: `text[index]` of a CJK character allocates a string.
 */
function isClauseBreak(code: number): boolean {
  return code === 0x3002 || code === 0xff1b || code === 0x3b || code === 0x0a || code === 0xff01 || code === 0xff1f || code === 0x21 || code === 0x3f || code === 0x7c;
}

export type ContextVerdict = 'positive' | 'negative' | undefined;

export interface ContextRule {
  /** Words that make the candidate more likely (matched case-insensitively). */
  positive: readonly string[];
  /** Words that make it less likely. */
  negative?: readonly string[];
  /** How many characters before the candidate to look at (within the clause). */
  before: number;
  /** How many characters after the candidate to look at (within the clause). */
  after?: number;
}

interface Keyword {
  /** Lower-cased keyword. */
  word: string;
  positive: boolean;
  /** ASCII words need letter boundaries, so `ip` does not match inside `ship`. */
  needsBoundary: boolean;
}

export type ContextMatcher = (text: string, start: number, end: number) => ContextVerdict;

function foldCode(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/** Whether `keyword` occurs at `at` (ASCII case-folded) with letter boundaries if it needs them. */
function keywordAt(text: string, at: number, keyword: Keyword): boolean {
  const word = keyword.word;
  for (let index = 0; index < word.length; index += 1) if (foldCode(text.charCodeAt(at + index)) !== word.charCodeAt(index)) return false;
  if (!keyword.needsBoundary) return true;
  return !isAsciiLetter(text.charCodeAt(at - 1)) && !isAsciiLetter(text.charCodeAt(at + word.length));
}

function bucket(keywords: readonly Keyword[], key: (word: string) => number): Map<number, Keyword[]> {
  const buckets = new Map<number, Keyword[]>();
  for (const keyword of keywords) {
    const code = key(keyword.word);
    buckets.set(code, [...(buckets.get(code) ?? []), keyword]);
  }
  // Longest first: on equal distance the longer word wins (`統一編號` over `編號`).
  for (const list of buckets.values()) list.sort((left, right) => right.word.length - left.word.length);
  return buckets;
}

/**
 * Builds a matcher that looks for the nearest context word around a candidate. The nearest word
 * decides (a negative word right before the candidate beats a positive one further away); on a
 * tie the longer word wins (`統一編號` over `編號`). It walks outwards from the candidate one code
 * unit at a time and compares keywords in place (bucketed by their last or first code unit), so
 * it allocates nothing and costs O(window) per candidate.
 */
export function createContextMatcher(rule: ContextRule): ContextMatcher {
  const keywords: Keyword[] = [];
  for (const word of rule.positive) keywords.push({ word: word.toLowerCase(), positive: true, needsBoundary: /^[a-z]/i.test(word) });
  for (const word of rule.negative ?? []) keywords.push({ word: word.toLowerCase(), positive: false, needsBoundary: /^[a-z]/i.test(word) });
  const byLast = bucket(keywords, (word) => word.charCodeAt(word.length - 1));
  const byFirst = bucket(keywords, (word) => word.charCodeAt(0));
  const after = rule.after ?? 0;
  return (text, start, end) => {
    let windowStart = Math.max(0, start - rule.before);
    for (let index = start - 1; index >= windowStart; index -= 1) {
      if (isClauseBreak(text.charCodeAt(index))) {
        windowStart = index + 1;
        break;
      }
    }
    let bestDistance = Number.POSITIVE_INFINITY;
    let bestLength = 0;
    let verdict: ContextVerdict;
    // Before: a keyword ending at `position` (exclusive), nearest first.
    for (let position = start; position > windowStart && verdict === undefined; position -= 1) {
      const candidates = byLast.get(foldCode(text.charCodeAt(position - 1)));
      if (candidates === undefined) continue;
      for (const keyword of candidates) {
        const at = position - keyword.word.length;
        if (at < windowStart || !keywordAt(text, at, keyword)) continue;
        bestDistance = start - position;
        bestLength = keyword.word.length;
        verdict = keyword.positive ? 'positive' : 'negative';
        break;
      }
    }
    if (after > 0) {
      let windowEnd = Math.min(text.length, end + after);
      for (let index = end; index < windowEnd; index += 1) {
        if (isClauseBreak(text.charCodeAt(index))) {
          windowEnd = index;
          break;
        }
      }
      for (let position = end; position < windowEnd && position - end <= bestDistance; position += 1) {
        const candidates = byFirst.get(foldCode(text.charCodeAt(position)));
        if (candidates === undefined) continue;
        let found = false;
        for (const keyword of candidates) {
          if (position + keyword.word.length > windowEnd || !keywordAt(text, position, keyword)) continue;
          const distance = position - end;
          if (distance < bestDistance || (distance === bestDistance && keyword.word.length > bestLength)) {
            bestDistance = distance;
            bestLength = keyword.word.length;
            verdict = keyword.positive ? 'positive' : 'negative';
          }
          found = true;
          break;
        }
        if (found) break;
      }
    }
    return verdict;
  };
}

/** Counts ASCII digits in `text[start, end)`. */
export function countDigits(text: string, start: number, end: number): number {
  let count = 0;
  for (let index = start; index < end; index += 1) if (isAsciiDigit(text.charCodeAt(index))) count += 1;
  return count;
}

/** The ASCII digits of `text[start, end)` joined. */
export function digitsOf(text: string, start = 0, end = text.length): string {
  // Usually all digits already: one slice (or none) instead of a string per digit.
  if (countDigits(text, start, end) === end - start) return start === 0 && end === text.length ? text : text.slice(start, end);
  let digits = '';
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (isAsciiDigit(code)) digits += text[index];
  }
  return digits;
}

/**
 * Runs a global regex over the text and collects spans. The regex object is module-level and
 * compiled once; `lastIndex` is reset here, and zero-length matches advance so nothing loops.
 */
export function forEachMatch(pattern: RegExp, text: string, onMatch: (match: RegExpExecArray) => void): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0].length === 0) pattern.lastIndex += 1;
    onMatch(match);
  }
  pattern.lastIndex = 0;
}

/** Sorts spans and drops later ones that overlap an earlier one (detector-local tidy-up). */
export function sortAndDropOverlaps<T extends { start: number; end: number }>(spans: T[]): T[] {
  spans.sort((left, right) => left.start - right.start || right.end - left.end);
  const result: T[] = [];
  let lastEnd = -1;
  for (const span of spans) {
    if (span.start >= lastEnd) {
      result.push(span);
      lastEnd = span.end;
    }
  }
  return result;
}
