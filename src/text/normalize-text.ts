/**
 * Text normalisation for matching, with an offset map back to the caller's text.
 *
 * Detectors (and the guard) match on a canonical form so that evasions do not slip past them:
 *  - NFKC per code point (full-width `０９１２`, mathematical `𝟎𝟗`, circled `①`, ligatures);
 *  - a small curated table of Cyrillic and Greek letters that look like Latin ones (`А1234…`);
 *  - invisible format characters removed (ZWSP, ZWNJ, ZWJ, word joiner, soft hyphen, BOM,
 *    bidi controls, variation selectors) and combining marks dropped;
 *  - decimal digits of any script (Arabic-Indic `٠١٢`, Devanagari, Thai …) folded to ASCII, and
 *    runs of Chinese-numeral digits (`零九一二三四五六七八`) folded where they spell a number of
 *    seven or more digits (IDs, phones) — never inside amounts (萬, 千 … are not digits);
 *  - every space-like character (NBSP, narrow NBSP, thin space, ideographic space) as a space,
 *    and dash look-alikes (‐ ‑ ‒ – — −) as `-`.
 *
 * Normalisation may shorten (a removed ZWSP) or lengthen (`…` → `...`) the text, so offsets are
 * mapped: `toOriginalStart(i)` is where normalised unit `i` came from, `toOriginalEnd(e)` the
 * original end of a span ending (exclusive) at `e`. A span over normalised text therefore maps
 * to the original characters it came from — including invisible ones removed from inside it — so
 * masking the mapped span removes the whole evasion.
 *
 * Ground floor: imports nothing. Linear; the per-code-point fold is computed once and cached.
 */

export interface NormalizedText {
  /** The canonical text matchers run on. */
  readonly text: string;
  /** The caller's text; mapped offsets refer to it. */
  readonly original: string;
  /** True when `text` has the original's length and every index maps to itself. */
  readonly identity: boolean;
  /** Original index where normalised unit `index` starts (`index === text.length` → original length). */
  toOriginalStart(index: number): number;
  /** Original (exclusive) end of a span whose normalised (exclusive) end is `index`. */
  toOriginalEnd(index: number): number;
  /** Alias of `toOriginalStart`, kept for the older single-function interface. */
  toOriginal(index: number): number;
}

/** Cyrillic and Greek letters that render like Latin ones (a deliberate, small table). */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic capitals
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y',
  Ѕ: 'S', І: 'I', Ј: 'J', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Ӏ: 'I',
  // Cyrillic small
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', һ: 'h', ԁ: 'd',
  ԛ: 'q', ԝ: 'w', ӏ: 'l', ү: 'y', ђ: 'h',
  // Greek capitals
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T',
  Υ: 'Y', Χ: 'X',
  // Greek small
  ο: 'o', α: 'a', ι: 'i', κ: 'k', ν: 'v', ρ: 'p', υ: 'u', χ: 'x',
};

/** Format characters that render as nothing and only serve to split a token. */
function isInvisible(code: number): boolean {
  return (
    code === 0x00ad || // soft hyphen
    code === 0x034f || // combining grapheme joiner
    code === 0x061c || // Arabic letter mark
    code === 0x115f || code === 0x1160 || // Hangul fillers
    code === 0x17b4 || code === 0x17b5 ||
    code === 0x180e || // Mongolian vowel separator
    (code >= 0x200b && code <= 0x200f) || // ZWSP, ZWNJ, ZWJ, LRM, RLM
    (code >= 0x202a && code <= 0x202e) || // bidi embeddings and overrides
    (code >= 0x2060 && code <= 0x206f) || // word joiner, invisible operators, bidi isolates
    code === 0x3164 || code === 0xffa0 || // Hangul fillers
    code === 0xfeff || // BOM / zero-width no-break space
    (code >= 0xfe00 && code <= 0xfe0f) || // variation selectors
    (code >= 0xfff9 && code <= 0xfffb) // interlinear annotation
  );
}

