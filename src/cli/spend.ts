import type { Command } from 'commander';
import { buildSpendReport } from '../metering/spend-report.js';
import { SPEND_DIMENSIONS } from '../metering/spend-store.js';
import { createSqlSpendStore } from '../metering/sql-spend-store.js';
import { loadCliConfig, openCliStorage, storageUrlFor, withConfigOption } from './cli-config.js';

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

interface FixedCost {
  deployment: string;
  monthly_usd: number;
}

function collectFixedCost(value: string, previous: FixedCost[]): FixedCost[] {
  const match = /^([^=]+)=(\d+(?:\.\d+)?)$/.exec(value);
  if (!match) throw new Error(`--fixed-cost must look like deployment=9000, not '${value}'`);
  return [...previous, { deployment: match[1]!, monthly_usd: Number(match[2]) }];
}

/** `switchyard spend --by department --period 2026-11 [--json]`. */
export function registerSpendCommand(program: Command): void {
  withConfigOption(program.command('spend'))
    .description('spend per department, team, key, tag, deployment, tier or alias for a calendar period')
    .requiredOption('--by <dimension>', SPEND_DIMENSIONS.join('|'))
    .requiredOption('--period <period>', 'month 2026-11, ISO week 2026-W45 or day 2026-11-05')
    .option('--time-zone <zone>', "the zone periods are calendar periods in (default: the config's metering.time_zone, else Asia/Taipei)")
    .option('--storage <url>', "database, overriding the config's storage.url: sqlite:<path> or postgres://…")
    .option('--json', 'print JSON instead of a table')
    .option('--fixed-cost <deployment=usd>', 'a fixed monthly cost to amortise (repeatable; with --by deployment)', collectFixedCost, [])
    .action(async (flags: { by: string; period: string; timeZone?: string; config?: string; storage?: string; json?: boolean; fixedCost: FixedCost[] }) => {
      const loaded = loadCliConfig(flags.config);
      const timeZone = flags.timeZone ?? loaded?.config.metering.time_zone ?? 'Asia/Taipei';
      // Flags add to (and for one deployment, replace) the config's fixed costs.
      const fixedCosts = [...(loaded?.config.metering.fixed_costs ?? []).filter((cost) => !flags.fixedCost.some((flag) => flag.deployment === cost.deployment)), ...flags.fixedCost];
      const options = { ...flags, timeZone };
      const storage = await openCliStorage(storageUrlFor(flags.storage, loaded), loaded, { mustExist: true });
      try {
        const report = await buildSpendReport(createSqlSpendStore(storage.executor), { ...options, fixedCosts });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const fixed = report.totalFixedUsd !== undefined;
        const body = report.rows.map((row) => [
          row.group ?? '(none)',
          String(row.requests),
          String(row.inputTokens),
          String(row.outputTokens),
          // Traffic without a price is marked, never shown as a plain $0.
          row.unpricedRequests > 0 ? `${row.costUsd.toFixed(4)} + ${row.unpricedRequests} unpriced` : row.costUsd.toFixed(4),
          ...(fixed ? [(row.fixedUsd ?? 0).toFixed(2)] : []),
        ]);
        body.push(['total', String(report.rows.reduce((sum, row) => sum + row.requests, 0)), '', '', report.totalUsd.toFixed(4), ...(fixed ? [report.totalFixedUsd!.toFixed(2)] : [])]);
        const headers = [options.by, 'requests', 'input tokens', 'output tokens', 'cost USD', ...(fixed ? ['fixed USD'] : [])];
        process.stdout.write(`spend by ${options.by}, ${options.period} (${options.timeZone})\n${table(headers, body)}\n`);
        if (!report.costComplete) {
          process.stdout.write(`note: ${report.unpricedRequests} request(s) went to deployments without a price; their cost is missing from these totals (add metering.prices, see docs/prices.md)\n`);
        }
      } finally {
        await storage.close();
      }
    });
}
