/**
 * Bedrock stream fixtures are kept readable: a JSON array of the event-stream messages, each
 * `{ event, payload }` (or `{ exception, payload }` for a modelled error). This turns one into
 * the binary frames Bedrock sends (application/vnd.amazon.eventstream), with the AWS SDK's own
 * codec, so the adapter's decoder is tested on real framing (prelude, headers, CRCs).
 */
import { EventStreamCodec } from '@smithy/core/event-streams';

interface FixtureMessage {
  event?: string;
  exception?: string;
  payload: unknown;
}

const encoder = new TextEncoder();
const codec = new EventStreamCodec(
  (input) => new TextDecoder().decode(input),
  (input) => encoder.encode(input),
);
const header = (value: string) => ({ type: 'string' as const, value });

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

export function encodeEventStreamFixture(text: string): Uint8Array {
  const messages = JSON.parse(text) as FixtureMessage[];
  const frames = messages.map((message) =>
    codec.encode({
      headers:
        message.exception !== undefined
          ? { ':message-type': header('exception'), ':exception-type': header(message.exception), ':content-type': header('application/json') }
          : { ':message-type': header('event'), ':event-type': header(message.event ?? ''), ':content-type': header('application/json') },
      body: encoder.encode(JSON.stringify(message.payload)),
    }),
  );
  const joined = new Uint8Array(frames.reduce((sum, frame) => sum + frame.byteLength, 0));
  let offset = 0;
  for (const frame of frames) {
    joined.set(frame, offset);
    offset += frame.byteLength;
  }
  return joined;
}
