import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { request } from 'undici';
import type { AnchorStatement } from './chain-anchor.js';

/** Where the signed chain head is published; each sink is outside the audit database. */
export interface AnchorSink {
  /** For logs: kind and location, never credentials. */
  readonly description: string;
  publish(statement: AnchorStatement): Promise<void>;
}

/**
 * Appends one JSON line per statement and fsyncs it. Put the file on another volume (or a
 * WORM/append-only mount) than the database: its value is that whoever can rewrite the
 * database cannot rewrite it.
 */
export function createFileAnchorSink(path: string): AnchorSink {
  return {
    description: `file ${path}`,
    async publish(statement) {
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, `${JSON.stringify(statement)}\n`, { mode: 0o640 });
      const descriptor = openSync(path, 'r');
      try {
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
    },
  };
}

/**
 * POSTs each statement as JSON (e.g. to a SIEM's HTTP collector or a syslog bridge). A non-2xx
 * answer is a failed publish. `authorization` is the resolved header value, if any.
 */
export function createWebhookAnchorSink(options: { url: string; authorization?: string; timeoutMs?: number }): AnchorSink {
  const url = new URL(options.url);
  return {
    description: `webhook ${url.origin}${url.pathname}`,
    async publish(statement) {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
        body: JSON.stringify(statement),
        headersTimeout: options.timeoutMs ?? 10_000,
        bodyTimeout: options.timeoutMs ?? 10_000,
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`anchor webhook answered HTTP ${response.statusCode}`);
    },
  };
}
