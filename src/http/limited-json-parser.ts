import type { FastifyInstance } from 'fastify';
import { checkInputLimits, type InputLimits } from '../wire/input-limits.js';

/**
 * Replaces fastify's JSON parser with one that enforces the input limits at decode time: the
 * parsed body's nesting, sizes and JSON-in-string nesting right after JSON.parse, in one walk —
 * before any route or walker sees it. The text is read once (by JSON.parse): V8 parses
 * iteratively, so a deeply nested body cannot overflow the stack before the walk refuses it. Prototype-poisoning protection is
 * fastify's own (its default parser does the parsing). Limits are read per request, so a
 * config reload changes them.
 */
export function registerLimitedJsonParser(app: FastifyInstance, limits: () => InputLimits): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // A bodiless GET or DELETE sent with a JSON content type (common with curl and some SDKs) has nothing to parse.
    if (text === '' && (request.method === 'DELETE' || request.method === 'GET')) {
      done(null, undefined);
      return;
    }
    const current = limits();
    parse(request, text, (error, parsed) => {
      if (error) return done(error, undefined);
      try {
        checkInputLimits(parsed, current);
      } catch (limitError) {
        return done(limitError as Error, undefined);
      }
      done(null, parsed);
    });
  });
}
