import { createHmac } from 'node:crypto';
import type { ChatRequest } from '../../model/chat-request.js';
import type { ScanEntity, ScannedSegment } from '../classify.js';
import type { MaskPlan } from '../policy-decision.js';
import { mapRequestText } from '../request-text.js';
import { PlaceholderVault, placeholderLikeIn } from './placeholder-vault.js';

/**
 * Replaces detected entities before a request leaves the gateway.
 * - `reversible`: `[PERSON_1]`, numbered per type in order of first appearance across the whole
 *   request; the vault maps placeholders back for the response.
 * - `redact`: `[PERSON]`, irreversible.
 * - `hash`: `[PERSON#3f9a2c71b4e5]`, a keyed HMAC-SHA-256, so the same value gives the same token
 *   across requests (useful for joining logs) while the value cannot be recovered without the key.
 */

export interface MaskOptions {
  /** Required for `hash` mode; from `policy.hash_key`. */
  hashKey?: string | Uint8Array;
}

export interface MaskResult {
  request: ChatRequest;
  /** Empty unless the mode is `reversible`. Keep for the request only. */
  vault: PlaceholderVault;
  /** How many spans were replaced, by type. */
  masked: Record<string, number>;
}

/** Spans to replace: only the planned types, sorted, overlaps resolved in favour of the earlier (then longer) span. */
function spansToMask(entities: readonly ScanEntity[], types: ReadonlySet<string>): ScanEntity[] {
  const candidates = entities.filter((entity) => types.has(entity.type)).sort((left, right) => left.start - right.start || right.end - left.end);
  const chosen: ScanEntity[] = [];
  let reach = 0;
  for (const entity of candidates) {
    if (entity.start < reach) continue;
    chosen.push(entity);
    reach = entity.end;
  }
  return chosen;
}

export interface TextMasker {
  maskText(text: string, entities: readonly ScanEntity[]): string;
  /**
   * Masks text the model reads as one (`pieces` concatenated with nothing), with `entities`
   * found in that concatenation, and returns the pieces masked: a value split across pieces is
   * replaced whole — its token goes where it starts, the rest of it is removed from later pieces.
   */
  maskPieces(pieces: readonly string[], entities: readonly ScanEntity[]): string[];
  readonly vault: PlaceholderVault;
  readonly masked: Record<string, number>;
}

/** A masker for one request: all texts masked through it share one vault and numbering. */
export function createTextMasker(plan: MaskPlan, options: MaskOptions & { reserved?: Iterable<string> } = {}): TextMasker {
  const types = new Set(plan.types);
  const vault = new PlaceholderVault(options.reserved);
  const masked: Record<string, number> = {};
  if (plan.mode === 'hash' && options.hashKey === undefined) throw new Error('mask mode hash needs a hash key');
  const tokenFor = (type: string, value: string): string => {
    if (plan.mode === 'reversible') return vault.placeholderFor(type, value);
    if (plan.mode === 'redact') return `[${type}]`;
    const digest = createHmac('sha256', options.hashKey ?? '').update(`${type}\u0000${value}`).digest('hex');
    return `[${type}#${digest.slice(0, 12)}]`;
  };
  return {
    vault,
    masked,
    maskText(text, entities) {
      const spans = spansToMask(entities, types);
      if (spans.length === 0) return text;
      let result = '';
      let cursor = 0;
      for (const span of spans) {
        result += text.slice(cursor, span.start) + tokenFor(span.type, text.slice(span.start, span.end));
        masked[span.type] = (masked[span.type] ?? 0) + 1;
        cursor = span.end;
      }
      return result + text.slice(cursor);
    },
    maskPieces(pieces, entities) {
      const spans = spansToMask(entities, types);
      if (spans.length === 0) return [...pieces];
      const joined = pieces.join('');
      const out: string[] = [];
      let spanIndex = 0;
      let offset = 0;
      for (const piece of pieces) {
        const end = offset + piece.length;
        let text = '';
        let position = offset;
        while (position < end) {
          const span = spans[spanIndex];
          if (span === undefined || span.start >= end) {
            text += joined.slice(position, end);
            break;
          }
          if (span.start > position) {
            text += joined.slice(position, span.start);
            position = span.start;
          }
          // The token goes where the value starts; pieces it continues into lose their share of it.
          if (position === span.start) {
            text += tokenFor(span.type, joined.slice(span.start, span.end));
            masked[span.type] = (masked[span.type] ?? 0) + 1;
          }
          position = Math.min(span.end, end);
          if (span.end <= end) spanIndex += 1;
        }
        out.push(text);
        offset = end;
      }
      return out;
    },
  };
}

/**
 * Masks a request using the spans `classifyRequest` found (no second scan). `segments` must come
 * from the same request; a mismatch means the request changed in between, which is refused.
 */
export function maskRequest(request: ChatRequest, segments: readonly ScannedSegment[], plan: MaskPlan, options: MaskOptions = {}): MaskResult {
  const reserved = segments.flatMap((segment) => placeholderLikeIn(segment.text));
  const masker = createTextMasker(plan, { ...options, reserved });
  if (plan.types.length === 0) return { request, vault: masker.vault, masked: masker.masked };
  let index = 0;
  const maskedRequest = mapRequestText(request, (text) => {
    const segment = segments[index];
    index += 1;
    if (segment === undefined || segment.text !== text) throw new Error('mask segments do not match the request');
    return masker.maskText(text, segment.entities);
  });
  if (index !== segments.length) throw new Error('mask segments do not match the request');
  return { request: maskedRequest, vault: masker.vault, masked: masker.masked };
}
