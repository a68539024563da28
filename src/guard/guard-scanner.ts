import { GUARD_CATEGORIES, zeroScores, type GuardCategory, type GuardScores } from './guard-categories.js';
import type { GuardRule } from './guard-rule.js';
import { decodeLayers } from './decode-layers.js';
import { foldForGuard } from './fold-for-guard.js';
import { createGateIndex } from './gate-index.js';
import { EN_RULES } from './rules-en.js';
import { ZH_RULES } from './rules-zh.js';
import { documentStart, externalLinks, inside, isDiscussion, isProcessingTask, quotedSpans, templatedUrlHost } from './structural-signals.js';

/**
 * The heuristic guard: folds the text, finds every gate literal in one pass (gate-index.ts), runs the rules
 * those gates admit, adds structural signals, then decodes obfuscated segments and scans them
 * the same way. Scores per category combine signal weights as a noisy-or (1 − Π(1 − w)).
 */

export interface ScanContext {
  /** Where the text came from: tool results and retrieved documents are untrusted content. */
  source?: 'user' | 'system' | 'assistant' | 'tool' | 'document';
  /** The principal's roles, when known; undefined (e.g. the CLI) means "unknown principal". */
  roles?: readonly string[];
}

export interface ScannerOptions {
  /** Roles for which a claim to be an administrator is simply true. */
  privilegedRoles?: readonly string[];
  /** Hosts links and images may point at (subdomains included). */
  allowedLinkHosts?: readonly string[];
  /** Extra rules (tests, operator additions). */
  rules?: readonly GuardRule[];
}

export interface Signal {
  id: string;
  category: GuardCategory;
  weight: number;
  /** Discounted because the text discusses attacks; such signals do not add up with each other. */
  discounted?: boolean;
}

export interface TextScore {
  scores: GuardScores;
  signals: Signal[];
}

export interface GuardScanner {
  scan(text: string, context?: ScanContext): TextScore;
}

/** Obfuscation is itself a sign of intent: a signal found only after decoding weighs this much more. */
const DECODED_BONUS = 0.1;
const DISCUSSION_FACTOR = 0.45;
const QUOTED_DISCUSSION_FACTOR = 0.5;
const INDIRECT_WEIGHT = 0.3;
/** Half-width of the text window a rule reads around each of its gates (a rule's match spans less). */
const WINDOW = 200;
/** A gate sits near the start of most matches: the window reaches less far back than forward. */
const WINDOW_BEFORE = 90;
const ROLE_CLAIM_RULES = new Set(['en.role_claim', 'en.claim_access', 'zh.role_claim', 'zh.claim_access']);

/**
 * Index in `folded` of the first match of `pattern` in `folded[from, to)`, or -1. A plain
 * function, not a closure per rule: the dev runner (tsx) names every closure it creates.
 */
function matchIn(pattern: RegExp, folded: string, from: number, to: number): number {
  const match = pattern.exec(folded.slice(from, to));
  return match ? from + match.index : -1;
}

