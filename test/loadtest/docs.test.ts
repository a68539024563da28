import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fileURLToPath } from 'node:url';
import { loadScenarios, roleOf } from '../../src/loadtest/load-scenarios.js';
import { expectedStarts } from '../../src/loadtest/run-load.js';
import { BUILTIN_NAMES } from '../../src/loadtest/builtin-scenarios.js';
import { loadtestReportSchema, scenarioReportSchema } from '../../src/loadtest/report-schema.js';
import { FAULT_KINDS, scenarioSchema } from '../../src/loadtest/scenario-schema.js';

const docs = readFileSync(new URL('../../docs/loadtest.md', import.meta.url), 'utf8');

/** docs/loadtest.md promises fields, faults and scenarios; these checks keep it in step with the code. */
describe('docs/loadtest.md', () => {
  it('documents every report field, every fault kind and every built-in scenario', () => {
    for (const key of Object.keys(loadtestReportSchema.shape)) expect(docs, key).toContain(`\`${key}\``);
    for (const key of Object.keys(scenarioReportSchema.shape)) expect(docs, key).toContain(`\`${key}\``);
    const resilience = scenarioReportSchema.shape.resilience.shape;
    for (const key of Object.keys(resilience)) expect(docs, key).toContain(`\`${key}\``);
    for (const kind of FAULT_KINDS) expect(docs, kind).toContain(`| \`${kind}\` |`);
    for (const name of BUILTIN_NAMES) expect(docs, name).toContain(`| \`${name}\` |`);
  });

  it('shows every scenario key in the example scenario file', () => {
    const keys = [...Object.keys(scenarioSchema.shape), ...Object.keys(scenarioSchema.shape.mix.unwrap().shape), ...Object.keys(scenarioSchema.shape.slo.unwrap().shape)];
    expect(keys.length).toBeGreaterThan(25);
    for (const key of keys) expect(docs, key).toMatch(new RegExp(`^\\s*(# )?${key}:`, 'm'));
  });

  it('its example scenario file is valid', () => {
    const block = /### Scenario file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(block).toBeDefined();
    const result = scenarioSchema.safeParse(parse(block ?? ''));
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it('the staging example loads as a baseline and a peak 5–10× apart', () => {
    const [normal, peak] = loadScenarios([fileURLToPath(new URL('../../examples/loadtest/staging.yaml', import.meta.url))]);
    expect(roleOf(normal!)).toBe('baseline');
    expect(roleOf(peak!)).toBe('peak');
    const ratio = expectedStarts(peak!, peak!.duration_s) / peak!.duration_s / normal!.rps!;
    expect(ratio).toBeGreaterThanOrEqual(5);
    expect(ratio).toBeLessThanOrEqual(10);
    expect(docs).toContain('examples/loadtest/staging.yaml');
  });
});
