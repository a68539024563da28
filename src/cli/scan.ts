import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultDataClass } from '../policy/default-data-class.js';
import { customDetectorSchema } from '../policy/detectors/custom-detectors.js';
import { createScanner, type Scanner, type ScannerOptions } from '../policy/scan-text.js';
import { CONFIG_OPTION_HELP, findCliConfig } from './cli-config-path.js';

/** One input line. Other fields (e.g. a labelled set's `entities`) are ignored. */
const inputLineSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  text: z.string(),
});

/** `--detectors <file>`: scan settings and custom detectors, YAML or JSON. */
const detectorsFileSchema = z.strictObject({
  minScore: z.number().min(0).max(1).optional(),
  entities: z.array(z.string()).optional(),
  custom: z.array(customDetectorSchema).optional(),
});

/** The wire shape of one output line (`switchyard scan` contract). */
export interface ScanOutputLine {
  id: string | number;
  entities: Array<{ type: string; start: number; end: number; score: number }>;
  data_class: string;
}

export interface ScanCommandOptions {
  config?: string;
  minScore?: string;
  entities?: string;
  detectors?: string;
}

export interface ScanStreams {
  input: Readable;
  output: Writable;
  errors: Writable;
}

/** Exit codes: 0 all lines scanned, 1 at least one bad input line, 2 unusable options/config. */
export const SCAN_EXIT = { ok: 0, badLines: 1, badConfig: 2 } as const;

function describeError(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

function parseMinScore(text: string): number {
  const minScore = Number(text);
  if (text.trim() === '' || !Number.isFinite(minScore) || minScore < 0 || minScore > 1) throw new Error(`--min-score must be a number from 0 to 1, got "${text}"`);
  return minScore;
}

/** Builds the scanner from CLI options; throws with a readable message when they are unusable. */
export async function scannerFromOptions(options: ScanCommandOptions): Promise<Scanner> {
  const scannerOptions: ScannerOptions = {};
  if (options.detectors !== undefined) {
    const file = path.resolve(options.detectors);
    // The YAML parser loads only for a detectors file (start-up time of a plain `scan`).
    const { parse: parseYaml } = await import('yaml');
    const raw: unknown = parseYaml(readFileSync(file, 'utf8'));
    const parsed = detectorsFileSchema.safeParse(raw ?? {});
    if (!parsed.success) throw new Error(`${file}: ${describeError(parsed.error)}`);
    scannerOptions.baseDir = path.dirname(file);
    scannerOptions.custom = parsed.data.custom;
    scannerOptions.minScore = parsed.data.minScore;
    scannerOptions.entities = parsed.data.entities;
  }
  if (options.minScore !== undefined) scannerOptions.minScore = parseMinScore(options.minScore);
  if (options.entities !== undefined) {
    scannerOptions.entities = options.entities.split(',').map((entity) => entity.trim()).filter((entity) => entity.length > 0);
  }
  return createScanner(scannerOptions);
}

function filterEntities(result: ReturnType<Scanner['scan']>, only: readonly string[]): ReturnType<Scanner['scan']> {
  const entities = result.entities.filter((entity) => only.includes(entity.type));
  const counts: Record<string, number> = {};
  for (const entity of entities) counts[entity.type] = (counts[entity.type] ?? 0) + 1;
  return { entities, counts };
}

/**
 * Streams JSON Lines through the scanner. Output order follows input order. A bad line is
 * reported on stderr as one line naming its line number (and id when known), produces no
 * output line, and does not stop the run; the result tells the caller to exit 1.
 * Blank lines are skipped silently.
 */
export async function runScan(
  scanner: Scanner,
  streams: ScanStreams,
  dataClassOf: (text: string, entityTypes: string[]) => string | Promise<string> = (_text, types) => defaultDataClass(types),
): Promise<{ scanned: number; failed: number }> {
  const lines = createInterface({ input: streams.input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let scanned = 0;
  let failed = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim().length === 0) continue;
    let id: string | number | undefined;
    try {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        // V8's message quotes the input, which may hold the very secrets being scanned for.
        const position = /position (\d+)/.exec(describeError(error))?.[1];
        throw new Error(position === undefined ? 'invalid JSON' : `invalid JSON at column ${Number(position) + 1}`);
      }
      const candidateId = (value as { id?: unknown } | null)?.id;
      if (typeof candidateId === 'string' || typeof candidateId === 'number') id = candidateId;
      const record = inputLineSchema.parse(value);
      const result = scanner.scan(record.text);
      const output: ScanOutputLine = {
        id: record.id,
        entities: result.entities.map(({ type, start, end, score }) => ({ type, start, end, score })),
        data_class: await dataClassOf(record.text, result.entities.map((entity) => entity.type)),
      };
      if (!streams.output.write(`${JSON.stringify(output)}\n`)) await once(streams.output, 'drain');
      scanned += 1;
    } catch (error) {
      failed += 1;
      const where = id === undefined ? `line ${lineNumber}` : `line ${lineNumber} (id ${JSON.stringify(id)})`;
      streams.errors.write(`switchyard scan: ${where}: ${describeError(error).replace(/\s+/g, ' ')}\n`);
    }
  }
  return { scanned, failed };
}

