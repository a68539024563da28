import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIRECTORY, exampleNames, renderExample } from './generate-examples.js';

/** The recommendation each example must produce, and why (see the comments in the answers files). */
const EXPECTED: Record<string, { mode: string; vetoed: string[] }> = {
  'bank-data-stays-inside': { mode: 'on-prem', vetoed: ['api', 'multi-cloud', 'private-cloud'] },
  'startup-may-use-api': { mode: 'api', vetoed: [] },
  'hospital-group-resilience': { mode: 'hybrid', vetoed: ['api'] },
};

describe('examples/advisor', () => {
  it('holds exactly the three documented examples', () => {
    expect(exampleNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s recommends %o', (name, expected) => {
    const reports = renderExample(name);
    const json = JSON.parse(reports[`${name}.report.json`] ?? '{}');
    expect(json.recommendation.mode).toBe(expected.mode);
    expect(json.modes.filter((mode: { vetoed: boolean }) => mode.vetoed).map((mode: { mode: string }) => mode.mode).sort()).toEqual(expected.vetoed);
    expect(reports[`${name}.report.en.md`]).toContain(`(${expected.mode})`);
    expect(reports[`${name}.report.zh-TW.md`]).toContain('建議模式');
  });

  it.each(exampleNames())('the checked-in reports of %s are current (regenerate with src/advisor/generate-examples.ts)', (name) => {
    for (const [file, text] of Object.entries(renderExample(name))) {
      expect(readFileSync(join(EXAMPLES_DIRECTORY, file), 'utf8'), file).toBe(text);
    }
  });
});
