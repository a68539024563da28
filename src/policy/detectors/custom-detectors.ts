import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { DetectedSpan, Detector } from './detector.js';
import { createKeywordAutomaton } from './keyword-automaton.js';
import { foldFullWidth } from './normalize-text.js';
import { forEachMatch, isAsciiAlnum } from './text-context.js';

/** Custom entity names: upper snake case, so they read like the built-in vocabulary. */
const entityName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'entity must be UPPER_SNAKE_CASE (e.g. CUSTOMER_NAME), 2–64 characters');
const detectorId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'id must be lower-case letters, digits, ".", "_" or "-"');
const score = z.number().gt(0).lte(1).default(0.9);

export const customDetectorSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('regex'),
    id: detectorId,
    entity: entityName,
    /** JavaScript regex source (no slashes). Checked at load; see `validateSafePattern`. */
    pattern: z.string().min(1).max(1000),
    caseInsensitive: z.boolean().default(false),
    score,
  }),
  z.strictObject({
    kind: z.literal('keywords'),
    id: detectorId,
    entity: entityName,
    keywords: z.array(z.string().min(1).max(200)).min(1),
    caseInsensitive: z.boolean().default(true),
    /** Latin keywords must not be glued to letters or digits (`Phoenix` not in `Phoenixville`). */
    wholeWord: z.boolean().default(true),
    score,
  }),
  z.strictObject({
    kind: z.literal('dictionary'),
    id: detectorId,
    entity: entityName,
    /** UTF-8 file, one entry per line; blank lines and lines starting with `#` are ignored. */
    file: z.string().min(1),
    caseInsensitive: z.boolean().default(true),
    wholeWord: z.boolean().default(true),
    score,
  }),
]);

export type CustomDetectorConfig = z.input<typeof customDetectorSchema>;
export type ParsedCustomDetectorConfig = z.output<typeof customDetectorSchema>;

/** A custom detector that cannot be loaded. `detectorId` names the offending entry. */
export class DetectorConfigError extends Error {
  readonly detectorId: string;
  constructor(detectorId: string, message: string) {
    super(`custom detector "${detectorId}": ${message}`);
    this.name = 'DetectorConfigError';
    this.detectorId = detectorId;
  }
}

/**
 * Rejects regex features that let one pattern backtrack exponentially on a crafted input:
 * backreferences, lookaround, and a repeated group (`*`, `+`, `{n,m}` with m > 1) that itself
 * contains a quantifier or an alternation (`(a+)+`, `(\w|\d)*`). JavaScript's engine cannot be
 * interrupted mid-match, and a linear-time engine (re2) needs a native build, so user patterns
 * are restricted to a shape the backtracking engine handles in polynomial time.
 * Returns a reason, or undefined when the pattern is acceptable.
 */
