import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGuardSet } from './generate-guard-set.js';
import { defaultGuardConfig } from '../../src/guard/guard-config-schema.js';
import { createGuardRuntime } from '../../src/guard/guard-runtime.js';
import { evaluateGuard, parseLabelledSet, type LabelledRecord, type QualityReport } from '../../src/guard/evaluate-guard.js';

/**
 * Quality of the default guard on the labelled sets, side by side (docs/guard.md): the shared
 * development set (must reach F1 ≥ 0.90 with ≤ 3 % false positives on benign prompts), the
 * public set, and the generated unseen split, which is reported and never tuned against.
 * Set GUARD_SCORE_VERBOSE=1 to print misses and false alarms by id.
 */

const repoRoot = path.resolve(import.meta.dirname, '../..');
const shared = path.resolve(repoRoot, '../shared/datasets');
const guard = createGuardRuntime(defaultGuardConfig());

async function score(records: LabelledRecord[]): Promise<QualityReport & { misses: string[]; falseAlarms: string[] }> {
  const decisions = new Map<string, Awaited<ReturnType<typeof guard.check>>>();
  for (const record of records) decisions.set(record.id, await guard.check([{ text: record.text }]));
  return evaluateGuard(records, (record) => decisions.get(record.id) as NonNullable<ReturnType<typeof decisions.get>>);
}

function print(name: string, report: QualityReport & { misses: string[]; falseAlarms: string[] }): void {
  const { misses, falseAlarms, ...figures } = report;
  console.log(`[guard quality] ${name}: ${JSON.stringify(figures)}`);
  if (process.env.GUARD_SCORE_VERBOSE === '1') console.log(`[guard quality] ${name} misses: ${misses.join(', ')}; false alarms: ${falseAlarms.join(', ')}`);
}

const present = existsSync(path.join(shared, 'guard-dev.jsonl'));
describe('guard quality', () => {
  if (!present && process.env.CI === 'true') {
    it('needs the labelled sets in CI', () => {
      throw new Error(`guard-dev.jsonl not found under ${shared}; CI must provide ../shared/datasets`);
    });
  } else if (!present) {
    it.skip('scores the guard on ../shared/datasets/guard-dev.jsonl (dataset absent)', () => undefined);
  } else {
    it('reaches F1 ≥ 0.90 with ≤ 3 % false positives on the development set', async () => {
      const report = await score(parseLabelledSet(readFileSync(path.join(shared, 'guard-dev.jsonl'), 'utf8')));
      print('guard-dev', report);
      expect(report.f1).toBeGreaterThanOrEqual(0.9);
      expect(report.fpr).toBeLessThanOrEqual(0.03);
    });

    it('reports the public set', async () => {
      const report = await score(parseLabelledSet(readFileSync(path.join(shared, 'guard-public.jsonl'), 'utf8')));
      print('guard-public', report);
      expect(report.records).toBeGreaterThan(0);
    });
  }

  it('reports the generated unseen split, which the committed file reproduces exactly', async () => {
    const committed = parseLabelledSet(readFileSync(path.join(repoRoot, 'test/guard/guard-unseen.jsonl'), 'utf8'));
    const regenerated = generateGuardSet('unseen', committed.length);
    expect(regenerated.map((record) => record.text)).toEqual(committed.map((record) => record.text));
    const tune = new Set(generateGuardSet('tune', 400).map((record) => record.text));
    // The splits are disjoint: nothing in the unseen split was ever scored while tuning.
    expect(committed.filter((record) => tune.has(record.text))).toEqual([]);
    const report = await score(committed);
    print('generated-unseen', report);
    // A floor well below the dev target: a collapse here means the rules overfit.
    expect(report.f1).toBeGreaterThanOrEqual(0.8);
  });
});
