import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

/**
 * Renders Helm chart templates for the chart tests, because this machine and CI have no `helm`
 * binary (no Go toolchain new enough to build it, no package, no registry) and npm has no
 * maintained renderer of Go templates with Helm's functions (@ctrl/golang-template has no
 * pipelines, variables or `define`/`include`). It implements the part of Go's text/template and
 * of Helm/Sprig the chart uses — actions with `{{-`/`-}}` trimming, comments, `define`,
 * `include`, `if`/`else if`/`else`, `with`, `range` (lists and maps, with `$i, $v :=`),
 * variables and `$`, pipelines, parentheses — and throws on anything else, so a template that
 * uses more fails the test instead of rendering wrongly. docs/cluster.md says what this does and
 * does not prove.
 */

type Value = unknown;
type Scope = { dot: Value; vars: Map<string, Value> };
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipe: string }
  | { kind: 'assign'; name: string; pipe: string; declare: boolean }
  | { kind: 'if'; branches: Array<{ pipe: string | undefined; body: Node[] }> }
  | { kind: 'with'; pipe: string; body: Node[]; otherwise: Node[] }
  | { kind: 'range'; keyVar?: string; valueVar?: string; pipe: string; body: Node[]; otherwise: Node[] }
  | { kind: 'define'; name: string; body: Node[] };

export class TemplateError extends Error {}

