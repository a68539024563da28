import { Pool } from 'undici';
import { drawTask } from './request-mix.js';
import { runTask, type CallRecord, type TaskContext } from './run-task.js';
import type { Scenario } from './scenario-schema.js';
import { seededRandom } from './seeded-random.js';

export interface LoadTarget {
  /** Origin, e.g. http://127.0.0.1:8080. */
  origin: string;
  /** Path of the chat completions endpoint, e.g. /v1/chat/completions. */
  path: string;
  apiKey?: string;
}

export interface LiveProgress {
  elapsedS: number;
  durationS: number;
  calls: number;
  errors: number;
  /** Completed calls per second over the last second. */
  rps: number;
}

export interface LoadRun {
  calls: CallRecord[];
  /** dropped: not started (client at max_in_flight); cut: stopped by max_requests mid-task. */
  tasks: { started: number; completed: number; failed: number; dropped: number; cut: number };
  /** Seconds from the first call to the end of the sending phase. */
  sendingS: number;
  /** Seconds until the last in-flight call finished. */
  wallS: number;
  /** Open loop: tasks per second asked for, averaged over the run (bursts included). */
  targetTaskRps?: number;
  stoppedBy: 'duration' | 'max_requests';
}

export interface RunLoadOptions {
  now?: () => number;
  onProgress?: (progress: LiveProgress) => void;
  /** Called with the run's clock once it starts (the fault schedule hangs off it). */
  onStart?: (runStart: number) => void;
}

/** Rate multiplier at `t` seconds: the product of every burst window covering t. */
export function burstFactorAt(scenario: Scenario, t: number): number {
  return scenario.bursts.reduce((factor, burst) => (t >= burst.at_s && t < burst.at_s + burst.for_s ? factor * burst.factor : factor), 1);
}

/** Tasks an open-loop run should have started by `t` seconds: ∫ rps × burst factor. */
export function expectedStarts(scenario: Scenario, t: number): number {
  const rps = scenario.rps ?? 0;
  let total = rps * t;
  for (const burst of scenario.bursts) {
    const overlap = Math.max(0, Math.min(t, burst.at_s + burst.for_s) - burst.at_s);
    total += rps * (burst.factor - 1) * overlap;
  }
  return total;
}

/** `http://host:port[/prefix][/v1]` → origin + chat completions path. */
export function resolveTarget(url: string, apiKey?: string): LoadTarget {
  const parsed = new URL(url);
  const prefix = parsed.pathname.replace(/\/+$/, '');
  const path = /\/v1$/.test(prefix) ? `${prefix}/chat/completions` : `${prefix}/v1/chat/completions`;
  return { origin: parsed.origin, path, ...(apiKey !== undefined ? { apiKey } : {}) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drives one scenario against one target and returns every call. Stops sending at
 * `duration_s` or `max_requests` calls, whichever comes first, then waits for calls in flight
 * (each bounded by `request_timeout_ms`). The transport is an undici Pool: keep-alive
 * connections, streaming bodies, and no per-request client objects.
 */
export async function runLoad(scenario: Scenario, target: LoadTarget, options: RunLoadOptions = {}): Promise<LoadRun> {
  const now = options.now ?? (() => performance.now());
  const random = seededRandom(scenario.seed);
  const connections = Math.min(512, Math.max(8, scenario.concurrency ?? scenario.max_in_flight));
  const pool = new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
  const calls: CallRecord[] = [];
  const tasks = { started: 0, completed: 0, failed: 0, dropped: 0, cut: 0 };
  let sentCalls = 0;
  let stoppedBy: LoadRun['stoppedBy'] = 'duration';
  const runStart = now();
  options.onStart?.(runStart);
  const elapsedS = () => (now() - runStart) / 1000;
  let sending = true;
  // Tasks already started may finish their chain after the sending phase; max_requests is absolute.
  const takeCall = (): boolean => {
    if (sentCalls >= scenario.max_requests) {
      stoppedBy = 'max_requests';
      return false;
    }
    sentCalls += 1;
    return true;
  };
  const context: TaskContext = {
    dispatcher: pool,
    path: target.path,
    headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : ({} as Record<string, string>),
    model: scenario.model,
    maxTokens: scenario.mix.max_tokens,
    timeoutMs: scenario.request_timeout_ms,
    runStart,
    now,
    takeCall,
  };
  const inFlight = new Set<Promise<void>>();
  const startTask = () => {
    const index = tasks.started;
    tasks.started += 1;
    const plan = drawTask(scenario.mix, random);
    const promise = runTask(context, plan, index, (call) => record(call)).then(
      (outcome) => {
        if (outcome === 'ok') tasks.completed += 1;
        else if (outcome === 'cut') tasks.cut += 1;
        else tasks.failed += 1;
      },
      () => {
        tasks.failed += 1;
      },
    );
    const tracked = promise.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  let lastProgress = 0;
  // Counters, not scans: a million-call run must not re-read every record five times a second.
  let errors = 0;
  const recentFinishes: number[] = [];
  const record = (call: CallRecord) => {
    calls.push(call);
    if (!call.ok) errors += 1;
    if (options.onProgress) recentFinishes.push(call.startMs + call.latencyMs);
  };
  const progress = () => {
    if (!options.onProgress) return;
    const t = elapsedS();
    const cutoff = now() - runStart - 1000;
    while (recentFinishes.length > 0 && (recentFinishes[0] ?? 0) < cutoff) recentFinishes.shift();
    options.onProgress({
      elapsedS: t,
      durationS: scenario.duration_s,
      calls: calls.length,
      errors,
      rps: recentFinishes.length / Math.min(1, Math.max(t, 0.001)),
    });
  };

  while (sending) {
    const t = elapsedS();
    if (t >= scenario.duration_s) break;
    if (sentCalls >= scenario.max_requests) {
      stoppedBy = 'max_requests';
      break;
    }
    if (scenario.concurrency !== undefined) {
      while (inFlight.size < scenario.concurrency) startTask();
    } else {
      const due = Math.floor(expectedStarts(scenario, t)) + 1 - tasks.started - tasks.dropped;
      for (let index = 0; index < due; index += 1) {
        if (inFlight.size >= scenario.max_in_flight) tasks.dropped += 1;
        else startTask();
      }
    }
    if (t - lastProgress >= 0.2) {
      lastProgress = t;
      progress();
    }
    await sleep(5);
  }
  const sendingS = elapsedS();
  sending = false;
  await Promise.all([...inFlight]);
  progress();
  await pool.close();
  return {
    calls,
    tasks,
    sendingS,
    wallS: elapsedS(),
    ...(scenario.rps !== undefined ? { targetTaskRps: expectedStarts(scenario, scenario.duration_s) / scenario.duration_s } : {}),
    stoppedBy,
  };
}
