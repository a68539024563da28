import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SOP_STEPS } from '../advisor/sop.js';

/** docs/poc-to-production.md walks the advisor's nine steps, in order, under their own titles. */
describe('docs/poc-to-production.md', () => {
  it('has one section per SOP step, numbered and titled as the advisor names them', () => {
    const docs = readFileSync(new URL('../../docs/poc-to-production.md', import.meta.url), 'utf8');
    const headings = [...docs.matchAll(/^## (\d+)\. (.+)$/gm)].map((match) => `${match[1]}. ${match[2]}`);
    expect(headings).toEqual(SOP_STEPS.map((step) => `${step.step}. ${step.title.en}`));
  });
});
