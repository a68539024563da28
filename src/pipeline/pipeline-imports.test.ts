import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The pipeline tells observability what happened through channels.ts and never calls a logger,
 * metrics or tracer; it knows no HTTP. shared-services.ts declares the services the stages read,
 * one of which is the tracer (built in assembly/create-shared-services.ts); it is not a stage.
 */
const DIRECTORY = import.meta.dirname;
const COMPOSITION = new Set(['shared-services.ts']);

describe('pipeline imports', () => {
  const files = readdirSync(DIRECTORY).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !COMPOSITION.has(file));
  const importsOf = (file: string) => [...readFileSync(join(DIRECTORY, file), 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]!);

  it('reaches observability only through its channels', () => {
    const offending = files.flatMap((file) => importsOf(file).filter((spec) => spec.includes('/observability/') && !spec.endsWith('/observability/channels.js')).map((spec) => `${file}: ${spec}`));
    expect(offending).toEqual([]);
  });

  it('knows nothing of http or fastify', () => {
    const offending = files.flatMap((file) => importsOf(file).filter((spec) => spec.includes('/http/') || spec === 'fastify').map((spec) => `${file}: ${spec}`));
    expect(offending).toEqual([]);
  });

  it('finishes a request (meter → audit) from the journeys only, once each', () => {
    const callers = files.filter((file) => file !== 'finish-request.ts' && /finishRequest\(/.test(readFileSync(join(DIRECTORY, file), 'utf8')));
    expect(callers.sort()).toEqual(['run-chat.ts', 'run-count-tokens.ts', 'run-embeddings.ts']);
    for (const file of callers) expect(readFileSync(join(DIRECTORY, file), 'utf8').match(/finishRequest\(/g)).toHaveLength(1);
  });
});
