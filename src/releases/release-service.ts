import { diffReleases, type ReleaseChange } from './diff-releases.js';
import { releaseDigest, releaseIdOf, type ReleaseContent } from './release-content.js';
import { ReleaseNotFoundError, type ReleaseEvent, type ReleaseRecord, type ReleaseState, type ReleaseStore, type ReleaseSummary } from './release-store.js';
import type { GateVerdict } from './kpi-gate.js';

/**
 * The operations behind `switchyard release …` and `/admin/releases`, over one store. State
 * changes go through `store.transition`, so they are atomic and every one is an event; the
 * optional `audit` hook also writes each into the audit hash chain.
 */
export class GateRefusedError extends Error {
  constructor(readonly verdict: GateVerdict, release: string) {
    super(`release ${release} refused by the KPI gate: ${verdict.failures.map((failure) => `${failure.kpi} (${failure.message})`).join('; ')}; fix the candidate, or pass --force --reason "…" to override (audited)`);
  }
}

export interface PromoteInput {
  release: string;
  /** Percentage of traffic for a canary; absent (and no cohort) = full promotion. */
  canaryPercent?: number;
  cohort?: string;
  actor?: string;
  /** The gate's verdict; required unless `force`. */
  verdict?: GateVerdict;
  force?: boolean;
  reason?: string;
  /** Deployments the running config has: a release naming another one cannot be served. */
  knownDeployments?: ReadonlySet<string>;
}

export interface ReleaseService {
  create(input: { content: ReleaseContent; author?: string; note?: string }): Promise<{ record: ReleaseRecord; created: boolean }>;
  list(limit?: number): Promise<Array<ReleaseSummary & { serving?: 'production' | 'canary' }>>;
  show(reference: string): Promise<ReleaseRecord>;
  diff(a: string, b: string): Promise<ReleaseChange[]>;
  state(): Promise<ReleaseState>;
  events(limit?: number): Promise<ReleaseEvent[]>;
  promote(input: PromoteInput): Promise<ReleaseEvent>;
  /** Aborts a running canary; without one, production goes back to the release before it. */
  rollback(input: { actor?: string; reason?: string }): Promise<ReleaseEvent>;
}

/**
 * Production releases as a stack, replayed from the ledger: a promotion pushes, a rollback pops.
 * So rolling back twice goes two releases back, never forward again.
 */
export function productionStack(history: readonly ReleaseEvent[]): string[] {
  const stack: string[] = [];
  for (const event of [...history].sort((a, b) => a.generation - b.generation)) {
    if (event.action === 'promote' && event.release) stack.push(event.release);
    else if (event.action === 'rollback') stack.pop();
  }
  return stack;
}

export interface ReleaseServiceOptions {
  store: ReleaseStore;
  now?: () => Date;
  /** Writes each state change into the audit chain; a failure fails the command (the change stays, and says so). */
  audit?: (event: ReleaseEvent) => Promise<void>;
}

export function createReleaseService(options: ReleaseServiceOptions): ReleaseService {
  const { store } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();

  async function must(reference: string): Promise<ReleaseRecord> {
    const record = await store.get(reference);
    if (!record) throw new ReleaseNotFoundError(reference);
    return record;
  }

  async function audited(event: ReleaseEvent): Promise<ReleaseEvent> {
    if (options.audit) {
      try {
        await options.audit(event);
      } catch (error) {
        throw new Error(`release state changed (generation ${event.generation}) but the audit record could not be written: ${(error as Error).message}`);
      }
    }
    return event;
  }

  return {
    async create({ content, author, note }) {
      const record: ReleaseRecord = {
        id: releaseIdOf(content),
        digest: releaseDigest(content),
        createdAt: now(),
        content,
        ...(author ? { author } : {}),
        ...(note ? { note } : {}),
      };
      const { created } = await store.save(record);
      return { record: created ? record : await must(record.id), created };
    },
    async list(limit = 50) {
      const [rows, state] = await Promise.all([store.list(limit), store.state()]);
      return rows.map((row) => ({
        ...row,
        ...(row.id === state.production ? { serving: 'production' as const } : row.id === state.canary?.release ? { serving: 'canary' as const } : {}),
      }));
    },
    show: must,
    async diff(a, b) {
      const [left, right] = await Promise.all([must(a), must(b)]);
      return diffReleases(left.content, right.content);
    },
    state: () => store.state(),
    events: (limit = 50) => store.events(limit),
    async promote(input) {
      const record = await must(input.release);
      if (input.force && (input.reason ?? '').trim() === '') throw new Error('--force needs --reason "…": an override of the KPI gate must say why (it is audited)');
      if (!input.force) {
        if (!input.verdict) throw new Error('promotion needs the KPI gate: give an evaluation (--bank … or --report FILE), or --force --reason "…"');
        if (!input.verdict.passed) throw new GateRefusedError(input.verdict, record.id);
      }
      if (input.canaryPercent !== undefined && !(input.canaryPercent >= 0 && input.canaryPercent <= 100)) throw new Error('--canary must be a percentage between 0 and 100');
      if (input.knownDeployments) {
        const missing = Object.values(record.content.aliases).flatMap((alias) => alias.pins.map((pin) => pin.deployment)).filter((id) => !input.knownDeployments?.has(id));
        if (missing.length > 0) throw new Error(`release ${record.id} pins deployments the running config does not have: ${[...new Set(missing)].join(', ')}`);
      }
      const canary = input.canaryPercent !== undefined || input.cohort !== undefined;
      const detail = { ...(input.verdict ? { gate: input.verdict } : {}), ...(input.force ? { forcedFailures: input.verdict?.failures.map((failure) => failure.kpi) ?? ['(no evaluation)'] } : {}) };
      const { event } = await store.transition(
        (current) => ({
          action: canary ? 'canary' : 'promote',
          release: record.id,
          forced: input.force === true,
          ...(input.actor ? { actor: input.actor } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
          detail,
          next: canary
            ? {
                ...(current.production ? { production: current.production } : {}),
                canary: { release: record.id, percent: input.canaryPercent ?? 0, ...(input.cohort ? { cohort: input.cohort } : {}) },
              }
            : { production: record.id },
        }),
        now(),
      );
      return audited(event);
    },
    async rollback(input) {
      const history = await store.events(1000);
      const { event } = await store.transition((current) => {
        const base = { ...(input.actor ? { actor: input.actor } : {}), ...(input.reason ? { reason: input.reason } : {}), forced: false };
        if (current.canary) {
          return { ...base, action: 'abort-canary', release: current.canary.release, next: current.production ? { production: current.production } : {} };
        }
        if (!current.production) throw new Error('nothing to roll back: no release is in production');
        const previous = productionStack(history)
          .filter((id) => id !== current.production)
          .pop();
        return { ...base, action: 'rollback', release: current.production, next: previous ? { production: previous } : {} };
      }, now());
      return audited(event);
    },
  };
}
