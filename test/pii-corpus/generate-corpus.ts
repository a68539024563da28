import { createRng } from './corpus-random.js';
import { renderRecords, type CorpusRecord } from './corpus-template.js';
import { TUNE_TEMPLATES } from './templates-tune.js';
import { UNSEEN_TEMPLATES } from './templates-unseen.js';

export type CorpusSplit = 'tune' | 'unseen';

/** Seeds per split: disjoint (and the templates are disjoint too). */
const SEEDS: Readonly<Record<CorpusSplit, number>> = { tune: 0x7e57_0001, unseen: 0x5eed_c0de };

/** The generated labelled corpus of one split (deterministic). */
export function generateCorpus(split: CorpusSplit, count = 400): CorpusRecord[] {
  return renderRecords(`pii-${split}`, split === 'tune' ? TUNE_TEMPLATES : UNSEEN_TEMPLATES, createRng(SEEDS[split]), count);
}

export type { CorpusRecord } from './corpus-template.js';
