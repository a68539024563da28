/**
 * The AWS event-stream binary framing (application/vnd.amazon.eventstream) → messages with
 * string headers and a UTF-8 payload. Each frame starts with its total length; the maintained
 * codec of the AWS SDK (@smithy/core) checks both CRCs and parses the headers, this file only
 * cuts the byte stream into frames, since sockets split them anywhere. The codec is loaded on
 * first use, so gateways without Bedrock do not pay for it at start-up.
 */
import type { EventStreamCodec } from '@smithy/core/event-streams';
import { WireProtocolError } from '../wire-protocol-error.js';

export interface EventStreamMessage {
  headers: Record<string, string>;
  payload: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let codec: Promise<EventStreamCodec> | undefined;
const loadCodec = () =>
  (codec ??= import('@smithy/core/event-streams').then(
    ({ EventStreamCodec: Codec }) =>
      new Codec(
        (input) => decoder.decode(input),
        (input) => encoder.encode(input),
      ),
  ));

/** A frame never legitimately approaches this; a corrupt length prefix must not make us buffer forever. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export async function* decodeEventStream(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<EventStreamMessage> {
  const frames = await loadCodec();
  let buffer: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    buffer = concat(buffer, chunk);
    while (buffer.byteLength >= 4) {
      const length = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0, false);
      if (length < 16 || length > MAX_FRAME_BYTES) throw new WireProtocolError('The upstream sent an event-stream frame with an impossible length.');
      if (buffer.byteLength < length) break;
      yield decodeFrame(frames, buffer.slice(0, length));
      buffer = buffer.slice(length);
    }
  }
  if (buffer.byteLength > 0) throw new WireProtocolError('The upstream event stream ended inside a frame.');
}

function decodeFrame(codec: EventStreamCodec, frame: Uint8Array): EventStreamMessage {
  let message: ReturnType<EventStreamCodec['decode']>;
  try {
    message = codec.decode(frame);
  } catch (error) {
    throw new WireProtocolError('The upstream sent a corrupt event-stream frame.', { cause: error });
  }
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(message.headers)) {
    if (header.type === 'string') headers[name] = header.value;
  }
  return { headers, payload: decoder.decode(message.body) };
}

function concat(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.byteLength === 0) return right;
  const joined = new Uint8Array(left.byteLength + right.byteLength);
  joined.set(left, 0);
  joined.set(right, left.byteLength);
  return joined;
}
