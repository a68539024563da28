import type { JsonObject, JsonValue } from './json-value.js';
import type { OutboundRequest, PathRule, WireLayout } from './outbound-request.js';

/**
 * The inventory of an outbound body: every string the policy must see (values and object keys
 * at any depth, numbers as their JSON text, decoded strings of JSON text), grouped the way the
 * model reads them (adjacent text parts form one group, joined with nothing). The same walk
 * rewrites the body with masked texts and re-reads serialised bytes for the egress check, so the
 * three can never disagree about what a slot is.
 *
 * The walk is iterative (an explicit stack), so no nesting depth can overflow it; JSON text is
 * decoded one level deep only.
 */

export interface InventoryGroup {
  /** Slot indices, in the order their texts are concatenated. */
  slots: number[];
}

export interface TextInventory {
  /** Texts in visiting order. */
  texts: string[];
  /** Group index of each slot. */
  groupOf: number[];
  groups: InventoryGroup[];
  /** Media items (images) whose content the gateway cannot read. */
  unscanned: number;
}

type Step = string | number;
/** A path as a chain back to the root: extending it is O(1), however deep the JSON. */
interface PathNode {
  step: Step;
  parent: PathNode | undefined;
  depth: number;
}
const extend = (parent: PathNode | undefined, step: Step): PathNode => ({ step, parent, depth: (parent?.depth ?? 0) + 1 });
type Container = JsonObject | JsonValue[];
type Replace = (slot: number, text: string) => string;

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;
const DATA_URL = /^data:[^,]*;base64,/;

/** A base64 payload (bare or as a data: URL) is binary: not text, so not scanned. */
function isBinaryPayload(text: string): boolean {
  const match = DATA_URL.exec(text);
  const payload = match === null ? text : text.slice(match[0].length);
  return payload.length > 0 && BASE64.test(payload);
}

function matches(rules: readonly PathRule[], path: PathNode | undefined, holder: Container): boolean {
  outer: for (const rule of rules) {
    if (rule.path.length !== (path?.depth ?? 0)) continue;
    let node = path;
    for (let index = rule.path.length - 1; index >= 0 && node !== undefined; index -= 1, node = node.parent) {
      const want = rule.path[index];
      if (want !== '*' && want !== String(node.step)) continue outer;
    }
    if (rule.when !== undefined) {
      if (Array.isArray(holder) || holder[rule.when.key] !== rule.when.equals) continue;
    }
    return true;
  }
  return false;
}

function parseJsonContainer(text: string): JsonValue | undefined {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

const FREE_JSON: WireLayout = { vocabulary: { has: () => false }, joined: [], jsonText: [], media: [] };

class InventoryBuilder {
  readonly inventory: TextInventory = { texts: [], groupOf: [], groups: [], unscanned: 0 };

  constructor(private readonly replace: Replace | undefined) {}

  newGroup(): number {
    this.inventory.groups.push({ slots: [] });
    return this.inventory.groups.length - 1;
  }

  /** Registers a text slot and returns its (possibly replaced) text. */
  slot(text: string, group?: number): string {
    const index = this.inventory.texts.length;
    const into = group ?? this.newGroup();
    this.inventory.texts.push(text);
    this.inventory.groupOf.push(into);
    this.inventory.groups[into]?.slots.push(index);
    return this.replace === undefined ? text : this.replace(index, text);
  }

  /** Walks `root` (mutating it in place when replacing). */
  walk(root: Container, layout: WireLayout): void {
    type Frame = { node: Container; path: PathNode | undefined; joinGroup?: number };
    const stack: Frame[] = [{ node: root, path: undefined }];
    while (stack.length > 0) {
      const frame = stack.pop() as Frame;
      const { node, path } = frame;
      const children: Frame[] = [];
      if (Array.isArray(node)) {
        const joinGroup = matches(layout.joined, path, node) ? this.newGroup() : undefined;
        for (let index = 0; index < node.length; index += 1) {
          const item = node[index] as JsonValue;
          const childPath = extend(path, index);
          if (item !== null && typeof item === 'object') children.push({ node: item, path: childPath, ...(joinGroup !== undefined ? { joinGroup } : {}) });
          else node[index] = this.leaf(item, childPath, node, layout, undefined);
        }
      } else {
        let renamed = false;
        const entries: Array<[string, JsonValue]> = [];
        for (const [key, item] of Object.entries(node)) {
          const name = layout.vocabulary.has(key) ? key : this.slot(key);
          if (name !== key) renamed = true;
          const childPath = extend(path, key);
          let value: JsonValue = item;
          if (item !== null && typeof item === 'object') children.push({ node: item, path: childPath });
          else value = this.leaf(item, childPath, node, layout, key === 'text' ? frame.joinGroup : undefined);
          entries.push([name, value]);
        }
        if (this.replace !== undefined) {
          if (renamed) for (const key of Object.keys(node)) delete node[key];
          for (const [name, value] of entries) node[name] = value;
        }
      }
      for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index] as (typeof children)[number]);
    }
  }

  private leaf(value: JsonValue, path: PathNode, holder: Container, layout: WireLayout, joinGroup: number | undefined): JsonValue {
    if (typeof value === 'number') {
      const text = JSON.stringify(value);
      const next = this.slot(text);
      return next === text ? value : next;
    }
    if (typeof value !== 'string' || layout.vocabulary.has(value)) return value;
    if (layout.media.length > 0 && matches(layout.media, path, holder)) {
      this.inventory.unscanned += 1;
      if (isBinaryPayload(value)) return value;
      return this.slot(value);
    }
    if (layout.jsonText.length > 0 && matches(layout.jsonText, path, holder)) {
      const parsed = parseJsonContainer(value);
      if (parsed !== null && typeof parsed === 'object') {
        const before = this.replace === undefined ? undefined : JSON.stringify(parsed);
        this.walk(parsed, FREE_JSON);
        if (this.replace === undefined) return value;
        const after = JSON.stringify(parsed);
        // Untouched JSON keeps its original bytes; masked JSON is re-serialised, so it stays valid.
        return after === before ? value : after;
      }
    }
    return this.slot(value, joinGroup);
  }
}

