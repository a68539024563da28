import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { BUILTIN_NAMES, BUILTIN_SCENARIOS } from './builtin-scenarios.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export interface ScenarioOverrides {
  durationS?: number;
  maxRequests?: number;
  /** Multiplies rps or concurrency (a staging run at 10× the built-in volume: --scale 10). */
  scale?: number;
  model?: string;
  seed?: number;
}

function validate(input: unknown, where: string): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ScenarioError(`${where}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * `--scenario` values: built-in names (normal, peak, faults) or YAML files holding one scenario
 * or `scenarios: [...]`. Comma-separated lists are allowed; order is kept.
 */
export function loadScenarios(specs: readonly string[], overrides: ScenarioOverrides = {}): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const spec of specs.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean)) {
    const builtin = BUILTIN_SCENARIOS[spec];
    if (builtin) {
      scenarios.push(validate(builtin, `built-in scenario ${spec}`));
      continue;
    }
    if (!/\.ya?ml$/i.test(spec)) throw new ScenarioError(`unknown scenario "${spec}": use ${BUILTIN_NAMES.join(', ')} or a .yaml file`);
    let document: unknown;
    try {
      document = parse(readFileSync(spec, 'utf8'));
    } catch (error) {
      throw new ScenarioError(`cannot read scenario file ${spec}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const list = (document as { scenarios?: unknown } | null)?.scenarios;
    if (Array.isArray(list)) list.forEach((item, index) => scenarios.push(validate(item, `${spec} scenarios[${index}]`)));
    else scenarios.push(validate(document, spec));
  }
  if (scenarios.length === 0) throw new ScenarioError(`no scenario given: use --scenario ${BUILTIN_NAMES.join(',')} or a .yaml file`);
  const names = new Set<string>();
  for (const scenario of scenarios) {
    if (names.has(scenario.name)) throw new ScenarioError(`scenario name "${scenario.name}" appears twice; names must be unique in one run`);
    names.add(scenario.name);
  }
  return scenarios.map((scenario) => applyOverrides(scenario, overrides));
}

function applyOverrides(scenario: Scenario, overrides: ScenarioOverrides): Scenario {
  const scale = overrides.scale ?? 1;
  const next: Scenario = {
    ...scenario,
    ...(overrides.durationS !== undefined ? { duration_s: overrides.durationS } : {}),
    ...(overrides.maxRequests !== undefined ? { max_requests: overrides.maxRequests } : {}),
    ...(overrides.model !== undefined ? { model: overrides.model } : {}),
    ...(overrides.seed !== undefined ? { seed: overrides.seed } : {}),
    ...(scenario.rps !== undefined ? { rps: scenario.rps * scale } : {}),
    ...(scenario.concurrency !== undefined ? { concurrency: Math.max(1, Math.round(scenario.concurrency * scale)) } : {}),
  };
  // The schema's bounds hold after overrides too.
  return validate(next, `scenario ${scenario.name} after overrides`);
}

export function roleOf(scenario: Scenario): NonNullable<Scenario['role']> {
  if (scenario.role) return scenario.role;
  if (scenario.name === 'normal') return 'baseline';
  if (scenario.name === 'peak') return 'peak';
  if (scenario.name === 'faults') return 'faults';
  return 'other';
}
