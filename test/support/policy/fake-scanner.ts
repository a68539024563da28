import type { ScanEntity, TextScanner } from '../../../src/policy/classify.js';

/**
 * A tiny deterministic scanner for policy tests, so they exercise classification, rules and
 * masking without depending on the real detectors' heuristics.
 */
const PATTERNS: Array<{ type: string; pattern: RegExp }> = [
  { type: 'TW_NATIONAL_ID', pattern: /[A-Z][12]\d{8}/g },
  { type: 'EMAIL', pattern: /[\w.+-]+@[\w-]+\.[\w.]+/g },
  { type: 'PHONE', pattern: /09\d{2}-?\d{3}-?\d{3}/g },
  { type: 'PERSON', pattern: /王小明|陳美玲|Alice Chen|Bob Lin/g },
  { type: 'SECRET', pattern: /sk-[A-Za-z0-9]{8,}/g },
];

export function fakeScan(text: string): ScanEntity[] {
  const entities: ScanEntity[] = [];
  for (const { type, pattern } of PATTERNS) {
    for (const match of text.matchAll(pattern)) entities.push({ type, start: match.index, end: match.index + match[0].length, score: 0.9 });
  }
  return entities.sort((left, right) => left.start - right.start);
}

export const fakeScanner: TextScanner = { scan: (text) => ({ entities: fakeScan(text) }) };
