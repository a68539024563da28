import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-tw.js';
import { DASHBOARD_RANGES } from '../../src/console/dashboard-series.js';
import { SPEND_DIMENSIONS } from '../../src/metering/spend-store.js';

/**
 * Every console string exists in both languages: the two dictionaries have the same keys, no
 * empty or untranslated value, the same {placeholders}, and every key the pages use is defined.
 */
const WEB = fileURLToPath(new URL('../../web/src/', import.meta.url));

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(directory, entry.name)) : /\.tsx?$/.test(entry.name) && !entry.name.startsWith('en.') && !entry.name.startsWith('zh-tw.') ? [join(directory, entry.name)] : [],
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('console translations', () => {
  it('has the same keys in English and zh-TW', () => {
    expect(Object.keys(zhTW).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))('%s is translated, with the same placeholders', (key) => {
    const english = en[key as keyof typeof en];
    const chinese = zhTW[key as keyof typeof zhTW];
    expect(english.trim()).not.toBe('');
    expect(chinese.trim()).not.toBe('');
    expect(placeholders(chinese)).toEqual(placeholders(english));
  });

  it('defines every key the pages use, including the families built at run time', () => {
    const keyPattern = /(?:t\(|label=|title=|label: )'([a-zA-Z]+\.[a-zA-Z0-9_.]+)'/g;
    const used = new Set<string>();
    for (const file of sources(WEB)) for (const match of readFileSync(file, 'utf8').matchAll(keyPattern)) used.add(match[1] as string);
    // Keys put together from a value: every value the API can send must have its message.
    const families: Record<string, readonly string[]> = {
      'audit.status': ['ok', 'denied', 'error', 'incomplete'],
      'audit.filter': ['from', 'to', 'principal', 'department', 'data_class', 'status', 'rule'],
      'keys.status': ['active', 'disabled', 'revoked', 'expired'],
      'budgets.period': ['day', 'week', 'month'],
      'budgets.by': SPEND_DIMENSIONS,
      range: Object.keys(DASHBOARD_RANGES),
    };
    for (const [prefix, values] of Object.entries(families)) for (const value of values) used.add(`${prefix}.${value}`);
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((key) => !(key in en) || !(key in zhTW));
    expect(missing).toEqual([]);
  });
});
