import { featuresUsed } from '../wire/feature-support.js';
import { resolve } from 'node:path';
import type { Principal } from '../model/principal.js';
import { GuardBlockedError } from '../guard/guard-blocked-error.js';
import { loadOnnxClassifier, type GuardClassifier } from '../guard/guard-classifier.js';
import { blockingCategory, type GuardDecision, type OutputFinding } from '../guard/guard-decision.js';
import { createGuardRuntime, type GuardRuntime, type GuardText } from '../guard/guard-runtime.js';
import type { GuardOutputAction } from '../guard/guard-config-schema.js';
import { createOutputGuard, newCanary, withCanary, type OutputChannel } from '../guard/output-guard.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import { extractSegments } from '../policy/request-text.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { ChatResponse } from '../model/chat-response.js';
import type { StreamPart } from '../model/stream-part.js';
import type { GatewayRuntime, RuntimeConfig } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

/**
 * The guard stage: after classification, before dispatch. Scores the request's text (never the
 * system prompt, which is the application's own), acts on the decision (block → 403
 * `guard_blocked`; route_on_prem → the policy decision narrowed to on-prem tiers, which the
 * egress guard then enforces), and wraps the answer in output guarding.
 */

/** What the guard needs of the policy stage's result: its decision and its restore steps. */
export interface RestoringPolicy {
  decision: PolicyDecision;
  restoreResponse(response: ChatResponse): ChatResponse;
  restoreStream(parts: AsyncIterable<StreamPart>): AsyncIterable<StreamPart>;
}

export type GuardedPolicy<P extends RestoringPolicy> = Omit<P, 'restoreResponse' | 'decision'> & {
  decision: PolicyDecision;
  restoreResponse(response: ChatResponse): Promise<ChatResponse>;
};

const runtimes = new WeakMap<RuntimeConfig, GuardRuntime>();

/** The guard of a loaded config, built once (a reload builds a new one). */
export function guardFor(runtime: Pick<GatewayRuntime, 'loaded'>): GuardRuntime {
  let guard = runtimes.get(runtime.loaded);
  if (!guard) {
    const config = runtime.loaded.config.guard;
    const modelPath = config.classifier?.model_path;
    let classifier: GuardClassifier | undefined;
    if (modelPath !== undefined) {
      // Loaded on first use; a model that fails to load fails the request (closed), never silently off.
      let loading: Promise<GuardClassifier> | undefined;
      classifier = { classify: async (text) => (await (loading ??= loadOnnxClassifier(resolve(runtime.loaded.baseDirectory, modelPath)))).classify(text) };
    }
    guard = createGuardRuntime(config, classifier ? { classifier } : {});
    runtimes.set(runtime.loaded, guard);
  }
  return guard;
}

function guardTexts(request: ChatRequest): GuardText[] {
  const texts: GuardText[] = [];
  for (const segment of extractSegments(request)) {
    const location = segment.location;
    if (location.kind === 'user-field') continue;
    const role = request.messages[location.message]?.role;
    if (role === 'system') continue;
    texts.push({ text: segment.text, source: role === 'tool' || location.kind === 'tool-arguments' ? 'tool' : role === 'assistant' ? 'assistant' : 'user' });
  }
  return texts;
}

function systemPromptOf(request: ChatRequest): string {
  return request.messages
    .filter((message) => message.role === 'system')
    .flatMap((message) => message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])))
    .join('\n');
}

function injectCanary(request: ChatRequest, canary: string): ChatRequest {
  const index = request.messages.findIndex((message) => message.role === 'system');
  if (index < 0) return request;
  const messages = request.messages.map((message, position) => {
    if (position !== index) return message;
    // After the last text part, never between two: parts the wire joins must stay adjacent, or
    // a value split across them would be scanned in halves yet still leave whole.
    const at = message.content.findLastIndex((part) => part.type === 'text');
    if (at < 0) return message;
    return { ...message, content: message.content.map((part, partIndex) => (partIndex === at && part.type === 'text' ? { ...part, text: withCanary(part.text, canary) } : part)) };
  });
  return { ...request, messages };
}

function entityActions(runtime: GatewayRuntime, principal: Principal): Map<string, GuardOutputAction> {
  const output = runtime.loaded.config.guard.output;
  const actions = new Map<string, GuardOutputAction>();
  const { restricted } = output;
  if (!principal.roles.some((role) => restricted.visible_to_roles.includes(role))) for (const type of restricted.entities) actions.set(type, restricted.action);
  if (output.secrets !== 'allow') actions.set('SECRET', output.secrets);
  return actions;
}