export function createGuardScanner(options: ScannerOptions = {}): GuardScanner {
  const rules = [...EN_RULES, ...ZH_RULES, ...(options.rules ?? [])];
  const privileged = new Set(options.privilegedRoles ?? ['admin']);
  const allowedHosts = options.allowedLinkHosts ?? [];
  const byGate = new Map<string, GuardRule[]>();
  for (const candidate of rules) {
    for (const gate of candidate.gate) {
      const key = gate.toLowerCase();
      const list = byGate.get(key) ?? [];
      list.push(candidate);
      byGate.set(key, list);
    }
  }
  const gates = createGateIndex(byGate);

  /** Runs `rule` on merged windows around its gates; returns the match index in `folded`, or -1. */
  function matchNear(candidate: GuardRule, folded: string, positions: readonly number[]): number {
    if (folded.length <= WINDOW + WINDOW_BEFORE) {
      const match = candidate.pattern.exec(folded);
      return match ? match.index : -1;
    }
    let start = -1;
    let end = -1;
    for (const position of positions) {
      const from = Math.max(0, position - WINDOW_BEFORE);
      const to = Math.min(folded.length, position + WINDOW);
      if (start >= 0 && from <= end) {
        end = to;
        continue;
      }
      if (start >= 0) {
        const found = matchIn(candidate.pattern, folded, start, end);
        if (found >= 0) return found;
      }
      start = from;
      end = to;
    }
    return start >= 0 ? matchIn(candidate.pattern, folded, start, end) : -1;
  }

  function scanLayer(folded: string, context: ScanContext, prefix: string, bonus: number, signals: Signal[]): void {
    const matched = gates.candidates(folded);
    if (matched.size === 0) return;
    const discussion = isDiscussion(folded);
    let quotes: Array<[number, number]> | undefined;
    const docStart = context.source === 'tool' || context.source === 'document' ? 0 : documentStart(folded);
    let indirect = false;
    let processing: boolean | undefined;
    for (const [candidate, positions] of matched) {
      const index = matchNear(candidate, folded, positions);
      if (index < 0) continue;
      let weight = candidate.weight;
      if (ROLE_CLAIM_RULES.has(candidate.id) && context.roles !== undefined) {
        // The guard sees the principal: a true claim is no escalation; a false one is worse than an unknown one.
        if (context.roles.some((role) => privileged.has(role))) {
          signals.push({ id: `${prefix}role_claim_verified`, category: candidate.category, weight: 0 });
          continue;
        }
        weight = Math.min(0.95, weight + 0.15);
      }
      let discounted = false;
      if (discussion) {
        quotes ??= quotedSpans(folded);
        const quoted = inside(quotes, index, folded);
        if (!candidate.direct) weight *= DISCUSSION_FACTOR;
        else if (quoted) weight *= QUOTED_DISCUSSION_FACTOR;
        discounted = !candidate.direct || quoted;
      } else if (candidate.category === 'prompt_injection') {
        if (docStart >= 0 && index >= docStart) indirect = true;
      } else if (processing ?? (processing = isProcessingTask(folded))) {
        // Quoted material the user asks to summarise or translate is data; only injection in it matters.
        quotes ??= quotedSpans(folded);
        if (inside(quotes, index, folded) || (docStart >= 0 && index >= docStart)) {
          weight *= DISCUSSION_FACTOR;
          discounted = true;
        }
      }
      signals.push({ id: `${prefix}${candidate.id}`, category: candidate.category, weight: Math.min(0.95, weight + bonus), ...(discounted ? { discounted } : {}) });
    }
    if (indirect) signals.push({ id: `${prefix}structural.indirect_injection`, category: 'prompt_injection', weight: INDIRECT_WEIGHT });
  }

  function structural(folded: string, signals: Signal[]): void {
    for (const link of externalLinks(folded, allowedHosts)) {
      if (link.kind === 'image') signals.push({ id: link.templated ? 'structural.image_url_payload' : 'structural.external_image', category: 'data_exfiltration', weight: link.templated ? 0.8 : 0.5 });
      else if (link.templated) signals.push({ id: 'structural.link_url_payload', category: 'data_exfiltration', weight: 0.6 });
    }
    if (templatedUrlHost(folded, allowedHosts) !== undefined) signals.push({ id: 'structural.templated_url', category: 'data_exfiltration', weight: 0.45 });
  }

  return {
    scan(text, context = {}) {
      const signals: Signal[] = [];
      const folded = foldForGuard(text);
      scanLayer(folded, context, '', 0, signals);
      structural(folded, signals);
      for (const segment of decodeLayers(text)) {
        const before = signals.length;
        const decodedFolded = foldForGuard(segment.text);
        scanLayer(decodedFolded, context, `${segment.layer}:`, DECODED_BONUS, signals);
        structural(decodedFolded, signals);
        for (let index = before; index < signals.length; index += 1) {
          const signal = signals[index] as Signal;
          if (!signal.id.includes(':')) signal.id = `${segment.layer}:${signal.id}`;
        }
      }
      return { scores: combine(signals), signals };
    },
  };
}

/** Noisy-or per category; the same rule found in several layers counts once (its strongest). */
export function combine(signals: readonly Signal[]): GuardScores {
  const strongest = new Map<string, Signal>();
  for (const signal of signals) {
    const key = `${signal.category}|${signal.id.slice(signal.id.lastIndexOf(':') + 1)}`;
    const previous = strongest.get(key);
    if (!previous || previous.weight < signal.weight) strongest.set(key, signal);
  }
  const remaining = zeroScores();
  const discounted = zeroScores();
  for (const category of GUARD_CATEGORIES) remaining[category] = 1;
  for (const signal of strongest.values()) {
    if (signal.discounted) discounted[signal.category] = Math.max(discounted[signal.category], signal.weight);
    else remaining[signal.category] *= 1 - signal.weight;
  }
  // Discounted signals count once, by the strongest: several mentions in a discussion are still a discussion.
  for (const category of GUARD_CATEGORIES) remaining[category] *= 1 - discounted[category];
  const scores = zeroScores();
  for (const category of GUARD_CATEGORIES) scores[category] = Math.round((1 - remaining[category]) * 1000) / 1000;
  return scores;
}
