import { mockOptionsSchema, type MockOptions } from './mock-options-schema.js';
import { defineProvider } from '../provider-definition.js';
import type { ChatRequest } from '../../model/chat-request.js';
import type { ChatResponse } from '../../model/chat-response.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../model/embedding.js';
import type { StreamPart } from '../../model/stream-part.js';
import type { AdapterFactory, OutboundCall, ProviderAdapter, UpstreamCallContext } from '../provider-adapter.js';
import type { OutboundRequest } from '../../model/outbound-request.js';
import { encodeOpenAIChatRequest, encodeOpenAIEmbeddingRequest } from '../../wire/openai/encode-openai-request.js';
import { decodeOpenAIClientChatRequest, decodeOpenAIClientEmbeddingRequest } from '../../wire/openai/decode-openai-client-request.js';
import { openAIChatLayout, openAIEmbeddingLayout } from '../../wire/openai/openai-request-layout.js';
import { DEFAULT_MOCK_OPTIONS, createMockEngine, type MockEngine } from './mock-engine.js';
import { bodyInterruptedError, errorForFault, streamInterruptedError } from './mock-fault-errors.js';
import type { MockFault } from './mock-faults.js';
import { MockStreamCutError, pacedBatches, sleep, waitForAbort, type StreamPlan } from './mock-pacing.js';
import type { RandomSource } from './mock-random.js';
import { lastUserText } from './mock-reply-text.js';
import { createMockRequestLog, registerInProcessLog, type MockRequestLog } from './mock-request-log.js';

/**
 * `provider: mock`: the mock upstream in-process, without HTTP. It shares the engine with the
 * standalone server and throws the UpstreamError a real adapter would for each fault, so the
 * quick start, unit tests and failover tests need no second process.
 *
 * Fault forcing in-process: `[[mock:fault=…]]` markers in the last user message, or a
 * deployment header `x-mock-fault` in the config (`headers: {x-mock-fault: "error:503"}`), which
 * applies to every request of that deployment. Abort: every wait rejects with the signal's reason.
 */
export interface MockAdapter extends ProviderAdapter {
  readonly engine: MockEngine;
  readonly requests: MockRequestLog;
  /** The body bytes of the last call: the policy-checked body it was given, else its own encoding. */
  lastSentBody(): string | undefined;
}

export interface InProcessMockOptions {
  deploymentId: string;
  options?: MockOptions;
  /** Applied like an `x-mock-fault` header on every request. */
  forcedFault?: string;
  random?: RandomSource;
}

