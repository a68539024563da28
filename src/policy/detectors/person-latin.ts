import type { DetectedSpan } from './detector.js';
import { ENGLISH_GIVEN_NAMES, GREETING_WORDS, NAME_FIRST_SURNAMES, NAME_PARTICLES, NOT_SURNAMES } from './person-lexicon.js';
import { isAsciiLetter } from './text-context.js';

/**
 * Latin-script names: Western names (`Emily Carter`, `Brian F. Novak`, `Carter, Emily`) and
 * romanised Chinese names in every order and case (`Lin, Mei-Ling`, `Wei-Chen CHANG`,
 * `CHANG Wei-Chen`, `LIN, MEI-LING`). A name needs a known given name, a hyphenated romanised
 * given name next to a known surname, an honorific, or a greeting / role word before a lone
 * given name — a run of capitalised words alone is not a name.
 */

/** Common English-language surnames (general naming data). */
const WESTERN_SURNAMES = new Set(
  `Smith Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Wilson Martinez Anderson Taylor Thomas Hernandez Moore Martin Jackson Thompson White Lopez Gonzalez Harris Clark Lewis Robinson Walker Perez Hall Young Allen Sanchez Wright King Scott Green Baker Adams Nelson Hill Ramirez Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart Flores Morris Nguyen Murphy Rivera Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly Howard Ward Cox Diaz Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutierrez Perry Butler Barnes Fisher Henderson Coleman Simmons Patterson Jordan Reynolds Hamilton Graham Kim Gonzales Alexander Ramos Wallace Griffin West Cole Hayes Chavez Gibson Bryant Ellis Stevens Murray Ford Marshall Owens McDonald Harrison Ruiz Kennedy Wells Alvarez Woods Mendoza Castillo Olson Webb Washington Tucker Freeman Burns Henry Vasquez Snyder Simpson Crawford Jimenez Porter Mason Shaw Gordon Wagner Hunter Romero Hicks Dixon Hunt Palmer Robertson Black Holmes Stone Meyer Boyd Mills Warren Fox Rose Rice Moreno Schmidt Patel Ferguson Nichols Herrera Medina Ryan Fernandez Weaver Daniels Stephens Gardner Payne Kelley Dunn Pierce Arnold Tran Spencer Peters Hawkins Grant Hansen Castro Hoffman Hart Elliott Cunningham Knight Bradley Fischer Novak Dubois Keller Russo Jensen Harper Fleming Schneider Weber Becker Wolf Schulz Rossi Ferrari Bianchi Muller Laurent Bernard Moreau Lefebvre Larsen Nielsen Andersen Johansson Lindberg Kowalski Nowak Silva Santos Costa Pereira Oliveira Tanaka Suzuki Sato Watanabe Yamamoto Nakamura Kobayashi Ito Takahashi`.split(/\s+/),
);

/** Romanised Chinese (Wade-Giles / Taiwanese usage), Cantonese and Southeast-Asian Chinese surnames. */
const EXTRA_ROMANISED_SURNAMES = `Tseng Chien Chuang Hsieh Yeh Chu Tsou Tsui Lei Mao Pai Chai Kung Yin Hsiung Chin Tsang Liang Tan Lim Ong Goh Tay Wong Cheung Leung Kwok Lau Chow Yip Ng Tam Yuen Hsu Kuo Lai Liao Kao Lo Tsai Chung Peng Tu Hou Ting Tung Lien Feng Ou Kang Hung`.split(/\s+/);

const SURNAMES = new Set<string>([...WESTERN_SURNAMES, ...NAME_FIRST_SURNAMES, ...EXTRA_ROMANISED_SURNAMES]);
const ROMANISED_SURNAMES = new Set<string>([...NAME_FIRST_SURNAMES, ...EXTRA_ROMANISED_SURNAMES]);

/** Words before a name in legal, HR and finance text (English). */
const ROLE_WORDS = ['tenant', 'landlord', 'lessor', 'lessee', 'payee', 'payer', 'beneficiary', 'applicant', 'insured', 'policyholder', 'plaintiff', 'defendant', 'employee', 'contact person', 'contact', 'name', 'account holder', 'account name', 'cardholder', 'patient', 'guarantor', 'borrower', 'lender', 'witness', 'notify', 'ship to', 'bill to', 'attention', 'prepared by', 'approved by', 'requested by', 'pm', 'owner', 'assignee', 'reporter', 'customer', 'client', 'buyer', 'seller', 'recipient', 'sender', 'signed by', '出租人', '承租人', '申請人', '原告', '被告', '聯絡人', '被保險人', '要保人', '員工', '外籍員工', '客戶', '受款人', '戶名', '請'];

