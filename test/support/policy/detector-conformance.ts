import { describe, expect, it } from 'vitest';
import type { DetectedSpan, Detector } from '../../../src/policy/detectors/detector.js';
import { runDetector, toFullWidth } from '../../../src/policy/detectors/normalize-text.js';

/** A text and the surfaces (in order) the detector must report in it. */
export interface DetectorSample {
  text: string;
  expected: readonly string[];
}

export interface DetectorConformanceOptions {
  detector: Detector;
  /** Texts with findings; each must yield exactly `expected`. Include full-width cases. */
  valid: readonly DetectorSample[];
  /** Texts that must yield nothing: wrong check digits, look-alikes, hard negatives. */
  negatives: readonly string[];
  /** Spans below this score do not count as findings (the scanner's default). */
  minScore?: number;
}

const ADVERSARIAL_LENGTH = 100_000;

/** Inputs that make badly written patterns backtrack; a linear detector handles each quickly. */
const ADVERSARIAL_INPUTS: readonly string[] = [
  '1'.repeat(ADVERSARIAL_LENGTH),
  'a'.repeat(ADVERSARIAL_LENGTH),
  '1-'.repeat(ADVERSARIAL_LENGTH / 2),
  'a.'.repeat(ADVERSARIAL_LENGTH / 2),
  'a@'.repeat(ADVERSARIAL_LENGTH / 2),
  'Aa '.repeat(ADVERSARIAL_LENGTH / 3),
  '陳'.repeat(ADVERSARIAL_LENGTH),
  '1:'.repeat(ADVERSARIAL_LENGTH / 2),
  '$1,'.repeat(ADVERSARIAL_LENGTH / 3),
  'password: '.repeat(ADVERSARIAL_LENGTH / 10),
  '臺北市信義區'.repeat(ADVERSARIAL_LENGTH / 6),
];

function findings(detector: Detector, text: string, minScore: number): DetectedSpan[] {
  return runDetector(detector, text).filter((span) => span.score >= minScore);
}

function surfaces(text: string, spans: readonly DetectedSpan[]): string[] {
  return spans.map((span) => text.slice(span.start, span.end));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function expectWellFormed(text: string, spans: readonly DetectedSpan[]): void {
  let previousEnd = 0;
  for (const span of spans) {
    expect(Number.isInteger(span.start) && Number.isInteger(span.end)).toBe(true);
    expect(span.start).toBeGreaterThanOrEqual(previousEnd);
    expect(span.end).toBeGreaterThan(span.start);
    expect(span.end).toBeLessThanOrEqual(text.length);
    expect(span.score).toBeGreaterThan(0);
    expect(span.score).toBeLessThanOrEqual(1);
    // A span never splits a surrogate pair.
    if (span.start > 0) expect(isHighSurrogate(text.charCodeAt(span.start - 1))).toBe(false);
    expect(isHighSurrogate(text.charCodeAt(span.end - 1))).toBe(false);
    previousEnd = span.end;
  }
}

/** Replaces spans with typed placeholders, as reversible masking does. */
function mask(text: string, spans: readonly DetectedSpan[], entity: string): string {
  let result = '';
  let cursor = 0;
  spans.forEach((span, index) => {
    result += `${text.slice(cursor, span.start)}[${entity}_${index + 1}]`;
    cursor = span.end;
  });
  return result + text.slice(cursor);
}

/**
 * The shared suite every detector's test runs: exact expected spans, no findings in hard
 * negatives, well-formed offsets into the original text (also after astral characters),
 * identical results on full-width input, spans next to Chinese punctuation, masking then
 * rescanning finds nothing, determinism, and linear-time behaviour on adversarial input.
 */
export function runDetectorConformance(options: DetectorConformanceOptions): void {
  const { detector, valid, negatives } = options;
  const minScore = options.minScore ?? 0.5;

  describe(`detector conformance: ${detector.id} (${detector.entity})`, () => {
    it('has an id and an upper-snake-case entity', () => {
      expect(detector.id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
      expect(detector.entity).toMatch(/^[A-Z][A-Z0-9_]+$/);
    });

    it.each(valid.map((sample) => [sample.text, sample]))('reports exactly the expected spans in %s', (_label, sample) => {
      const spans = findings(detector, sample.text, minScore);
      expect(surfaces(sample.text, spans)).toEqual(sample.expected);
    });

    it.each(negatives.map((text) => [text]))('reports nothing in %s', (text) => {
      expect(surfaces(text, findings(detector, text, minScore))).toEqual([]);
    });

    it('returns sorted, non-overlapping, in-range spans that never split a surrogate pair', () => {
      for (const text of [...valid.map((sample) => sample.text), ...negatives]) {
        expectWellFormed(text, runDetector(detector, text));
        // Astral characters before the text shift every offset by two code units.
        const prefix = '😀𠀋 ';
        const shifted = `${prefix}${text}`;
        const spans = runDetector(detector, shifted);
        expectWellFormed(shifted, spans);
        expect(spans.map((span) => [span.start - prefix.length, span.end - prefix.length])).toEqual(
          runDetector(detector, text).map((span) => [span.start, span.end]),
        );
      }
    });

    it('gives full-width input the same spans, with offsets into the original text', () => {
      for (const sample of valid) {
        const fullWidth = toFullWidth(sample.text);
        const expected = findings(detector, sample.text, minScore).map((span) => [span.start, span.end]);
        expect(findings(detector, fullWidth, minScore).map((span) => [span.start, span.end])).toEqual(expected);
      }
    });

    it('finds spans directly next to Chinese punctuation', () => {
      for (const sample of valid) {
        for (const span of findings(detector, sample.text, minScore)) {
          const surface = sample.text.slice(span.start, span.end);
          // A span already inside quotes is its quoted content: punctuation goes outside them.
          const quoted = /["'「『“(（]/.test(sample.text[span.start - 1] ?? '');
          const after = quoted ? span.end + 1 : span.end;
          const variants = [
            ...(quoted ? [] : [`${sample.text.slice(0, span.start)}「${surface}」${sample.text.slice(span.end)}`]),
            `${sample.text.slice(0, after)}。${sample.text.slice(after)}`,
            `${sample.text.slice(0, after)}，${sample.text.slice(after)}`,
          ];
          for (const variant of variants) expect(surfaces(variant, findings(detector, variant, minScore))).toContain(surface);
        }
      }
    });

    it('finds nothing of its type once the detected spans are masked', () => {
      for (const sample of valid) {
        const masked = mask(sample.text, findings(detector, sample.text, minScore), detector.entity);
        expect(surfaces(masked, findings(detector, masked, minScore))).toEqual([]);
      }
    });

    it('is deterministic across calls (no state leaks between scans)', () => {
      for (const sample of valid) {
        expect(runDetector(detector, sample.text)).toEqual(runDetector(detector, sample.text));
      }
    });

    it('stays linear on adversarial input', () => {
      for (const input of ADVERSARIAL_INPUTS) {
        const started = performance.now();
        runDetector(detector, input);
        expect(performance.now() - started, `slow on ${JSON.stringify(input.slice(0, 12))}…`).toBeLessThan(1500);
      }
    });
  });
}
