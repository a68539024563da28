import { GUARD_CATEGORIES, type GuardScores } from './guard-categories.js';
import type { GuardClassifier } from './guard-classifier.js';
import type { GuardConfig } from './guard-config-schema.js';
import { decideGuard, type GuardDecision } from './guard-decision.js';
import { combine, createGuardScanner, type GuardScanner, type ScanContext, type Signal } from './guard-scanner.js';

/**
 * The guard built from one config: the scanner, the thresholds and actions, and the optional
 * classifier. `check` scores several texts of one request (each with its source) and decides
 * once: per category the strongest segment counts, so a long conversation does not add up to an
 * attack by sheer length.
 */

export interface GuardText {
  text: string;
  source?: ScanContext['source'];
}

export interface GuardRuntime {
  readonly config: GuardConfig;
  readonly scanner: GuardScanner;
  check(texts: readonly GuardText[], roles?: readonly string[]): Promise<GuardDecision>;
}

export interface GuardRuntimeOptions {
  classifier?: GuardClassifier;
}

export function createGuardRuntime(config: GuardConfig, options: GuardRuntimeOptions = {}): GuardRuntime {
  const scanner = createGuardScanner({ privilegedRoles: config.privileged_roles, allowedLinkHosts: config.allowed_link_hosts });
  const classifier = options.classifier;
  const weight = config.classifier?.weight ?? 0.6;
  return {
    config,
    scanner,
    async check(texts, roles) {
      const signals: Signal[] = [];
      const scores: GuardScores = combine([]);
      for (const item of texts) {
        const result = scanner.scan(item.text, { ...(item.source ? { source: item.source } : {}), ...(roles ? { roles } : {}) });
        signals.push(...result.signals);
        for (const category of GUARD_CATEGORIES) scores[category] = Math.max(scores[category], result.scores[category]);
      }
      if (classifier && texts.length > 0) {
        const probabilities = await classifier.classify(texts.map((item) => item.text).join('\n'));
        for (const category of GUARD_CATEGORIES) {
          const probability = Math.min(1, Math.max(0, probabilities[category] ?? 0)) * weight;
          if (probability <= 0) continue;
          signals.push({ id: 'classifier', category, weight: probability });
          scores[category] = Math.round((1 - (1 - scores[category]) * (1 - probability)) * 1000) / 1000;
        }
      }
      return decideGuard(config, scores, signals, roles);
    },
  };
}
