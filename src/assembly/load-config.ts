import { MAX_CONFIG_BYTES, NotARegularFileError, readBoundedFile } from '../config/read-bounded-file.js';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { configSchema, type SwitchyardConfig } from './config-schema.js';
import { ConfigError, type ConfigProblem } from '../config/config-error.js';
import { resolveSecretReference } from '../config/resolve-secret.js';
import { isSecretReference } from '../model/secret-reference.js';
import { checkReferences } from './check-references.js';
import { checkSecrets } from './check-secrets.js';
import { resolveDataPaths } from './resolve-data-paths.js';
import { checkPolicy } from '../policy/check-policy.js';
import { loadCustomDetectors } from '../policy/detectors/custom-detectors.js';

/**
 * The parsed configuration and its secrets, resolved once. Secrets live beside the config,
 * never inside it, so the config object can be logged or served by admin endpoints as is.
 */
export interface LoadedConfig {
  config: SwitchyardConfig;
  source: string;
  /** Directory relative paths in the config (secret files, dictionaries) resolve against. */
  baseDirectory: string;
  /** Resolved value of a `${env:…}` / `${file:…}` reference present in the config. */
  secret(reference: string): string;
}

type PathSegment = string | number;

export interface ConfigLoadOptions {
  /**
   * Secret references at these paths are not resolved at load but on first use of `secret()`,
   * which then throws naming the path. Commands that send nothing (`policy explain`, `keys`,
   * `config check --offline`) so need no provider credentials; `serve` resolves everything.
   */
  deferSecrets?: (path: readonly PathSegment[], reference: string) => boolean;
}

/**
 * `config check --offline`: what only the running gateway on its own machine needs — provider,
 * Redis and trace-collector credentials, and every `${env:…}` value. `${file:…}` references to
 * files beside the config are still read and checked.
 */
export const OFFLINE_DEFERRED_SECRETS = (path: readonly PathSegment[], reference: string): boolean =>
  path[0] === 'deployments' || path[0] === 'redis' || path[0] === 'tracing' || reference.startsWith('${env:');
/** Every reference: a CLI command resolves just the few it uses. */
export const ALL_SECRETS = (): boolean => true;