export function createInProcessMockAdapter(setup: InProcessMockOptions): MockAdapter {
  const deployment = setup.deploymentId;
  const options = setup.options ?? DEFAULT_MOCK_OPTIONS;
  const engine = createMockEngine({ options, name: deployment, ...(setup.random ? { random: setup.random } : {}) });
  const requests = createMockRequestLog(options.request_log_size);
  registerInProcessLog(deployment, requests);

  /** Records the request, decides its fault and throws or hangs for the pre-reply faults. */
  async function admit(path: string, body: ChatRequest | EmbeddingRequest, text: string, streaming: boolean, signal: AbortSignal): Promise<MockFault> {
    requests.record({ api: 'in-process', method: 'POST', path, headers: {}, body });
    if (signal.aborted) await waitForAbort(signal);
    const fault = engine.decideFault({ header: setup.forcedFault, text, streaming });
    const error = errorForFault(fault, deployment);
    if (error) throw error;
    if (fault.kind === 'hang') await waitForAbort(signal);
    return fault;
  }

  /**
   * The in-process mock has no wire, so it adopts OpenAI's: the policy scans and masks the OpenAI
   * body, and the mock answers what that body decodes to — exactly what an HTTP mock would see.
   */
  function describeOutbound(call: OutboundCall): OutboundRequest {
    if (call.operation === 'embeddings') {
      return { operation: 'embeddings', body: encodeOpenAIEmbeddingRequest(call.request, call.request.model) as unknown as OutboundRequest['body'], layout: openAIEmbeddingLayout(call.request.model) };
    }
    const stream = call.operation === 'chat-stream';
    const body = encodeOpenAIChatRequest({ ...call.request, stream }, { model: call.request.model, maxTokensField: 'max_tokens' });
    return { operation: call.operation, body: body as unknown as OutboundRequest['body'], layout: openAIChatLayout(call.request.model) };
  }

  let lastBody: string | undefined;

  /** The request as sent: decoded from the policy-checked body when there is one. */
  function sentChat(request: ChatRequest, context: UpstreamCallContext, stream: boolean): ChatRequest {
    lastBody = context.body ?? JSON.stringify(describeOutbound({ operation: stream ? 'chat-stream' : 'chat', request }).body);
    if (context.body === undefined) return request;
    return { ...decodeOpenAIClientChatRequest(JSON.parse(context.body)).request, stream };
  }

  async function chat(original: ChatRequest, context: UpstreamCallContext): Promise<ChatResponse> {
    const request = sentChat(original, context, false);
    const fault = await admit('chat', request, lastUserText(request), false, context.signal);
    const reply = engine.chat(request);
    const { ttftMs, intervalMs } = engine.timing(fault);
    // A non-streaming answer arrives when the whole generation would have finished.
    await sleep(ttftMs + reply.pieces.length * intervalMs, context.signal);
    if (fault.kind === 'stall') await waitForAbort(context.signal);
    if (fault.kind === 'stream_cut') throw bodyInterruptedError(deployment);
    return reply.response;
  }

  async function chatStream(original: ChatRequest, context: UpstreamCallContext): Promise<AsyncIterable<StreamPart>> {
    const request = sentChat(original, context, true);
    const fault = await admit('chat-stream', request, lastUserText(request), true, context.signal);
    const reply = engine.chat(request);
    const { ttftMs, intervalMs } = engine.timing(fault);
    // Resolving is the "2xx headers arrived" moment, which a real upstream reaches after TTFT.
    await sleep(ttftMs, context.signal);
    const plan: StreamPlan = { intervalMs };
    if (fault.kind === 'stream_cut') plan.cutAfterChunks = fault.afterChunks;
    if (fault.kind === 'stall') plan.stallAfterChunks = fault.afterChunks;
    const batches = pacedBatches(engine.streamParts(reply), plan, context.signal);
    return (async function* () {
      try {
        for await (const batch of batches) yield* batch;
      } catch (error) {
        if (error instanceof MockStreamCutError) throw streamInterruptedError(deployment, error.afterChunks);
        throw error;
      }
    })();
  }

  async function embed(original: EmbeddingRequest, context: UpstreamCallContext): Promise<EmbeddingResponse> {
    lastBody = context.body ?? JSON.stringify(describeOutbound({ operation: 'embeddings', request: original }).body);
    const request = context.body === undefined ? original : decodeOpenAIClientEmbeddingRequest(JSON.parse(context.body)).request;
    const fault = await admit('embed', request, request.input[0] ?? '', false, context.signal);
    await sleep(engine.timing(fault).ttftMs, context.signal);
    if (fault.kind === 'stall') await waitForAbort(context.signal);
    if (fault.kind === 'stream_cut') throw bodyInterruptedError(deployment);
    return engine.embed(request);
  }

  /** A probe draws a fault like any request (forced faults included), so health checks can be tested. */
  async function probe(_path: string, signal: AbortSignal): Promise<void> {
    const fault = engine.decideFault({ header: setup.forcedFault, text: '', streaming: false });
    const error = errorForFault(fault, deployment);
    if (error) throw error;
    if (fault.kind === 'hang') await waitForAbort(signal);
  }

  return { deploymentId: deployment, engine, requests, lastSentBody: () => lastBody, describeOutbound, chat, chatStream, embed, probe, close: async () => {} };
}

/** The registry's factory: options from `deployment.mock` (defaults when absent). */
export const createMockAdapter: AdapterFactory = ({ deployment }) => {
  const forcedFault = deployment.headers['x-mock-fault'];
  return createInProcessMockAdapter({
    deploymentId: deployment.id,
    options: deployment.mock ?? DEFAULT_MOCK_OPTIONS,
    ...(forcedFault !== undefined ? { forcedFault } : {}),
  });
};

/** The in-process mock: answers from `deployment.mock`, never opens a socket. */
export const mockProvider = defineProvider({
  id: 'mock',
  options: { mock: mockOptionsSchema.optional() },
  usesNetwork: false,
  create: createMockAdapter,
});

export { createMockEngine } from './mock-engine.js';
export type { MockEngine, MockReply } from './mock-engine.js';
export { getMockRequestLog } from './mock-request-log.js';
export type { MockRequestLog, MockRequestRecord } from './mock-request-log.js';
export type { MockFault } from './mock-faults.js';
