import { randomBytes } from 'node:crypto';

/**
 * The shape of a virtual API key: `sy-` followed by 43 base62 characters (≈ 256 bits).
 * Base62 rather than base64url so a double-click selects the whole key in a terminal.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PREFIX = 'sy-';
export const API_KEY_RANDOM_LENGTH = 43;
/** Characters of the random part kept as the display prefix (≈ 36 bits; 220 bits stay secret). */
export const DISPLAY_PREFIX_LENGTH = 6;

const WELL_FORMED = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${API_KEY_RANDOM_LENGTH}}$`);

/** A fresh key from the OS CSPRNG; rejection sampling keeps every character uniform. */
export function generateApiKey(): string {
  let out = '';
  while (out.length < API_KEY_RANDOM_LENGTH) {
    for (const byte of randomBytes(64)) {
      // 248 = 4 × 62: bytes above it would make the first characters more likely.
      if (byte < 248 && out.length < API_KEY_RANDOM_LENGTH) out += ALPHABET[byte % 62];
    }
  }
  return `${API_KEY_PREFIX}${out}`;
}

/** True for strings that can be a virtual key; anything else never reaches the store. */
export function isWellFormedApiKey(value: string): boolean {
  return WELL_FORMED.test(value);
}

/** The part shown in listings and used to find candidate rows, e.g. `sy-AbC123`. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + DISPLAY_PREFIX_LENGTH);
}

/** Entropy of the random part in bits, for tests and docs. */
export const API_KEY_ENTROPY_BITS = Math.floor(API_KEY_RANDOM_LENGTH * Math.log2(62));

/** Short random ids for key records (`key_…`); not secret, just unique. */
export function generateKeyId(): string {
  return `key_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
}
