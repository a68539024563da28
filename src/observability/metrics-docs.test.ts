import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_USED, METRICS } from './metrics.js';

/** docs/metrics.md is the operators' reference: it must list every metric, and nothing else. */
const doc = readFileSync(resolve(import.meta.dirname, '../../docs/metrics.md'), 'utf8');
const defined = [...Object.values(METRICS).map((metric) => metric.name), ...DEFAULT_METRICS_USED.map((metric) => metric.name)];

describe('docs/metrics.md', () => {
  it.each(defined)('documents %s in a table row', (name) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  it('documents no switchyard_ metric that metrics.ts does not define', () => {
    const documented = new Set(doc.match(/\bswitchyard_[a-z0-9_]+/g) ?? []);
    expect([...documented].filter((name) => !defined.includes(name))).toEqual([]);
  });

  it('names are unique and follow Prometheus conventions (unit suffix, _total for counters)', () => {
    expect(new Set(defined).size).toBe(defined.length);
    for (const metric of Object.values(METRICS)) {
      expect(metric.name).toMatch(/^switchyard_[a-z0-9_]+$/);
      if (metric.type === 'counter') expect(metric.name).toMatch(/_total$/);
      if (metric.type === 'histogram') expect(metric.name).toMatch(/_(seconds|per_second)$/);
    }
  });
});
