import { takeInventory } from '../model/outbound-inventory.js';
import type { JsonObject } from '../model/json-value.js';
import type { WireLayout } from '../model/outbound-request.js';

/**
 * The egress check on the bytes themselves: re-read the serialised body with the adapter's
 * layout and prove that every string in it (values and keys at any depth, decoded JSON text,
 * numbers) is, slot for slot, a text the policy scanned and masked — and that nothing else
 * (no unscanned media) appeared. Returns why not, or undefined when the body is covered.
 */
export function uncoveredReason(bytes: string, layout: WireLayout, expected: readonly string[], expectedUnscanned: number): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bytes);
  } catch {
    return 'the outbound body is not JSON';
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the outbound body is not a JSON object';
  const seen = takeInventory({ body: body as JsonObject, layout });
  if (seen.unscanned !== expectedUnscanned) return 'the outbound body holds media the policy did not see';
  if (seen.texts.length !== expected.length) return 'the outbound body holds text the policy did not scan';
  for (let index = 0; index < expected.length; index += 1) {
    if (seen.texts[index] !== expected[index]) return 'the outbound body differs from the text the policy scanned';
  }
  return undefined;
}
