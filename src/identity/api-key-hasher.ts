import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Keys are stored only as HMAC-SHA-256 under a server-side secret: a stolen database alone
 * neither reveals keys nor lets anyone test guesses offline without the secret.
 */
export interface ApiKeyHasher {
  /** Hex HMAC of a presented key. */
  hash(key: string): string;
  /** Constant-time comparison of two hex digests. */
  matches(storedHex: string, presentedHex: string): boolean;
}

/** Minimum secret length: HMAC-SHA-256 wants a key of at least its output size. */
export const MIN_SECRET_LENGTH = 32;

export function createApiKeyHasher(secret: string): ApiKeyHasher {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the API key secret must be at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 48\`)`);
  }
  return {
    hash(key) {
      return createHmac('sha256', secret).update(key, 'utf8').digest('hex');
    },
    matches(storedHex, presentedHex) {
      const stored = Buffer.from(storedHex, 'hex');
      const presented = Buffer.from(presentedHex, 'hex');
      // Lengths are public (always 32 bytes); the check only guards against a corrupt row.
      if (stored.length !== presented.length || stored.length === 0) return false;
      return timingSafeEqual(stored, presented);
    },
  };
}