/** Splits text into text and action tokens, applying `{{-` and `-}}` trimming. */
function lex(source: string): Array<{ text?: string; action?: string }> {
  const tokens: Array<{ text?: string; action?: string }> = [];
  let position = 0;
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    if (open < 0) {
      tokens.push({ text: source.slice(position) });
      break;
    }
    let text = source.slice(position, open);
    let start = open + 2;
    if (source[start] === '-' && /\s/.test(source[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    const close = source.indexOf('}}', start);
    if (close < 0) throw new TemplateError(`unclosed action at ${open}`);
    let end = close;
    let trimAfter = false;
    if (source[close - 1] === '-' && /\s/.test(source[close - 2] ?? '')) {
      end = close - 1;
      trimAfter = true;
    }
    if (text !== '') tokens.push({ text });
    tokens.push({ action: source.slice(start, end).trim() });
    position = close + 2;
    if (trimAfter) while (position < source.length && /\s/.test(source[position]!)) position += 1;
  }
  return tokens;
}

function parse(source: string): Node[] {
  const tokens = lex(source);
  let index = 0;
  const block = (terminators: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++]!;
      if (token.text !== undefined) {
        nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const action = token.action!;
      if (action.startsWith('/*')) continue;
      const keyword = /^(\w+)\b\s*(.*)$/s.exec(action);
      const word = keyword?.[1];
      const rest = keyword?.[2] ?? '';
      if (word === 'end' || (word === 'else' && terminators.includes('else'))) {
        if (!terminators.includes(word)) throw new TemplateError(`unexpected {{${action}}}`);
        return { nodes, end: action };
      }
      if (word === 'if') {
        const branches: Array<{ pipe: string | undefined; body: Node[] }> = [];
        let pipe: string | undefined = rest;
        for (;;) {
          const inner = block(['else', 'end']);
          branches.push({ pipe, body: inner.nodes });
          if (inner.end === 'end') break;
          const elseIf = /^else\s+if\s+(.*)$/s.exec(inner.end);
          if (elseIf) pipe = elseIf[1];
          else {
            branches.push({ pipe: undefined, body: block(['end']).nodes });
            break;
          }
        }
        nodes.push({ kind: 'if', branches });
      } else if (word === 'with' || word === 'range') {
        const inner = block(['else', 'end']);
        const otherwise = inner.end === 'end' ? [] : block(['end']).nodes;
        if (word === 'with') nodes.push({ kind: 'with', pipe: rest, body: inner.nodes, otherwise });
        else {
          const vars = /^(\$\w*)\s*(?:,\s*(\$\w*))?\s*:=\s*(.*)$/s.exec(rest);
          nodes.push(
            vars
              ? { kind: 'range', ...(vars[2] ? { keyVar: vars[1]!, valueVar: vars[2] } : { valueVar: vars[1]! }), pipe: vars[3]!, body: inner.nodes, otherwise }
              : { kind: 'range', pipe: rest, body: inner.nodes, otherwise },
          );
        }
      } else if (word === 'define') {
        nodes.push({ kind: 'define', name: JSON.parse(rest) as string, body: block(['end']).nodes });
      } else if (word === 'else') {
        throw new TemplateError('{{else}} outside if/with/range');
      } else {
        const assignment = /^(\$\w+)\s*(:?=)\s*(.*)$/s.exec(action);
        if (assignment) nodes.push({ kind: 'assign', name: assignment[1]!, declare: assignment[2] === ':=', pipe: assignment[3]! });
        else nodes.push({ kind: 'output', pipe: action });
      }
    }
    if (terminators.length > 0) throw new TemplateError(`missing {{end}}`);
    return { nodes, end: '' };
  };
  return block([]).nodes;
}

/** Go template truth: false, 0, nil, and empty strings, lists and maps are false. */
export function truthy(value: Value): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function show(value: Value): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function toYaml(value: Value): string {
  if (value === undefined || value === null) return 'null';
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

/** Splits a pipeline into commands and words, keeping quoted strings and parentheses whole. */
function words(text: string): string[] {
  const result: string[] = [];
  let position = 0;
  while (position < text.length) {
    const char = text[position]!;
    if (/\s/.test(char)) {
      position += 1;
      continue;
    }
    let end = position;
    if (char === '"') {
      end += 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      end += 1;
    } else if (char === '`') {
      end = text.indexOf('`', position + 1) + 1;
    } else if (char === '(') {
      let depth = 0;
      for (; end < text.length; end += 1) {
        if (text[end] === '"') {
          end += 1;
          while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
        } else if (text[end] === '(') depth += 1;
        else if (text[end] === ')' && --depth === 0) break;
      }
      end += 1;
    } else if (char === '|') end += 1;
    else while (end < text.length && !/[\s|()]/.test(text[end]!)) end += 1;
    result.push(text.slice(position, end));
    position = end;
  }
  return result;
}

export interface RenderContext {
  /** Named templates from every file (`define`), for `include`. */
  defines: Map<string, Node[]>;
}

type Fn = (context: RenderContext, ...args: Value[]) => Value;

const num = (value: Value): number => (typeof value === 'number' ? value : Number(value));

const FUNCTIONS: Record<string, Fn> = {
  include: (context, name, dot) => renderNodes(context, context.defines.get(String(name)) ?? fail(`include: no template named "${String(name)}"`), { dot, vars: new Map([['$', dot]]) }),
  toYaml: (_context, value) => toYaml(value),
  toJson: (_context, value) => JSON.stringify(value ?? null),
  nindent: (_context, count, text) => `\n${indent(num(count), show(text))}`,
  indent: (_context, count, text) => indent(num(count), show(text)),
  quote: (_context, ...values) => values.map((value) => JSON.stringify(show(value))).join(' '),
  default: (_context, fallback, ...given) => (given.length > 0 && truthy(given[0]) ? given[0] : fallback),
  required: (_context, message, value) => (value === undefined || value === null || value === '' ? fail(String(message)) : value),
  fail: (_context, message) => fail(String(message)),
  printf: (_context, format, ...args) => {
    let next = 0;
    return String(format).replace(/%[sdv]/g, () => show(args[next++]));
  },
  trunc: (_context, count, text) => show(text).slice(0, num(count)),
  trimSuffix: (_context, suffix, text) => (show(text).endsWith(String(suffix)) ? show(text).slice(0, -String(suffix).length) : show(text)),
  replace: (_context, from, to, text) => show(text).replaceAll(String(from), String(to)),
  lower: (_context, text) => show(text).toLowerCase(),
  // Annotated: a `toString` key is contextually typed by Object.prototype.toString (no parameters), not by Fn.
  toString: (_context: RenderContext, value: Value) => show(value),
  contains: (_context, part, text) => show(text).includes(String(part)),
  sha256sum: (_context, text) => createHash('sha256').update(show(text)).digest('hex'),
  eq: (_context, a, ...others) => others.some((other) => a === other),
  ne: (_context, a, b) => a !== b,
  lt: (_context, a, b) => num(a) < num(b),
  gt: (_context, a, b) => num(a) > num(b),
  and: (_context, ...values) => values.find((value) => !truthy(value)) ?? values.at(-1),
  or: (_context, ...values) => values.find((value) => truthy(value)) ?? values.at(-1),
  not: (_context, value) => !truthy(value),
  empty: (_context, value) => !truthy(value),
  hasKey: (_context, map, key) => typeof map === 'object' && map !== null && Object.hasOwn(map, String(key)),
  dict: (_context, ...pairs) => {
    const result: Record<string, Value> = {};
    for (let index = 0; index < pairs.length; index += 2) result[String(pairs[index])] = pairs[index + 1];
    return result;
  },
  list: (_context, ...values) => values,
  int: (_context, value) => Math.trunc(num(value)),
};

function fail(message: string): never {
  throw new TemplateError(message);
}

function indent(count: number, text: string): string {
  const pad = ' '.repeat(count);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

function field(value: Value, path: string[]): Value {
  let current = value;
  for (const key of path) {
    if (current === undefined || current === null) return undefined;
    if (typeof current !== 'object') throw new TemplateError(`can't evaluate field ${key} in ${typeof current}`);
    current = (current as Record<string, Value>)[key];
  }
  return current;
}

function operand(context: RenderContext, scope: Scope, word: string): Value {
  if (word.startsWith('(')) return evaluate(context, scope, word.slice(1, -1));
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (word.startsWith('`')) return word.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  if (word === 'true' || word === 'false') return word === 'true';
  if (word === 'nil') return null;
  if (word === '.') return scope.dot;
  if (word.startsWith('.')) return field(scope.dot, word.slice(1).split('.'));
  if (word.startsWith('$')) {
    const [name, ...path] = word.split('.');
    if (!scope.vars.has(name!)) throw new TemplateError(`undefined variable ${name}`);
    return field(scope.vars.get(name!), path);
  }
  throw new TemplateError(`unsupported operand ${word}`);
}

/** Evaluates a pipeline: commands joined by `|`, each result passed as the next one's last argument. */
function evaluate(context: RenderContext, scope: Scope, pipe: string): Value {
  const all = words(pipe);
  const commands: string[][] = [[]];
  for (const word of all) {
    if (word === '|') commands.push([]);
    else commands.at(-1)!.push(word);
  }
  let result: Value = undefined;
  commands.forEach((command, position) => {
    const [head, ...rest] = command;
    if (head === undefined) throw new TemplateError(`empty command in "${pipe}"`);
    const piped = position > 0 ? [result] : [];
    if (/^[a-zA-Z]\w*$/.test(head) && !['true', 'false', 'nil'].includes(head)) {
      const fn = FUNCTIONS[head];
      if (!fn) throw new TemplateError(`function "${head}" is not supported by the test renderer`);
      result = fn(context, ...rest.map((word) => operand(context, scope, word)), ...piped);
    } else {
      if (rest.length > 0 || piped.length > 0) throw new TemplateError(`can't give arguments to non-function ${head}`);
      result = operand(context, scope, head);
    }
  });
  return result;
}

function renderNodes(context: RenderContext, nodes: Node[], scope: Scope): string {
  let out = '';
  // Variables declared inside a block stay inside it.
  const local: Scope = { dot: scope.dot, vars: new Map(scope.vars) };
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'output':
        out += show(evaluate(context, local, node.pipe));
        break;
      case 'assign':
        if (!node.declare && !local.vars.has(node.name)) throw new TemplateError(`undefined variable ${node.name}`);
        local.vars.set(node.name, evaluate(context, local, node.pipe));
        break;
      case 'define':
        break;
      case 'if': {
        const branch = node.branches.find((candidate) => candidate.pipe === undefined || truthy(evaluate(context, local, candidate.pipe)));
        if (branch) out += renderNodes(context, branch.body, local);
        break;
      }
      case 'with': {
        const value = evaluate(context, local, node.pipe);
        out += truthy(value) ? renderNodes(context, node.body, { dot: value, vars: local.vars }) : renderNodes(context, node.otherwise, local);
        break;
      }
      case 'range': {
        const value = evaluate(context, local, node.pipe);
        const entries: Array<[Value, Value]> = Array.isArray(value)
          ? value.map((item, position) => [position, item])
          : value && typeof value === 'object'
            ? Object.keys(value)
                .sort()
                .map((key) => [key, (value as Record<string, Value>)[key]])
            : [];
        if (entries.length === 0) out += renderNodes(context, node.otherwise, local);
        for (const [key, item] of entries) {
          const vars = new Map(local.vars);
          if (node.keyVar) vars.set(node.keyVar, key);
          if (node.valueVar) vars.set(node.valueVar, item);
          out += renderNodes(context, node.body, { dot: item, vars });
        }
        break;
      }
    }
  }
  return out;
}

function collectDefines(nodes: Node[], into: Map<string, Node[]>): void {
  for (const node of nodes) if (node.kind === 'define') into.set(node.name, node.body);
}

/** Renders every template file (name → source) with the given top-level object (`.Values`, `.Release`, …). */
export function renderTemplates(files: Record<string, string>, top: Record<string, Value>): Record<string, string> {
  const parsed = Object.fromEntries(Object.entries(files).map(([name, source]) => [name, parse(source)]));
  const context: RenderContext = { defines: new Map() };
  for (const nodes of Object.values(parsed)) collectDefines(nodes, context.defines);
  const output: Record<string, string> = {};
  for (const [name, nodes] of Object.entries(parsed)) {
    if (name.split('/').at(-1)!.startsWith('_')) continue;
    const dot = { ...top, Template: { Name: name, BasePath: 'templates' } };
    output[name] = renderNodes(context, nodes, { dot, vars: new Map([['$', dot]]) });
  }
  return output;
}
