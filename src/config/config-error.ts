/** One bad value in a config file, located so an operator can jump to it. */
export interface ConfigProblem {
  /** Dotted YAML path, e.g. `deployments[1].tier`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** Every problem in a config file, reported together rather than one per restart. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  readonly source: string;

  constructor(source: string, problems: ConfigProblem[]) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((problem) => `  ${formatProblem(problem)}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.source = source;
    this.problems = problems;
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line !== undefined ? `line ${problem.line}, column ${problem.column ?? 1}: ` : '';
  return `${where}${problem.path || '(root)'}: ${problem.message}`;
}
