/**
 * What the mock upstream received: the last N requests, newest last. Tests read it to prove
 * what left the gateway (e.g. that masked PII never reached the upstream). A fixed-size ring
 * keeps the cost per request at one array store, even in a benchmark soak.
 */

export interface MockRequestRecord {
  /** 1-based arrival number since start (or the last clear). */
  seq: number;
  /** ISO timestamp of arrival. */
  time: string;
  /** 'openai' | 'azure' | 'anthropic' over HTTP; 'in-process' for the adapter. */
  api: 'openai' | 'azure' | 'anthropic' | 'in-process';
  method: string;
  /** HTTP path with query; for the in-process adapter 'chat', 'chat-stream' or 'embed'. */
  path: string;
  /** Request headers with credential values replaced by "[redacted]" (none in-process). */
  headers: Record<string, string>;
  /** The parsed JSON body (the canonical request in-process), or the raw text if not JSON. */
  body: unknown;
}

/** What a caller hands to record(); headers are redacted when read, not when recorded. */
export interface MockRequestInput {
  api: MockRequestRecord['api'];
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface MockRequestLog {
  record(entry: MockRequestInput): void;
  /** Oldest first. */
  entries(): MockRequestRecord[];
  clear(): void;
  readonly size: number;
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'api-key', 'x-api-key', 'proxy-authorization', 'cookie']);

/** Copies headers, hiding credential values (the log is served over plain HTTP). */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    result[name] = CREDENTIAL_HEADERS.has(name) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

interface StoredEntry extends MockRequestInput {
  seq: number;
  at: number;
}

export function createMockRequestLog(capacity: number): MockRequestLog {
  let ring: Array<StoredEntry | undefined> = new Array<StoredEntry | undefined>(capacity);
  let seq = 0;
  return {
    record(entry) {
      if (capacity === 0) return;
      seq += 1;
      // Keep references only: formatting and redaction happen when a test reads the log.
      ring[(seq - 1) % capacity] = { ...entry, seq, at: Date.now() };
    },
    entries() {
      const result: MockRequestRecord[] = [];
      const first = Math.max(1, seq - capacity + 1);
      for (let n = first; n <= seq; n += 1) {
        const entry = ring[(n - 1) % capacity];
        if (!entry) continue;
        result.push({
          seq: entry.seq,
          time: new Date(entry.at).toISOString(),
          api: entry.api,
          method: entry.method,
          path: entry.path,
          headers: redactHeaders(entry.headers),
          body: entry.body,
        });
      }
      return result;
    },
    clear() {
      ring = new Array<StoredEntry | undefined>(capacity);
      seq = 0;
    },
    get size() {
      return Math.min(seq, capacity);
    },
  };
}

/**
 * Logs of in-process mock deployments by deployment id, so an end-to-end test that builds the
 * gateway in-process can read what its `provider: mock` deployment received.
 */
const inProcessLogs = new Map<string, MockRequestLog>();

export function registerInProcessLog(deploymentId: string, log: MockRequestLog): void {
  inProcessLogs.set(deploymentId, log);
}

/** The request log of the most recently created in-process mock adapter for this deployment. */
export function getMockRequestLog(deploymentId: string): MockRequestLog | undefined {
  return inProcessLogs.get(deploymentId);
}