export function findUnsafeRegexFeature(pattern: string): string | undefined {
  interface Frame {
    quantified: boolean;
    alternation: boolean;
  }
  const stack: Frame[] = [{ quantified: false, alternation: false }];
  let index = 0;
  // Reads a quantifier at `at`; returns its length and whether it can repeat more than once.
  const readQuantifier = (at: number): { length: number; repeats: boolean } | undefined => {
    const character = pattern[at];
    if (character === '*' || character === '+') return { length: 1, repeats: true };
    if (character === '?') return { length: 1, repeats: false };
    if (character === '{') {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
      if (braces === null) return undefined;
      const max = braces[2] === undefined ? Number(braces[1]) : braces[3] === '' ? Number.POSITIVE_INFINITY : Number(braces[3]);
      return { length: braces[0].length, repeats: max > 1 };
    }
    return undefined;
  };
  const afterQuantifier = (at: number, quantifierLength: number): number => {
    const next = at + quantifierLength;
    return pattern[next] === '?' ? next + 1 : next;
  };
  while (index < pattern.length) {
    const character = pattern[index];
    const frame = stack[stack.length - 1];
    if (frame === undefined) return 'unbalanced parentheses';
    if (character === '\\') {
      const escaped = pattern[index + 1] ?? '';
      if (/[1-9]/.test(escaped) || (escaped === 'k' && pattern[index + 2] === '<')) return 'backreferences are not allowed';
      if (/[pPu]/.test(escaped) && pattern[index + 2] === '{') {
        const close = pattern.indexOf('}', index + 3);
        index = close < 0 ? pattern.length : close + 1;
      } else {
        index += 2;
      }
    } else if (character === '[') {
      index += 1;
      while (index < pattern.length && pattern[index] !== ']') index += pattern[index] === '\\' ? 2 : 1;
      index += 1;
    } else if (character === '(') {
      if (/^\(\?<?[=!]/.test(pattern.slice(index))) return 'lookahead and lookbehind are not allowed';
      stack.push({ quantified: false, alternation: false });
      index += 1;
      continue;
    } else if (character === ')') {
      const group = stack.pop();
      const parent = stack[stack.length - 1];
      if (group === undefined || parent === undefined) return 'unbalanced parentheses';
      const quantifier = readQuantifier(index + 1);
      if (quantifier !== undefined && quantifier.repeats && (group.quantified || group.alternation)) {
        return 'a repeated group may not contain a quantifier or "|" (nested quantifiers can backtrack exponentially)';
      }
      parent.quantified ||= group.quantified || quantifier !== undefined;
      index = quantifier === undefined ? index + 1 : afterQuantifier(index + 1, quantifier.length);
      continue;
    } else if (character === '|') {
      frame.alternation = true;
      index += 1;
      continue;
    } else {
      index += 1;
    }
    const quantifier = readQuantifier(index);
    if (quantifier !== undefined) {
      const current = stack[stack.length - 1];
      if (current !== undefined) current.quantified = true;
      index = afterQuantifier(index, quantifier.length);
    }
  }
  if (stack.length !== 1) return 'unbalanced parentheses';
  return undefined;
}

function keywordDetector(config: { id: string; entity: string; score: number; caseInsensitive: boolean; wholeWord: boolean }, keywords: readonly string[]): Detector {
  const normalized = keywords.map((keyword) => foldFullWidth(keyword.trim())).filter((keyword) => keyword.length > 0);
  if (normalized.length === 0) throw new DetectorConfigError(config.id, 'no keywords');
  const automaton = createKeywordAutomaton(normalized, { caseInsensitive: config.caseInsensitive });
  return {
    id: config.id,
    entity: config.entity,
    detect(text) {
      const spans: DetectedSpan[] = [];
      for (const match of automaton.findAll(text)) {
        if (config.wholeWord) {
          const glued =
            (match.start > 0 && isAsciiAlnum(text.charCodeAt(match.start - 1)) && isAsciiAlnum(text.charCodeAt(match.start))) ||
            (match.end < text.length && isAsciiAlnum(text.charCodeAt(match.end)) && isAsciiAlnum(text.charCodeAt(match.end - 1)));
          if (glued) continue;
        }
        spans.push({ start: match.start, end: match.end, score: config.score });
      }
      return spans;
    },
  };
}

function regexDetector(config: Extract<ParsedCustomDetectorConfig, { kind: 'regex' }>): Detector {
  const unsafe = findUnsafeRegexFeature(config.pattern);
  if (unsafe !== undefined) throw new DetectorConfigError(config.id, `pattern /${config.pattern}/ rejected: ${unsafe}`);
  let pattern: RegExp;
  try {
    pattern = new RegExp(config.pattern, config.caseInsensitive ? 'giu' : 'gu');
  } catch (error) {
    throw new DetectorConfigError(config.id, `invalid pattern /${config.pattern}/: ${(error as Error).message}`);
  }
  if (pattern.test('')) throw new DetectorConfigError(config.id, `pattern /${config.pattern}/ matches the empty string`);
  pattern.lastIndex = 0;
  return {
    id: config.id,
    entity: config.entity,
    detect(text) {
      const spans: DetectedSpan[] = [];
      let lastEnd = -1;
      forEachMatch(pattern, text, (match) => {
        const end = match.index + match[0].length;
        if (match[0].length === 0 || match.index < lastEnd) return;
        spans.push({ start: match.index, end, score: config.score });
        lastEnd = end;
      });
      return spans;
    },
  };
}

export interface LoadCustomDetectorsOptions {
  /** Directory dictionary `file` paths are resolved against (usually the config file's). */
  baseDir?: string;
}

/**
 * Validates and builds custom detectors. Throws `DetectorConfigError` naming the first bad
 * entry, or a zod error for shape problems. Everything is compiled here, once.
 */
export function loadCustomDetectors(configs: readonly CustomDetectorConfig[], options: LoadCustomDetectorsOptions = {}): Detector[] {
  const seen = new Set<string>();
  return configs.map((raw, position) => {
    const parsed = customDetectorSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown }).id === 'string' ? String((raw as { id: string }).id) : `#${position}`;
      throw new DetectorConfigError(id, parsed.error.issues.map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`).join('; '));
    }
    const config = parsed.data;
    if (seen.has(config.id)) throw new DetectorConfigError(config.id, 'duplicate id');
    seen.add(config.id);
    if (config.kind === 'regex') return regexDetector(config);
    if (config.kind === 'keywords') return keywordDetector(config, config.keywords);
    const file = path.resolve(options.baseDir ?? process.cwd(), config.file);
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (error) {
      throw new DetectorConfigError(config.id, `cannot read dictionary ${file}: ${(error as Error).message}`);
    }
    const entries = content.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0 && !line.startsWith('#'));
    return keywordDetector(config, entries);
  });
}
