import type { Principal } from '../model/principal.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { ChatResponse } from '../model/chat-response.js';
import type { EmbeddingRequest } from '../model/embedding.js';
import type { StreamPart } from '../model/stream-part.js';
import { classifyRequest, type TextScanner } from './classify.js';
import { PlaceholderVault } from './masking/placeholder-vault.js';
import { maskRequest } from './masking/pseudonymize.js';
import { restoreStream } from './masking/restore-stream.js';
import { restoreChatResponse } from './masking/restore-text.js';
import type { PolicyConfig } from './policy-config-schema.js';
import type { PolicyDecision } from './policy-decision.js';
import { createPolicyScanner } from './policy-scanner.js';
import { decidePolicy, policyDisabledDecision } from './routing-rules.js';

/**
 * The policy stage of the pipeline in one call: classify → decide → mask, plus the restore
 * functions for the answer. Enforcement (deny, egress) stays with the caller, through
 * `allowedTargets` before dispatch and `assertEgressAllowed` before every send.
 */

/** What a loaded config needs for policy: built once per config, shared by all requests. */
export interface PolicyRuntime {
  policy: PolicyConfig;
  scanner: TextScanner;
  /** Resolved `policy.hash_key`, for `mask_mode: hash`. */
  hashKey?: string;
}

export function createPolicyRuntime(policy: PolicyConfig, options: { baseDir?: string; resolveSecret?: (reference: string) => string } = {}): PolicyRuntime {
  const runtime: PolicyRuntime = { policy, scanner: createPolicyScanner(policy, options.baseDir === undefined ? {} : { baseDir: options.baseDir }) };
  if (policy.hash_key !== undefined && options.resolveSecret) runtime.hashKey = options.resolveSecret(policy.hash_key);
  return runtime;
}

export interface PolicyInput {
  principal?: Pick<Principal, 'id' | 'department' | 'roles' | 'tags'>;
  /** The model alias the client asked for. */
  alias?: string;
  /** Request tags; defaults to the principal's tags. */
  tags?: Record<string, string>;
  headers?: Record<string, string | string[] | undefined>;
}

export interface AppliedPolicy {
  decision: PolicyDecision;
  /** The request to send upstream: masked when the deciding rule says so, else the original. */
  request: ChatRequest;
  restoreResponse(response: ChatResponse): ChatResponse;
  restoreStream(parts: AsyncIterable<StreamPart>): AsyncIterable<StreamPart>;
}

function identityRestore(decision: PolicyDecision, request: ChatRequest): AppliedPolicy {
  return { decision, request, restoreResponse: (response) => response, restoreStream: (parts) => parts };
}

/** @deprecated The request path uses `applyOutboundPolicy` (scans the outbound body itself). */
export async function applyPolicy(runtime: PolicyRuntime, request: ChatRequest, input: PolicyInput = {}): Promise<AppliedPolicy> {
  const { policy } = runtime;
  if (!policy.enabled) return identityRestore(policyDisabledDecision(), request);
  const classification = await classifyRequest(policy, runtime.scanner, {
    request,
    ...(input.principal ? { principal: input.principal } : {}),
    ...(input.headers ? { headers: input.headers } : {}),
  });
  const tags = input.tags ?? input.principal?.tags;
  const decision = decidePolicy(policy, {
    dataClass: classification.dataClass,
    classReasons: classification.reasons,
    entities: classification.entities,
    scanFailed: classification.scanFailed,
    ...(input.principal ? { principal: input.principal } : {}),
    ...(input.alias !== undefined ? { model: input.alias } : {}),
    ...(tags ? { tags } : {}),
  });
  if (decision.action !== 'allow' || decision.mask.types.length === 0) return identityRestore(decision, request);
  const masked = maskRequest(request, classification.segments, decision.mask, runtime.hashKey === undefined ? {} : { hashKey: runtime.hashKey });
  const vault: PlaceholderVault = masked.vault;
  return {
    decision,
    request: masked.request,
    restoreResponse: (response) => restoreChatResponse(response, vault),
    restoreStream: (parts) => restoreStream(parts, vault),
  };
}

/**
 * Embedding inputs leave the gateway too, so they are classified and guarded like chat text.
 * Masked inputs are embedded as masked (vectors cannot be restored).
 */
/** @deprecated The request path uses `applyOutboundPolicy`. */
export async function applyPolicyToEmbeddings(
  runtime: PolicyRuntime,
  request: EmbeddingRequest,
  input: PolicyInput = {},
): Promise<{ decision: PolicyDecision; request: EmbeddingRequest }> {
  const asChat: ChatRequest = {
    model: request.model,
    stream: false,
    messages: request.input.map((text) => ({ role: 'user', content: [{ type: 'text', text }] })),
  };
  const applied = await applyPolicy(runtime, asChat, input);
  const texts = applied.request.messages.map((message) => {
    const part = message.content[0];
    return part?.type === 'text' ? part.text : '';
  });
  return { decision: applied.decision, request: applied.request === asChat ? request : { ...request, input: texts } };
}
