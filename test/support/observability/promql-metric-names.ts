/**
 * The metric names a PromQL expression (or a Grafana `label_values(metric, label)` query)
 * reads. Not a full parser: it removes what cannot be a metric name — strings, label matchers,
 * range selectors, grouping clauses, function and aggregation calls, keywords, numbers — and
 * keeps the identifiers left. Used by the dashboard test; good enough for hand-written panels.
 */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

export function promqlMetricNames(expression: string): string[] {
  const text = expression
    .replace(/label_values\(\s*([a-zA-Z_:][\w:]*)\s*,[^)]*\)/g, ' $1 ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![\w.:$])[a-zA-Z_:][\w:]*/g)) {
    const name = match[0];
    const rest = text.slice((match.index ?? 0) + name.length).trimStart();
    if (rest.startsWith('(') || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/**
 * Whether a Prometheus text exposition exposes `name`: a sample line, or its HELP line (a
 * family without samples yet still counts), histogram series included via their base name.
 */
export function exposes(exposition: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`^${escaped}[{ ]`, 'm').test(exposition)) return true;
  if (new RegExp(`^# HELP ${escaped} `, 'm').test(exposition)) return true;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return base !== undefined && new RegExp(`^# TYPE ${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (histogram|summary)$`, 'm').test(exposition);
}
