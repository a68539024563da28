import { createHash } from 'node:crypto';
import type { ReleaseContent } from './release-content.js';
import { releaseIdOf } from './release-content.js';
import { ReleaseNotFoundError, type ReleaseEvaluation, type ReleaseState, type ReleaseStore } from './release-store.js';

/**
 * The releases one replica serves, kept current by polling the store every
 * `poll_interval_seconds`: a promotion or rollback made anywhere (CLI, admin API, another
 * replica) is live here within one interval plus one read. A failed read keeps the last known
 * state — never silently falls back to the config file — and is reported.
 */
export interface ServedRelease {
  id: string;
  content: ReleaseContent;
}

/** How this request's release was chosen: `config` = nothing promoted yet, the config file serves. */
export type ReleaseRole = 'production' | 'canary' | 'pinned' | 'config';

export interface ReleaseChoice {
  release: ServedRelease;
  role: ReleaseRole;
}

export interface ReleaseSubject {
  userId?: string | undefined;
  department?: string | undefined;
  team?: string | undefined;
  roles?: readonly string[] | undefined;
}

export interface ReleaseRuntime {
  /** The promotion state in force on this replica. */
  state(): ReleaseState;
  /** Release ids that may label metrics (the ones served now and recently). */
  knownIds(): ReadonlySet<string>;
  /** Production, or the canary for the cohort and the percentage; `pinned` (eval) wins when given. */
  choose(subject: ReleaseSubject, pinned?: string): Promise<ReleaseChoice>;
  /** Reads the state now (the poller calls it; the admin API after a change, so the replica it hit is immediate). */
  refresh(): Promise<void>;
  /** Replaces the config's own snapshot (a config reload). */
  setBase(content: ReleaseContent): void;
  close(): void;
}

export interface ReleaseRuntimeOptions {
  store: ReleaseStore;
  base: ReleaseContent;
  pollIntervalMs: number;
  onError?: (error: unknown) => void;
  onChange?: (state: ReleaseState) => void;
  /** The newest published evaluation per release, read at every poll (quality dashboard gauges). */
  onEvaluations?: (evaluations: ReleaseEvaluation[]) => void;
  random?: () => number;
}

/** Uniform in [0, 1) from a key: the same user lands on the same side on every replica. */
function stickyDraw(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6) / 2 ** 48;
}

function inCohort(subject: ReleaseSubject, cohort: string | undefined): boolean {
  if (cohort === undefined) return false;
  return subject.department === cohort || subject.team === cohort || subject.userId === cohort || (subject.roles ?? []).includes(cohort);
}

export async function createReleaseRuntime(options: ReleaseRuntimeOptions): Promise<ReleaseRuntime> {
  const { store } = options;
  const random = options.random ?? Math.random;
  let base: ServedRelease = { id: releaseIdOf(options.base), content: options.base };
  const cache = new Map<string, ServedRelease>();
  let state: ReleaseState = { generation: 0 };
  let production: ServedRelease | undefined;
  let canary: ServedRelease | undefined;
  const known = new Set<string>([base.id]);

  async function load(id: string): Promise<ServedRelease> {
    const cached = cache.get(id);
    if (cached) return cached;
    const record = await store.get(id);
    if (!record) throw new ReleaseNotFoundError(id);
    const served = { id: record.id, content: record.content };
    // Releases are immutable, so caching is safe; the bound only guards against many eval pins.
    if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
    cache.set(record.id, served);
    return served;
  }

  async function refresh(): Promise<void> {
    if (options.onEvaluations) {
      const evaluations = await store.latestEvaluations(20);
      for (const evaluation of evaluations) known.add(evaluation.release);
      options.onEvaluations(evaluations);
    }
    const next = await store.state();
    if (next.generation === state.generation) return;
    // Load both before swapping: a replica never serves half a promotion.
    const nextProduction = next.production ? await load(next.production) : undefined;
    const nextCanary = next.canary ? await load(next.canary.release) : undefined;
    production = nextProduction;
    canary = nextCanary;
    state = next;
    for (const served of [nextProduction, nextCanary]) if (served) known.add(served.id);
    options.onChange?.(next);
  }

  await refresh();
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => options.onError?.(error));
  }, options.pollIntervalMs);
  timer.unref();

  return {
    state: () => state,
    knownIds: () => known,
    async choose(subject, pinned) {
      if (pinned !== undefined) {
        const release = await load(pinned);
        known.add(release.id);
        return { release, role: 'pinned' };
      }
      const canaryState = state.canary;
      if (canary && canaryState) {
        const draw = subject.userId !== undefined ? stickyDraw(`${canaryState.release}\u0000${subject.userId}`) : random();
        if (inCohort(subject, canaryState.cohort) || draw * 100 < canaryState.percent) return { release: canary, role: 'canary' };
      }
      if (production) return { release: production, role: 'production' };
      return { release: base, role: 'config' };
    },
    refresh,
    setBase(content) {
      base = { id: releaseIdOf(content), content };
      known.add(base.id);
    },
    close() {
      clearInterval(timer);
    },
  };
}
