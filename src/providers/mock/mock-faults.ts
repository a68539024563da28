import type { MockOptions } from './mock-options-schema.js';
import type { RandomSource } from './mock-random.js';

/**
 * What goes wrong with one request. Decided once per request, before any reply is produced,
 * from (in order) a forced spec in the `x-mock-fault` header, a `[[mock:fault=…]]` marker in
 * the last user message, then the configured rates with one random draw.
 */
export type MockFault =
  | { kind: 'none' }
  /** Answer with this HTTP status and the vendor's error body. */
  | { kind: 'error'; status: number }
  /** 429 with `retry-after` / `retry-after-ms`. */
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  /** Drop the connection without answering. */
  | { kind: 'reset' }
  /** Never answer; only the client's abort (or server close) ends it. */
  | { kind: 'hang' }
  /** Streams: drop the connection after this many content chunks (0: right after the headers). */
  | { kind: 'stream_cut'; afterChunks: number }
  /** Streams: go silent after this many content chunks and never finish (idle-timeout tests). */
  | { kind: 'stall'; afterChunks: number }
  /** Answer normally, but wait this long before the first byte. */
  | { kind: 'slow_ttft'; ttftMs: number };

export type MockFaultKind = MockFault['kind'];

const NONE: MockFault = { kind: 'none' };
const MARKER_PREFIX = '[[mock:fault=';
const MARKER_PATTERN = /\[\[mock:fault=([^\]]+)\]\]/g;

/** A parsed spec: `kind[:arg][@target][*times]`, e.g. `error:503@primary*2`. */
export interface MockFaultSpec {
  fault: MockFault;
  /** Only the mock instance with this name applies the spec (deployment id / --name). */
  target?: string;
  /** Only the first N requests carrying the same spec and text fault; later ones pass. */
  times?: number;
  /** The spec as written; part of the key that counts `times`. */
  source: string;
}

function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** Parses one spec; returns undefined when it is not a spec the mock understands. */
export function parseFaultSpec(raw: string, options: MockOptions): MockFaultSpec | undefined {
  const source = raw.trim();
  let rest = source;
  let times: number | undefined;
  let target: string | undefined;
  const star = rest.lastIndexOf('*');
  if (star >= 0) {
    times = parseNumber(rest.slice(star + 1));
    if (times === undefined) return undefined;
    rest = rest.slice(0, star);
  }
  const at = rest.indexOf('@');
  if (at >= 0) {
    target = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.indexOf(':');
  const kind = colon >= 0 ? rest.slice(0, colon) : rest;
  const argument = colon >= 0 ? parseNumber(rest.slice(colon + 1)) : undefined;
  if (colon >= 0 && argument === undefined) return undefined;
  const fault = toFault(kind, argument, options);
  if (!fault) return undefined;
  return { fault, source, ...(target ? { target } : {}), ...(times !== undefined ? { times } : {}) };
}

function toFault(kind: string, argument: number | undefined, options: MockOptions): MockFault | undefined {
  const { faults } = options;
  switch (kind) {
    case 'none':
      return NONE;
    case 'error':
      return { kind: 'error', status: argument !== undefined && argument >= 400 && argument <= 599 ? Math.floor(argument) : faults.error_status };
    case 'rate_limit':
      return { kind: 'rate_limit', retryAfterSeconds: argument ?? faults.retry_after_seconds };
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
    case 'stream_cut':
      return { kind: 'stream_cut', afterChunks: Math.floor(argument ?? faults.stream_cut_after_chunks) };
    case 'stall':
      return { kind: 'stall', afterChunks: Math.floor(argument ?? faults.stream_cut_after_chunks) };
    case 'slow_ttft':
      return { kind: 'slow_ttft', ttftMs: argument ?? 1_000 };
    default:
      return undefined;
  }
}

/** Every `[[mock:fault=…]]` spec in `text`, in order (cheap when there is none). */
export function parseFaultMarkers(text: string, options: MockOptions): MockFaultSpec[] {
  if (!text.includes(MARKER_PREFIX)) return [];
  const specs: MockFaultSpec[] = [];
  for (const match of text.matchAll(MARKER_PATTERN)) {
    const spec = parseFaultSpec(match[1] ?? '', options);
    if (spec) specs.push(spec);
  }
  return specs;
}

export interface FaultDecisionInput {
  /** The `x-mock-fault` header value, when the request came over HTTP. */
  header: string | undefined;
  /** Text searched for markers and used to count `*times`: the last user message / first input. */
  text: string;
  streaming: boolean;
}

/**
 * Decides faults for one mock instance. Keeps the `*times` counters, so create one per engine.
 */
export function createFaultDecider(name: string, random: RandomSource) {
  // Counters for `*times` specs, keyed by spec + text; bounded so a long soak cannot grow it.
  const seen = new Map<string, number>();

  const applies = (spec: MockFaultSpec, text: string): boolean => {
    if (spec.target !== undefined && spec.target !== name) return false;
    if (spec.times === undefined) return true;
    const key = `${spec.source}\u0000${text}`;
    const count = seen.get(key) ?? 0;
    if (count >= spec.times) return false;
    if (seen.size > 10_000) seen.clear();
    seen.set(key, count + 1);
    return true;
  };

  return function decideFault(input: FaultDecisionInput, options: MockOptions): MockFault {
    if (input.header !== undefined && input.header !== '') {
      for (const part of input.header.split(',')) {
        const spec = parseFaultSpec(part, options);
        if (spec && applies(spec, input.text)) return spec.fault;
      }
    }
    for (const spec of parseFaultMarkers(input.text, options)) {
      if (applies(spec, input.text)) return spec.fault;
    }
    return drawFault(options, random, input.streaming);
  };
}

/**
 * One draw partitions [0, 1) into consecutive bands (hang, reset, rate limit, error, stream
 * cut), so the rates are exclusive and a test can force a band with a fixed random value.
 */
function drawFault(options: MockOptions, random: RandomSource, streaming: boolean): MockFault {
  const { faults } = options;
  const total = faults.hang_rate + faults.reset_rate + faults.rate_limit_rate + faults.error_rate + (streaming ? faults.stream_cut_rate : 0);
  if (total <= 0) return NONE;
  const draw = random();
  let band = faults.hang_rate;
  if (draw < band) return { kind: 'hang' };
  band += faults.reset_rate;
  if (draw < band) return { kind: 'reset' };
  band += faults.rate_limit_rate;
  if (draw < band) return { kind: 'rate_limit', retryAfterSeconds: faults.retry_after_seconds };
  band += faults.error_rate;
  if (draw < band) return { kind: 'error', status: faults.error_status };
  if (streaming) {
    band += faults.stream_cut_rate;
    if (draw < band) return { kind: 'stream_cut', afterChunks: faults.stream_cut_after_chunks };
  }
  return NONE;
}
