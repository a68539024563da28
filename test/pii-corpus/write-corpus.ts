/**
 * Writes a split as JSON Lines (same shape as pii-dev.jsonl):
 *   node --import tsx test/pii-corpus/write-corpus.ts tune|unseen [count] > out.jsonl
 */
import { generateCorpus, type CorpusSplit } from './generate-corpus.js';

const split = process.argv[2];
if (split !== 'tune' && split !== 'unseen') {
  process.stderr.write('usage: write-corpus.ts tune|unseen [count]\n');
  process.exit(2);
}
const count = Number(process.argv[3] ?? '400');
for (const record of generateCorpus(split as CorpusSplit, count)) process.stdout.write(`${JSON.stringify(record)}\n`);
