import { BUILTIN_DETECTORS } from './detectors/index.js';
import type { Detector } from './detectors/detector.js';
import type { PolicyConfig } from './policy-config-schema.js';
import { scanOffThread } from './scan-pool.js';
import { createScanner, type Scanner, type ScanResult } from './scan-text.js';

const WARM_UP_TEXT =
  '客戶王小明（身分證A123456789）來電，手機0912-345-678，匯款新臺幣參萬元整至帳號 004-12345678901，統編 04595257。\n' +
  'Contact Emily Carter at emily.carter@example.com, +886 2 2345 6789 ext. 12, card 4111 1111 1111 1111, ' +
  'server 10.0.0.1, token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY2zA4, 5F., No. 1, Sec. 1, Zhongxiao E. Rd., Taipei City.';

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
  const scanner = createInlinePolicyScanner(policy, options);
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

/**
 * The same detectors, always on the calling thread (the CLI, which has no event loop to protect).
 * Warmed up at load: the first scan compiles every regex and fills the normaliser's tables; do
 * that now, not inside the first request's scan deadline (scan.timeout_ms).
 */
export function createInlinePolicyScanner(policy: PolicyConfig, options: { baseDir?: string } = {}): Scanner {
  const disabled = new Set(policy.detectors.disable);
  const scanner = createScanner({
    detectors: BUILTIN_DETECTORS.filter((detector) => !disabled.has(detector.id) && !disabled.has(detector.entity)),
    custom: policy.detectors.custom.filter((detector) => !disabled.has(detector.id)),
    minScore: policy.detectors.min_score,
    ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
  });
  scanner.scan(WARM_UP_TEXT);
  return scanner;
}
