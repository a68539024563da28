import type { LoadedConfig } from '../assembly/load-config.js';
import { loadPriceCatalogue } from '../metering/price-catalogue.js';
import { createPriceTable } from '../metering/price-table.js';
import { describeUnpriced, unpricedTargets } from '../metering/unpriced-deployments.js';

/**
 * The price part of `switchyard config check`: a warning line naming every non-on-prem
 * deployment whose model has no price (config or catalogue). Warnings do not fail the check;
 * an unreadable `metering.price_catalogue` file does (returns false).
 */
export function checkConfigPrices(loaded: LoadedConfig, write: (line: string) => void): boolean {
  const { metering, deployments } = loaded.config;
  let catalogue;
  try {
    catalogue = loadPriceCatalogue(metering.price_catalogue, loaded.baseDirectory);
  } catch (error) {
    write(`${loaded.source}: ${(error as Error).message}`);
    return false;
  }
  const prices = createPriceTable(metering, { catalogue, deployments });
  for (const target of unpricedTargets(loaded.config, prices)) write(`warning: ${describeUnpriced(target)}`);
  return true;
}
