import type { StreamPart } from '../../model/stream-part.js';
import type { PlaceholderVault } from './placeholder-vault.js';
import { restoreText, type RestoreOptions } from './restore-text.js';

/**
 * Restores placeholders in a stream, where one may be split across any number of deltas.
 *
 * Placeholders start with `[` and contain no other `[`, so only the text from the last `[` on can
 * still turn into one. That tail is held back exactly when it is a proper prefix of a placeholder
 * this request minted — the shortest hold that never lets a partial placeholder out — and the
 * rest is emitted at once. Unknown placeholder-like text and brackets that never close are not
 * held beyond the length of the longest known placeholder.
 */

export interface StreamRestorer {
  /** Adds a delta; returns the text safe to emit now (possibly empty). */
  push(delta: string): string;
  /** Returns whatever is held; call at the end of the channel. */
  flush(): string;
}

function properPrefixes(placeholders: readonly string[]): Set<string> {
  const prefixes = new Set<string>();
  for (const placeholder of placeholders) for (let length = 1; length < placeholder.length; length += 1) prefixes.add(placeholder.slice(0, length));
  return prefixes;
}

export function createStreamRestorer(vault: PlaceholderVault, options: RestoreOptions = {}): StreamRestorer {
  const prefixes = properPrefixes(vault.placeholders());
  let held = '';
  return {
    push(delta) {
      const buffer = held + delta;
      const lastOpen = buffer.lastIndexOf('[');
      if (lastOpen >= 0 && prefixes.has(buffer.slice(lastOpen))) {
        held = buffer.slice(lastOpen);
        return restoreText(buffer.slice(0, lastOpen), vault, options);
      }
      held = '';
      return restoreText(buffer, vault, options);
    },
    flush() {
      // A held tail is an unfinished placeholder the model never closed: it is emitted as written.
      const rest = held;
      held = '';
      return rest;
    },
  };
}

/**
 * Restores a stream of parts. Text and each tool call's arguments are separate channels per
 * choice; a choice's channels are flushed before its `finish`, and all at the end.
 */
export async function* restoreStream(parts: AsyncIterable<StreamPart>, vault: PlaceholderVault): AsyncIterable<StreamPart> {
  if (vault.size === 0) {
    yield* parts;
    return;
  }
  const texts = new Map<number, StreamRestorer>();
  const tools = new Map<number, Map<number, StreamRestorer>>();

  function* flushChoice(choice: number): Generator<StreamPart> {
    const text = texts.get(choice)?.flush() ?? '';
    if (text !== '') yield { type: 'text-delta', choice, text };
    for (const [toolIndex, restorer] of tools.get(choice) ?? []) {
      const argumentsDelta = restorer.flush();
      if (argumentsDelta !== '') yield { type: 'tool-call-delta', choice, toolIndex, argumentsDelta };
    }
    texts.delete(choice);
    tools.delete(choice);
  }

  for await (const part of parts) {
    if (part.type === 'text-delta') {
      let restorer = texts.get(part.choice);
      if (!restorer) texts.set(part.choice, (restorer = createStreamRestorer(vault)));
      const text = restorer.push(part.text);
      if (text !== '') yield { ...part, text };
    } else if (part.type === 'tool-call-delta') {
      let channels = tools.get(part.choice);
      if (!channels) tools.set(part.choice, (channels = new Map()));
      let restorer = channels.get(part.toolIndex);
      if (!restorer) channels.set(part.toolIndex, (restorer = createStreamRestorer(vault, { json: true })));
      const argumentsDelta = restorer.push(part.argumentsDelta);
      // The part that carries the call's id and name is always forwarded, even with nothing to emit yet.
      if (argumentsDelta !== '' || part.id !== undefined || part.name !== undefined) yield { ...part, argumentsDelta };
    } else if (part.type === 'finish') {
      yield* flushChoice(part.choice);
      yield part;
    } else {
      yield part;
    }
  }
  for (const choice of new Set([...texts.keys(), ...tools.keys()])) yield* flushChoice(choice);
}
