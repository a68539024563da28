/**
 * Data classes are an ordered list of names, lowest first (default
 * `public < internal < confidential < restricted`). Everything that compares classes goes
 * through this one object so a renamed or extended list cannot be compared by string.
 */
export const DEFAULT_DATA_CLASSES = ['public', 'internal', 'confidential', 'restricted'] as const;

export interface DataClassOrder {
  /** The names, lowest first. */
  readonly names: readonly string[];
  readonly lowest: string;
  readonly highest: string;
  /** Position in the order; -1 for a name that is not a class. */
  rank(name: string): number;
  has(name: string): boolean;
  /** The higher of two classes; an unknown name counts as the highest (fail closed). */
  max(left: string, right: string): string;
  /** True when `name` is at least `floor`. */
  atLeast(name: string, floor: string): boolean;
  /** True when `name` is at most `ceiling`. */
  atMost(name: string, ceiling: string): boolean;
}

export function createDataClassOrder(names: readonly string[]): DataClassOrder {
  const first = names[0];
  const last = names[names.length - 1];
  if (first === undefined || last === undefined) throw new Error('at least one data class is required');
  const ranks = new Map(names.map((name, index) => [name, index]));
  if (ranks.size !== names.length) throw new Error('data class names must be unique');
  const rank = (name: string): number => ranks.get(name) ?? -1;
  // An unknown name is treated as the top of the order: guessing low would let data out.
  const effectiveRank = (name: string): number => ranks.get(name) ?? names.length - 1;
  return {
    names: [...names],
    lowest: first,
    highest: last,
    rank,
    has: (name) => ranks.has(name),
    max: (left, right) => (effectiveRank(left) >= effectiveRank(right) ? (ranks.has(left) ? left : last) : ranks.has(right) ? right : last),
    atLeast: (name, floor) => effectiveRank(name) >= effectiveRank(floor),
    atMost: (name, ceiling) => effectiveRank(name) <= effectiveRank(ceiling),
  };
}

/** A data class name; which names exist is configuration (`policy.data_classes`). */
export type DataClass = string;
