/**
 * Deterministic hashing and a seedable random source. The mock must give the same reply and the
 * same embedding for the same input on every run, and tests must be able to force fault draws.
 */

/** A source of numbers in [0, 1), like Math.random; inject one to force fault outcomes. */
export type RandomSource = () => number;

/** FNV-1a over UTF-16 code units: fast, stable across runs and platforms, good enough spread. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** mulberry32: a tiny PRNG with a 32-bit state; the same seed yields the same sequence. */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
