import { WireProtocolError } from '../wire-protocol-error.js';

/**
 * A streaming Server-Sent Events parser (WHATWG "event stream interpretation"), used to read
 * every upstream that streams: OpenAI-style `data:` chunks, Anthropic's named events and
 * Gemini's `alt=sse`. Input chunks may split anywhere — inside a field, a CRLF pair or a
 * multi-byte UTF-8 character — so all state survives across chunks.
 */

export interface SseEvent {
  /** The `event:` field; absent means the default type "message". */
  event?: string;
  /** All `data:` lines of the event joined with "\n". */
  data: string;
  /** The `id:` field when the event carried one. */
  id?: string;
}

/**
 * The most text one event may hold (its unfinished line plus its data lines so far). A chat
 * chunk is a few hundred bytes and a whole tool call a few hundred KB; an upstream that never
 * ends a line or an event would otherwise grow the buffer until the call's total timeout, so
 * past this it is a protocol error and the stream ends with the explicit error event.
 */
export const MAX_SSE_EVENT_CHARS = 8 * 1024 * 1024;

/** Incremental parser; `push` text as it arrives, `end` at end of stream. */
export class SseLineParser {
  private buffer = '';
  /** Characters in `data` (the current event's data lines). */
  private dataChars = 0;
  /** A chunk ended in "\r": a "\n" opening the next chunk belongs to the same line break. */
  private pendingCarriageReturn = false;
  private data: string[] = [];
  private eventType: string | undefined;
  private eventId: string | undefined;
  private sawField = false;
  private atStart = true;

  constructor(private readonly maxEventChars = MAX_SSE_EVENT_CHARS) {}

  /**
   * No line and no event in progress: everything pushed so far ended with a whole event. Text
   * made of whole events may then be read past the parser by the same rules (the OpenAI relay
   * reads plain `data:` events straight from the bytes) and pushing resumes afterwards.
   */
  get atEventBoundary(): boolean {
    return this.buffer.length === 0 && !this.sawField && !this.pendingCarriageReturn;
  }

  /** Whole events were read past the parser: a byte-order mark is no longer the stream's first character. */
  skipped(): void {
    this.atStart = false;
  }

  push(text: string): SseEvent[] {
    let input = text;
    if (this.atStart && input.length > 0) {
      // A leading byte-order mark is not part of the first field name.
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
      this.atStart = false;
    }
    if (this.pendingCarriageReturn && input.startsWith('\n')) input = input.slice(1);
    this.pendingCarriageReturn = false;
    this.buffer += input;

    const events: SseEvent[] = [];
    let lineStart = 0;
    const buffer = this.buffer;
    if (buffer.indexOf('\r') === -1) {
      // The common case (LF only): native line search instead of a loop over every character.
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n', lineStart)) {
        const event = this.processLine(buffer.slice(lineStart, end));
        lineStart = end + 1;
        if (event !== undefined) events.push(event);
      }
      this.buffer = lineStart === 0 ? buffer : buffer.slice(lineStart);
      this.checkSize();
      return events;
    }
    for (let index = 0; index < this.buffer.length; index++) {
      const code = this.buffer.charCodeAt(index);
      if (code !== 0x0a && code !== 0x0d) continue;
      const line = this.buffer.slice(lineStart, index);
      if (code === 0x0d) {
        if (index + 1 === this.buffer.length) this.pendingCarriageReturn = true;
        else if (this.buffer.charCodeAt(index + 1) === 0x0a) index++;
      }
      lineStart = index + 1;
      const event = this.processLine(line);
      if (event !== undefined) events.push(event);
    }
    this.buffer = this.buffer.slice(lineStart);
    this.checkSize();
    return events;
  }

  private checkSize(): void {
    if (this.buffer.length + this.dataChars > this.maxEventChars) {
      throw new WireProtocolError(`The upstream sent a server-sent event larger than ${this.maxEventChars} characters (a line or an event that never ends).`);
    }
  }

  /**
   * End of stream. The spec drops an event without its terminating blank line; we still
   * dispatch it when its last line was complete, because some servers omit the final blank
   * line — a truncated final line is dropped, so half a JSON document never escapes.
   */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer.length === 0 && this.sawField) {
      const event = this.dispatch();
      if (event !== undefined) events.push(event);
    }
    this.buffer = '';
    return events;
  }

  private processLine(line: string): SseEvent | undefined {
    if (line.length === 0) return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment, e.g. keep-alive ": ping"
    if (line.startsWith('data: ')) {
      // The common line, without slicing its field name.
      this.data.push(line.slice(6));
      this.dataChars += line.length - 6;
      this.sawField = true;
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.sawField = true;
    switch (field) {
      case 'data':
        this.data.push(value);
        this.dataChars += value.length;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) this.eventId = value;
        break;
      default:
        // `retry` and unknown fields do not concern a one-shot HTTP response.
        break;
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const eventType = this.eventType;
    const eventId = this.eventId;
    this.data = [];
    this.dataChars = 0;
    this.eventType = undefined;
    this.sawField = false;
    // Per spec an event with no data lines is not dispatched.
    if (data.length === 0) return undefined;
    const event: SseEvent = { data: data.length === 1 ? (data[0] as string) : data.join('\n') };
    if (eventType !== undefined && eventType !== '') event.event = eventType;
    if (eventId !== undefined) event.id = eventId;
    return event;
  }
}

/** Parses a byte stream into SSE events; errors of the source propagate unchanged. */
export async function* parseSse(source: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder('utf-8');
  const parser = new SseLineParser();
  for await (const chunk of source) {
    yield* parser.push(decoder.decode(chunk, { stream: true }));
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield* parser.push(tail);
  yield* parser.end();
}
