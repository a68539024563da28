import { BUILTIN_DETECTORS } from './detectors/index.js';
import type { Detector } from './detectors/detector.js';
import type { PolicyConfig } from './policy-config-schema.js';
import { scanOffThread } from './scan-pool.js';
import { createScanner, type ScanResult } from './scan-text.js';

/** The policy's scanner: synchronous for ordinary prompts, a promise for offloaded large ones. */
export interface PolicyScanner {
  scan(text: string): ScanResult | Promise<{ entities: ScanResult['entities'] }>;
  readonly detectors: readonly Detector[];
}

/**
 * The scanner a policy asks for: built-in detectors minus those disabled (by detector id or by
 * entity type), plus the custom detectors, with the policy's minimum score. Build it once per
 * loaded config; it compiles every pattern and dictionary up front. Throws `DetectorConfigError`
 * for a bad custom detector, which `config check` should report.
 *
 * Text above `scan.offload_above_bytes` is scanned in the worker pool (scan-pool.ts), so a few
 * multi-megabyte prompts cannot stall the event loop (health checks, other requests, streams).
 */
export function createPolicyScanner(policy: PolicyConfig, options: { baseDir?: string } = {}): PolicyScanner {
  const disabled = new Set(policy.detectors.disable);
  const scanner = createScanner({
    detectors: BUILTIN_DETECTORS.filter((detector) => !disabled.has(detector.id) && !disabled.has(detector.entity)),
    custom: policy.detectors.custom.filter((detector) => !disabled.has(detector.id)),
    minScore: policy.detectors.min_score,
    ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
  });
  const offloadAbove = policy.scan.offload_above_bytes;
  const threads = policy.scan.workers;
  return {
    detectors: scanner.detectors,
    scan(text) {
      // UTF-8 is at most 3 bytes per UTF-16 unit: short texts skip the byte count.
      if (text.length * 3 <= offloadAbove || Buffer.byteLength(text, 'utf8') <= offloadAbove) return scanner.scan(text);
      return scanOffThread(
        {
          text,
          disable: policy.detectors.disable,
          custom: policy.detectors.custom,
          minScore: policy.detectors.min_score,
          ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
        },
        threads === undefined ? {} : { threads },
      );
    },
  };
}
