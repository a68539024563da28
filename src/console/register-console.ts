import type { FastifyInstance } from 'fastify';
import type { ConsoleRuntime } from './console-runtime.js';
import { authorizeConsole } from './console-access.js';
import { registerConsoleApi } from './console-api.js';
import { registerConsoleAssets } from './console-assets.js';
import { forward, FORWARDED_ROUTES } from './console-forward.js';
import { createConsoleOidcClient, type ConsoleOidcClient } from './console-oidc.js';
import { registerConsoleSignIn } from './console-sign-in.js';
import { createSessionStore } from './console-session.js';
import type { RollupStore } from './rollup-store.js';
import type { ConsoleAdvisor } from './console-advisor.js';

export interface ConsoleDependencies {
  /** The runtime in force (a config reload swaps it). */
  runtime: () => ConsoleRuntime;
  rollup: RollupStore;
  /** The deployment advisor's page (a top-layer tool, so main.ts passes it in). */
  advisor: ConsoleAdvisor;
  /** Wall clock, epoch ms (sessions, dashboards' "now", budget periods). */
  now?: () => number;
  /** For the OIDC issuer (tests pass a stand-in's). */
  fetch?: typeof fetch;
  /** Where the built web app is (default: web/dist of this package). */
  assetDirectory?: string;
}

/**
 * Every console route, registered here and nowhere else: the built pages, sign-in, the
 * console's own API and the admin calls it forwards. Settings are read at registration
 * (sessions, OIDC); a config reload changes them at the next restart.
 */
export function registerConsole(app: FastifyInstance, dependencies: ConsoleDependencies): void {
  const config = dependencies.runtime().loaded.config;
  if (!config.console.enabled) return;
  const now = dependencies.now ?? Date.now;
  const sessions = createSessionStore({ ttlMs: config.console.session_ttl_minutes * 60_000, max: config.console.max_sessions, now });
  let oidc: ConsoleOidcClient | undefined;
  if (config.console.oidc) {
    const settings = config.console.oidc;
    const issuer = config.identity.oidc.issuers.find((entry) => entry.id === settings.issuer);
    if (!issuer) throw new Error(`console.oidc.issuer '${settings.issuer}' is not an identity.oidc.issuers id`);
    oidc = createConsoleOidcClient(
      {
        issuer: issuer.issuer,
        clientId: settings.client_id,
        scopes: settings.scopes,
        ...(settings.client_secret !== undefined ? { clientSecret: dependencies.runtime().loaded.secret(settings.client_secret) } : {}),
      },
      { now, ...(dependencies.fetch ? { fetch: dependencies.fetch } : {}) },
    );
  }

  registerConsoleAssets(app, dependencies.assetDirectory);
  registerConsoleSignIn(app, { runtime: dependencies.runtime, sessions, oidc, now });
  registerConsoleApi(app, { runtime: dependencies.runtime, sessions, rollup: dependencies.rollup, advisor: dependencies.advisor, now });
  for (const route of FORWARDED_ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const caller = await authorizeConsole(dependencies.runtime(), sessions, request);
        return forward(app, caller, request, reply, route.target);
      },
    });
  }
}
