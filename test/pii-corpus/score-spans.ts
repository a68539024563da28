/** Exact-span and overlap scoring of predicted entities against labelled records. */

export interface Span {
  type: string;
  start: number;
  end: number;
}

export interface LabelledRecord {
  id: string;
  text: string;
  entities: Span[];
}

export interface Tally {
  gold: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

export interface ScoreReport {
  byType: Map<string, Tally>;
  micro: Tally;
  /** Records with no gold entity on which something was reported. */
  negativesFlagged: number;
  negativeRecords: number;
  misses: Array<{ id: string; text: string; type: string }>;
  falseAlarms: Array<{ id: string; text: string; type: string }>;
}

export function scoresOf(tally: Tally): Scores {
  const precision = tally.truePositives / Math.max(1, tally.truePositives + tally.falsePositives);
  const recall = tally.truePositives / Math.max(1, tally.truePositives + tally.falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export const exactMatch = (left: Span, right: Span): boolean => left.start === right.start && left.end === right.end;
export const overlapMatch = (left: Span, right: Span): boolean => left.start < right.end && right.start < left.end;

/** One-to-one matching per record and type. */
export function scoreRecords(records: readonly LabelledRecord[], predict: (text: string) => Span[], same = exactMatch): ScoreReport {
  const byType = new Map<string, Tally>();
  const micro: Tally = { gold: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  const tallyOf = (type: string): Tally => {
    let tally = byType.get(type);
    if (tally === undefined) {
      tally = { gold: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0 };
      byType.set(type, tally);
    }
    return tally;
  };
  const report: ScoreReport = { byType, micro, negativesFlagged: 0, negativeRecords: 0, misses: [], falseAlarms: [] };
  for (const record of records) {
    const predicted = predict(record.text);
    if (record.entities.length === 0) {
      report.negativeRecords += 1;
      if (predicted.length > 0) report.negativesFlagged += 1;
    }
    const used = new Set<number>();
    for (const gold of record.entities) {
      const tally = tallyOf(gold.type);
      tally.gold += 1;
      micro.gold += 1;
      const index = predicted.findIndex((span, position) => !used.has(position) && span.type === gold.type && same(gold, span));
      if (index >= 0) {
        used.add(index);
        tally.truePositives += 1;
        micro.truePositives += 1;
      } else {
        tally.falseNegatives += 1;
        micro.falseNegatives += 1;
        report.misses.push({ id: record.id, type: gold.type, text: record.text.slice(gold.start, gold.end) });
      }
    }
    predicted.forEach((span, position) => {
      if (used.has(position)) return;
      tallyOf(span.type).falsePositives += 1;
      micro.falsePositives += 1;
      report.falseAlarms.push({ id: record.id, type: span.type, text: record.text.slice(span.start, span.end) });
    });
  }
  return report;
}

/** A Markdown table: per type exact P/R/F1 for several named data sets side by side. */
export function markdownTable(columns: ReadonlyArray<{ name: string; report: ScoreReport }>): string {
  const types = [...new Set(columns.flatMap((column) => [...column.report.byType.keys()]))].sort();
  const header = `| type | ${columns.map((column) => `${column.name} gold | P | R | F1`).join(' | ')} |`;
  const rule = `|---|${columns.map(() => '---:|---:|---:|---:').join('|')}|`;
  const cell = (tally: Tally | undefined): string => {
    if (tally === undefined) return '– | – | – | –';
    const { precision, recall, f1 } = scoresOf(tally);
    return `${tally.gold} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${f1.toFixed(3)}`;
  };
  const rows = types.map((type) => `| ${type} | ${columns.map((column) => cell(column.report.byType.get(type))).join(' | ')} |`);
  const micro = `| **micro** | ${columns.map((column) => cell(column.report.micro)).join(' | ')} |`;
  return [header, rule, ...rows, micro].join('\n');
}
