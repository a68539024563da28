import * as crypto from 'node:crypto';
import type { AuditContent, CaptureMode } from './audit-record.js';

export interface ContentToCapture {
  /** What the client sent / received, before any masking. */
  request?: string;
  response?: string;
  /** What actually left the building (after masking); equals the original when nothing was masked. */
  maskedRequest?: string;
  maskedResponse?: string;
}

/**
 * `crypto.hash` (Node 20.12+) hashes in one call, without building a Hash object per text (half
 * the cost of hashing an 8 KB prompt); older Node 20 releases take the streaming API. Same digest.
 */
const oneShot: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;
const sha256 = (text: string): string => (oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex'));

/**
 * Applies a capture mode. `masked` keeps only what was sent upstream, never the original;
 * `hash` keeps SHA-256 of the original so a disputed text can be proven without storing it.
 */
export function captureContent(mode: CaptureMode, content: ContentToCapture): AuditContent {
  switch (mode) {
    case 'none':
      return { mode };
    case 'hash':
      return {
        mode,
        ...(content.request === undefined ? {} : { requestSha256: sha256(content.request) }),
        ...(content.response === undefined ? {} : { responseSha256: sha256(content.response) }),
      };
    case 'masked': {
      const request = content.maskedRequest ?? content.request;
      const response = content.maskedResponse ?? content.response;
      return { mode, ...(request === undefined ? {} : { request }), ...(response === undefined ? {} : { response }) };
    }
    case 'full':
      return {
        mode,
        ...(content.request === undefined ? {} : { request: content.request }),
        ...(content.response === undefined ? {} : { response: content.response }),
      };
  }
}

/** The mode configured for a data class, falling back to the default for unknown classes. */
export function captureModeFor(
  dataClass: string | undefined,
  capture: Record<string, CaptureMode>,
  fallback: CaptureMode,
): CaptureMode {
  return (dataClass === undefined ? undefined : capture[dataClass]) ?? fallback;
}