/**
 * `switchyard scan`: JSON Lines `{"id","text"}` on stdin → `{"id","entities","data_class"}`
 * on stdout. `start`/`end` are UTF-16 indices, `end` exclusive. Exit 0 when every line was
 * scanned, 1 when any line was bad (the others are still scanned), 2 for unusable options.
 */
export function registerScanCommand(program: Command): Command {
  return program
    .command('scan')
    .description('Detect PII in JSON Lines {"id","text"} from stdin; write {"id","entities","data_class"} lines to stdout')
    .option('--min-score <score>', 'drop findings scoring below this (0–1, default 0.5)')
    .option('--entities <types>', 'comma-separated entity types to report (default: all)')
    .option('--detectors <file>', 'YAML/JSON file with custom detectors: { custom: [...], minScore?, entities? } (instead of the config\'s)')
    .option('-c, --config <file>', `${CONFIG_OPTION_HELP}: its detectors, keywords and classes are used; without one, the built-in defaults`)
    .action(async (options: ScanCommandOptions) => {
      let scanner: Scanner;
      let dataClassOf: ((text: string) => Promise<string>) | undefined;
      try {
        if (options.config !== undefined && options.detectors !== undefined) throw new Error('--detectors and --config both name the detectors; use one');
        // --detectors replaces the config's detectors (flags override); otherwise the config is the truth.
        // The config schema and the gateway's policy load only when a config is used (start-up time).
        const loaded =
          options.detectors === undefined && findCliConfig(options.config) !== undefined ? (await import('./cli-config.js')).loadCliConfig(options.config) : undefined;
        if (loaded) {
          const { scanFromConfig } = await import('./scan-from-config.js');
          const minScore = options.minScore === undefined ? undefined : parseMinScore(options.minScore);
          const policy = minScore === undefined ? loaded.config.policy : { ...loaded.config.policy, detectors: { ...loaded.config.policy.detectors, min_score: minScore } };
          const configured = scanFromConfig({ ...loaded, config: { ...loaded.config, policy } });
          const only = options.entities?.split(',').map((entity) => entity.trim()).filter((entity) => entity.length > 0);
          scanner = only === undefined ? configured.scanner : { detectors: configured.scanner.detectors, scan: (text) => filterEntities(configured.scanner.scan(text), only) };
          dataClassOf = configured.dataClassOf;
        } else {
          scanner = await scannerFromOptions(options);
        }
      } catch (error) {
        process.stderr.write(`switchyard scan: ${describeError(error)}\n`);
        process.exitCode = SCAN_EXIT.badConfig;
        return;
      }
      const { failed } = await runScan(scanner, { input: process.stdin, output: process.stdout, errors: process.stderr }, dataClassOf);
      if (failed > 0) {
        process.stderr.write(`switchyard scan: ${failed} line(s) could not be scanned\n`);
        process.exitCode = SCAN_EXIT.badLines;
      }
    });
}
