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

const JOINERS = new Set(['-', '_', '/']);

/**
 * True when `index` starts a token: the previous character is not a letter or digit, and not a
 * joiner glued to one (`HF-58241586` does not start a token at `5`).
 */
export function isTokenStart(text: string, index: number): boolean {
  if (index <= 0) return true;
  const previous = text.charCodeAt(index - 1);
  if (isAsciiAlnum(previous)) return false;
  if (JOINERS.has(text[index - 1] ?? '') && index >= 2 && isAsciiAlnum(text.charCodeAt(index - 2))) return false;
  return true;
}

/** True when `index` (exclusive end) ends a token; mirror of `isTokenStart`. */
export function isTokenEnd(text: string, index: number): boolean {
  if (index >= text.length) return true;
  const next = text.charCodeAt(index);
  if (isAsciiAlnum(next)) return false;
  if (JOINERS.has(text[index] ?? '') && index + 1 < text.length && isAsciiAlnum(text.charCodeAt(index + 1))) return false;
  return true;
}

/** Characters that end a clause: context words do not reach across them. */
const CLAUSE_BREAKS = new Set(['。', '；', ';', '\n', '！', '？', '!', '?', '|']);

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
  word: string;
  positive: boolean;
  /** ASCII words need letter boundaries, so `ip` does not match inside `ship`. */
  needsBoundary: boolean;
}

export type ContextMatcher = (text: string, start: number, end: number) => ContextVerdict;

function prepareKeywords(rule: ContextRule): Keyword[] {
  const keywords: Keyword[] = [];
  for (const word of rule.positive) keywords.push({ word: word.toLowerCase(), positive: true, needsBoundary: /^[a-z]/i.test(word) });
  for (const word of rule.negative ?? []) keywords.push({ word: word.toLowerCase(), positive: false, needsBoundary: /^[a-z]/i.test(word) });
  return keywords;
}

function boundaryOk(window: string, at: number, length: number): boolean {
  const before = at > 0 ? window.charCodeAt(at - 1) : 0x20;
  const after = at + length < window.length ? window.charCodeAt(at + length) : 0x20;
  return !isAsciiLetter(before) && !isAsciiLetter(after);
}

/**
 * Builds a matcher that looks for the nearest context word around a candidate. The nearest word
 * decides (a negative word right before the candidate beats a positive one further away); on a
 * tie the longer word wins (`統一編號` over `編號`). Cost is bounded by the window sizes, so a
 * detector calling it per candidate stays linear.
 */
export function createContextMatcher(rule: ContextRule): ContextMatcher {
  const keywords = prepareKeywords(rule);
  const after = rule.after ?? 0;
  return (text, start, end) => {
    let windowStart = Math.max(0, start - rule.before);
    for (let index = start - 1; index >= windowStart; index -= 1) {
      if (CLAUSE_BREAKS.has(text[index] ?? '')) {
        windowStart = index + 1;
        break;
      }
    }
    const beforeWindow = text.slice(windowStart, start).toLowerCase();
    let bestDistance = Number.POSITIVE_INFINITY;
    let bestLength = 0;
    let verdict: ContextVerdict;
    for (const keyword of keywords) {
      let at = beforeWindow.lastIndexOf(keyword.word);
      while (at >= 0 && keyword.needsBoundary && !boundaryOk(beforeWindow, at, keyword.word.length)) {
        at = at === 0 ? -1 : beforeWindow.lastIndexOf(keyword.word, at - 1);
      }
      if (at < 0) continue;
      const distance = beforeWindow.length - (at + keyword.word.length);
      if (distance < bestDistance || (distance === bestDistance && keyword.word.length > bestLength)) {
        bestDistance = distance;
        bestLength = keyword.word.length;
        verdict = keyword.positive ? 'positive' : 'negative';
      }
    }
    if (after > 0) {
      let windowEnd = Math.min(text.length, end + after);
      for (let index = end; index < windowEnd; index += 1) {
        if (CLAUSE_BREAKS.has(text[index] ?? '')) {
          windowEnd = index;
          break;
        }
      }
      const afterWindow = text.slice(end, windowEnd).toLowerCase();
      for (const keyword of keywords) {
        let at = afterWindow.indexOf(keyword.word);
        while (at >= 0 && keyword.needsBoundary && !boundaryOk(afterWindow, at, keyword.word.length)) {
          at = afterWindow.indexOf(keyword.word, at + 1);
        }
        if (at < 0) continue;
        if (at < bestDistance || (at === bestDistance && keyword.word.length > bestLength)) {
          bestDistance = at;
          bestLength = keyword.word.length;
          verdict = keyword.positive ? 'positive' : 'negative';
        }
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
