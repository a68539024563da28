import { stableJson } from './stable-json.js';

/** One difference between two releases, at a dotted path (`aliases.chat.pins[0].upstreamModel`). */
export interface ReleaseChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural diff: objects by key, arrays by position, leaves by value. */
export function diffReleases(before: unknown, after: unknown, path = ''): ReleaseChange[] {
  if (stableJson(before) === stableJson(after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const at = path === '' ? key : `${path}.${key}`;
      if (!(key in before)) return [{ path: at, kind: 'added' as const, after: after[key] }];
      if (!(key in after)) return [{ path: at, kind: 'removed' as const, before: before[key] }];
      return diffReleases(before[key], after[key], at);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) => index).flatMap((index) => {
      const at = `${path}[${index}]`;
      if (index >= before.length) return [{ path: at, kind: 'added' as const, after: after[index] }];
      if (index >= after.length) return [{ path: at, kind: 'removed' as const, before: before[index] }];
      return diffReleases(before[index], after[index], at);
    });
  }
  return [{ path, kind: 'changed', before, after }];
}

export function formatChange(change: ReleaseChange): string {
  const show = (value: unknown) => {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  };
  if (change.kind === 'added') return `+ ${change.path}: ${show(change.after)}`;
  if (change.kind === 'removed') return `- ${change.path}: ${show(change.before)}`;
  return `~ ${change.path}: ${show(change.before)} → ${show(change.after)}`;
}
