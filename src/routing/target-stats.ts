/**
 * Live per-deployment numbers the load-balancing strategies read: calls in flight and an
 * exponentially weighted moving average (EWMA) of latency. In-process by design: each replica
 * balances on what it observes itself, which is what least-in-flight and latency-aware
 * strategies need (no network round trip on the hot path).
 */
export interface TargetStats {
  inFlight(deployment: string): number;
  /** EWMA of call latency in ms; undefined until the first call completed. */
  latencyEwmaMs(deployment: string): number | undefined;
  /** Marks a call as started; the returned function ends it (pass the latency when it says something). */
  begin(deployment: string): (latencyMs?: number) => void;
}

export interface TargetStatsOptions {
  /** Weight of the newest sample (0–1]: higher follows changes faster, lower smooths noise. */
  alpha?: number;
}

export function createTargetStats(options: TargetStatsOptions = {}): TargetStats {
  const alpha = options.alpha ?? 0.3;
  const inFlight = new Map<string, number>();
  const ewma = new Map<string, number>();
  return {
    inFlight: (deployment) => inFlight.get(deployment) ?? 0,
    latencyEwmaMs: (deployment) => ewma.get(deployment),
    begin(deployment) {
      inFlight.set(deployment, (inFlight.get(deployment) ?? 0) + 1);
      let ended = false;
      return (latencyMs) => {
        if (ended) return;
        ended = true;
        inFlight.set(deployment, Math.max(0, (inFlight.get(deployment) ?? 1) - 1));
        if (latencyMs === undefined || !Number.isFinite(latencyMs)) return;
        const previous = ewma.get(deployment);
        ewma.set(deployment, previous === undefined ? latencyMs : alpha * latencyMs + (1 - alpha) * previous);
      };
    },
  };
}