/**
 * A deep copy of a JSON body (objects and arrays copied, strings shared: they are immutable).
 * `structuredClone` serialises and deserialises every string, which for a prompt-sized body cost
 * more than the rest of the rewrite; this keeps its result (same keys in the same order, same
 * values, `undefined` members kept) and, like the walk, uses an explicit stack for any depth.
 */
function cloneJson(root: JsonObject): JsonObject {
  const copy: JsonObject = {};
  const stack: Array<[Container, Container]> = [[root, copy]];
  while (stack.length > 0) {
    const [from, into] = stack.pop() as [Container, Container];
    const copyOf = (value: JsonValue): JsonValue => {
      if (value === null || typeof value !== 'object') return value;
      const child: Container = Array.isArray(value) ? [] : {};
      stack.push([value, child]);
      return child;
    };
    if (Array.isArray(from)) {
      const target = into as JsonValue[];
      for (let index = 0; index < from.length; index += 1) target.push(copyOf(from[index] as JsonValue));
    } else {
      const target = into as JsonObject;
      for (const key of Object.keys(from)) {
        const value = copyOf(from[key] as JsonValue);
        // An own `__proto__` key (JSON.parse makes one) must stay a key, not become the prototype.
        if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
        else target[key] = value;
      }
    }
  }
  return copy;
}

/** The inventory of an outbound request's body. */
export function takeInventory(outbound: Pick<OutboundRequest, 'body' | 'layout'>): TextInventory {
  const builder = new InventoryBuilder(undefined);
  builder.walk(outbound.body, outbound.layout);
  return builder.inventory;
}

/**
 * A copy of the body with slot `i` replaced by `texts[i]`, plus the inventory of the original.
 * `texts` must come from the same body's inventory (same length).
 */
export function rewriteOutbound(outbound: Pick<OutboundRequest, 'body' | 'layout'>, texts: readonly string[]): JsonObject {
  const copy = cloneJson(outbound.body);
  const builder = new InventoryBuilder((slot) => {
    const text = texts[slot];
    if (text === undefined) throw new Error('masked texts do not match the outbound body');
    return text;
  });
  builder.walk(copy, outbound.layout);
  if (builder.inventory.texts.length !== texts.length) throw new Error('masked texts do not match the outbound body');
  return copy;
}

/** Joined text of each group (the text the model reads), in group order. */
export function groupTexts(inventory: TextInventory, texts: readonly string[] = inventory.texts): string[] {
  return inventory.groups.map((group) => (group.slots.length === 1 ? (texts[group.slots[0] as number] as string) : group.slots.map((slot) => texts[slot]).join('')));
}
