import type { ChatResponse } from '../model/chat-response.js';
import type { StreamPart } from '../model/stream-part.js';
import { rewriteOutbound, takeInventory } from '../model/outbound-inventory.js';
import type { OutboundRequest } from '../model/outbound-request.js';
import type { PolicyInput, PolicyRuntime } from './apply-policy.js';
import { classifyOutbound, type OutboundScan } from './classify-outbound.js';
import { placeholderLikeIn } from './masking/placeholder-vault.js';
import { createTextMasker, type TextMasker } from './masking/pseudonymize.js';
import { restoreStream } from './masking/restore-stream.js';
import { restoreChatResponse } from './masking/restore-text.js';
import type { PolicyDecision } from './policy-decision.js';
import { decidePolicy, policyDisabledDecision } from './routing-rules.js';
import { uncoveredReason } from './verify-outbound.js';

/**
 * The policy stage over what actually leaves: classify the candidate outbound bodies → decide →
 * (per send) mask that body's inventory, serialise it, and prove the bytes were covered.
 * Enforcement of tiers stays with the caller (`allowedTargets`, `assertEgressAllowed`).
 */

export interface SealedOutbound {
  /** The bytes to send: masked per the decision, verified slot by slot. */
  body: string;
  /** What the policy read (original) and what leaves (masked), group by group, for the audit record. */
  capture: { request: string; maskedRequest: string };
}

export interface OutboundPolicy {
  decision: PolicyDecision;
  /**
   * Seals candidate `index` (the order the drafts were given in). Throws `OutboundUnverifiedError`
   * when the serialised body holds a string the policy did not scan.
   */
  seal(index: number): SealedOutbound;
  /** What candidate `index` would send before masking, as the policy read it (for the audit of a request that never left). */
  readText(index: number): string;
  restoreResponse(response: ChatResponse): ChatResponse;
  restoreStream(parts: AsyncIterable<StreamPart>): AsyncIterable<StreamPart>;
}

/** The serialised body holds text the policy did not scan: a gateway bug, so nothing is sent. */
export class OutboundUnverifiedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OutboundUnverifiedError';
  }
}

function captureOf(scan: OutboundScan, masked: readonly string[], request: string): SealedOutbound['capture'] {
  const maskedGroups = scan.inventory.groups.map((group) => group.slots.map((slot) => masked[slot]).join(''));
  const keep = (_text: string, index: number) => (scan.texts[index] ?? '') !== '';
  return { request, maskedRequest: maskedGroups.filter(keep).join('\n') };
}

/** What a body's groups read as one text (the audit's `request`): the non-empty group texts, one per line. */
function readTextOf(scan: OutboundScan | undefined): string {
  return (scan?.texts ?? []).filter((text) => text !== '').join('\n');
}

export async function applyOutboundPolicy(runtime: PolicyRuntime, drafts: readonly OutboundRequest[], input: PolicyInput = {}): Promise<OutboundPolicy> {
  const { policy } = runtime;
  const inventories = drafts.map((draft) => takeInventory(draft));
  if (!policy.enabled) {
    return {
      decision: policyDisabledDecision(),
      seal: (index) => {
        const text = (inventories[index]?.texts ?? []).join('\n');
        return { body: JSON.stringify((drafts[index] as OutboundRequest).body), capture: { request: text, maskedRequest: text } };
      },
      readText: (index) => (inventories[index]?.texts ?? []).join('\n'),
      restoreResponse: (response) => response,
      restoreStream: (parts) => parts,
    };
  }
  const classification = await classifyOutbound(policy, runtime.scanner, {
    inventories,
    ...(input.principal ? { principal: input.principal } : {}),
    ...(input.headers ? { headers: input.headers } : {}),
  });
  const tags = input.tags ?? input.principal?.tags;
  const decision = decidePolicy(policy, {
    dataClass: classification.dataClass,
    classReasons: classification.reasons,
    entities: classification.entities,
    scanFailed: classification.scanFailed,
    unscannedContent: classification.unscannedContent,
    ...(input.principal ? { principal: input.principal } : {}),
    ...(input.alias !== undefined ? { model: input.alias } : {}),
    ...(tags ? { tags } : {}),
  });

  // One masker per request: every candidate body shares its placeholders, so restoring works whichever was sent.
  let masker: TextMasker | undefined;
  const maskerFor = (): TextMasker =>
    (masker ??= createTextMasker(decision.mask, {
      reserved: inventories.flatMap((inventory) => inventory.texts.flatMap((text) => placeholderLikeIn(text))),
      ...(runtime.hashKey === undefined ? {} : { hashKey: runtime.hashKey }),
    }));
  const sealed = new Map<number, SealedOutbound>();

  function seal(index: number): SealedOutbound {
    const known = sealed.get(index);
    if (known) return known;
    const draft = drafts[index];
    const scan = classification.scans[index];
    if (draft === undefined || scan === undefined) throw new OutboundUnverifiedError('no outbound body was classified for this target');
    const masked = maskSlots(scan, decision.mask.types.length > 0 && decision.action === 'allow' ? maskerFor() : undefined);
    const changed = masked.some((text, slot) => text !== scan.inventory.texts[slot]);
    const body = JSON.stringify(changed ? rewriteOutbound(draft, masked) : draft.body);
    const reason = uncoveredReason(body, draft.layout, masked, scan.inventory.unscanned);
    if (reason !== undefined) throw new OutboundUnverifiedError(reason);
    const result = { body, capture: captureOf(scan, masked, readText(index)) };
    sealed.set(index, result);
    return result;
  }

  // The audit reads a body's text before any send and again when it is sealed: joined once.
  const readTexts = new Map<number, string>();
  function readText(index: number): string {
    let text = readTexts.get(index);
    if (text === undefined) readTexts.set(index, (text = readTextOf(classification.scans[index])));
    return text;
  }

  const vault = () => masker?.vault;
  return {
    decision,
    seal,
    readText,
    restoreResponse: (response) => {
      const current = vault();
      return current === undefined ? response : restoreChatResponse(response, current);
    },
    restoreStream: (parts) => {
      const current = vault();
      return current === undefined ? parts : restoreStream(parts, current);
    },
  };
}

/** Slot texts with the decision's entity types masked, group by group. */
function maskSlots(scan: OutboundScan, masker: TextMasker | undefined): string[] {
  const texts = [...scan.inventory.texts];
  if (masker === undefined) return texts;
  scan.inventory.groups.forEach((group, groupIndex) => {
    const entities = scan.entities[groupIndex] ?? [];
    if (entities.length === 0) return;
    const pieces = group.slots.map((slot) => texts[slot] as string);
    const masked = masker.maskPieces(pieces, entities);
    group.slots.forEach((slot, position) => (texts[slot] = masked[position] as string));
  });
  return texts;
}
