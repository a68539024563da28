import type { DetectedSpan, Detector } from './detector.js';

/**
 * Full-width folding done once per scan. U+FF01–U+FF5E (ＡＢＣ０１２＄，：…) map to their
 * ASCII forms and U+3000 (ideographic space) to a space; everything else is kept.
 *
 * Every mapped code unit is a single BMP unit mapped to a single BMP unit, so the folded text
 * has the original's length and `toOriginal` is the identity. The offset map is kept in the
 * interface so that a future fold which changes lengths (e.g. full NFKC) only has to fill it
 * in; detectors already go through it.
 */
export interface NormalizedText {
  /** The folded text detectors run on. */
  readonly text: string;
  /** The caller's text; detected offsets refer to it. */
  readonly original: string;
  /** Maps an index in `text` to an index in `original`. */
  toOriginal(index: number): number;
}

const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xff01 - 0x21;
const IDEOGRAPHIC_SPACE = 0x3000;

function identity(index: number): number {
  return index;
}

/** Folds full-width ASCII variants to half-width. Linear; allocates only if something changes. */
export function foldFullWidth(original: string): string {
  let firstChange = -1;
  for (let index = 0; index < original.length; index += 1) {
    const code = original.charCodeAt(index);
    if ((code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) || code === IDEOGRAPHIC_SPACE) {
      firstChange = index;
      break;
    }
  }
  if (firstChange < 0) return original;
  const parts: string[] = [original.slice(0, firstChange)];
  let runStart = firstChange;
  for (let index = firstChange; index < original.length; index += 1) {
    const code = original.charCodeAt(index);
    let folded = -1;
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) folded = code - FULL_WIDTH_OFFSET;
    else if (code === IDEOGRAPHIC_SPACE) folded = 0x20;
    if (folded >= 0) {
      if (runStart < index) parts.push(original.slice(runStart, index));
      parts.push(String.fromCharCode(folded));
      runStart = index + 1;
    }
  }
  if (runStart < original.length) parts.push(original.slice(runStart));
  return parts.join('');
}

export function normalizeText(original: string): NormalizedText {
  return { text: foldFullWidth(original), original, toOriginal: identity };
}

/** Converts printable ASCII to full-width (space to U+3000). Test helper and inverse of the fold. */
export function toFullWidth(text: string): string {
  let result = '';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x21 && code <= 0x7e) result += String.fromCharCode(code + FULL_WIDTH_OFFSET);
    else if (code === 0x20) result += String.fromCharCode(IDEOGRAPHIC_SPACE);
    else result += text[index];
  }
  return result;
}

/** Runs one detector on raw text the way the scanner does (fold, detect, map offsets back). */
export function runDetector(detector: Detector, original: string): DetectedSpan[] {
  const normalized = normalizeText(original);
  return detector
    .detect(normalized.text, { original })
    .map((span) => ({ ...span, start: normalized.toOriginal(span.start), end: normalized.toOriginal(span.end) }));
}