async function* guardStream(parts: AsyncIterable<StreamPart>, channel: () => OutputChannel): AsyncIterable<StreamPart> {
  const channels = new Map<number, OutputChannel>();
  for await (const part of parts) {
    if (part.type === 'text-delta') {
      let guard = channels.get(part.choice);
      if (!guard) channels.set(part.choice, (guard = channel()));
      const text = await guard.push(part.text);
      if (text !== '') yield { ...part, text };
    } else if (part.type === 'finish') {
      const rest = (await channels.get(part.choice)?.flush()) ?? '';
      channels.delete(part.choice);
      if (rest !== '') yield { type: 'text-delta', choice: part.choice, text: rest };
      yield part;
    } else {
      yield part;
    }
  }
  for (const [choice, guard] of channels) {
    const rest = await guard.flush();
    if (rest !== '') yield { type: 'text-delta', choice, text: rest };
  }
}

/**
 * The canary goes into the system prompt before the policy reads the outbound bodies, so the
 * policy scans (and the egress proof covers) exactly what leaves, canary included.
 */
export function withGuardCanary(runtime: GatewayRuntime, request: ChatRequest): { request: ChatRequest; canary?: string } {
  const config = runtime.loaded.config.guard;
  if (!config.enabled || !config.output.enabled || !config.output.canary || systemPromptOf(request) === '') return { request };
  // The system prompt is part of every cached prefix: a per-request token in it would make every
  // prompt-cache breakpoint miss (and pay the cache-write premium each time). The overlap check remains.
  if (featuresUsed(request).includes('cache_control')) return { request };
  const canary = newCanary();
  return { request: injectCanary(request, canary), canary };
}

export async function guardStage<P extends RestoringPolicy>(
  runtime: GatewayRuntime,
  context: RequestContext,
  request: ChatRequest,
  principal: Principal,
  canary: string | undefined,
  applied: P,
): Promise<GuardedPolicy<P>> {
  context.policy = applied.decision;
  const unguarded: GuardedPolicy<P> = { ...applied, restoreResponse: async (response: ChatResponse) => applied.restoreResponse(response) };
  const config = runtime.loaded.config.guard;
  if (!config.enabled) return unguarded;
  const decision: GuardDecision = await guardFor(runtime).check(guardTexts(request), principal.roles);
  context.guard = decision;
  const blocked = blockingCategory(decision);
  if (blocked !== undefined) throw new GuardBlockedError(blocked, 'request', decision.scores[blocked]);
  let policyDecision = applied.decision;
  if (decision.action === 'route_on_prem') {
    policyDecision = { ...policyDecision, allowedTiers: policyDecision.allowedTiers.filter((tier) => tier === 'on-prem') };
    context.policy = policyDecision;
  }
  const output = config.output;
  if (!output.enabled) return { ...unguarded, decision: policyDecision };

  const systemPrompt = systemPromptOf(request);
  const onFinding = (finding: OutputFinding): void => {
    const current = context.guard ?? decision;
    current.output = [...(current.output ?? []), finding];
    context.guard = current;
  };
  const scanner = runtime.policy.scanner;
  const actions = entityActions(runtime, principal);
  // The output guard acts on these types only (it drops every other span): ask the scanner for
  // exactly those, which it can answer without running every detector over the answer.
  const watched = new Set([...actions].flatMap(([type, action]) => (action === 'allow' ? [] : [type])));
  const scanFor = scanner.scanFor?.bind(scanner);
  const channel = createOutputGuard({
    ...(canary ? { canary } : {}),
    ...(systemPrompt ? { systemPrompt } : {}),
    leakOverlap: output.leak_overlap,
    leakAction: output.system_prompt_leak,
    detect: scanFor ? (text) => scanFor(text, watched) : async (text) => (await scanner.scan(text)).entities,
    entityActions: actions,
    onFinding,
  });
  return {
    ...applied,
    decision: policyDecision,
    restoreStream: (parts: AsyncIterable<StreamPart>) => guardStream(applied.restoreStream(parts), channel),
    async restoreResponse(response: ChatResponse) {
      const restored = applied.restoreResponse(response);
      const choices = await Promise.all(
        restored.choices.map(async (choice) => {
          if (choice.message.content === null) return choice;
          const guard = channel();
          const content = (await guard.push(choice.message.content)) + (await guard.flush());
          return { ...choice, message: { ...choice.message, content } };
        }),
      );
      return { ...restored, choices };
    },
  };
}
