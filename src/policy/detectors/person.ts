import type { DetectedSpan, Detector } from './detector.js';
import { detectLatinNames } from './person-latin.js';
import {
  COMPOUND_SURNAMES,
  FOLLOWING_WORDS,
  GIVEN_NAME_CHARS,
  NAME_SLOT_WORDS,
  PRECEDING_WORDS,
  SINGLE_SURNAMES,
  SURNAME_STOP_WORDS,
  TITLE_WORDS,
} from './person-lexicon.js';
import { isCjk } from './text-context.js';
import { createCharTable, createWordLookup } from './word-lookup.js';
import { defineDetector } from './detector-definition.js';

/**
 * How convincingly a name candidate ends at `end`: 3 a title follows (經理, 小姐), 2 the text
 * ends, non-Chinese text or punctuation follows, or a two-character word that usually follows a
 * name (立即, 申請); 1 a one-character particle (的, 以, 與); 0 nothing usable.
 */
function boundaryStrength(text: string, end: number): number {
  if (end >= text.length || !isCjk(text.charCodeAt(end))) return 2;
  if (TITLES.longestAt(text, end) > 0) return 3;
  const following = FOLLOWING.longestAt(text, end);
  return following >= 2 ? 2 : following;
}

const TITLES = createWordLookup(TITLE_WORDS);
const FOLLOWING = createWordLookup(FOLLOWING_WORDS);
const PRECEDING = createWordLookup(PRECEDING_WORDS);
const COMPOUNDS = createWordLookup(COMPOUND_SURNAMES);
const STOP_WORDS = createWordLookup(SURNAME_STOP_WORDS);
const SLOTS = createWordLookup(NAME_SLOT_WORDS);
const GIVEN = createCharTable(GIVEN_NAME_CHARS);
/** Characters skipped between a name-slot word and the name: spaces, colons, quotes, brackets. */
const SLOT_GAP = createCharTable([' ', '\t', ':', '：', ',', '，', '、', '「', '『', '"', '“', '(', '（', ')', '）']);

/** Whether a name-slot word (聯絡人, 客戶, 我是 …) sits right before `start`. */
function hasNameSlotBefore(text: string, start: number): boolean {
  let position = start;
  while (position > 0 && start - position < 8 && GIVEN_GAP(text.charCodeAt(position - 1))) position -= 1;
  return SLOTS.longestEndingAt(text, position) > 0;
}

function GIVEN_GAP(code: number): boolean {
  return SLOT_GAP[code] === 1;
}

function isGiven(text: string, index: number): boolean {
  return index < text.length && GIVEN[text.charCodeAt(index)] === 1;
}

/**
 * Char-code tables so the per-character loop does no string allocation and no hashing: it runs
 * on every CJK character of the text, and a typed-array read is far cheaper than `Set.has`.
 */
const COMPOUND_FIRST = createCharTable([...COMPOUND_SURNAMES].map((surname) => surname.charAt(0)));
const SINGLE_SURNAME = createCharTable([...SINGLE_SURNAMES].map((surname) => surname.charAt(0)));

/** Surname characters that are also measure words: 這段英文, 三張發票, 一方面. */
const MEASURE_SURNAMES = createCharTable(['張', '段', '方', '項', '支', '條', '份', '位', '台', '葉', '席', '門']);
const QUANTIFIER_BEFORE = /[這那一二兩三四五六七八九十百千幾每某各此該本哪整半多數\d]$/;

/** True when the surname character at `index` is used as a measure word after a number or demonstrative. */
function isMeasureWordUse(text: string, index: number): boolean {
  if (MEASURE_SURNAMES[text.charCodeAt(index)] !== 1) return false;
  return QUANTIFIER_BEFORE.test(text.slice(Math.max(0, index - 3), index).trimEnd());
}

/**
 * Chinese names: a surname from the list (compound first), then one or two given-name
 * characters, then a boundary. Two given characters are preferred when both fit.
 */
function detectChineseNames(text: string, spans: DetectedSpan[]): void {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x3400) continue;
    let surnameLength = 0;
    if (COMPOUND_FIRST[code] === 1 && COMPOUNDS.longestAt(text, index) === 2) surnameLength = 2;
    else if (SINGLE_SURNAME[code] === 1) surnameLength = 1;
    else continue;
    if (!isGiven(text, index + surnameLength)) continue;
    if (index > 0 && PRECEDING.longestEndingAt(text, index + 1) >= 2) continue;
    if (surnameLength === 1 && isMeasureWordUse(text, index)) continue;

    // Two given characters win unless one character ends on a clearly better boundary
    // (曾玲立即: 立 could be a given name, but 立即 is a word).
    let end = -1;
    let strength = 0;
    for (let givenLength = 2; givenLength >= 1; givenLength -= 1) {
      const givenStart = index + surnameLength;
      if (givenLength === 2 && !isGiven(text, givenStart + 1)) continue;
      const candidateStrength = boundaryStrength(text, givenStart + givenLength);
      if (candidateStrength > strength) {
        end = givenStart + givenLength;
        strength = candidateStrength;
      }
    }
    const slot = hasNameSlotBefore(text, index);
    if (end < 0 && slot) {
      // After a role word (原告, 出租人, 被保險人 …) the name needs no boundary word after it:
      // take two given characters when both are name characters, else one.
      const givenStart = index + surnameLength;
      end = isGiven(text, givenStart + 1) ? givenStart + 2 : givenStart + 1;
    }
    if (end < 0) continue;

    const strong = strength === 3 || slot;
    // 王國, 高興, 周末 …: ordinary words, unless a title or a name slot says it is a name.
    if (surnameLength === 1 && STOP_WORDS.longestAt(text, index) === 2 && !strong) continue;
    const length = end - index;
    const base = length >= 3 ? 0.8 : 0.7;
    spans.push({ start: index, end, score: strong ? Math.min(0.97, base + 0.15) : base });
    index = end - 1;
  }
}

/** Personal names in Chinese and in Latin script. Titles and honorifics are not part of the span. */
export const personDetector: Detector = {
  id: 'person',
  entity: 'PERSON',
  detect(text) {
    const spans: DetectedSpan[] = [];
    detectChineseNames(text, spans);
    detectLatinNames(text, spans);
    spans.sort((left, right) => left.start - right.start || right.end - left.end);
    const result: DetectedSpan[] = [];
    for (const span of spans) {
      const previous = result[result.length - 1];
      if (previous !== undefined && span.start < previous.end) continue;
      result.push(span);
    }
    return result;
  },
};

/** Built-in definition: person spans imply `confidential` unless `policy.entity_classes` says otherwise. */
export const personDefinition = defineDetector(personDetector, 'confidential');
