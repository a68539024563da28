import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { policySchema } from './policy-config-schema.js';
import { createPolicyScanner } from './policy-scanner.js';

// scanFor must answer from the detectors the scanner was built with: a dictionary is read when
// the policy loads, not again on the request path (where the file may have changed or gone).
describe('PolicyScanner.scanFor with a dictionary detector', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const setup = () => {
    dir = mkdtempSync(join(tmpdir(), 'scanfor-'));
    writeFileSync(join(dir, 'projects.txt'), 'Falcon\n');
    const policy = policySchema.parse({
      detectors: { custom: [{ kind: 'dictionary', id: 'projects', entity: 'PROJECT_CODE', file: 'projects.txt' }] },
      entity_classes: [{ entity: 'PROJECT_CODE', class: 'confidential' }],
    });
    return { scanner: createPolicyScanner(policy, { baseDir: dir }), file: join(dir, 'projects.txt') };
  };
  const text = 'The Falcon launch is on Friday.';
  const watched = new Set(['PROJECT_CODE']);

  it('reports what the filtered full scan reports after the dictionary file changed', async () => {
    const { scanner, file } = setup();
    writeFileSync(file, 'Osprey\n');
    const full = (await scanner.scan(text)).entities.filter((entity) => watched.has(entity.type));
    expect(full).toHaveLength(1);
    expect(await scanner.scanFor(text, watched)).toEqual(full);
  });

  it('does not throw on the request path when the dictionary file is gone', async () => {
    const { scanner, file } = setup();
    rmSync(file);
    const full = (await scanner.scan(text)).entities.filter((entity) => watched.has(entity.type));
    expect(await scanner.scanFor(text, watched)).toEqual(full);
  });
});
