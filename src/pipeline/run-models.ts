import { openAIChatDialect } from '../wire/openai/openai-chat-dialect.js';
import { encodeModelList } from '../wire/model-list.js';
import { authenticate } from './authenticate.js';
import { asGatewayError, refusal } from './call-reply.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { CallReply, InboundCall } from './inbound-call.js';
import { publishFinish } from './publish-finish.js';
import { createRequestContext } from './request-context.js';
import { visibleAliases } from './resolve-alias.js';

/**
 * GET /v1/models: authenticate → list the aliases this principal may use. Nothing is sent
 * upstream or metered, so there is no audit record (as before); observers still hear of it.
 */
export async function runModels(runtime: GatewayRuntime, call: InboundCall, listedSince: number): Promise<CallReply> {
  const context = createRequestContext(call, 'openai-chat');
  let reply: CallReply;
  try {
    const principal = await authenticate(runtime, context);
    const models = visibleAliases(runtime, principal).map((alias) => ({ id: alias.alias, ...(alias.description !== undefined ? { description: alias.description } : {}) }));
    reply = { status: 200, headers: {}, body: encodeModelList(models, listedSince, call.headers['anthropic-version'] !== undefined) };
  } catch (error) {
    context.error = asGatewayError(error);
    // Errors are OpenAI-shaped on this route, whichever SDK asks (as before).
    reply = refusal(context, openAIChatDialect, context.error);
  }
  publishFinish(runtime, context, reply.status);
  return reply;
}
