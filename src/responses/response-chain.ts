import { GatewayError } from '../errors/gateway-error.js';
import type { CanonicalMessage } from '../model/chat-message.js';
import type { ResponseStore, StoredResponse } from './response-store.js';
import { RESPONSES_STORE_SETTING } from './responses-config-schema.js';

/**
 * The Responses API's server-side state, as a route uses it: load the earlier turns a
 * `previous_response_id` names, decide whether a new response's text may be kept, save it.
 *
 * What is kept follows the audit's content capture for the request's data class: the text
 * (as the client sent and received it) only where the audit itself may keep the full text
 * (`full`); otherwise a record without content that says why, so a later chain gets a clear
 * `response_not_stored` instead of a silent miss. A chained request is re-assembled from the
 * stored turns and goes through the whole pipeline again (classification, masking, guard),
 * so the policy decides on exactly what leaves this time.
 */

export interface ResponseChain {
  /** Undefined when `responses.store.enabled` is false. */
  store: ResponseStore | undefined;
  retentionHours: number;
  /** Unix milliseconds. */
  now: () => number;
}

/** The audit capture modes (audit/capture-content.ts); only `full` keeps text. */
export type ContentCaptureMode = 'none' | 'hash' | 'masked' | 'full';

export function storeDisabled(what: string): GatewayError {
  return new GatewayError(
    'response_store_disabled',
    `${what} needs stored responses, and response storage is off on this gateway. Send the whole conversation in 'input' instead, or ask an operator to set ${RESPONSES_STORE_SETTING}: true.`,
    { param: what === 'previous_response_id' ? 'previous_response_id' : null },
  );
}

export function notFound(id: string, retentionHours: number, param: string | null): GatewayError {
  return new GatewayError(
    'response_not_found',
    `No stored response '${id}' for this caller: it never existed, belongs to another key, was deleted, or expired (kept ${retentionHours} h). Send the conversation in 'input' instead.`,
    { param },
  );
}

/** The record for (id, principal), or the right 404. */
export async function findStored(chain: ResponseChain, id: string, principalId: string, param: string | null): Promise<StoredResponse & { content: NonNullable<StoredResponse['content']> }> {
  if (!chain.store) throw storeDisabled(param ?? 'Reading a stored response');
  const record = await chain.store.get(id, principalId, chain.now());
  if (!record) throw notFound(id, chain.retentionHours, param);
  if (!record.content) {
    throw new GatewayError(
      'response_not_stored',
      `Response '${id}' was served but its text was not stored: ${record.notStoredReason ?? 'the data policy did not allow it'}. Send the conversation in 'input' instead.`,
      { param },
    );
  }
  return { ...record, content: record.content };
}

/** The earlier turns `previous_response_id` names (their input and output, never their instructions). */
export async function loadEarlierTurns(chain: ResponseChain, id: string, principalId: string): Promise<CanonicalMessage[]> {
  return (await findStored(chain, id, principalId, 'previous_response_id')).content.conversation;
}

/** May the text of a response of this data class be kept? */
export function contentDecision(dataClass: string, mode: ContentCaptureMode): { keep: true } | { keep: false; reason: string } {
  if (mode === 'full') return { keep: true };
  return { keep: false, reason: `its data class '${dataClass}' keeps audit content as '${mode}', and the gateway stores conversation text only where the audit may keep it in full (audit.capture)` };
}

export interface ResponseToSave {
  id: string;
  principalId: string;
  dataClass: string;
  mode: ContentCaptureMode;
  conversation: CanonicalMessage[];
  response: Record<string, unknown>;
}

/** Saves the response (or a record saying why its text was not kept) and purges expired ones. */
export async function saveResponse(chain: ResponseChain, toSave: ResponseToSave): Promise<void> {
  const store = chain.store;
  if (!store) return;
  const now = chain.now();
  const decision = contentDecision(toSave.dataClass, toSave.mode);
  await store.save({
    id: toSave.id,
    principalId: toSave.principalId,
    createdAt: now,
    expiresAt: now + chain.retentionHours * 3_600_000,
    dataClass: toSave.dataClass,
    ...(decision.keep ? { content: { conversation: toSave.conversation, response: toSave.response } } : { notStoredReason: decision.reason }),
  });
  // Retention is enforced on read (expires_at); the purge keeps the table from growing.
  await store.purgeExpired(now);
}
