/**
 * Deterministic JSON: object keys sorted, no whitespace, `undefined` members left out.
 * The HMAC is computed over this text, so the same record always hashes the same no matter
 * how a database or a JSON library orders keys.
 *
 * Built by concatenation (no entry arrays, no per-member closures): it runs once per audit
 * record on the request path. The output is the same text as the plain definition above,
 * array holes included (written as nothing, as `Array#join` writes them).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON cannot hold NaN or Infinity');
    if (typeof value === 'bigint') return value.toString();
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) text += ',';
      if (!(index in value)) continue;
      const item: unknown = value[index];
      text += item === undefined ? 'null' : canonicalJson(item);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(byCodeUnits);
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${text}}`;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
