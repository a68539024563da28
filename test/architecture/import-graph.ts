import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import from a source file to another source file under src/. */
export interface ImportEdge {
  /** Importing file, relative to src/ with forward slashes. */
  from: string;
  /** Imported file, relative to src/ (the `.ts` source of a `.js` specifier). */
  to: string;
  /** `import type` / `export type` only: erased at run time, but still a dependency of the design. */
  typeOnly: boolean;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const TYPE_ONLY = /^\s*(import|export)\s+type\s/;

/**
 * Every relative import between files under `srcRoot`, read with `ts.preProcessFile` (the
 * compiler's own import scanner: no type checking, so the whole tree takes well under a second).
 * Dynamic `import('…')` calls count too: a lazily loaded room is still a dependency.
 */
export function readImportGraph(srcRoot: string, options: { includeTests?: boolean } = {}): ImportEdge[] {
  const root = resolve(srcRoot);
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root)) {
    const from = relative(root, file).split('\\').join('/');
    if (!options.includeTests && from.endsWith('.test.ts')) continue;
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const info = ts.preProcessFile(text, true, true);
    for (const reference of info.importedFiles) {
      const specifier = reference.fileName;
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      const to = relative(root, target).split('\\').join('/');
      if (to.startsWith('..')) continue;
      // The statement starts on or before the line of its specifier; find its first line.
      const position = ts.getLineAndCharacterOfPosition(ts.createSourceFile(from, text, ts.ScriptTarget.Latest), reference.pos);
      let line = position.line;
      while (line > 0 && !/^\s*(import|export)\b/.test(lines[line] ?? '')) line -= 1;
      edges.push({ from, to, typeOnly: TYPE_ONLY.test(lines[line] ?? '') });
    }
  }
  return edges;
}

/** The top folder of a path under src/ (`main` for src/main.ts). */
export function topFolder(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path.replace(/\.ts$/, '') : path.slice(0, slash);
}

/** Strongly connected components of size > 1 (Tarjan), i.e. the import circles. */
export function findCycles(nodes: Iterable<string>, edges: ReadonlyArray<readonly [string, string]>): string[][] {
  const next = new Map<string, string[]>();
  for (const [from, to] of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return cycles;
}
