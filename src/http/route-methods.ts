import type { FastifyInstance } from 'fastify';

/**
 * Which methods each registered path answers, so a request with the wrong method gets 405
 * `method_not_allowed` with an `Allow` header instead of a 404 claiming the route does not exist.
 * Register before the routes: it listens to `onRoute`.
 */
export interface RouteMethods {
  /** Methods registered for a concrete request path (`:param` segments match any one segment). */
  allowedFor(path: string): string[];
}

function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

export function trackRouteMethods(app: FastifyInstance): RouteMethods {
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((method) => method.toUpperCase());
    routes.push({ pattern: patternOf(route.url), methods });
  });
  return {
    allowedFor(path) {
      const allowed = new Set<string>();
      for (const route of routes) if (route.pattern.test(path)) route.methods.forEach((method) => allowed.add(method));
      return [...allowed].sort();
    },
  };
}
