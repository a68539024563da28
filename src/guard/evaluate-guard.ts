import { GUARD_CATEGORIES, type GuardCategory, type GuardScores } from './guard-categories.js';

/**
 * Quality figures for a labelled set: a record is predicted an attack when its verdict is not
 * `allow`. Per-category recall counts an attack as caught when it is flagged at all (the
 * category it is filed under may differ from the one that fired; both are reported).
 */

export interface LabelledRecord {
  id: string;
  text: string;
  lang?: string;
  label: 'attack' | 'benign';
  category?: GuardCategory | null;
}

export interface Prediction {
  verdict: 'allow' | 'flag' | 'block';
  categories: GuardCategory[];
  scores: GuardScores;
}

export interface Counts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface QualityReport extends Counts {
  records: number;
  precision: number;
  recall: number;
  f1: number;
  /** False-positive rate on benign records. */
  fpr: number;
  /** Attacks of each category caught (any category) and caught under their own category. */
  perCategory: Partial<Record<GuardCategory, { attacks: number; recall: number; exactRecall: number }>>;
  perLanguage: Record<string, Counts & { precision: number; recall: number; f1: number; fpr: number }>;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator / denominator) * 1000) / 1000;
}

function figures(counts: Counts) {
  const precision = ratio(counts.tp, counts.tp + counts.fp);
  const recall = ratio(counts.tp, counts.tp + counts.fn);
  const f1 = precision + recall === 0 ? 0 : Math.round(((2 * precision * recall) / (precision + recall)) * 1000) / 1000;
  return { precision, recall, f1, fpr: ratio(counts.fp, counts.fp + counts.tn) };
}

function tally(counts: Counts, attack: boolean, predicted: boolean): void {
  if (attack && predicted) counts.tp += 1;
  else if (attack) counts.fn += 1;
  else if (predicted) counts.fp += 1;
  else counts.tn += 1;
}

export function evaluateGuard(records: readonly LabelledRecord[], predict: (record: LabelledRecord) => Prediction): QualityReport & { misses: string[]; falseAlarms: string[] } {
  const total: Counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const languages = new Map<string, Counts>();
  const categories = new Map<GuardCategory, { attacks: number; caught: number; exact: number }>();
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const record of records) {
    const prediction = predict(record);
    const attack = record.label === 'attack';
    const predicted = prediction.verdict !== 'allow';
    tally(total, attack, predicted);
    const lang = record.lang ?? 'unknown';
    const counts = languages.get(lang) ?? { tp: 0, fp: 0, tn: 0, fn: 0 };
    tally(counts, attack, predicted);
    languages.set(lang, counts);
    if (attack && !predicted) misses.push(record.id);
    if (!attack && predicted) falseAlarms.push(record.id);
    if (attack && record.category) {
      const entry = categories.get(record.category) ?? { attacks: 0, caught: 0, exact: 0 };
      entry.attacks += 1;
      if (predicted) entry.caught += 1;
      if (prediction.categories.includes(record.category)) entry.exact += 1;
      categories.set(record.category, entry);
    }
  }
  const perCategory: QualityReport['perCategory'] = {};
  for (const category of GUARD_CATEGORIES) {
    const entry = categories.get(category);
    if (entry) perCategory[category] = { attacks: entry.attacks, recall: ratio(entry.caught, entry.attacks), exactRecall: ratio(entry.exact, entry.attacks) };
  }
  const perLanguage: QualityReport['perLanguage'] = {};
  for (const [lang, counts] of [...languages.entries()].sort()) perLanguage[lang] = { ...counts, ...figures(counts) };
  return { records: records.length, ...total, ...figures(total), perCategory, perLanguage, misses, falseAlarms };
}

/** Parses a JSON Lines labelled set (guard-dev.jsonl shape); throws naming the bad line. */
export function parseLabelledSet(text: string): LabelledRecord[] {
  return text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => {
      const value = JSON.parse(line) as Partial<LabelledRecord>;
      if (typeof value.id !== 'string' || typeof value.text !== 'string' || (value.label !== 'attack' && value.label !== 'benign')) {
        throw new Error(`line ${index + 1}: expected {"id","text","label":"attack"|"benign"}`);
      }
      return value as LabelledRecord;
    });
}
