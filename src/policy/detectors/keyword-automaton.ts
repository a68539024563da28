/**
 * Aho–Corasick automaton over UTF-16 code units: finds every occurrence of every keyword in
 * one left-to-right pass, O(text + matches) regardless of how many keywords there are. Used
 * for keyword-list and dictionary custom detectors (customer names, project code names).
 */

export interface KeywordMatch {
  start: number;
  end: number;
}

interface AutomatonNode {
  next: Map<number, number>;
  fail: number;
  /** Lengths of keywords ending at this node (including those reached via fail links). */
  outputs: number[];
}

export interface KeywordAutomaton {
  /** Leftmost-longest, non-overlapping matches, sorted by start. */
  findAll(text: string): KeywordMatch[];
  readonly size: number;
}

/** Lower-cases ASCII letters only, so offsets never shift (full Unicode lower-casing can). */
export function foldAsciiCase(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

export function createKeywordAutomaton(keywords: readonly string[], options: { caseInsensitive: boolean }): KeywordAutomaton {
  const fold = options.caseInsensitive ? foldAsciiCase : (code: number) => code;
  const nodes: AutomatonNode[] = [{ next: new Map(), fail: 0, outputs: [] }];
  for (const keyword of keywords) {
    if (keyword.length === 0) continue;
    let state = 0;
    for (let index = 0; index < keyword.length; index += 1) {
      const code = fold(keyword.charCodeAt(index));
      const node = nodes[state];
      if (node === undefined) throw new Error('keyword automaton: corrupt state');
      let target = node.next.get(code);
      if (target === undefined) {
        target = nodes.length;
        nodes.push({ next: new Map(), fail: 0, outputs: [] });
        node.next.set(code, target);
      }
      state = target;
    }
    const terminal = nodes[state];
    if (terminal !== undefined && !terminal.outputs.includes(keyword.length)) terminal.outputs.push(keyword.length);
  }
  // Breadth-first construction of failure links.
  const queue: number[] = [];
  for (const child of nodes[0]?.next.values() ?? []) queue.push(child);
  for (let head = 0; head < queue.length; head += 1) {
    const current = queue[head] ?? 0;
    const node = nodes[current];
    if (node === undefined) continue;
    for (const [code, child] of node.next) {
      queue.push(child);
      let fallback = node.fail;
      while (fallback !== 0 && !(nodes[fallback]?.next.has(code) ?? false)) fallback = nodes[fallback]?.fail ?? 0;
      const candidate = nodes[fallback]?.next.get(code);
      const childNode = nodes[child];
      if (childNode === undefined) continue;
      childNode.fail = candidate !== undefined && candidate !== child ? candidate : 0;
      for (const length of nodes[childNode.fail]?.outputs ?? []) {
        if (!childNode.outputs.includes(length)) childNode.outputs.push(length);
      }
    }
  }

  return {
    size: nodes.length,
    findAll(text) {
      const found: KeywordMatch[] = [];
      let state = 0;
      for (let index = 0; index < text.length; index += 1) {
        const code = fold(text.charCodeAt(index));
        while (state !== 0 && !(nodes[state]?.next.has(code) ?? false)) state = nodes[state]?.fail ?? 0;
        state = nodes[state]?.next.get(code) ?? 0;
        for (const length of nodes[state]?.outputs ?? []) found.push({ start: index + 1 - length, end: index + 1 });
      }
      found.sort((left, right) => left.start - right.start || right.end - left.end);
      const result: KeywordMatch[] = [];
      let lastEnd = -1;
      for (const match of found) {
        if (match.start >= lastEnd) {
          result.push(match);
          lastEnd = match.end;
        }
      }
      return result;
    },
  };
}
