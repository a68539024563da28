/** The jose module's shape, for code that receives it from loadJose. */
export type Jose = typeof import('jose');

let pending: Promise<Jose> | undefined;

/**
 * jose is imported on first use, not at start: it is ~10 MB of resident code, and a gateway
 * without OIDC issuers (static or virtual keys only) never verifies a token
 * (test/e2e/serve-module-graph.test.ts checks that `serve` does not load it).
 */
export function loadJose(): Promise<Jose> {
  pending ??= import('jose');
  return pending;
}
