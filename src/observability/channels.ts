import diagnosticsChannel from 'node:diagnostics_channel';
import type { AttemptRecord } from '../errors/gateway-error.js';
import type { RequestSummary } from '../model/request-summary.js';

/**
 * The events the gateway publishes, one named `node:diagnostics_channel` channel each. Rooms and
 * the pipeline publish (cheaply: nothing is built when no one subscribes); metrics, the request
 * log line and tracing subscribe. Nothing here reaches into a request: each message is the whole
 * event. Request-scoped messages carry `source` (the gateway's shared services object) so a
 * subscriber can tell two gateways in one process apart; compare it by identity only.
 *
 * Subscribe with `diagnosticsChannel.subscribe(NAME, handler)` or the helpers below; a handler
 * must not throw or block (diagnostics_channel reports a throwing handler as an uncaught exception).
 */

/** `switchyard:request:start` — a model call was decoded and is about to be served. */
export const REQUEST_START = 'switchyard:request:start';
export interface RequestStartEvent {
  source: object;
  requestId: string;
  operation: 'chat' | 'embeddings';
  /** The alias the client named. */
  model: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
}

/** `switchyard:request:finish` — a model call ended (served, refused or failed), after meter → audit. */
export const REQUEST_FINISH = 'switchyard:request:finish';
export interface RequestFinishEvent {
  source: object;
  summary: RequestSummary;
}

/** `switchyard:attempt` — one upstream attempt ended (`outcome`), with its target and timing. */
export const ATTEMPT = 'switchyard:attempt';
export interface AttemptEvent {
  source: object;
  requestId: string;
  operation: 'chat' | 'embeddings';
  deployment: string;
  tier?: string;
  provider?: string;
  /** The upstream model name sent. */
  model: string;
  /** 1-based, counting calls that went out. */
  attemptNumber: number;
  /** `skipped`: the circuit was open, no call went out. */
  outcome: 'success' | 'failure' | 'skipped';
  /** `performance.now()` at the start and end of the attempt. */
  startedAt: number;
  endedAt: number;
  /** The failure's error code (outcome `failure`). */
  errorCode?: string;
}

/** `switchyard:policy` — the policy stage of one call ran (timing; the decision itself is in the finish summary). */
export const POLICY = 'switchyard:policy';
export interface PolicyEvent {
  source: object;
  requestId: string;
  startedAt: number;
  endedAt: number;
  errorCode?: string;
}

/** `switchyard:circuit` — a deployment's circuit breaker changed state. */
export const CIRCUIT = 'switchyard:circuit';
export interface CircuitEvent {
  deployment: string;
  from: 'closed' | 'open' | 'half_open';
  to: 'closed' | 'open' | 'half_open';
  /** Human-readable cause, e.g. "5 consecutive failures". */
  reason: string;
  /** The breaker's clock at the change. */
  at: number;
}

/** `switchyard:health` — an active health check flipped a deployment's health. */
export const HEALTH = 'switchyard:health';
export interface HealthEvent {
  deployment: string;
  healthy: boolean;
  reason: string;
  at: number;
}

/** `switchyard:budget` — a budget crossed one of its alert thresholds. */
export const BUDGET = 'switchyard:budget';
export interface BudgetEvent {
  type: 'budget-threshold';
  budgetId: string;
  periodKey: string;
  threshold: number;
  spentUsd: number;
  limitUsd: number;
}

/** `switchyard:auth:failure` — a request failed authentication (never the presented credential). */
export const AUTH_FAILURE = 'switchyard:auth:failure';
export interface AuthFailureEvent {
  code: string;
  method: 'api_key' | 'jwt' | 'bootstrap';
  clientAddress: string | undefined;
  /** Why an API key was refused (unknown, revoked, expired, …), never the key. */
  detail?: unknown;
}

export interface ChannelEvents {
  [REQUEST_START]: RequestStartEvent;
  [REQUEST_FINISH]: RequestFinishEvent;
  [ATTEMPT]: AttemptEvent;
  [POLICY]: PolicyEvent;
  [CIRCUIT]: CircuitEvent;
  [HEALTH]: HealthEvent;
  [BUDGET]: BudgetEvent;
  [AUTH_FAILURE]: AuthFailureEvent;
}
export type ChannelName = keyof ChannelEvents;

const channels = new Map<ChannelName, diagnosticsChannel.Channel>();
function channel(name: ChannelName): diagnosticsChannel.Channel {
  let found = channels.get(name);
  if (!found) channels.set(name, (found = diagnosticsChannel.channel(name)));
  return found;
}

/** True when someone listens: publishers skip building the message otherwise. */
export function hasSubscribers(name: ChannelName): boolean {
  return channel(name).hasSubscribers;
}

/** Publishes `build()` when someone listens. */
export function publish<N extends ChannelName>(name: N, build: () => ChannelEvents[N]): void {
  const target = channel(name);
  if (target.hasSubscribers) target.publish(build());
}

/** Subscribes a typed handler; returns the unsubscribe function (call it when the subscriber's owner closes). */
export function subscribe<N extends ChannelName>(name: N, handler: (event: ChannelEvents[N]) => void): () => void {
  const listener = (message: unknown) => handler(message as ChannelEvents[N]);
  diagnosticsChannel.subscribe(name, listener);
  return () => void diagnosticsChannel.unsubscribe(name, listener);
}

export type { AttemptRecord };
