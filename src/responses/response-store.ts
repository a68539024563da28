import type { CanonicalMessage } from '../model/chat-message.js';

/**
 * Stored Responses API responses, each visible only to the principal that created it. A record
 * holds the conversation so far (earlier turns, this turn's input, the answer) so a chained
 * request loads one row; `content` is absent when the data policy did not allow keeping the
 * text (see store-decision.ts), and the record then only says why.
 */
export interface StoredResponse {
  id: string;
  principalId: string;
  /** Unix milliseconds. */
  createdAt: number;
  expiresAt: number;
  /** The data class the policy gave the request (what decided whether content was kept). */
  dataClass: string;
  content?: {
    /** Earlier turns, this turn's input and the model's output, as canonical messages (no instructions). */
    conversation: CanonicalMessage[];
    /** The `response` object as the client received it. */
    response: Record<string, unknown>;
  };
  /** Why there is no content (e.g. the data class's audit capture mode). */
  notStoredReason?: string;
}

export interface ResponseStore {
  save(record: StoredResponse): Promise<void>;
  /** The record if it exists, belongs to this principal and has not expired at `now`. */
  get(id: string, principalId: string, now: number): Promise<StoredResponse | undefined>;
  /** True when a record of this principal was deleted. */
  delete(id: string, principalId: string): Promise<boolean>;
  /** Deletes records expired at `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}
