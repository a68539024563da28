import { createConnection } from 'node:net';
import { runSwitchyard, type RunningProcess } from './process-harness.js';

/**
 * Small helpers shared by the traffic-control end-to-end tests (resilience, rate limits,
 * canaries, config reload): reading a process's JSON log lines, waiting for one without a
 * fixed sleep, and reading a standalone mock upstream's request log.
 */

export type LogLine = Record<string, unknown> & { msg?: string };

/** Every JSON line the process printed so far (pino logs), non-JSON lines skipped. */
export function logLines(process: RunningProcess): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of process.output().split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      // A line still being written.
    }
  }
  return lines;
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The gateway's one-line-per-request log entry for a request id. */
export function requestLogLine(gateway: RunningProcess, requestId: string): Promise<LogLine> {
  return waitFor(`the request log line of ${requestId}`, () => logLines(gateway).find((line) => line.msg === 'request' && line.request_id === requestId));
}

export interface MockRequest {
  seq: number;
  /** ISO time of arrival. */
  time: string;
  path: string;
  body: { messages?: Array<{ role: string; content: unknown }> } & Record<string, unknown>;
}

/** The standalone mock's request log (GET /__mock/requests). */
export async function mockRequests(mock: RunningProcess): Promise<MockRequest[]> {
  const response = await fetch(`${mock.url}/__mock/requests`);
  return ((await response.json()) as { data: MockRequest[] }).data;
}

/** Requests the mock received whose last message contains `text`. */
export async function mockRequestsContaining(mock: RunningProcess, text: string): Promise<MockRequest[]> {
  return (await mockRequests(mock)).filter((request) => JSON.stringify(request.body.messages ?? []).includes(text));
}

/** Whether something accepts TCP connections on host:port within `timeoutMs`. */
export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A string unique to this test run, so mock `*times` counters and log searches never collide. */
export function unique(label: string): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The audit record of one request, read with `switchyard audit export` from the SQLite database
 * writeTempConfig put beside the config (export needs no audit secret). Polls briefly: the
 * record is durable before the response ends, but a refused request may be audited just after.
 */
export async function auditRecord(databasePath: string, requestId: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exported = await runSwitchyard(['audit', 'export', '--format', 'jsonl', '--storage', `sqlite:${databasePath}`]);
    if (exported.code !== 0) throw new Error(`audit export failed (${exported.code}): ${exported.stderr}`);
    const found = exported.stdout
      .split('\n')
      .filter((row) => row.startsWith('{'))
      .map((row) => JSON.parse(row) as Record<string, unknown>)
      .find((row) => row.requestId === requestId || row.request_id === requestId);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no audit record for ${requestId} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
