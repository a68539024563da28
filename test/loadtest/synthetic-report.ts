import { loadScenarios } from '../../src/loadtest/load-scenarios.js';
import type { LoadtestReport } from '../../src/loadtest/report-schema.js';
import { buildReport } from '../../src/loadtest/run-loadtest.js';
import { summarizeRun } from '../../src/loadtest/summarize-run.js';
import { syntheticRun } from './synthetic-run.js';

/** A full three-scenario report built from synthetic runs through the real report code. */
export function syntheticReport(): LoadtestReport {
  const scenarios = loadScenarios(['normal,peak,faults']);
  const shapes = [
    { calls: 40, callsPerSecond: 10, latencyMs: (index: number) => 80 + (index % 7) * 10 },
    { calls: 280, callsPerSecond: 70, retryEvery: 30, latencyMs: (index: number) => 120 + (index % 11) * 25 },
    { calls: 50, callsPerSecond: 10, retryEvery: 3, failEvery: 17, latencyMs: (index: number) => 150 + (index % 5) * 120 },
  ];
  const measured = scenarios.map((scenario, index) => {
    const run = syntheticRun(shapes[index] ?? { calls: 10 });
    const applied = scenario.faults.map((fault) => ({ ...fault, injected: true, applied_at_s: fault.at_s, healed_at_s: fault.at_s + fault.for_s }));
    return { scenario, run, measurement: summarizeRun(scenario, run, applied, 'primary'), startedAt: new Date(Date.UTC(2026, 0, 5, 9, index)) };
  });
  return buildReport(measured, { url: 'http://127.0.0.1:8080/v1', withMock: false, generatedAt: new Date(Date.UTC(2026, 0, 5, 9, 10)) });
}
