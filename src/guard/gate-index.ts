import type { GuardRule } from './guard-rule.js';

/**
 * The gate pass of the guard: finds every gate literal of every rule in one pass over the folded
 * text and returns the rules those gates admit, each with the positions of its gates (a rule
 * then only runs near them).
 *
 * Per position it does one or two typed-array lookups and compares only the few gates filed
 * there: one-unit gates by their unit, two-unit gates by a 16-bit hash of both units, longer
 * gates by a 16-bit hash of their first three units (so "re" in prose no longer compares ten
 * "re…" gates). Colliding gates share a bucket and every gate is compared in full, so a collision
 * only costs a comparison. Gates found at one position are noted in the order the rules list
 * them, whichever table they came from, so the candidates (and the signals) keep their order.
 */

export interface GateIndex {
  candidates(folded: string): Map<GuardRule, number[]>;
}

interface GateEntry {
  gate: string;
  rules: readonly GuardRule[];
  /** Rank of the gate in the rules' order: entries of two buckets are merged by it. */
  order: number;
}

const SINGLE = 1;
const PAIR = 2;
const LONGER = 4;
const NONE: readonly GateEntry[] = [];

/** ASCII letters and digits: the units a gate must not continue a word from. */
function isWordUnit(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
}

function pairHash(first: number, second: number): number {
  return (first * 31 + second) & 0xffff;
}

function tripleHash(first: number, second: number, third: number): number {
  return (first * 961 + second * 31 + third) & 0xffff;
}

/** `text.startsWith(gate, position)`, unit by unit (kept inline in the hot pass). */
function gateAt(text: string, gate: string, position: number): boolean {
  for (let offset = 0; offset < gate.length; offset += 1) if (text.charCodeAt(position + offset) !== gate.charCodeAt(offset)) return false;
  return true;
}

function note(found: Map<GuardRule, number[]>, entry: GateEntry, position: number): void {
  for (const candidate of entry.rules) {
    const positions = found.get(candidate);
    if (!positions) found.set(candidate, [position]);
    else if (positions[positions.length - 1] !== position) positions.push(position);
  }
}

/** `byGate`: lower-case gate → the rules it admits, in the rules' order. */
export function createGateIndex(byGate: ReadonlyMap<string, readonly GuardRule[]>): GateIndex {
  const buckets: GateEntry[][] = [[]];
  const singles = new Uint16Array(0x10000);
  const pairs = new Uint16Array(0x10000);
  const triples = new Uint16Array(0x10000);
  // Per code unit: which kinds of gate start with it.
  const starts = new Uint8Array(0x10000);
  const file = (table: Uint16Array, slot: number, entry: GateEntry): void => {
    if (table[slot] === 0) {
      table[slot] = buckets.length;
      buckets.push([]);
    }
    (buckets[table[slot] as number] as GateEntry[]).push(entry);
  };
  let order = 0;
  for (const [gate, rules] of byGate) {
    const entry: GateEntry = { gate, rules, order: order++ };
    const first = gate.charCodeAt(0);
    if (gate.length === 1) {
      starts[first] = (starts[first] as number) | SINGLE;
      file(singles, first, entry);
    } else if (gate.length === 2) {
      starts[first] = (starts[first] as number) | PAIR;
      file(pairs, pairHash(first, gate.charCodeAt(1)), entry);
    } else {
      starts[first] = (starts[first] as number) | LONGER;
      file(triples, tripleHash(first, gate.charCodeAt(1), gate.charCodeAt(2)), entry);
    }
  }
  if (buckets.length > 0xffff) throw new Error('guard: too many gate buckets');

  return {
    candidates(folded) {
      const found = new Map<GuardRule, number[]>();
      const length = folded.length;
      let previous = 0;
      for (let index = 0; index < length; index += 1) {
        const code = folded.charCodeAt(index);
        // ASCII gates match at a word start ("ai" in "ai assistant", not in "detail"); CJK anywhere.
        if (isWordUnit(code) && isWordUnit(previous)) {
          previous = code;
          continue;
        }
        previous = code;
        const kind = starts[code] as number;
        if (kind === 0) continue;
        if ((kind & SINGLE) !== 0) for (const entry of buckets[singles[code] as number] as GateEntry[]) note(found, entry, index);
        if ((kind & (PAIR | LONGER)) === 0 || index + 1 >= length) continue;
        const second = folded.charCodeAt(index + 1);
        const short = (kind & PAIR) !== 0 ? (buckets[pairs[pairHash(code, second)] as number] as GateEntry[]) : NONE;
        const long = (kind & LONGER) !== 0 && index + 2 < length ? (buckets[triples[tripleHash(code, second, folded.charCodeAt(index + 2))] as number] as GateEntry[]) : NONE;
        let a = 0;
        let b = 0;
        while (a < short.length || b < long.length) {
          const fromShort = b >= long.length || (a < short.length && (short[a] as GateEntry).order < (long[b] as GateEntry).order);
          const entry = (fromShort ? short[a++] : long[b++]) as GateEntry;
          if (gateAt(folded, entry.gate, index)) note(found, entry, index);
        }
      }
      return found;
    },
  };
}
