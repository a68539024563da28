/**
 * A bounded set of label values. Label values reach Prometheus only through a domain, so a
 * client that invents aliases, departments or entity names cannot grow the number of series:
 * anything outside the configured set becomes `other`, a missing value `none`.
 */
export interface LabelDomain {
  /** The label value to export for `value`. */
  map(value: string | undefined): string;
  /** The configured values (for initialising series so dashboards see zeros, not gaps). */
  values(): readonly string[];
  /** Replaces the allowed set (config reload); series already exported stay. */
  replace(values: Iterable<string>): void;
}

export const OTHER_LABEL = 'other';
export const NONE_LABEL = 'none';

export function createLabelDomain(values: Iterable<string> = []): LabelDomain {
  let allowed = new Set(values);
  let list: readonly string[] = [...allowed];
  return {
    map(value) {
      if (value === undefined || value === '') return NONE_LABEL;
      return allowed.has(value) ? value : OTHER_LABEL;
    },
    values: () => list,
    replace(next) {
      allowed = new Set(next);
      list = [...allowed];
    },
  };
}