const HONORIFIC_BEFORE = /(?<![A-Za-z])(?:Mr|Ms|Mrs|Miss|Dr|Prof|Mx)\.? ?[「『"“(（,，]?$/;

/** One word token of a Latin run and the separator that follows it. */
interface Token {
  start: number;
  end: number;
  word: string;
  /** Separator to the next token: ' ', ',', '.' (after an initial) or '' (run ends). */
  next: string;
}

/**
 * Capitalised words only: lower-case words never start or continue a name run. A word is
 * `(?<![A-Za-z])[A-Z][A-Za-z]*(?:['’][A-Za-z]+)?(?:-[A-Za-z]+)?` — matched in code (`wordEnd`).
 */

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

// Shapes tested once per token; compiled once here (a regex literal in a function body is a new
// RegExp object per call).
const TITLE_SHAPE = /^(?:[A-Z][a-z]+(?:['’][A-Z]?[a-z]+)?|[A-Z]['’][A-Z][a-z]+|Ma?c[A-Z][a-z]+)$/;
const UPPER_SHAPE = /^[A-Z]{2,}$/;
const HYPHENATED_TITLE = /^[A-Z][a-z]{1,5}-[A-Za-z][a-z]{1,5}$/;
const HYPHENATED_UPPER = /^[A-Z]{2,6}-[A-Z]{2,6}$/;
const SINGLE_CAPITAL = /^[A-Z]$/;

function isTitle(word: string): boolean {
  return TITLE_SHAPE.test(word);
}

function isUpper(word: string): boolean {
  return UPPER_SHAPE.test(word);
}

function isSurname(word: string): boolean {
  return (isTitle(word) || isUpper(word)) && SURNAMES.has(titleCase(word));
}

function isRomanisedSurname(word: string): boolean {
  return (isTitle(word) || isUpper(word)) && ROMANISED_SURNAMES.has(titleCase(word));
}

/** `Mei-Ling`, `Wei-chen`, `MEI-LING`: two romanised syllables joined by a hyphen. */
function isHyphenatedGiven(word: string): boolean {
  return HYPHENATED_TITLE.test(word) || HYPHENATED_UPPER.test(word);
}

function isGiven(word: string): boolean {
  return (isTitle(word) || isUpper(word)) && ENGLISH_GIVEN_NAMES.has(titleCase(word));
}

/** A capitalised token that can be a (less common) surname after a given name. */
function isSurnameLike(word: string): boolean {
  return (isTitle(word) || isSurname(word)) && !NOT_SURNAMES.has(titleCase(word));
}

function isInitial(token: Token | undefined): boolean {
  return token !== undefined && SINGLE_CAPITAL.test(token.word) && token.next === '.';
}

function wordBefore(text: string, start: number, words: readonly string[]): boolean {
  const before = text.slice(Math.max(0, start - 24), start).replace(/[\s,，:：「『"“(（、]+$/, '').toLowerCase();
  if (before.length === 0) return false;
  for (const word of words) {
    if (!before.endsWith(word)) continue;
    const previous = before.charCodeAt(before.length - word.length - 1);
    if (!isAsciiLetter(previous)) return true;
  }
  return false;
}

/** The separator between two tokens from the gap's code units, without slicing. */
function separatorBetween(text: string, previous: Token, start: number): string {
  const gap = start - previous.end;
  const first = text.charCodeAt(previous.end);
  if (gap === 1) return first === 0x20 ? ' ' : '';
  if (gap !== 2 || text.charCodeAt(previous.end + 1) !== 0x20) return '';
  if (first === 0x2c) return ',';
  return first === 0x2e && previous.word.length === 1 ? '.' : '';
}

/** Where a word can start: an upper-case letter not after a letter. */
const WORD_START = /(?<![A-Za-z])[A-Z]/g;

/** The end of the `WORD` match starting at `start` (an upper-case letter not after a letter). */
function wordEnd(text: string, start: number): number {
  let end = start + 1;
  while (isAsciiLetter(text.charCodeAt(end))) end += 1;
  const apostrophe = text.charCodeAt(end);
  if ((apostrophe === 0x27 || apostrophe === 0x2019) && isAsciiLetter(text.charCodeAt(end + 1))) {
    end += 2;
    while (isAsciiLetter(text.charCodeAt(end))) end += 1;
  }
  if (text.charCodeAt(end) === 0x2d && isAsciiLetter(text.charCodeAt(end + 1))) {
    end += 2;
    while (isAsciiLetter(text.charCodeAt(end))) end += 1;
  }
  return end;
}

/**
 * Token objects reused between calls (detection is synchronous): `tokenize` hands out the next
 * free one and takes back those of a run it drops, so prose full of lone capitalised words
 * (`The`, `Please`) allocates no token for them.
 */
const tokenPool: Token[] = [];

/**
 * Splits the text into runs of capitalised words (the `WORD` pattern, matched in code: no
 * match array per word) joined by a space, `, ` or an initial's `. `. A run of one word is kept
 * only when it can anchor a name (`isAnchor`).
 */
function tokenize(text: string): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  let used = 0;
  // `test` on a global regex moves lastIndex past the match without building a match array:
  // the engine finds the next word start, the code reads the word.
  WORD_START.lastIndex = 0;
  while (WORD_START.test(text)) {
    const index = WORD_START.lastIndex - 1;
    const end = wordEnd(text, index);
    WORD_START.lastIndex = end;
    let token = tokenPool[used];
    if (token === undefined) {
      token = { start: 0, end: 0, word: '', next: '' };
      tokenPool.push(token);
    }
    used += 1;
    token.start = index;
    token.end = end;
    token.word = text.slice(index, end);
    token.next = '';
    const previous = run[run.length - 1];
    if (previous !== undefined) {
      const separator = separatorBetween(text, previous, index);
      if (separator === '') {
        if (run.length > 1 || isAnchor(text, previous)) {
          runs.push(run);
          run = [];
        } else {
          // Dropped: its one token (the one before this) goes back to the pool.
          tokenPool[used - 2] = token;
          tokenPool[used - 1] = previous;
          used -= 1;
          run.length = 0;
        }
      } else previous.next = separator;
    }
    run.push(token);
  }
  WORD_START.lastIndex = 0;
  const last = run[0];
  if (run.length > 1 || (last !== undefined && isAnchor(text, last))) runs.push(run);
  return runs;
}

/** Whether an honorific (`Mr.`, `Dr `, `Prof.`) ends right before `start`. */
function honorificBefore(text: string, start: number): boolean {
  // Every honorific starts with M, D or P: without one of those in the window the pattern
  // cannot match, and the slice and regex test are skipped.
  const from = Math.max(0, start - 8);
  let capital = false;
  for (let index = from; index < start && !capital; index += 1) {
    const code = text.charCodeAt(index);
    capital = code === 0x4d || code === 0x44 || code === 0x50;
  }
  return capital && HONORIFIC_BEFORE.test(text.slice(from, start));
}

/** A lone capitalised word can only be a name when it is a known given name (greeting, role). */
function isAnchor(text: string, token: Token): boolean {
  if (ENGLISH_GIVEN_NAMES.has(token.word)) return true;
  return token.start > 1 && honorificBefore(text, token.start);
}

/** Returns the index of the last token of a name starting at `index`, and its score, or undefined. */
function matchName(text: string, tokens: readonly Token[], index: number): { last: number; score: number } | undefined {
  const first = tokens[index];
  if (first === undefined) return undefined;
  const second = tokens[index + 1];
  const word = first.word;
  // Lin, Mei-Ling · LIN, MEI-LING · LIN Wei-Chen · Lin Ya-Ting
  if (second !== undefined && isRomanisedSurname(word) && isHyphenatedGiven(second.word) && (first.next === ',' || first.next === ' ')) {
    return { last: index + 1, score: 0.92 };
  }
  // Wei-Chen CHANG · Mei-Ling Lin
  if (second !== undefined && isHyphenatedGiven(word) && first.next === ' ' && isSurname(second.word)) return { last: index + 1, score: 0.92 };
  // Carter, Emily · CARTER, EMILY
  if (second !== undefined && first.next === ',' && isSurname(word) && isGiven(second.word) && !isGiven(word)) return { last: index + 1, score: 0.88 };
  // Emily Carter · Brian F. Novak · Emily van der Berg
  const honorific = honorificBefore(text, first.start);
  const given = isGiven(word) && isTitle(word);
  const surnameFirst = !given && isTitle(word) && NAME_FIRST_SURNAMES.has(word);
  if (given || honorific || surnameFirst || isHyphenatedGiven(word)) {
    let last = index;
    let cursor = index;
    if (first.next === ' ' && isInitial(tokens[index + 1])) cursor = index + 1;
    for (let next = cursor + 1; next < tokens.length && next <= index + 4; next += 1) {
      const previous = tokens[next - 1];
      if (previous === undefined || (previous.next !== ' ' && previous.next !== '.')) break;
      const candidate = tokens[next]?.word ?? '';
      if (NAME_PARTICLES.has(candidate)) continue;
      if (NOT_SURNAMES.has(titleCase(candidate))) break;
      if (surnameFirst ? !(isTitle(candidate) && (candidate.length <= 6 || ENGLISH_GIVEN_NAMES.has(candidate))) && !isHyphenatedGiven(candidate) : !isSurnameLike(candidate)) break;
      last = next;
      if (next - index >= 2 && !surnameFirst) break;
    }
    if (last > index && (given || honorific || surnameFirst)) return { last, score: given ? 0.9 : 0.85 };
    if (last > index && isHyphenatedGiven(word) && isSurname(tokens[last]?.word ?? '')) return { last, score: 0.9 };
    if (last === index && (honorific || (given && wordBefore(text, first.start, GREETING_WORDS)))) return { last, score: 0.85 };
    if (last === index && given && wordBefore(text, first.start, ROLE_WORDS)) return { last, score: 0.8 };
  }
  return undefined;
}

/** Finds Latin-script names and appends them to `spans`. */
export function detectLatinNames(text: string, spans: DetectedSpan[]): void {
  for (const tokens of tokenize(text)) {
    let index = 0;
    while (index < tokens.length) {
      const found = matchName(text, tokens, index);
      if (found === undefined) {
        index += 1;
        continue;
      }
      const start = tokens[index]?.start ?? 0;
      const end = tokens[found.last]?.end ?? start;
      spans.push({ start, end, score: found.score });
      index = found.last + 1;
    }
  }
}
