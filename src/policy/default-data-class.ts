import type { EntityType } from './detectors/detector.js';
import { DEFAULT_ENTITY_CLASSES } from './detectors/index.js';
import { DEFAULT_DATA_CLASSES } from '../model/data-classes.js';

export interface DataClassMappingOptions {
  /** Class names, lowest first. Default `public < internal < confidential < restricted`. */
  classes?: readonly string[];
  /** Entity type → class; merged over `DEFAULT_ENTITY_CLASSES`. */
  mapping?: Readonly<Record<string, string>>;
  /** Class for entity types the mapping does not know (custom detectors). Default `confidential`. */
  unknownEntityClass?: string;
}

/**
 * A simple default from detected entity types to a data class (the detector list's default
 * classes), used by `switchyard scan` without a config. Classes are ordered lowest to highest.
 *
 * Highest class implied by the given entity types; the lowest class when there are none.
 * Throws if the mapping names a class that is not in `classes` (a configuration error).
 */
export function defaultDataClass(entityTypes: Iterable<EntityType>, options: DataClassMappingOptions = {}): string {
  const classes = options.classes ?? DEFAULT_DATA_CLASSES;
  const mapping = { ...DEFAULT_ENTITY_CLASSES, ...options.mapping };
  const unknown = options.unknownEntityClass ?? 'confidential';
  const lowest = classes[0];
  if (lowest === undefined) throw new Error('data classes: at least one class is required');
  let best = 0;
  for (const type of entityTypes) {
    const name = mapping[type] ?? unknown;
    const rank = classes.indexOf(name);
    if (rank < 0) throw new Error(`data classes: "${name}" (for ${type}) is not one of ${classes.join(', ')}`);
    if (rank > best) best = rank;
  }
  return classes[best] ?? lowest;
}
