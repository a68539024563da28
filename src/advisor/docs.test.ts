import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CRITERIA } from './criteria.js';
import { DEFAULT_SCORES } from './default-scores.js';
import { MODE_PROFILES, MODES } from './modes.js';
import { defaultPriceEntries } from './prices.js';
import { SOP_STEPS } from './sop.js';

const docs = readFileSync(new URL('../../docs/advisor.md', import.meta.url), 'utf8');

/** docs/advisor.md carries the framework in both languages; these checks keep it in step with the code. */
describe('docs/advisor.md', () => {
  it('documents every default score with its rationale in both languages', () => {
    for (const mode of MODES) {
      for (const criterion of CRITERIA) {
        const entry = DEFAULT_SCORES[mode][criterion];
        expect(docs).toContain(`| \`${criterion}\` | ${entry.score} | ${entry.rationale.en} |`);
        expect(docs).toContain(`| \`${criterion}\` | ${entry.score} | ${entry.rationale['zh-TW']} |`);
      }
    }
  });

  it('documents every mode, every SOP step and every default price', () => {
    for (const mode of MODES) {
      expect(docs).toContain(MODE_PROFILES[mode].dataPath.en);
      expect(docs).toContain(MODE_PROFILES[mode].dataPath['zh-TW']);
    }
    for (const step of SOP_STEPS) {
      expect(docs).toContain(step.switchyard_feature.en);
      expect(docs).toContain(step.switchyard_feature['zh-TW']);
    }
    for (const entry of defaultPriceEntries()) expect(docs).toContain(`| \`${entry.group}.${entry.key}\` | ${entry.value} |`);
  });

  it('states the hand-computed results the tests assert', () => {
    for (const figure of ['7,172.00', '9,619.20', '31,265.60', '34,391.97', '11,319.20', '**32**', '**20**', '**24.44**', '**8.57**']) expect(docs).toContain(figure);
  });
});
