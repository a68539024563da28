import type { LoadedConfig } from '../assembly/load-config.js';
import { classifyRequest } from '../policy/classify.js';
import { createInlinePolicyScanner } from '../policy/policy-scanner.js';
import type { Scanner } from '../policy/scan-text.js';

/** What `switchyard scan --config` uses: the gateway's detectors and its own classification. */
export interface ConfiguredScan {
  scanner: Scanner;
  /** The class the gateway would give a user message with this text (entities, keywords, default class). */
  dataClassOf(text: string): Promise<string>;
}

/**
 * The config's scanner (built-ins minus `detectors.disable`, plus custom detectors and keyword
 * lists, at `detectors.min_score`) and its classification (`entity_classes`, `keywords`,
 * `default_class`, renamed `data_classes`): `scan` answers what the gateway would decide.
 */
export function scanFromConfig(loaded: LoadedConfig): ConfiguredScan {
  // No fail-closed deadline here: a cold CLI process must report the class, not a timeout.
  const policy = { ...loaded.config.policy, scan: { ...loaded.config.policy.scan, timeout_ms: 60_000 } };
  const scanner = createInlinePolicyScanner(policy, { baseDir: loaded.baseDirectory });
  const disabled = new Set(policy.detectors.disable);
  const filtered: Scanner = {
    detectors: scanner.detectors,
    scan(text) {
      const result = scanner.scan(text);
      const entities = result.entities.filter((entity) => !disabled.has(entity.type));
      const counts: Record<string, number> = {};
      for (const entity of entities) counts[entity.type] = (counts[entity.type] ?? 0) + 1;
      return { entities, counts };
    },
  };
  return {
    scanner: filtered,
    async dataClassOf(text) {
      const classification = await classifyRequest(policy, scanner, {
        request: { model: 'switchyard-scan', messages: [{ role: 'user', content: [{ type: 'text', text }] }], stream: false },
      });
      return classification.dataClass;
    },
  };
}
