import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_CLASSES } from '../../model/data-classes.js';
import { defaultPolicy } from '../policy-config-schema.js';
import { defaultDataClass } from '../default-data-class.js';
import { BUILTIN_DETECTOR_DEFINITIONS, BUILTIN_DETECTORS, BUILTIN_ENTITY_TYPES, DEFAULT_ENTITY_CLASSES } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '..', '..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Detector files: the ones that export a built-in definition. */
const definitionFiles = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  .filter((name) => /export const \w+Definition = defineDetector\(/.test(readFileSync(join(here, name), 'utf8')));

/**
 * Files that may spell built-in entity names besides the detector files. Each says why; add
 * none lightly — a new table of entities is exactly what the detector list replaces.
 */
const ENTITY_NAME_EXCEPTIONS: Record<string, string> = {
  // The advisor writes a starter config for people to read; its mask list is part of committed examples.
  'advisor/emit-config.ts': 'user-facing YAML with a fixed, documented order',
};

describe('detector list', () => {
  it('lists every detector file that exports a definition, once, with unique ids and entities', () => {
    const listed = BUILTIN_DETECTOR_DEFINITIONS.map((definition) => definition.detector.id);
    expect(definitionFiles.length).toBe(BUILTIN_DETECTOR_DEFINITIONS.length);
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(BUILTIN_ENTITY_TYPES).size).toBe(BUILTIN_ENTITY_TYPES.length);
    expect(BUILTIN_DETECTORS).toEqual(BUILTIN_DETECTOR_DEFINITIONS.map((definition) => definition.detector));
  });

  it.each(BUILTIN_DETECTOR_DEFINITIONS.map((definition) => [definition.detector.id, definition] as const))(
    '%s: has an upper-snake entity, a default class and a test running the conformance suite',
    (id, definition) => {
      expect(definition.detector.entity).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(DEFAULT_DATA_CLASSES).toContain(definition.defaultClass);
      const file = definitionFiles.find((name) => readFileSync(join(here, name), 'utf8').includes(`id: '${id}'`));
      expect(file, `no detector file declares id '${id}'`).toBeDefined();
      const test = readFileSync(join(here, String(file).replace(/\.ts$/, '.test.ts')), 'utf8');
      expect(test).toMatch(/runDetectorConformance\(/);
    },
  );

  it('derives the default class tables from the list', () => {
    for (const definition of BUILTIN_DETECTOR_DEFINITIONS) {
      expect(DEFAULT_ENTITY_CLASSES[definition.detector.entity]).toBe(definition.defaultClass);
      expect(defaultDataClass([definition.detector.entity])).toBe(definition.defaultClass);
      expect(defaultPolicy().entity_classes).toContainEqual(expect.objectContaining({ entity: definition.detector.entity, class: definition.defaultClass }));
    }
    expect(defaultPolicy().entity_classes).toHaveLength(BUILTIN_DETECTOR_DEFINITIONS.length);
  });

  it('no other source file keeps a table of built-in entity names', () => {
    const names = new RegExp(`'(${BUILTIN_ENTITY_TYPES.join('|')})'`, 'g');
    const offenders: string[] = [];
    for (const path of sourceFiles(src)) {
      const file = relative(src, path).split('\\').join('/');
      if (file.startsWith('policy/detectors/') && definitionFiles.includes(file.slice('policy/detectors/'.length))) continue;
      if (file in ENTITY_NAME_EXCEPTIONS) continue;
      const found = new Set(readFileSync(path, 'utf8').match(names) ?? []);
      // One name is a comparison (`type === 'SECRET'`); two or more is a table that drifts from the list.
      if (found.size >= 2) offenders.push(`${file}: ${[...found].join(', ')} — derive it from BUILTIN_DETECTOR_DEFINITIONS in policy/detectors/index.ts`);
    }
    expect(offenders).toEqual([]);
  });
});
