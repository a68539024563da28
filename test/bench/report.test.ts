import { describe, expect, it } from 'vitest';
// @ts-expect-error — the benchmark harness is plain ESM JavaScript without type declarations.
import { partialMarkdown, summarise } from '../../bench/lib/report.mjs';

const run = (rps: number, cpuMsPerRequest?: number) => ({ rps, failures: 0, latencyMs: { p50: 1, p90: 2, p99: 3 }, cpuMsPerRequest, requests: rps });
const cell = { key: 'unary-1024-64', mode: 'unary', promptBytes: 1024, concurrency: 64 };

describe('bench report: A/B against a baseline build', () => {
  // Ratios are taken within each round (same machine state) and then medianed: a round where
  // everything ran slower must not make the new build look better or worse.
  it('medians the per-round ratio of CPU per request and throughput to the baseline', () => {
    const rounds = [
      { [cell.key]: { 'switchyard-pure-proxy': run(1000, 0.5), 'baseline-pure-proxy': run(800, 0.6), portkey: run(400, 2) } },
      { [cell.key]: { 'switchyard-pure-proxy': run(500, 1.0), 'baseline-pure-proxy': run(500, 1.0), portkey: run(200, 4) } },
      { [cell.key]: { 'switchyard-pure-proxy': run(900, 0.45), 'baseline-pure-proxy': run(1000, 0.5), portkey: run(300, 3) } },
    ];
    const [summary] = summarise(rounds, [cell], ['switchyard-pure-proxy', 'baseline-pure-proxy', 'portkey']);
    const mine = summary.targets['switchyard-pure-proxy'];
    expect(mine.cpuVsBaseline).toBeCloseTo(0.9, 5); // per round 0.833, 1.0, 0.9 → median 0.9
    expect(mine.rpsVsBaseline).toBeCloseTo(1.0, 5); // per round 1.25, 1.0, 0.9 → median 1.0
    expect(mine.vsPortkey).toBeCloseTo(2.5, 5); // per round 2.5, 2.5, 3.0
    expect(summary.targets['baseline-pure-proxy'].cpuVsBaseline).toBeUndefined();
    expect(summary.targets.portkey.cpuVsBaseline).toBeUndefined();
    const table = partialMarkdown({ date: 'd', command: 'c', rounds: 3, durationSec: 5, summary: [summary] });
    expect(table).toContain('| unary-1024-64 | switchyard-pure-proxy | 900 |');
    expect(table).toContain('0.900');
  });
});
