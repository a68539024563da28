import type { Command } from 'commander';
import { builtinPriceCatalogue, loadPriceCatalogue } from '../metering/price-catalogue.js';

/** Older than this, `prices info` says the list should be checked against the vendors' pages. */
const STALE_AFTER_DAYS = 90;

/** `switchyard prices info|show`: the shipped price catalogue, its age and its rows. */
export function registerPricesCommand(program: Command): void {
  const prices = program.command('prices').description('the built-in price catalogue (list prices per model, with sources)');
  prices
    .command('info')
    .description("print the catalogue's version, date and age in days")
    .option('--catalogue <file>', 'a catalogue file in the same format instead of the built-in one')
    .option('--json', 'print JSON')
    .action((options: { catalogue?: string; json?: boolean }) => {
      const catalogue = options.catalogue ? loadPriceCatalogue(options.catalogue, process.cwd())! : builtinPriceCatalogue();
      const age = catalogue.ageDays();
      const vendors = [...new Set(catalogue.file.models.flatMap((row) => row.vendors))].sort();
      const oldest = catalogue.file.models.map((row) => row.as_of).sort()[0];
      const info = {
        origin: catalogue.origin,
        version: catalogue.version,
        compiled: catalogue.compiled,
        ageDays: age,
        stale: age > STALE_AFTER_DAYS,
        models: catalogue.file.models.length,
        tools: catalogue.file.tools.length,
        vendors,
        oldestRow: oldest,
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `price catalogue ${info.version} (${info.origin}), compiled ${info.compiled}: ${age} day${age === 1 ? '' : 's'} old\n` +
          `${info.models} models, ${info.tools} per-call tool prices; vendors: ${vendors.join(', ')}; oldest row ${oldest}\n` +
          (info.stale ? `warning: older than ${STALE_AFTER_DAYS} days; check the prices you rely on and override them under metering.prices\n` : ''),
      );
    });
  prices
    .command('show')
    .description('print the catalogue price of one upstream model name')
    .argument('<model>', 'upstream model name, e.g. gpt-4o-mini or us.anthropic.claude-sonnet-4-5-20250929-v1:0')
    .action((model: string) => {
      const row = builtinPriceCatalogue().lookup(model);
      if (!row) {
        process.stderr.write(`switchyard prices: '${model}' is not in the catalogue; set its price under metering.prices\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${JSON.stringify(row, null, 2)}\n`);
    });
}
