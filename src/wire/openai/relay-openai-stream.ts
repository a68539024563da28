/**
 * An OpenAI Chat Completions stream relayed to an OpenAI chat client (issue 16: streams that relay
 * instead of re-encode). Every event is read by the canonical decoder's rules
 * (`OpenAIChunkDecoder`: start, open choices, usage, cut detection); an event whose re-encoding
 * would say the same thing goes out as the upstream wrote it, every other one as canonical parts
 * for the client's encoder, so the client reads what the re-encoding path would have sent.
 *
 * "The same thing" is checked field by field against a list (`isRelayable`): the chunk's head
 * (`id`, `model`, `created`) is the stream's first one, as the encoder would stamp it; no usage
 * (the encoder sends it once, at the end, and only when the client asked); only the fields the
 * encoder writes, plus upstream metadata that changes nothing the SDKs accumulate, in its small
 * flat documented shapes (`system_fingerprint`, `service_tier`, `obfuscation`, Azure's
 * `content_filter_results` verdicts); a finish reason the decoder keeps as is; each choice's
 * first delta names the assistant role; and the bytes are the chunk's own serialisation (no
 * duplicate key a client could read otherwise than the gateway did, no spaces, no odd escapes).
 * A chunk that says nothing (the role-only first delta, an empty text) is not sent, as today.
 * Anything else — usage on a content chunk (vLLM), `logprobs`, `refusal` or reasoning text the
 * encoder drops, a tool call without its type, a multi-line `data:`, a blocklist id — is re-encoded.
 *
 * Most chunks of a stream are the same bytes around a different text. Once one such chunk was
 * relayed, its bytes before and after the text are a template (`learnTemplate`, proven with a
 * probe parse); a later chunk that is the template around a JSON string without quotes,
 * backslashes or control characters is relayed without parsing it — it means the same as the
 * chunk the template came from, with this text.
 *
 * An upstream read that is nothing but whole plain events (`data: <one line>\n\n`, valid UTF-8,
 * no carriage return), taken at an event boundary, is read straight from its bytes: the SSE
 * parser would make the same events of its text (`plainEvents`), the template is compared on the
 * bytes, only the events that are parsed are decoded, and relayed events go out as slices of the
 * read — no decode to UTF-16 and encode back for the socket. Any other read takes the text path.
 */
import { isUtf8 } from 'node:buffer';
import type { RelayedEvents, RelayPart } from '../../model/relay-part.js';
import type { StreamPart } from '../../model/stream-part.js';
import { SseLineParser, type SseEvent } from '../sse/parse-sse.js';
import { isRecord } from '../wire-protocol-error.js';
import { OpenAIChunkDecoder, parseOpenAIChunk } from './decode-openai-stream.js';

/**
 * Upstream bytes → relay parts, one `relay` part per upstream read at most (one socket write
 * downstream). `fail` maps any failure (the body's, a broken or error event, a cut) to what the
 * stream throws (the adapter's `upstream_stream_interrupted`).
 */
