import type { Dispatcher } from 'undici';
import { STEP_INSTRUCTIONS, TOOL, type TaskPlan } from './request-mix.js';
import { sendCall, type CallResult } from './send-call.js';

/** One model call as recorded for the report: the client's view plus its place in the task. */
export interface CallRecord extends Omit<CallResult, 'text' | 'toolCalls'> {
  task: number;
  kind: TaskPlan['kind'];
  /** 0 for the first call of a task; chain steps and tool round trips count up. */
  step: number;
  /** Input tokens of this call that are context (first call only), by the plan's word share. */
  contextTokens: number;
}

/** `cut`: max_requests was reached before the task's next call (not a failure of the target). */
export type TaskOutcome = 'ok' | 'failed' | 'cut';

export interface TaskContext {
  dispatcher: Dispatcher;
  path: string;
  headers: Record<string, string>;
  model: string;
  maxTokens: number;
  timeoutMs: number;
  runStart: number;
  now: () => number;
  /** Asks for permission to send one more call (max_requests); false stops the task. */
  takeCall: () => boolean;
}

function body(context: TaskContext, plan: TaskPlan, messages: unknown[], withTools: boolean): Record<string, unknown> {
  return {
    model: context.model,
    messages,
    max_tokens: context.maxTokens,
    ...(plan.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...(withTools ? { tools: [TOOL], tool_choice: 'auto' } : {}),
  };
}

/**
 * Runs one task to its end: a single call, a chain of dependent calls (each step sends the
 * previous step's answer), or a tool call and the follow-up with the tool's result. A failed
 * call ends the task, as it would for a real application.
 */
export async function runTask(context: TaskContext, plan: TaskPlan, task: number, record: (call: CallRecord) => void): Promise<TaskOutcome> {
  const send = async (messages: unknown[], step: number, withTools: boolean) => {
    const result = await sendCall(
      context.dispatcher,
      { path: context.path, headers: context.headers, body: body(context, plan, messages, withTools), stream: plan.stream, timeoutMs: context.timeoutMs },
      context.runStart,
      context.now,
    );
    const { text: _text, toolCalls: _calls, ...rest } = result;
    record({ ...rest, task, kind: plan.kind, step, contextTokens: step === 0 ? Math.round(result.inputTokens * plan.contextShare) : 0 });
    return result;
  };

  if (!context.takeCall()) return 'cut';
  if (plan.kind === 'chain') {
    let previous = plan.firstMessage;
    for (const [index, step] of plan.steps.entries()) {
      if (index > 0 && !context.takeCall()) return 'cut';
      const result = await send([{ role: 'user', content: `${STEP_INSTRUCTIONS[step][plan.language]}\n\n${previous}` }], index, false);
      if (!result.ok) return 'failed';
      previous = result.text;
    }
    return 'ok';
  }
  if (plan.kind === 'tool') {
    const user = { role: 'user', content: plan.firstMessage };
    const first = await send([user], 0, true);
    if (!first.ok) return 'failed';
    const call = first.toolCalls[0];
    if (call === undefined) return 'ok'; // the model answered directly: a one-call task
    if (!context.takeCall()) return 'cut';
    const assistant = { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] };
    const toolResult = { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ account_id: 'A-1024', balance: 1200, currency: 'TWD' }) };
    const second = await send([user, assistant, toolResult], 1, true);
    return second.ok ? 'ok' : 'failed';
  }
  const result = await send([{ role: 'user', content: plan.firstMessage }], 0, false);
  return result.ok ? 'ok' : 'failed';
}
