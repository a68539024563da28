import { z } from 'zod';

/**
 * `server.shutdown`: how the gateway leaves a fleet on SIGTERM (docs/cluster.md).
 *
 * - `grace_ms`: readiness reports `draining` at once, but the listener keeps accepting for this
 *   long, so a load balancer or Kubernetes endpoint controller can stop sending traffic before
 *   connections are refused. 0 (the default) suits a single process; behind a balancer use a few
 *   of its health-check intervals.
 * - `deadline_ms`: counted from the signal. In-flight requests and streams may finish until then;
 *   streams still open get an explicit `server_shutting_down` error event and end. Keep it below
 *   the orchestrator's kill timeout (Kubernetes `terminationGracePeriodSeconds`) minus a few
 *   seconds for flushing the audit and spend buffers.
 */
export const shutdownSchema = z
  .object({
    grace_ms: z.number().int().nonnegative().max(600_000).default(0),
    deadline_ms: z.number().int().positive().max(3_600_000).default(25_000),
  })
  .strict()
  .refine((shutdown) => shutdown.deadline_ms >= shutdown.grace_ms, {
    message: 'deadline_ms is counted from the signal and must be at least grace_ms',
  });

export type ShutdownSettings = z.infer<typeof shutdownSchema>;
