/**
 * Allocation-free word look-ups for the hot loops of detectors: words are bucketed by their
 * first (or last) code unit and compared in place with `startsWith`, instead of slicing the
 * text into candidate strings and probing a Set.
 */
export interface WordLookup {
  /** Length of the longest word starting at `position`, or 0. */
  longestAt(text: string, position: number): number;
  /** Length of the longest word ending at `position` (exclusive), or 0. ASCII is case-folded. */
  longestEndingAt(text: string, position: number): number;
}

function foldAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

export function createWordLookup(words: Iterable<string>): WordLookup {
  const byFirst = new Map<number, string[]>();
  const byLast = new Map<number, string[]>();
  for (const word of words) {
    if (word.length === 0) continue;
    const first = foldAscii(word.charCodeAt(0));
    const last = foldAscii(word.charCodeAt(word.length - 1));
    byFirst.set(first, [...(byFirst.get(first) ?? []), word]);
    byLast.set(last, [...(byLast.get(last) ?? []), word.toLowerCase()]);
  }
  for (const list of [...byFirst.values(), ...byLast.values()]) list.sort((left, right) => right.length - left.length);
  return {
    longestAt(text, position) {
      const candidates = byFirst.get(foldAscii(text.charCodeAt(position)));
      if (candidates === undefined) return 0;
      for (const word of candidates) if (text.startsWith(word, position)) return word.length;
      return 0;
    },
    longestEndingAt(text, position) {
      if (position <= 0) return 0;
      const candidates = byLast.get(foldAscii(text.charCodeAt(position - 1)));
      if (candidates === undefined) return 0;
      for (const word of candidates) {
        const start = position - word.length;
        if (start < 0) continue;
        let same = true;
        for (let index = 0; same && index < word.length; index += 1) same = foldAscii(text.charCodeAt(start + index)) === word.charCodeAt(index);
        if (same) return word.length;
      }
      return 0;
    },
  };
}

/** A code-unit membership table for a set of single characters. */
export function createCharTable(characters: Iterable<string>): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const character of characters) if (character.length === 1) table[character.charCodeAt(0)] = 1;
  return table;
}
