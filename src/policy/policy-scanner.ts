import { BUILTIN_DETECTORS } from './detectors/index.js';
import type { PolicyConfig } from './policy-config-schema.js';
import { createScanner, type Scanner } from './scan-text.js';

/**
 * The scanner a policy asks for: built-in detectors minus those disabled (by detector id or by
 * entity type), plus the custom detectors, with the policy's minimum score. Build it once per
 * loaded config; it compiles every pattern and dictionary up front. Throws `DetectorConfigError`
 * for a bad custom detector, which `config check` should report.
 */
export function createPolicyScanner(policy: PolicyConfig, options: { baseDir?: string } = {}): Scanner {
  const disabled = new Set(policy.detectors.disable);
  return createScanner({
    detectors: BUILTIN_DETECTORS.filter((detector) => !disabled.has(detector.id) && !disabled.has(detector.entity)),
    custom: policy.detectors.custom.filter((detector) => !disabled.has(detector.id)),
    minScore: policy.detectors.min_score,
    ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
  });
}