export async function* relayOpenAIStream(body: AsyncIterable<Uint8Array>, fail: (error: unknown) => unknown = (error) => error): AsyncGenerator<RelayPart> {
  const relay = new OpenAIRelay();
  // The decoder keeps a byte-order mark; the stream's first character is dropped below when it is
  // one (as a default TextDecoder would), but only if no read went past the decoder as bytes before:
  // after those, U+FEFF is an ordinary character (the first field of "\uFEFFdata: …" is not data).
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  let streamStart = true;
  const parser = new SseLineParser();
  // The decoder holds no partial character: the last byte it read was ASCII (or it read none).
  let decoderIdle = true;
  const reads = body[Symbol.asyncIterator]();
  let drained = false;
  try {
    for (;;) {
      // A body that failed or ended is not released (as `for await` would not).
      drained = true;
      const read = await reads.next();
      if (read.done === true) break;
      drained = false;
      const bytes = read.value;
      // A read of whole plain events, at an event boundary, goes through as bytes (`plainEvents`).
      const plain = decoderIdle && parser.atEventBoundary ? plainEvents(bytes) : undefined;
      let parts: RelayPart[];
      if (plain !== undefined) {
        if (bytes.length > 0) {
          parser.skipped();
          streamStart = false;
        }
        parts = relay.readBytes(bytes, plain);
      } else {
        if (bytes.length > 0) decoderIdle = (bytes[bytes.length - 1] as number) < 0x80;
        let text = utf8.decode(bytes, { stream: true });
        if (streamStart && text.length > 0) {
          streamStart = false;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        const events = parser.push(text);
        if (events.length === 0) continue;
        parts = relay.read(events);
      }
      for (let index = 0; index < parts.length; index++) yield parts[index] as RelayPart;
      relay.rethrow();
      // After [DONE] nothing more is read (as the decoder does): the rest of the body is dropped.
      if (relay.decoder.done) break;
    }
    if (!relay.decoder.done) {
      const tail = utf8.decode();
      const events = tail.length > 0 ? parser.push(tail) : [];
      events.push(...parser.end());
      yield* relay.read(events);
      relay.rethrow();
    }
    yield* relay.decoder.end();
  } catch (error) {
    throw fail(error);
  } finally {
    // Stopped before the body's end ([DONE], a broken event, a client that left): the body is
    // released without waiting for it, so the stream's last parts (usage, then the end event)
    // follow the last relayed events in the same turn, and go out in the same socket write.
    if (!drained) void Promise.resolve(reads.return?.()).catch(() => undefined);
  }
}

/**
 * The data ranges (start, end, start, end, …) of `bytes` when they are nothing but whole plain
 * events — each `data: <one line>\n\n`, no carriage return, valid UTF-8 — else undefined. Read
 * at an event boundary with an idle UTF-8 decoder, such bytes are exactly what the SSE parser
 * would make of their text: one event per range whose data is the range's text (a byte-order
 * mark cannot occur: they start with "data: "; no event outgrows the cap: each ends in this read).
 * UTF-8 never uses the bytes of ASCII inside a multi-byte character, so the line breaks and the
 * field names found in the bytes are those of the text.
 */
export function plainEvents(bytes: Uint8Array): number[] | undefined {
  if (bytes.indexOf(0x0d) !== -1 || !isUtf8(bytes)) return undefined;
  const ranges: number[] = [];
  const length = bytes.length;
  let at = 0;
  while (at < length) {
    // "data: "
    if (bytes[at] !== 0x64 || bytes[at + 1] !== 0x61 || bytes[at + 2] !== 0x74 || bytes[at + 3] !== 0x61 || bytes[at + 4] !== 0x3a || bytes[at + 5] !== 0x20) return undefined;
    const end = bytes.indexOf(0x0a, at + 6);
    if (end === -1 || bytes[end + 1] !== 0x0a) return undefined;
    ranges.push(at + 6, end);
    at = end + 2;
  }
  return ranges;
}

const TOP_FIELDS = new Set(['id', 'object', 'created', 'model', 'choices', 'usage', 'system_fingerprint', 'service_tier', 'obfuscation']);
const CHOICE_FIELDS = new Set(['index', 'delta', 'logprobs', 'finish_reason', 'content_filter_results']);
const DELTA_FIELDS = new Set(['role', 'content', 'tool_calls', 'refusal']);
const CALL_FIELDS = new Set(['index', 'id', 'type', 'function']);
const FUNCTION_FIELDS = new Set(['name', 'arguments']);

/** The relay's state for one stream. */
export class OpenAIRelay {
  readonly decoder = new OpenAIChunkDecoder();
  private head: { id: string; model: string; created: number } | undefined;
  /** Choices whose role the client has seen (the encoder names it in each choice's first delta). */
  private readonly roles = new Set<number>();

  /** A broken or error event: thrown once the events before it in the same read went out (as the decoder would). */
  private failure: { error: unknown } | undefined;

  rethrow(): void {
    if (this.failure) throw this.failure.error;
  }

  /** The events of one upstream read → what to send for them, in order. */
  read(events: readonly SseEvent[]): RelayPart[] {
    return this.readEvents(new TextEvents(events, this));
  }

  /** `read` for a read of whole plain events (`plainEvents`: its data ranges): relayed events go out as slices of `bytes`. */
  readBytes(bytes: Uint8Array, ranges: readonly number[]): RelayPart[] {
    return this.readEvents(new ByteEvents(bytes, ranges, this));
  }

  private readEvents(events: EventSource): RelayPart[] {
    const out: RelayPart[] = [];
    let batch: RelayedEvents | undefined;
    try {
      for (let index = 0; index < events.count; index++) {
        if (events.isDone(index)) {
          this.decoder.done = true;
          break;
        }
        const text = events.templateText(index);
        if (text !== undefined) {
          // A chunk that differs from a relayed one only in its text: relayed without parsing it.
          this.decoder.openChoices.add(0);
          // An empty text is no part: the re-encoding path sends nothing for it, nor does the relay.
          if (text === '') continue;
          batch ??= { type: 'relay', sse: '', text: '', output: false };
          events.relay(index);
          batch.text += text;
          batch.output = true;
          continue;
        }
        const data = events.data(index);
        const chunk = parseOpenAIChunk(data);
        const parts = this.decoder.chunk(chunk);
        let first = 0;
        const start = parts[0];
        if (start?.type === 'start') {
          this.head = { id: start.id, model: start.model, created: start.created };
          if (batch) out.push(events.close(batch));
          batch = undefined;
          out.push(start);
          first = 1;
        }
        // No choices (Azure's prompt filter results, the usage-only tail): nothing for the client.
        if (!Array.isArray(chunk.choices) || chunk.choices.length === 0) continue;
        // Nothing to say (a role-only first delta, an empty text): the re-encoding path sends nothing either.
        if (first === parts.length) continue;
        if (this.isRelayable(chunk, data)) {
          for (const choice of chunk.choices as Array<{ index: number }>) this.roles.add(choice.index);
          batch ??= { type: 'relay', sse: '', text: '', output: false };
          events.relay(index);
          for (let part = first; part < parts.length; part++) tap(batch, parts[part] as StreamPart);
          if (this.template === undefined) this.learnTemplate(chunk, data);
          continue;
        }
        if (batch) out.push(events.close(batch));
        batch = undefined;
        for (let at = first; at < parts.length; at++) {
          const part = parts[at] as StreamPart;
          // The encoder names the role in the first delta it writes for a choice.
          if (part.type !== 'usage' && part.type !== 'start') this.roles.add(part.choice);
          out.push(part);
        }
      }
    } catch (error) {
      this.failure = { error };
    }
    if (batch) out.push(events.close(batch));
    return out;
  }

  /**
   * The bytes around choice 0's text in a relayed chunk that held nothing else: `{"id":…,"delta":{"content":`
   * and `},"logprobs":null,…}`. Most chunks of a stream repeat them byte for byte with other text.
   */
  private template: { prefix: string; suffix: string; prefixLatin1: string; suffixLatin1: string } | undefined;

  /** Learns the template from a relayed chunk whose only content is choice 0's text, open (no finish). */
  private learnTemplate(chunk: Record<string, unknown>, data: string): void {
    const choices = chunk.choices as Array<Record<string, unknown>>;
    const choice = choices[0];
    if (choices.length !== 1 || choice === undefined || choice.index !== 0 || (choice.finish_reason !== undefined && choice.finish_reason !== null)) return;
    const delta = choice.delta as Record<string, unknown>;
    if (typeof delta.content !== 'string' || delta.content === '\u2063' || Object.keys(delta).length !== 1) return;
    // The text's JSON must occur exactly once (then it is the text and nothing else); an upstream
    // that escapes differently (`\u` for non-ASCII) never matches and always takes the parse.
    const encoded = JSON.stringify(delta.content);
    const at = data.indexOf(encoded);
    if (at < 0 || data.indexOf(encoded, at + 1) >= 0) return;
    const prefix = data.slice(0, at);
    const suffix = data.slice(at + encoded.length);
    // Proof that the split is at the text (not at an equal string elsewhere): another text there
    // changes the text and nothing else.
    const probe = tryParse(`${prefix}"\u2063"${suffix}`);
    if (!isRecord(probe) || !Array.isArray(probe.choices) || JSON.stringify({ ...probe, choices: [] }) !== JSON.stringify({ ...chunk, choices: [] })) return;
    const probed = probe.choices[0] as { delta?: { content?: unknown } } | undefined;
    if (probed?.delta?.content !== '\u2063' || JSON.stringify(probe.choices.slice(1)) !== '[]') return;
    this.template = { prefix, suffix, prefixLatin1: Buffer.from(prefix).toString('latin1'), suffixLatin1: Buffer.from(suffix).toString('latin1') };
  }

  /**
   * Choice 0's text when `data` is the template around a plain JSON string (no quote, backslash
   * or control character inside, so its value is its bytes); undefined means parse it.
   */
  sameAsTemplate(data: string): string | undefined {
    const template = this.template;
    if (template === undefined) return undefined;
    const { prefix, suffix } = template;
    const end = data.length - suffix.length - 1;
    if (end <= prefix.length || data.charCodeAt(prefix.length) !== 0x22 || data.charCodeAt(end) !== 0x22) return undefined;
    // Slices compared with ===, not startsWith: V8's startsWith is slow on a two-byte (CJK) string against a one-byte prefix.
    if (data.slice(0, prefix.length) !== prefix || data.slice(end + 1) !== suffix) return undefined;
    for (let index = prefix.length + 1; index < end; index++) {
      const code = data.charCodeAt(index);
      if (code === 0x22 || code === 0x5c || code < 0x20) return undefined;
    }
    return data.slice(prefix.length + 1, end);
  }

  /**
   * `sameAsTemplate` on the bytes `[start, end)` of valid UTF-8, given also as `latin1` (one
   * character per byte): the template's bytes around a quoted run without a quote, backslash or
   * control byte. ASCII bytes are ASCII characters in UTF-8, so this holds of the bytes exactly
   * when it holds of their text. (One-byte strings: V8 compares the slices as memory.)
   */
  sameAsTemplateBytes(bytes: Uint8Array, latin1: string, start: number, end: number): string | undefined {
    const template = this.template;
    if (template === undefined) return undefined;
    const { prefixLatin1, suffixLatin1 } = template;
    const open = start + prefixLatin1.length;
    const close = end - suffixLatin1.length - 1;
    if (close <= open || latin1.charCodeAt(open) !== 0x22 || latin1.charCodeAt(close) !== 0x22) return undefined;
    if (latin1.slice(start, open) !== prefixLatin1 || latin1.slice(close + 1, end) !== suffixLatin1) return undefined;
    for (let index = open + 1; index < close; index++) {
      const code = bytes[index] as number;
      if (code === 0x22 || code === 0x5c || code < 0x20) return undefined;
    }
    return utf8Text(bytes, open + 1, close);
  }

  /** Would the client's encoder write this chunk's meaning unchanged? (see the file comment) */
  private isRelayable(chunk: Record<string, unknown>, data: string): boolean {
    const head = this.head;
    if (head === undefined) return false;
    if (chunk.object !== 'chat.completion.chunk' || chunk.id !== head.id || chunk.model !== head.model || chunk.created !== head.created) return false;
    if (chunk.usage !== undefined && chunk.usage !== null) return false;
    for (const key in chunk) if (!TOP_FIELDS.has(key)) return false;
    if (!isPlainMetadata(chunk)) return false;
    const choices = chunk.choices as unknown[];
    for (const choice of choices) {
      if (!isRecord(choice) || typeof choice.index !== 'number' || !isRecord(choice.delta)) return false;
      for (const key in choice) if (!CHOICE_FIELDS.has(key)) return false;
      if (choice.logprobs !== undefined && choice.logprobs !== null) return false;
      if (choice.content_filter_results !== undefined && !isPlainFilterResults(choice.content_filter_results)) return false;
      const reason = choice.finish_reason;
      if (reason !== undefined && reason !== null) {
        // The reasons the decoder keeps as they are ("stop" after a tool call becomes "tool_calls").
        if (reason !== 'length' && reason !== 'content_filter' && reason !== 'tool_calls' && (reason !== 'stop' || this.decoder.toolCallSeen.has(choice.index))) return false;
      }
      if (!isPlainDelta(choice.delta)) return false;
      if (!this.roles.has(choice.index) && choice.delta.role !== 'assistant') return false;
    }
    // Last, as the dearest check: the bytes must be exactly what was read. Duplicate keys
    // (JSON.parse keeps the last; a client may keep the first, or fail), spaces, a multi-line
    // `data:` or odd escapes would let the client read something else than the gateway checked,
    // metered and audited.
    return isCanonicalJson(chunk, data);
  }
}

/**
 * `data` is the chunk's own serialisation: `JSON.stringify` of what was parsed (the encoder's
 * spelling), or that with every character from U+007F up escaped as `\uXXXX` (Python's
 * `json.dumps` default, used by some OpenAI-compatible servers).
 */
function isCanonicalJson(chunk: Record<string, unknown>, data: string): boolean {
  const json = JSON.stringify(chunk);
  if (json === data) return true;
  return data.length > json.length && data.includes('\\u') && json.replace(NON_ASCII, asciiEscape) === data;
}

const NON_ASCII = /[\u007f-\uffff]/g;
const asciiEscape = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Known upstream tiers; any other value (a tenant's name, an internal pool) is not passed on. */
const SERVICE_TIERS = new Set(['auto', 'default', 'flex', 'scale', 'priority']);
/** Long enough for OpenAI's fingerprints and obfuscation padding; short enough to carry nothing else of note. */
const MAX_METADATA_CHARS = 256;

/**
 * The metadata the re-encoder drops passes only in the small flat shapes the vendors document:
 * the client must not get from the relay a nested object, a long string or a tier name the
 * re-encoding path would never have sent it (and the audit never sees).
 */
function isPlainMetadata(chunk: Record<string, unknown>): boolean {
  const { system_fingerprint: fingerprint, service_tier: tier, obfuscation } = chunk;
  if (fingerprint !== undefined && fingerprint !== null && !(typeof fingerprint === 'string' && fingerprint.length <= MAX_METADATA_CHARS)) return false;
  if (tier !== undefined && tier !== null && !(typeof tier === 'string' && SERVICE_TIERS.has(tier))) return false;
  if (obfuscation !== undefined && !(typeof obfuscation === 'string' && obfuscation.length <= MAX_METADATA_CHARS)) return false;
  return true;
}

const FILTER_SEVERITIES = new Set(['safe', 'low', 'medium', 'high']);

/**
 * Azure's per-choice filter verdicts, `{ hate: { filtered: false, severity: "safe" }, jailbreak:
 * { filtered: false, detected: false }, … }`: only booleans and severities. Blocklist ids,
 * citations (URLs) and filter error messages are the deployment's business: such a chunk is re-encoded.
 */
function isPlainFilterResults(results: unknown): boolean {
  if (!isRecord(results)) return false;
  for (const key in results) {
    const verdict = results[key];
    if (!isRecord(verdict)) return false;
    for (const field in verdict) {
      const value = verdict[field];
      if (typeof value !== 'boolean' && !(field === 'severity' && typeof value === 'string' && FILTER_SEVERITIES.has(value))) return false;
    }
  }
  return true;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isPlainDelta(delta: Record<string, unknown>): boolean {
  for (const key in delta) if (!DELTA_FIELDS.has(key)) return false;
  if (delta.role !== undefined && delta.role !== 'assistant') return false;
  if (delta.content !== undefined && delta.content !== null && typeof delta.content !== 'string') return false;
  if (delta.refusal !== undefined && delta.refusal !== null) return false;
  const calls = delta.tool_calls;
  if (calls === undefined || calls === null) return true;
  if (!Array.isArray(calls)) return false;
  for (const call of calls) {
    if (!isRecord(call) || typeof call.index !== 'number') return false;
    for (const key in call) if (!CALL_FIELDS.has(key)) return false;
    // The encoder writes `type: "function"` with every id; the SDKs require it.
    if (call.id !== undefined && (typeof call.id !== 'string' || call.type !== 'function')) return false;
    if (call.type !== undefined && call.type !== 'function') return false;
    const fn = call.function;
    if (fn === undefined) continue;
    if (!isRecord(fn)) return false;
    for (const key in fn) if (!FUNCTION_FIELDS.has(key)) return false;
    if ((fn.name !== undefined && typeof fn.name !== 'string') || (fn.arguments !== undefined && typeof fn.arguments !== 'string')) return false;
  }
  return true;
}

/** What the pipeline must know of a relayed part (the taps the re-encoding path runs on it). */
function tap(batch: RelayedEvents, part: StreamPart): void {
  if (part.type === 'text-delta') {
    batch.output = true;
    if (part.choice === 0) batch.text += part.text;
  } else if (part.type === 'tool-call-delta') batch.output = true;
  else if (part.type === 'finish' && part.choice === 0) batch.finish = part.finishReason;
}

/** Longest text `utf8Text` decodes itself; longer ones are worth the native decoder's call. */
const SHORT_TEXT_BYTES = 48;

/**
 * The text of valid UTF-8 bytes `[start, end)` (`plainEvents` checked the read). A chunk's text
 * is a token or two: decoding it here costs less than a Buffer slice and the native decoder.
 */
export function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > SHORT_TEXT_BYTES) return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  let text = '';
  let index = start;
  while (index < end) {
    const lead = bytes[index] as number;
    if (lead < 0x80) {
      text += String.fromCharCode(lead);
      index += 1;
    } else if (lead < 0xe0) {
      text += String.fromCharCode(((lead & 0x1f) << 6) | ((bytes[index + 1] as number) & 0x3f));
      index += 2;
    } else if (lead < 0xf0) {
      text += String.fromCharCode(((lead & 0x0f) << 12) | (((bytes[index + 1] as number) & 0x3f) << 6) | ((bytes[index + 2] as number) & 0x3f));
      index += 3;
    } else {
      text += String.fromCodePoint(((lead & 0x07) << 18) | (((bytes[index + 1] as number) & 0x3f) << 12) | (((bytes[index + 2] as number) & 0x3f) << 6) | ((bytes[index + 3] as number) & 0x3f));
      index += 4;
    }
  }
  return text;
}

/** The events of one read as `OpenAIRelay.readEvents` walks them, and how their relayed ones are written. */
interface EventSource {
  readonly count: number;
  isDone(index: number): boolean;
  data(index: number): string;
  /** `OpenAIRelay.sameAsTemplate` of the event's data. */
  templateText(index: number): string | undefined;
  /** The event goes out as the upstream wrote it, in the open batch. */
  relay(index: number): void;
  /** The open batch is complete: its `sse` is set. */
  close(batch: RelayedEvents): RelayedEvents;
}

/** Parsed events: each relayed one is written back as `data: …\n\n`. */
class TextEvents implements EventSource {
  readonly count: number;
  private sse = '';

  constructor(
    private readonly events: readonly SseEvent[],
    private readonly relay_: OpenAIRelay,
  ) {
    this.count = events.length;
  }

  isDone(index: number): boolean {
    return (this.events[index] as SseEvent).data === '[DONE]';
  }

  data(index: number): string {
    return (this.events[index] as SseEvent).data;
  }

  templateText(index: number): string | undefined {
    return this.relay_.sameAsTemplate((this.events[index] as SseEvent).data);
  }

  relay(index: number): void {
    this.sse += `data: ${(this.events[index] as SseEvent).data}\n\n`;
  }

  close(batch: RelayedEvents): RelayedEvents {
    batch.sse = this.sse;
    this.sse = '';
    return batch;
  }
}

const DONE = '[DONE]';

/**
 * Plain events read straight from the bytes (`plainEvents`): a relayed event goes out as its own
 * bytes (`data: ` … the blank line), adjacent relayed events as one slice — no decoding, no
 * re-encoding. Only the events that are parsed are decoded.
 */
class ByteEvents implements EventSource {
  readonly count: number;
  private readonly bytes: Buffer;
  /** The bytes one character each, for the template's comparisons. */
  private readonly latin1: string;
  /** Slices of the open batch before its current run of adjacent events. */
  private slices: Buffer[] = [];
  private runStart = -1;
  private runEnd = -1;
  private lastIndex = -2;

  constructor(
    bytes: Uint8Array,
    private readonly ranges: readonly number[],
    private readonly relay_: OpenAIRelay,
  ) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.latin1 = this.bytes.toString('latin1');
    this.count = ranges.length / 2;
  }

  private start(index: number): number {
    return this.ranges[2 * index] as number;
  }

  private end(index: number): number {
    return this.ranges[2 * index + 1] as number;
  }

  isDone(index: number): boolean {
    const start = this.start(index);
    const end = this.end(index);
    return end - start === DONE.length && this.latin1.slice(start, end) === DONE;
  }

  data(index: number): string {
    return this.bytes.toString('utf8', this.start(index), this.end(index));
  }

  templateText(index: number): string | undefined {
    return this.relay_.sameAsTemplateBytes(this.bytes, this.latin1, this.start(index), this.end(index));
  }

  relay(index: number): void {
    // The whole event: "data: " before its data, the blank line after.
    const from = this.start(index) - 6;
    const to = this.end(index) + 2;
    if (index !== this.lastIndex + 1 && this.runStart >= 0) {
      this.slices.push(this.bytes.subarray(this.runStart, this.runEnd));
      this.runStart = -1;
    }
    if (this.runStart < 0) this.runStart = from;
    this.runEnd = to;
    this.lastIndex = index;
  }

  close(batch: RelayedEvents): RelayedEvents {
    const run = this.bytes.subarray(this.runStart, this.runEnd);
    batch.sse = this.slices.length === 0 ? run : Buffer.concat([...this.slices, run]);
    this.slices = [];
    this.runStart = -1;
    this.lastIndex = -2;
    return batch;
  }
}
