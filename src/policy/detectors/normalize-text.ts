import type { DetectedSpan, Detector } from './detector.js';

import { normalizeText, type NormalizedText } from '../../text/normalize-text.js';

/**
 * Detector-side helpers around the ground-floor normaliser (`src/text/normalize-text.ts`):
 * detectors run on its canonical text and spans map back through its offset map.
 * `foldFullWidth` is the older one-for-one fold, kept for keyword rules and custom detectors.
 */
export { normalizeText, type NormalizedText };

const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xff01 - 0x21;
const IDEOGRAPHIC_SPACE = 0x3000;

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
    .map((span) => ({ ...span, start: normalized.toOriginalStart(span.start), end: normalized.toOriginalEnd(span.end) }));
}
