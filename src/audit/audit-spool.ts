import { mkdirSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditRecordInput } from './audit-record.js';

/** A record waiting in the spool: the unsealed input with the id it was acknowledged under. */
export type SpooledRecord = AuditRecordInput & { id: string };

/**
 * The local fallback when the audit store is unreachable: JSON lines, fsync'd before the
 * writer acknowledges them. Records are spooled unsealed and chained when replayed, so the
 * chain stays one gap-free sequence no matter how long the outage was.
 */
export interface AuditSpool {
  readonly path: string;
  /** Appends and fsyncs; resolves only once the lines are on disk. */
  append(records: readonly SpooledRecord[]): Promise<void>;
  /** Every complete record in the file (a torn last line from a crash is skipped). */
  readAll(): Promise<SpooledRecord[]>;
  /** Empties the file after a successful replay. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export function createAuditSpool(path: string): AuditSpool {
  let handle: FileHandle | undefined;

  async function file(): Promise<FileHandle> {
    if (!handle) {
      mkdirSync(dirname(path), { recursive: true });
      handle = await open(path, 'a');
      // The file's directory entry must be durable too, or a crash can lose the whole file.
      const directory = await open(dirname(path), 'r');
      await directory.sync().catch(() => undefined);
      await directory.close();
    }
    return handle;
  }

  return {
    path,
    async append(records) {
      if (records.length === 0) return;
      const target = await file();
      await target.write(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      await target.sync();
    },
    async readAll() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const records: SpooledRecord[] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          records.push(JSON.parse(line) as SpooledRecord);
        } catch {
          // Only an unacknowledged write can be torn: its append never finished its fsync.
        }
      }
      return records;
    },
    async clear() {
      const target = await file();
      await target.truncate(0);
      await target.sync();
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}
