import { inspect } from 'node:util';

/**
 * The per-request mapping between reversible placeholders (`[PERSON_1]`) and the values they
 * stand for. It lives in memory for one request and is never serialised: `JSON.stringify`,
 * `util.inspect` (console, pino) and spreading all show nothing of its contents.
 */

/** Anything shaped like a placeholder: `[` upper-case type (digits and `_` allowed) `]`. */
export const PLACEHOLDER_LIKE = /\[[A-Z][A-Z0-9_]*\]/g;

export class PlaceholderVault {
  readonly #byKey = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, string>();
  readonly #nextNumber = new Map<string, number>();
  readonly #reserved: ReadonlySet<string>;

  /** `reserved`: placeholder-like strings already present in the request, never minted. */
  constructor(reserved: Iterable<string> = []) {
    this.#reserved = new Set(reserved);
  }

  get size(): number {
    return this.#byPlaceholder.size;
  }

  /** The placeholder for a value of a type; the same value always gets the same one. */
  placeholderFor(type: string, value: string): string {
    const key = `${type}\u0000${value}`;
    const existing = this.#byKey.get(key);
    if (existing !== undefined) return existing;
    let number = this.#nextNumber.get(type) ?? 1;
    let placeholder = `[${type}_${number}]`;
    // Skip numbers the text already uses literally, or restoring would rewrite the user's own text.
    while (this.#reserved.has(placeholder)) {
      number += 1;
      placeholder = `[${type}_${number}]`;
    }
    this.#nextNumber.set(type, number + 1);
    this.#byKey.set(key, placeholder);
    this.#byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  /** The original value of a placeholder minted here, else undefined. */
  originalOf(placeholder: string): string | undefined {
    return this.#byPlaceholder.get(placeholder);
  }

  placeholders(): string[] {
    return [...this.#byPlaceholder.keys()];
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'PlaceholderVault [redacted]';
  }
}

/** Placeholder-like strings in a text, to reserve before minting. */
export function placeholderLikeIn(text: string): string[] {
  return text.match(PLACEHOLDER_LIKE) ?? [];
}
