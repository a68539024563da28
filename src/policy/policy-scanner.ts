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
  /**
   * The entities of `types` that `scan(text)` reports — the same spans in the same order — for
   * callers that act on a few types only (the output guard: secrets, restricted types). Runs
   * only the detectors of those types first: when they find no candidate at all, the full scan
   * cannot report one of those types either (every candidate of theirs would be one of these, and
   * overlap resolution keeps at least one candidate of any non-empty set), so the answer is
   * empty; otherwise it is the full scan, filtered. Large texts take the full (offloaded) path.
   */
  scanFor(text: string, types: ReadonlySet<string>): ScanResult['entities'] | Promise<ScanResult['entities']>;
  readonly detectors: readonly Detector[];
}

/** Distinct type sets a gateway asks `scanFor` about (per role mix); a bound keeps the cache finite. */
const MAX_WATCH_SCANNERS = 32;
/** The prefilter's bit budget (scan-prefilter.ts): within it, a subset of detectors runs on the same regions. */
const MAX_PREFILTERED_DETECTORS = 31;

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
  // With more detectors than prefilter bits, which ones run on the whole text depends on the set: no shortcut then.
  const canWatch = scanner.detectors.length <= MAX_PREFILTERED_DETECTORS;
  const watchScanners = new Map<string, Scanner>();
  const watchScannerFor = (types: ReadonlySet<string>): Scanner => {
    const key = [...types].sort().join(',');
    let watch = watchScanners.get(key);
    if (watch === undefined) {
      if (watchScanners.size >= MAX_WATCH_SCANNERS) watchScanners.clear();
      // The full scanner's own detectors (built-ins, then the custom ones it compiled, in its rank
      // order): a dictionary is read once, when the policy loads — never again on the request path,
      // where the file may have changed (another answer than scan's) or gone (a throw).
      watch = createScanner({
        detectors: scanner.detectors,
        minScore: policy.detectors.min_score,
        entities: [...types],
      });
      watchScanners.set(key, watch);
    }
    return watch;
  };
  const inline = (text: string): boolean => text.length * 3 <= offloadAbove || Buffer.byteLength(text, 'utf8') <= offloadAbove;
  const policyScanner: PolicyScanner = {
    detectors: scanner.detectors,
    scanFor(text, types) {
      if (canWatch && inline(text) && watchScannerFor(types).scan(text).entities.length === 0) return [];
      const keep = (entities: ScanResult['entities']) => entities.filter((entity) => types.has(entity.type));
      const full = policyScanner.scan(text);
      return full instanceof Promise ? full.then((result) => keep(result.entities)) : keep(full.entities);
    },
    scan(text) {
      // UTF-8 is at most 3 bytes per UTF-16 unit: short texts skip the byte count.
      if (inline(text)) return scanner.scan(text);
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
  return policyScanner;
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