function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`),
    '',
  );
}

/** The node at `path`, or the deepest existing ancestor (a missing key is reported at its parent). */
function nodeAt(document: Document, path: readonly PathSegment[], pointAtKey: boolean): Node | undefined {
  let node: unknown = document.contents;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      if (!pair) return node;
      const isLast = index === path.length - 1;
      node = isLast && pointAtKey ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return node;
      node = item;
    } else {
      break;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

function locate(document: Document, lineCounter: LineCounter, path: readonly PathSegment[], pointAtKey = false) {
  const node = nodeAt(document, path, pointAtKey);
  const offset = node?.range?.[0];
  if (offset === undefined) return {};
  const position = lineCounter.linePos(offset);
  return { line: position.line, column: position.col };
}

function problemsFromZod(error: z.ZodError, document: Document, lineCounter: LineCounter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      // One problem per unknown key, located at the key itself.
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        problems.push({ path: formatPath(keyPath), message: 'unknown key', ...locate(document, lineCounter, keyPath, true) });
      }
      continue;
    }
    problems.push({ path: formatPath(path), message: issue.message, ...locate(document, lineCounter, path) });
  }
  return problems;
}

/** Every string in the parsed config that is a secret reference, with where it sits. */
function collectReferences(value: unknown, path: PathSegment[], out: Array<{ path: PathSegment[]; reference: string }>): void {
  if (typeof value === 'string') {
    if (isSecretReference(value)) out.push({ path, reference: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectReferences(item, [...path, index], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) collectReferences(item, [...path, key], out);
  }
}

/**
 * Parses and validates a config text. Throws one ConfigError listing every problem (YAML syntax,
 * schema, missing secrets) with line and column, so an operator fixes all of them in one pass.
 */
export function parseConfigText(
  text: string,
  source = 'switchyard.yaml',
  environment: NodeJS.ProcessEnv = process.env,
  baseDirectory = process.cwd(),
  options: ConfigLoadOptions = {},
): LoadedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return { path: '', message: error.message.split('\n')[0] ?? 'YAML syntax error', line: position.line, column: position.col };
      }),
    );
  }
  const raw: unknown = document.toJS() ?? {};
  const parsed = configSchema.safeParse(raw);
  const schemaProblems = parsed.success ? [] : problemsFromZod(parsed.error, document, lineCounter);
  const referenceProblems = checkReferences(raw).map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    ...locate(document, lineCounter, issue.path),
  }));
  // Rules naming deployments can only be checked once the policy section itself parsed.
  const policyProblems = parsed.success
    ? checkPolicy(parsed.data.policy, parsed.data.deployments.map((deployment) => deployment.id))
        .filter((issue) => issue.path[issue.path.length - 2] === 'allow_deployments')
        .map((issue) => {
          const path = ['policy', ...issue.path];
          return { path: formatPath(path), message: issue.message, ...locate(document, lineCounter, path) };
        })
    : [];
  // Custom detectors compile here too, so a bad pattern or missing dictionary is a config problem, not a crash at start.
  const detectorProblems = parsed.success
    ? parsed.data.policy.detectors.custom.flatMap((detector, index) => {
        try {
          loadCustomDetectors([detector], { baseDir: baseDirectory });
          return [];
        } catch (error) {
          const path = ['policy', 'detectors', 'custom', index];
          return [{ path: formatPath(path), message: (error as Error).message, ...locate(document, lineCounter, path) }];
        }
      })
    : [];
  const structural = [...schemaProblems, ...referenceProblems, ...policyProblems, ...detectorProblems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (!parsed.success || structural.length > 0) throw new ConfigError(source, structural);

  const references: Array<{ path: PathSegment[]; reference: string }> = [];
  collectReferences(parsed.data, [], references);
  const secrets = new Map<string, string>();
  const deferred = new Map<string, PathSegment[]>();
  const problems: ConfigProblem[] = [];
  for (const { path, reference } of references) {
    if (options.deferSecrets?.(path, reference)) {
      if (!deferred.has(reference)) deferred.set(reference, path);
      continue;
    }
    try {
      secrets.set(reference, resolveSecretReference(reference, environment, baseDirectory));
    } catch (error) {
      problems.push({ path: formatPath(path), message: (error as Error).message, ...locate(document, lineCounter, path) });
    }
  }
  for (const issue of checkSecrets(parsed.data, (reference) => secrets.get(reference))) {
    problems.push({ path: formatPath(issue.path), message: issue.message, ...locate(document, lineCounter, issue.path) });
  }
  if (problems.length > 0) throw new ConfigError(source, problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  for (const reference of secrets.keys()) deferred.delete(reference);

  return {
    config: resolveDataPaths(parsed.data, baseDirectory),
    source,
    baseDirectory,
    secret(reference: string): string {
      const value = secrets.get(reference);
      if (value !== undefined) return value;
      const path = deferred.get(reference);
      if (path === undefined) throw new Error(`secret reference ${reference} is not part of the loaded config`);
      try {
        const resolved = resolveSecretReference(reference, environment, baseDirectory);
        secrets.set(reference, resolved);
        return resolved;
      } catch (error) {
        const where = locate(document, lineCounter, path);
        throw new ConfigError(source, [{ path: formatPath(path), message: (error as Error).message, ...where }]);
      }
    },
  };
}

export function loadConfigFile(path: string, environment: NodeJS.ProcessEnv = process.env, options: ConfigLoadOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readBoundedFile(path, MAX_CONFIG_BYTES, 'a config file');
  } catch (error) {
    if (error instanceof NotARegularFileError) throw new ConfigError(path, [{ path: '', message: error.message }]);
    throw new ConfigError(path, [{ path: '', message: unreadableConfigMessage(path, error) }]);
  }
  // Absolute, so every relative path in it means the same whatever the working directory.
  return parseConfigText(text, path, environment, dirname(resolve(path)), options);
}

/** Why a config file could not be read, and what to do about it. */
function unreadableConfigMessage(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return `file not found (working directory ${process.cwd()}); pass --config <file> or set SWITCHYARD_CONFIG — to try Switchyard, use --config examples/quickstart.yaml`;
  }
  if (code === 'EISDIR') return 'is a directory; pass the YAML file itself with --config <file>';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied; check the file mode or run as its owner';
  return `cannot be read (${code ?? (error as Error).message})`;
}

/** Which file to load: --config, then SWITCHYARD_CONFIG, then ./switchyard.yaml. */
export function configPathFrom(option: string | undefined, environment: NodeJS.ProcessEnv = process.env): string {
  return option ?? environment.SWITCHYARD_CONFIG ?? 'switchyard.yaml';
}
