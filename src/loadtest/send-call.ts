import type { Dispatcher } from 'undici';

/** What one HTTP call to the chat endpoint looked like from the client's side. */
export interface CallResult {
  /** Milliseconds since the run started. */
  startMs: number;
  latencyMs: number;
  /** Streams: first content (or tool-call) delta; unary: undefined. */
  ttftMs?: number;
  status: number;
  ok: boolean;
  stream: boolean;
  /** Gateway or client error code: `timeout`, `stream_incomplete`, `network_error`, or the body's error.code. */
  errorCode?: string;
  /** Upstream attempts the gateway reported (x-switchyard-attempts or error.attempts); 1 when unknown. */
  attempts: number;
  /** Attempts that were circuit-breaker skips (no upstream call). */
  circuitSkips: number;
  budgetExhausted: boolean;
  /** A failed call one of whose upstream attempts timed out at the gateway. */
  upstreamTimeout: boolean;
  deployment?: string;
  inputTokens: number;
  outputTokens: number;
  usageReported: boolean;
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
}

export interface CallRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  stream: boolean;
  timeoutMs: number;
}

interface ErrorAttempt {
  code?: string;
  reason?: string;
}

const header = (headers: Dispatcher.ResponseData['headers'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Reads the gateway's answer: its error code and attempt trail, its usage, its text. */
function fromErrorBody(parsed: unknown): { code?: string; attempts?: ErrorAttempt[] } {
  const error = (parsed as { error?: { code?: unknown; type?: unknown; attempts?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object') return {};
  const code = typeof error.code === 'string' ? error.code : typeof error.type === 'string' ? error.type : undefined;
  return { ...(code ? { code } : {}), ...(Array.isArray(error.attempts) ? { attempts: error.attempts as ErrorAttempt[] } : {}) };
}

const isCircuitSkip = (attempt: ErrorAttempt): boolean => typeof attempt.reason === 'string' && attempt.reason.includes('circuit open');

/**
 * One call through an undici dispatcher. Never throws: a failure is a CallResult with ok=false,
 * so the run's accounting sees every request exactly once.
 */
export async function sendCall(dispatcher: Dispatcher, request: CallRequest, runStart: number, now: () => number): Promise<CallResult> {
  const startMs = now() - runStart;
  const result: CallResult = {
    startMs,
    latencyMs: 0,
    status: 0,
    ok: false,
    stream: request.stream,
    attempts: 1,
    circuitSkips: 0,
    budgetExhausted: false,
    upstreamTimeout: false,
    inputTokens: 0,
    outputTokens: 0,
    usageReported: false,
    text: '',
    toolCalls: [],
  };
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await dispatcher.request({
      method: 'POST',
      path: request.path,
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify(request.body),
      signal,
    });
    result.status = response.statusCode;
    const attemptsHeader = Number(header(response.headers, 'x-switchyard-attempts'));
    if (Number.isInteger(attemptsHeader) && attemptsHeader > 0) result.attempts = attemptsHeader;
    result.circuitSkips = Number(header(response.headers, 'x-switchyard-circuit-skips') ?? 0) || 0;
    const deployment = header(response.headers, 'x-switchyard-deployment');
    if (deployment) result.deployment = deployment;
    if (response.statusCode >= 400) {
      const parsed: unknown = await response.body.json().catch(() => null);
      const error = fromErrorBody(parsed);
      result.errorCode = error.code ?? `http_${response.statusCode}`;
      if (error.attempts && error.attempts.length > 0) {
        result.circuitSkips = error.attempts.filter(isCircuitSkip).length;
        result.attempts = error.attempts.length;
        result.budgetExhausted = JSON.stringify(parsed).includes('retry budget');
        result.upstreamTimeout = error.attempts.some((attempt) => attempt.code === 'upstream_timeout');
      }
    } else if (request.stream) {
      await readStream(response.body, result, runStart, now);
    } else {
      readUnary(await response.body.json(), result);
    }
  } catch (error) {
    const name = (error as { name?: string }).name;
    result.errorCode = signal.aborted || name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network_error';
    result.ok = false;
  }
  result.latencyMs = now() - runStart - startMs;
  return result;
}

interface ChatChoiceMessage {
  content?: string | null;
  tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[];
}

function readUsage(usage: unknown, result: CallResult): void {
  const value = usage as { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined;
  if (value && typeof value.prompt_tokens === 'number' && typeof value.completion_tokens === 'number') {
    result.inputTokens = value.prompt_tokens;
    result.outputTokens = value.completion_tokens;
    result.usageReported = true;
  }
}

function readUnary(body: unknown, result: CallResult): void {
  const parsed = body as { choices?: { message?: ChatChoiceMessage }[]; usage?: unknown };
  const message = parsed.choices?.[0]?.message;
  result.text = message?.content ?? '';
  result.toolCalls = (message?.tool_calls ?? []).map((call) => ({ id: call.id ?? '', name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' }));
  readUsage(parsed.usage, result);
  result.ok = true;
}

/** Parses server-sent events; a stream without `[DONE]` (or with an error event) is a failure. */
async function readStream(body: AsyncIterable<Buffer | string>, result: CallResult, runStart: number, now: () => number): Promise<void> {
  let buffer = '';
  let done = false;
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') {
        done = true;
        continue;
      }
      let event: { choices?: { delta?: ChatChoiceMessage & { tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[] } }[]; usage?: unknown; error?: unknown };
      try {
        event = JSON.parse(data) as typeof event;
      } catch {
        continue;
      }
      if (event.error !== undefined) {
        result.errorCode = fromErrorBody(event).code ?? 'stream_error';
        continue;
      }
      const delta = event.choices?.[0]?.delta;
      if (delta && (typeof delta.content === 'string' ? delta.content !== '' : (delta.tool_calls?.length ?? 0) > 0) && result.ttftMs === undefined) {
        result.ttftMs = now() - runStart - result.startMs;
      }
      if (typeof delta?.content === 'string') result.text += delta.content;
      for (const call of delta?.tool_calls ?? []) {
        const index = call.index ?? 0;
        const entry = calls.get(index) ?? { id: '', name: '', arguments: '' };
        if (call.id) entry.id = call.id;
        if (call.function?.name) entry.name = call.function.name;
        if (call.function?.arguments) entry.arguments += call.function.arguments;
        calls.set(index, entry);
      }
      if (event.usage) readUsage(event.usage, result);
    }
  }
  result.toolCalls = [...calls.values()];
  if (result.errorCode === undefined && !done) result.errorCode = 'stream_incomplete';
  result.ok = result.errorCode === undefined;
}
