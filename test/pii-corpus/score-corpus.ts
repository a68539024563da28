/**
 * Prints exact-span per-type tables for pii-dev.jsonl, the tune split and the unseen split:
 *   node --import tsx test/pii-corpus/score-corpus.ts [--misses tune]
 * `--misses` prints errors of the named split only (never use it on `unseen` while tuning).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScanner } from '../../src/policy/scan-text.js';
import { generateCorpus } from './generate-corpus.js';
import { hardNegativeReport } from './hard-negatives.js';
import { markdownTable, overlapMatch, scoreRecords, scoresOf, type LabelledRecord, type ScoreReport } from './score-spans.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const devPath = path.resolve(repoRoot, '../shared/datasets/pii-dev.jsonl');
const scanner = createScanner();
const predict = (text: string) => scanner.scan(text).entities;

const sets: Array<{ name: string; records: LabelledRecord[] }> = [];
if (existsSync(devPath)) {
  sets.push({ name: 'pii-dev', records: readFileSync(devPath, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as LabelledRecord) });
}
sets.push({ name: 'tune', records: generateCorpus('tune') }, { name: 'unseen', records: generateCorpus('unseen') });

const reports: Array<{ name: string; report: ScoreReport }> = sets.map((set) => ({ name: set.name, report: scoreRecords(set.records, predict) }));
console.log(markdownTable(reports));
console.log('');
for (const { name, report } of reports) {
  const overlap = scoreRecords(sets.find((set) => set.name === name)?.records ?? [], predict, overlapMatch);
  console.log(`${name}: exact micro F1 ${scoresOf(report.micro).f1.toFixed(3)}, overlap micro F1 ${scoresOf(overlap.micro).f1.toFixed(3)}, hard-negative records flagged ${report.negativesFlagged}/${report.negativeRecords}`);
}
console.log('');
console.log('| hard negatives | samples | flagged | precision | types flagged |');
console.log('|---|---:|---:|---:|---|');
for (const row of hardNegativeReport(predict)) console.log(`| ${row.family} | ${row.samples} | ${row.flagged} | ${(1 - row.flagged / row.samples).toFixed(3)} | ${row.types.join(', ') || '–'} |`);
const missesOf = process.argv.indexOf('--misses');
if (missesOf >= 0) {
  const name = process.argv[missesOf + 1];
  const report = reports.find((entry) => entry.name === name)?.report;
  for (const miss of report?.misses ?? []) console.log(`MISS ${miss.id} ${miss.type}: ${miss.text}`);
  for (const alarm of report?.falseAlarms ?? []) console.log(`FALSE ${alarm.id} ${alarm.type}: ${alarm.text}`);
}
