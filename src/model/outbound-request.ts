import type { JsonObject } from './json-value.js';

/**
 * The outbound request as the data policy sees it: the exact JSON body an adapter is about to
 * serialise, plus the adapter's description of how that body is read (`WireLayout`). Every
 * provider adapter exposes this (`ProviderAdapter.describeOutbound`), so the policy scans, masks
 * and verifies the bytes that leave rather than a second view of the request that could drift.
 */

export type OutboundOperation = 'chat' | 'chat-stream' | 'embeddings' | 'count-tokens';

/** A path into the body; `*` matches any key or index. */
export interface PathRule {
  path: readonly string[];
  /** Only when the object holding the string has `key` equal to `equals` (e.g. role = tool). */
  when?: { key: string; equals: string };
}

/** A closed set of words; `protocolVocabulary` builds one. */
export interface Vocabulary {
  has(word: string): boolean;
}

/** Fixed protocol words (built once per wire) plus the per-request upstream model name(s). */
export function protocolVocabulary(words: ReadonlySet<string>, ...models: string[]): Vocabulary {
  let longest = 0;
  for (const word of [...words, ...models]) longest = Math.max(longest, word.length);
  // The length check first: hashing a long prompt just to miss the set costs more than its scan's overhead.
  return { has: (word) => word.length <= longest && (words.has(word) || models.includes(word)) };
}

export interface WireLayout {
  /**
   * The adapter's own protocol words (field names, roles, part types, the upstream model name):
   * a closed list of harmless words that are not scanned wherever they appear. Any other string
   * in the body — value or key, at any depth — is scanned.
   */
  vocabulary: Vocabulary;
  /** Arrays of content parts whose `text` strings the model reads as one text, concatenated. */
  joined: readonly PathRule[];
  /** Strings that carry JSON (tool arguments, tool results): their decoded strings are scanned. */
  jsonText: readonly PathRule[];
  /**
   * Strings that stand for content the gateway cannot read (image data, image URLs). Each is
   * counted as unscanned content; a base64 payload is not scanned, anything else is scanned as text.
   */
  media: readonly PathRule[];
}

export interface OutboundRequest {
  operation: OutboundOperation;
  /** The body exactly as the adapter would serialise it with `JSON.stringify`. */
  body: JsonObject;
  layout: WireLayout;
}
