import type { ReleaseContent } from './release-content.js';

/** One stored release: immutable content plus who made it and why. */
export interface ReleaseRecord {
  id: string;
  /** Full SHA-256 of the content; re-checked on every read. */
  digest: string;
  createdAt: string;
  author?: string;
  note?: string;
  content: ReleaseContent;
}

export type ReleaseSummary = Omit<ReleaseRecord, 'content'>;

export interface CanaryState {
  release: string;
  /** Share of traffic (0–100) outside the cohort. */
  percent: number;
  /** A department, team or role that always gets the canary. */
  cohort?: string;
}

/** Which releases serve right now. `generation` grows by one at every change. */
export interface ReleaseState {
  generation: number;
  production?: string;
  canary?: CanaryState;
  updatedAt?: string;
  updatedBy?: string;
}

export const RELEASE_ACTIONS = ['promote', 'canary', 'rollback', 'abort-canary'] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];

/** One state change, kept forever: the release ledger behind `release list` and the audit record. */
export interface ReleaseEvent {
  generation: number;
  time: string;
  action: ReleaseAction;
  release?: string;
  /** The state this event produced. */
  production?: string;
  canary?: CanaryState;
  actor?: string;
  /** Why the gate was overridden (`--force`), or the operator's note. */
  reason?: string;
  forced: boolean;
  /** KPIs that failed when forced; the gate verdict otherwise. */
  detail?: Record<string, unknown>;
}

/** The summary of one target of a published eval report (per-category pass rates, citation rate, …). */
export interface ReleaseEvaluation {
  release: string;
  bankSha256: string;
  generatedAt: string;
  target: string;
  summary: {
    overall: EvaluationStats;
    categories: Partial<Record<string, EvaluationStats>>;
  };
}

export interface EvaluationStats {
  items: number;
  passRate: number;
  refusalCorrectness: number | null;
  citationRate: number | null;
  piiLeaks: number;
  latencyMs: { p50: number; p95: number };
  costPerItemUsd: number;
}

export type StateChange = Omit<ReleaseEvent, 'generation' | 'time' | 'production' | 'canary'> & { next: Pick<ReleaseState, 'production' | 'canary'> };

export interface ReleaseStore {
  /** Idempotent: the same content is the same release; `created` false when it already existed. */
  save(record: ReleaseRecord): Promise<{ created: boolean }>;
  /** By full id or an unambiguous prefix; throws when the stored content no longer matches its digest. */
  get(idOrPrefix: string): Promise<ReleaseRecord | undefined>;
  /** Newest first. */
  list(limit: number): Promise<ReleaseSummary[]>;
  state(): Promise<ReleaseState>;
  /**
   * Applies a change computed from the current state in one transaction. Two operators
   * changing at once: one wins, the other gets an error and retries on the new state.
   */
  transition(decide: (current: ReleaseState) => StateChange, time: string): Promise<{ state: ReleaseState; event: ReleaseEvent }>;
  /** Newest first. */
  events(limit: number): Promise<ReleaseEvent[]>;
  /** Idempotent per (release, bank, time, target). */
  saveEvaluation(evaluation: ReleaseEvaluation): Promise<void>;
  /** The newest evaluation of each of the most recently evaluated releases. */
  latestEvaluations(releases: number): Promise<ReleaseEvaluation[]>;
}

export class ReleaseNotFoundError extends Error {
  constructor(readonly reference: string, detail = 'no such release') {
    super(`release '${reference}': ${detail}; see \`switchyard release list\``);
  }
}
