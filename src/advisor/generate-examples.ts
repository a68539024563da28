/**
 * Regenerates the reports in examples/advisor/ from their answers files:
 *   node --import tsx src/advisor/generate-examples.ts
 * examples.test.ts fails when a checked-in report differs from what this would write.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAdvice } from './advise.js';
import { emitConfig } from './emit-config.js';
import { renderAdvice, type ReportFormat } from './run-advise.js';
import type { Language } from './localized.js';
import { validateAnswersText } from './validate-answers.js';

export const EXAMPLES_DIRECTORY = fileURLToPath(new URL('../../examples/advisor/', import.meta.url));

/** The reports kept for each example: both languages in Markdown and HTML, JSON in English. */
export const EXAMPLE_OUTPUTS: readonly { format: ReportFormat; language: Language; suffix: string }[] = [
  { format: 'json', language: 'en', suffix: 'report.json' },
  { format: 'md', language: 'en', suffix: 'report.en.md' },
  { format: 'md', language: 'zh-TW', suffix: 'report.zh-TW.md' },
  { format: 'html', language: 'en', suffix: 'report.en.html' },
  { format: 'html', language: 'zh-TW', suffix: 'report.zh-TW.html' },
];

export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIRECTORY)
    .filter((name) => name.endsWith('.yaml') && !name.endsWith('.switchyard.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
    .sort();
}

/** Every report of one example and its starter config, keyed by file name. */
export function renderExample(name: string): Record<string, string> {
  const result = validateAnswersText(readFileSync(join(EXAMPLES_DIRECTORY, `${name}.yaml`), 'utf8'));
  if (!result.ok) throw new Error(`${name}.yaml is invalid: ${result.issues.map((issue) => issue.path).join(', ')}`);
  const reports = Object.fromEntries(EXAMPLE_OUTPUTS.map((output) => [`${name}.${output.suffix}`, renderAdvice(result.file, result.weights, output.format, output.language)]));
  // The starter gateway config (--emit-config) for the example's recommendation.
  return { ...reports, [`${name}.switchyard.yaml`]: emitConfig(buildAdvice(result.file, result.weights)) };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of exampleNames()) {
    for (const [file, text] of Object.entries(renderExample(name))) writeFileSync(join(EXAMPLES_DIRECTORY, file), text);
  }
}
