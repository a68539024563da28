/**
 * Guard rail for scanner speed work: a SHA-256 over the full scan output (every entity's type,
 * span, score and detector, and the counts) on pii-dev.jsonl, both generated splits, the hard
 * negatives, the scan benchmark's corpus and evasion variants of every dataset record
 * (invisible characters, full-width forms, Chinese digits — the normaliser's mapped tier), and
 * the normaliser's own output (text, offset maps) on every one of those texts.
 * A change that only makes the scanner faster must leave the hash as it was.
 *   npm run bench:scan-hash [-- --verbose]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createScanner } from '../src/policy/scan-text.js';
import { normalizeText } from '../src/text/normalize-text.js';
import { generateCorpus } from '../test/pii-corpus/generate-corpus.js';
import { hardNegativeReport } from '../test/pii-corpus/hard-negatives.js';
import { buildBenchCorpus } from './scan-bench-corpus.js';

const scanner = createScanner();
const total = createHash('sha256');
const verbose = process.argv.includes('--verbose');

function digest(label: string, texts: Iterable<string>): void {
  const part = createHash('sha256');
  let count = 0;
  let entities = 0;
  for (const text of texts) {
    const result = scanner.scan(text);
    part.update(JSON.stringify(result.entities));
    part.update(JSON.stringify(result.counts));
    part.update('\u0000');
    // The normaliser is shared with the guard: its text and both offset maps must not move either.
    const normalized = normalizeText(text);
    part.update(normalized.text);
    const starts = new Int32Array(normalized.text.length + 1);
    const ends = new Int32Array(normalized.text.length + 1);
    for (let index = 0; index <= normalized.text.length; index += 1) {
      starts[index] = normalized.toOriginalStart(index);
      ends[index] = normalized.toOriginalEnd(index);
    }
    part.update(new Uint8Array(starts.buffer));
    part.update(new Uint8Array(ends.buffer));
    part.update(normalized.identity ? '1' : '0');
    count += 1;
    entities += result.entities.length;
  }
  const hex = part.digest('hex');
  total.update(`${label}:${hex}\n`);
  if (verbose) console.log(`${label.padEnd(16)} ${String(count).padStart(5)} texts ${String(entities).padStart(6)} entities ${hex.slice(0, 16)}`);
}

/** Evasion variants: the same record with invisible characters, full-width forms and Chinese digits. */
function variants(text: string): string[] {
  const zeroWidth = text.replace(/(.{5})/gsu, '$1\u200b');
  const fullWidth = text.replace(/[0-9A-Za-z@.\-]/g, (character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0));
  const chineseDigits = text.replace(/[0-9]/g, (digit) => '零一二三四五六七八九'[Number(digit)] ?? digit);
  const mixed = text.replace(/[0-9]/g, (digit, offset: number) => (offset % 3 === 0 ? `${digit}\u00ad` : offset % 3 === 1 ? String.fromCharCode(0x0660 + Number(digit)) : digit));
  const astral = text.replace(/[0-9]/g, (digit) => String.fromCodePoint(0x1d7ce + Number(digit)));
  return [zeroWidth, fullWidth, chineseDigits, mixed, astral];
}

const datasetPath = fileURLToPath(new URL('../../shared/datasets/pii-dev.jsonl', import.meta.url));
const dev = readFileSync(datasetPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { text: string }).text);
const tune = generateCorpus('tune').map((record) => record.text);
const unseen = generateCorpus('unseen').map((record) => record.text);

digest('pii-dev', dev);
digest('tune', tune);
digest('unseen', unseen);
const negatives: string[] = [];
hardNegativeReport((text) => {
  negatives.push(text);
  return [];
});
digest('hard-negatives', negatives);
digest('variants', [...dev, ...tune, ...unseen].flatMap(variants));
const corpus = buildBenchCorpus(2_000_000);
digest('bench-corpus', [corpus, corpus.slice(0, 8_192), corpus.slice(1_000, 300_000)]);
console.log(total.digest('hex'));
