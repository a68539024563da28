import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from './open-storage.js';

// PRAGMA synchronous reads back 1 for NORMAL and 2 for FULL.
describe('openStorage durability (SQLite)', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it.each([
    [undefined, 'wal', 1],
    ['process', 'wal', 1],
    ['power-loss', 'wal', 2],
  ] as const)('durability %s opens WAL with synchronous=%s/%i', async (durability, journal, synchronous) => {
    directory = mkdtempSync(join(tmpdir(), 'switchyard-open-storage-'));
    const storage = await openStorage(`sqlite:${join(directory, 'db.sqlite')}`, durability ? { durability } : {});
    try {
      expect(storage.sqlite?.pragma('journal_mode', { simple: true })).toBe(journal);
      expect(storage.sqlite?.pragma('synchronous', { simple: true })).toBe(synchronous);
    } finally {
      await storage.close();
    }
  });
});
