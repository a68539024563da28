import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Nothing test-only ships: the files `npm run build` compiles (tsconfig.build.json) hold no test,
 * fixture, conformance suite or test harness, and test support lives under test/support, not src/.
 */
const ROOT = resolve(import.meta.dirname, '../..');
/** How test-only code is spelled: tests, fixtures, conformance suites, fakes, harnesses. */
const TEST_ONLY = /(\.test\.ts$|__fixtures__\/|conformance|(^|\/)testing[-/]|(^|\/)test-[^/]*\.ts$|fixture-transport|fake-|-child\.ts$|storage-test-targets)/;

function buildInputs(): string[] {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const listed = execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' });
  return listed
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.includes('/node_modules/'))
    .map((file) => relative(ROOT, file));
}

function sourceFiles(directory: string): string[] {
  return readdirSync(join(ROOT, directory), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

describe('build output', () => {
  const inputs = buildInputs();

  it('compiles only src/, and at least the entry points', () => {
    expect(inputs).toContain('src/cli/index.ts');
    expect(inputs).toContain('src/main.ts');
    expect(inputs.filter((file) => !file.startsWith('src/'))).toEqual([]);
  });

  it('ships no test-only file', () => {
    expect(inputs.filter((file) => TEST_ONLY.test(file))).toEqual([]);
  });

  it('keeps test support out of src/ (only tests themselves sit beside the code)', () => {
    const misplaced = sourceFiles('src').filter((file) => !file.endsWith('.test.ts') && TEST_ONLY.test(file));
    expect(misplaced).toEqual([]);
  });

  it('the pattern recognises what used to ship', () => {
    for (const file of ['src/storage/storage-test-targets.ts', 'src/advisor/test-answers.ts', 'src/policy/testing/fake-scanner.ts', 'src/policy/detectors/detector-conformance.ts', 'src/audit/testing-cli.ts']) {
      expect(TEST_ONLY.test(file), file).toBe(true);
    }
    for (const file of ['src/loadtest/run-loadtest.ts', 'src/cli/index.ts', 'src/policy/detectors/phone.ts']) expect(TEST_ONLY.test(file), file).toBe(false);
  });
});
