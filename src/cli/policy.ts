import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LoadedConfig } from '../assembly/load-config.js';
import type { Command } from 'commander';
import { CONFIG_OPTION_HELP, loadCliConfig, NO_CONFIG_HINT } from './cli-config.js';
import { createPolicyRuntime } from '../policy/apply-policy.js';
import { explainInputFrom, explainPolicy, explainRequestSchema, renderExplanation } from '../policy/explain-policy.js';
import { createGuardRuntime } from '../guard/guard-runtime.js';
import { renderGuard } from '../guard/render-guard.js';

interface ExplainOptions {
  config?: string;
  text?: string;
  model?: string;
  department?: string;
  role: string[];
  user?: string;
  tag: string[];
  dataClass?: string;
  lang: string;
  json?: boolean;
}

/** Scan deadline of commands that only explain (see the action). */
export const CLI_SCAN_TIMEOUT_MS = 60_000;

const collect = (value: string, previous: string[]) => [...previous, value];

/** `key=value` pairs → a record; a malformed pair is a usage error, not silently dropped. */
function parseTags(pairs: string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--tag expects key=value, got '${pair}'`);
    tags[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return tags;
}

/**
 * Explain sends nothing, so a secret missing on this machine (the hash key in ${env:…}) must not
 * stop it: an ephemeral key stands in, and only `mask_mode: hash` output (the hashes) differs from
 * the gateway's — which the notice says when a rule uses it.
 */
function explainSecret(loaded: LoadedConfig, reference: string): string {
  try {
    return loaded.secret(reference);
  } catch {
    if (loaded.config.policy.rules.some((rule) => rule.mask_mode === 'hash')) {
      process.stderr.write(`note: ${reference} is not available here; hashed values shown differ from the gateway's\n`);
    }
    return randomBytes(32).toString('base64url');
  }
}

export function registerPolicyCommand(program: Command): void {
  const policy = program.command('policy').description('inspect the data policy');
  policy
    .command('explain')
    .description('show what the policy would do with a message: entities, class, matching rule, allowed tiers, masked text')
    .argument('[text]', 'the message (or --text, or stdin)')
    .option('-c, --config <file>', CONFIG_OPTION_HELP)
    .option('-t, --text <text>', 'the message (default: read from stdin)')
    .option('-m, --model <alias>', 'model alias, for rules that match on model')
    .option('--department <name>', 'principal department')
    .option('--role <role>', 'principal role (repeatable)', collect, [])
    .option('--user <id>', 'principal id')
    .option('--tag <key=value>', 'request tag (repeatable)', collect, [])
    .option('--data-class <class>', 'requested class, as the x-switchyard-data-class header (raise only)')
    .option('--lang <lang>', 'en or zh-TW', 'en')
    .option('--json', 'print JSON instead of text')
    .action(async (positional: string | undefined, options: ExplainOptions) => {
      // Sends nothing, so it needs no provider credentials: secrets resolve only if the policy uses them.
      const loaded = loadCliConfig(options.config);
      if (!loaded) throw new Error(`no config to explain: ${NO_CONFIG_HINT}`);
      const text = positional ?? options.text ?? readFileSync(0, 'utf8').replace(/\n$/, '');
      const hasPrincipal = options.department !== undefined || options.role.length > 0 || options.user !== undefined;
      const tags = parseTags(options.tag);
      const parsed = explainRequestSchema.safeParse({
        text,
        lang: options.lang,
        ...(options.model !== undefined ? { model: options.model } : {}),
        ...(options.dataClass !== undefined ? { data_class: options.dataClass } : {}),
        ...(tags ? { tags } : {}),
        ...(hasPrincipal
          ? { principal: { id: options.user ?? 'explain', roles: options.role, ...(options.department ? { department: options.department } : {}) } }
          : {}),
      });
      if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; '));
      // The gateway's scan deadline is for a warm process; a cold CLI on a busy machine could miss
      // it and show the fail-closed class instead of what the policy decides.
      const policy = { ...loaded.config.policy, scan: { ...loaded.config.policy.scan, timeout_ms: CLI_SCAN_TIMEOUT_MS } };
      const runtime = createPolicyRuntime(policy, { baseDir: loaded.baseDirectory, resolveSecret: (reference) => explainSecret(loaded, reference) });
      const explanation = await explainPolicy(runtime, explainInputFrom(parsed.data));
      const guard = await createGuardRuntime(loaded.config.guard).check([{ text }], parsed.data.principal?.roles);
      process.stdout.write(
        options.json ? `${JSON.stringify({ ...explanation, guard }, null, 2)}\n` : `${renderExplanation(explanation, parsed.data.lang)}\n${renderGuard(guard, parsed.data.lang)}\n`,
      );
    });
}