function isSpaceLike(code: number): boolean {
  return code === 0x00a0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

function isDashLike(code: number): boolean {
  return (code >= 0x2010 && code <= 0x2015) || code === 0x2212 || code === 0xfe58 || code === 0xfe63 || code === 0xff0d || code === 0x2043;
}

function isCombiningMark(code: number): boolean {
  return (code >= 0x0300 && code <= 0x036f) || (code >= 0x1ab0 && code <= 0x1aff) || (code >= 0x1dc0 && code <= 0x1dff) || (code >= 0x20d0 && code <= 0x20ff) || (code >= 0xfe20 && code <= 0xfe2f);
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** The value of a decimal digit of any script (`٣` → 3), or -1. Nd digits come in runs of ten. */
function digitValue(codePoint: number): number {
  if (!DECIMAL_DIGIT.test(String.fromCodePoint(codePoint))) return -1;
  let zero = codePoint;
  while (zero > 0 && codePoint - zero < 60 && DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero -= 1;
  return (codePoint - zero) % 10;
}

/** The fold of one code point: `undefined` when it is kept as is, else its replacement (maybe ''). */
function computeFold(codePoint: number): string | undefined {
  if (isInvisible(codePoint) || isCombiningMark(codePoint)) return '';
  if (isSpaceLike(codePoint)) return ' ';
  if (isDashLike(codePoint)) return '-';
  const character = String.fromCodePoint(codePoint);
  const confusable = CONFUSABLES[character];
  if (confusable !== undefined) return confusable;
  let folded = character.normalize('NFKC');
  // NFKC output may itself contain confusables, other-script digits or marks (rare); fold them.
  let result = '';
  for (const part of folded) {
    const code = part.codePointAt(0) ?? 0;
    if (isCombiningMark(code) || isInvisible(code)) continue;
    if (isSpaceLike(code)) result += ' ';
    else if (isDashLike(code)) result += '-';
    else {
      const value = code < 0x80 ? -1 : digitValue(code);
      result += value >= 0 ? String.fromCharCode(0x30 + value) : (CONFUSABLES[part] ?? part);
    }
  }
  folded = result;
  return folded === character ? undefined : folded;
}

/** BMP fold table, filled lazily: -2 unknown, -1 kept, 0..0xFFFF one unit, -3 see `FOLD_STRINGS`. */
const UNKNOWN = -2;
const KEPT = -1;
const MULTI = -3;
const BMP_FOLD = new Int32Array(0x10000).fill(UNKNOWN);
const FOLD_STRINGS = new Map<number, string>();

function bmpFold(code: number): number {
  let entry = BMP_FOLD[code] ?? KEPT;
  if (entry !== UNKNOWN) return entry;
  const folded = code >= 0xd800 && code <= 0xdfff ? undefined : computeFold(code);
  if (folded === undefined) entry = KEPT;
  else if (folded.length === 1) entry = folded.charCodeAt(0);
  else {
    entry = MULTI;
    FOLD_STRINGS.set(code, folded);
  }
  BMP_FOLD[code] = entry;
  return entry;
}

const ASTRAL_FOLDS = new Map<number, string | null>();

function astralFold(codePoint: number): string | undefined {
  let folded = ASTRAL_FOLDS.get(codePoint);
  if (folded === undefined) {
    folded = computeFold(codePoint) ?? null;
    ASTRAL_FOLDS.set(codePoint, folded);
  }
  return folded ?? undefined;
}

/** Chinese characters used as digits when a number is spelled digit by digit (code → value). */
const CHINESE_DIGIT_VALUE = new Int8Array(0x10000).fill(-1);
for (const [character, value] of Object.entries({ 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 })) {
  CHINESE_DIGIT_VALUE[character.charCodeAt(0)] = value;
}
/** A run must spell at least this many digits (IDs, phones) before Chinese digits in it fold. */
const MIN_CHINESE_DIGIT_RUN = 7;

function digitLike(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (CHINESE_DIGIT_VALUE[code] ?? -1) >= 0;
}

/**
 * Replaces Chinese-numeral digits inside runs that spell a long number (seven or more digits,
 * `零九一二-三四五-六七八`), in place. One unit for one unit, so offsets do not move.
 * Returns whether anything changed.
 */
function foldChineseDigitRuns(units: Uint16Array, length: number): boolean {
  let changed = false;
  let index = 0;
  while (index < length) {
    if ((CHINESE_DIGIT_VALUE[units[index] ?? 0] ?? -1) < 0) {
      index += 1;
      continue;
    }
    const run = foldRunAt(units, length, index);
    if ((run & 1) === 1) changed = true;
    index = Math.max(Math.floor(run / 2), index + 1);
  }
  return changed;
}

/**
 * `foldChineseDigitRuns` visiting only the listed positions (ascending; every Chinese digit of
 * `units`): the same runs in the same order, without a pass over the whole text.
 */
function foldChineseDigitRunsAt(units: Uint16Array, length: number, positions: Int32Array, count: number): boolean {
  let changed = false;
  let next = 0;
  for (let at = 0; at < count; at += 1) {
    const index = positions[at] ?? 0;
    if (index < next) continue;
    const run = foldRunAt(units, length, index);
    if ((run & 1) === 1) changed = true;
    next = Math.max(Math.floor(run / 2), index + 1);
  }
  return changed;
}

/**
 * The run around the Chinese digit at `index`: ASCII digits before it, then digits (either
 * kind) with single `-`/space bridges. Folds it when it spells enough digits. Returns the run's
 * end × 2, plus 1 when it folded.
 */
function foldRunAt(units: Uint16Array, length: number, index: number): number {
  let start = index;
  while (start > 0 && (units[start - 1] ?? 0) >= 0x30 && (units[start - 1] ?? 0) <= 0x39) start -= 1;
  let end = start;
  let digits = 0;
  while (end < length) {
    const current = units[end] ?? 0;
    if (digitLike(current)) {
      digits += 1;
      end += 1;
    } else if ((current === 0x2d || current === 0x20) && digits > 0 && end + 1 < length && digitLike(units[end + 1] ?? 0)) end += 1;
    else break;
  }
  if (digits < MIN_CHINESE_DIGIT_RUN) return end * 2;
  for (let at = start; at < end; at += 1) {
    const value = CHINESE_DIGIT_VALUE[units[at] ?? 0] ?? -1;
    if (value >= 0) units[at] = 0x30 + value;
  }
  return end * 2 + 1;
}

function identityIndex(index: number): number {
  return index;
}

const decoder = new TextDecoder('utf-16le');

function identityResult(text: string, original: string): NormalizedText {
  return { text, original, identity: true, toOriginalStart: identityIndex, toOriginalEnd: identityIndex, toOriginal: identityIndex };
}

/** True when the code unit needs no look-up: ASCII, CJK ideographs other than digit ones. */
function plain(code: number): boolean {
  return code < 0x80 || (code >= 0x4e00 && code <= 0x9fff && code !== 0x4e00 && (CHINESE_DIGIT_VALUE[code] ?? -1) < 0);
}

/**
 * What the one-for-one pass does with a BMP code unit, filled lazily from `bmpFold`: one
 * typed-array read per code unit decides the common case (kept as is).
 */
const KIND_UNKNOWN = 0;
const KIND_KEPT = 1;
const KIND_CHINESE_DIGIT = 2;
const KIND_HIGH_SURROGATE = 3;
const KIND_LOW_SURROGATE = 4;
const KIND_ONE_FOR_ONE = 5;
const KIND_LENGTH_CHANGE = 6;
const UNIT_KIND = new Uint8Array(0x10000);
for (let code = 0; code < 0x10000; code += 1) if (plain(code)) UNIT_KIND[code] = KIND_KEPT;

function classifyUnit(code: number): number {
  let kind: number;
  if ((CHINESE_DIGIT_VALUE[code] ?? -1) >= 0) kind = KIND_CHINESE_DIGIT;
  else if (code >= 0xd800 && code <= 0xdbff) kind = KIND_HIGH_SURROGATE;
  else if (code >= 0xdc00 && code <= 0xdfff) kind = KIND_LOW_SURROGATE;
  else {
    const entry = bmpFold(code);
    kind = entry === KEPT ? KIND_KEPT : entry >= 0 ? KIND_ONE_FOR_ONE : KIND_LENGTH_CHANGE;
  }
  UNIT_KIND[code] = kind;
  return kind;
}

/**
 * Normalises `original` for matching; see the file comment. Linear in the text length.
 * Two tiers keep the common case cheap. The original's code units are copied once, natively
 * (`Buffer#write`), into a scratch buffer, and the first pass reads them there (a typed-array
 * read is several times cheaper than `charCodeAt`). While every change is one code unit for
 * one code unit (full-width forms, NBSP, look-alikes, other-script BMP digits) it patches the
 * copy in place and the result keeps an identity offset map; text that needs no change is
 * returned as is. Only a change in length (a removed invisible character, an expansion, an
 * astral character) switches to the mapped tier.
 */
export function normalizeText(original: string): NormalizedText {
  const result = normalizeOnce(original);
  if (original.length <= MEMO_MAX_LENGTH) {
    lastOriginal = original;
    lastText = result.text;
  } else {
    lastOriginal = undefined;
    lastText = '';
  }
  return result;
}

/**
 * The last text normalised and its result (text only: the offset maps read scratch buffers the
 * next call reuses). The pipeline normalises the same prompt twice in a row — the policy's
 * scan, then the guard's fold — and the result is a pure function of the string, so the second
 * gets the first's text. Bounded, so a large prompt is not kept alive after its request.
 */
const MEMO_MAX_LENGTH = 64 * 1024;
let lastOriginal: string | undefined;
let lastText = '';

function normalizeOnce(original: string): NormalizedText {
  const length = original.length;
  const units = copyUnits(original);
  // Whether the caller's text has a Chinese digit (only then do digit runs fold), and where the
  // normalised units hold one, so the run fold visits those positions only.
  let chineseDigits = false;
  let positions: Int32Array = digitPositions;
  let digitCount = 0;
  let changed = false;
  // Any surrogate: then the result is decoded by TextDecoder, which replaces unpaired ones.
  let surrogates = false;
  let index = 0;
  for (; index < length; index += 1) {
    const code = units[index] ?? 0;
    let kind = UNIT_KIND[code] ?? KIND_UNKNOWN;
    if (kind === KIND_KEPT) continue;
    if (kind === KIND_UNKNOWN) kind = classifyUnit(code);
    if (kind === KIND_CHINESE_DIGIT) {
      chineseDigits = true;
      if (digitCount === positions.length) positions = growPositions(positions);
      positions[digitCount] = index;
      digitCount += 1;
    } else if (kind === KIND_ONE_FOR_ONE) {
      const unit = BMP_FOLD[code] ?? code;
      units[index] = unit;
      changed = true;
      // A compatibility form of a Chinese digit (⼀) takes part in runs, but only a digit the
      // caller wrote turns the run fold on.
      if ((CHINESE_DIGIT_VALUE[unit] ?? -1) >= 0) {
        if (digitCount === positions.length) positions = growPositions(positions);
        positions[digitCount] = index;
        digitCount += 1;
      }
    } else if (kind === KIND_HIGH_SURROGATE) {
      surrogates = true;
      const codePoint = original.codePointAt(index) ?? code;
      if (codePoint > 0xffff && astralFold(codePoint) !== undefined) break;
    } else if (kind === KIND_LOW_SURROGATE) surrogates = true;
    else if (kind === KIND_LENGTH_CHANGE) break;
  }
  if (positions.length > SCRATCH_LIMIT) digitPositions = new Int32Array(1_024);
  if (index === length) {
    if (!changed && !chineseDigits) return identityResult(original, original);
    const digitsChanged = chineseDigits && foldChineseDigitRunsAt(units, length, positions, digitCount);
    if (!digitsChanged && !changed) return identityResult(original, original);
    return identityResult(surrogates ? decoder.decode(units.subarray(0, length)) : copiedBuffer.toString('utf16le', 0, 2 * length), original);
  }
  return mappedNormalize(original, units, index);
}

const SCRATCH_LIMIT = 65_536;
/** Reused list of Chinese-digit positions; kept only while it stays prompt-sized. */
let digitPositions: Int32Array = new Int32Array(1_024);

function growPositions(positions: Int32Array): Int32Array {
  const next = new Int32Array(positions.length * 2);
  next.set(positions);
  if (next.length <= SCRATCH_LIMIT) digitPositions = next;
  return next;
}

/**
 * Prompt-sized texts reuse one scratch buffer (normalisation is synchronous), so a scan of an
 * ordinary prompt allocates nothing here. `copiedBuffer` is the buffer behind the units the
 * last `copyUnits` returned.
 */
let scratch = Buffer.allocUnsafeSlow(2 * 8_192);
let scratchUnits = new Uint16Array(scratch.buffer, scratch.byteOffset, 8_192);
let copiedBuffer = scratch;

function copyUnits(original: string): Uint16Array {
  const length = original.length;
  if (length > SCRATCH_LIMIT) {
    copiedBuffer = Buffer.allocUnsafeSlow(2 * length);
    copiedBuffer.write(original, 0, 'utf16le');
    return new Uint16Array(copiedBuffer.buffer, copiedBuffer.byteOffset, length);
  }
  if (scratchUnits.length < length) {
    scratch = Buffer.allocUnsafeSlow(2 * SCRATCH_LIMIT);
    scratchUnits = new Uint16Array(scratch.buffer, scratch.byteOffset, SCRATCH_LIMIT);
  }
  copiedBuffer = scratch;
  scratch.write(original, 0, 'utf16le');
  return scratchUnits;
}

/** Tier 2: lengths change; keep per-unit original start/end offsets. */
function mappedNormalize(original: string, prefix: Uint16Array, first: number): NormalizedText {
  const length = original.length;
  let capacity = length + 16;
  let units = new Uint16Array(capacity);
  let starts = new Int32Array(capacity + 1);
  let ends = new Int32Array(capacity + 1);
  let size = 0;
  const ensure = (extra: number) => {
    if (size + extra <= capacity) return;
    capacity = Math.max(capacity * 2, size + extra);
    const nextUnits = new Uint16Array(capacity);
    nextUnits.set(units);
    units = nextUnits;
    const nextStarts = new Int32Array(capacity + 1);
    nextStarts.set(starts);
    starts = nextStarts;
    const nextEnds = new Int32Array(capacity + 1);
    nextEnds.set(ends);
    ends = nextEnds;
  };
  for (; size < first; size += 1) {
    units[size] = prefix[size] ?? 0;
    starts[size] = size;
    ends[size] = size + 1;
  }
  for (let index = first; index < length; index += 1) {
    const code = original.charCodeAt(index);
    let folded: string | undefined;
    let width = 1;
    let unit = code;
    if (plain(code)) unit = code;
    else if (code >= 0xd800 && code <= 0xdbff && (original.codePointAt(index) ?? code) > 0xffff) {
      width = 2;
      folded = astralFold(original.codePointAt(index) ?? code) ?? original.slice(index, index + 2);
    } else {
      const entry = bmpFold(code);
      if (entry >= 0) unit = entry;
      else if (entry === MULTI) folded = FOLD_STRINGS.get(code) ?? '';
    }
    if (folded === undefined) {
      ensure(1);
      units[size] = unit;
      starts[size] = index;
      ends[size] = index + 1;
      size += 1;
    } else {
      ensure(folded.length);
      for (let at = 0; at < folded.length; at += 1) {
        units[size] = folded.charCodeAt(at);
        starts[size] = index;
        ends[size] = index + width;
        size += 1;
      }
    }
    index += width - 1;
  }
  starts[size] = length;
  foldChineseDigitRuns(units, size);
  const text = decoder.decode(units.subarray(0, size));
  const finalStarts = starts;
  const finalEnds = ends;
  const finalSize = size;
  const toOriginalStart = (index: number): number => (index >= finalSize ? length : (finalStarts[Math.max(0, index)] ?? length));
  const toOriginalEnd = (index: number): number => (index <= 0 ? 0 : index > finalSize ? length : (finalEnds[index - 1] ?? length));
  return { text, original, identity: false, toOriginalStart, toOriginalEnd, toOriginal: toOriginalStart };
}

/** Folds for matching and returns the text only (keyword rules, guard phrases). */
export function normalizeForMatching(text: string): string {
  if (text === lastOriginal) return lastText;
  return normalizeText(text).text;
}
