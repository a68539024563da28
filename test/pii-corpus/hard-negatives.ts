import { createRng } from './corpus-random.js';
import * as negative from './corpus-negatives.js';
import type { Span } from './score-spans.js';

/**
 * Precision on hard negatives: values that look like PII (order numbers, versions, dates,
 * tracking codes …) after the context words that usually precede them, 500 per family.
 */
const FAMILIES: ReadonlyArray<[string, (rng: ReturnType<typeof createRng>) => string, readonly string[]]> = [
  ['order numbers', negative.orderNumber, ['訂單編號 ', 'Order ', '單號：', 'PO ref ']],
  ['version strings', negative.versionString, ['版本 ', 'version ', 'upgraded to ', 'build: ']],
  ['dates', negative.dateString, ['日期 ', 'on ', '於', 'due ']],
  ['tracking codes', negative.trackingCode, ['追蹤碼 ', 'tracking ', '物流單號', 'AWB ']],
  ['invoice numbers', negative.invoiceNumber, ['發票號碼 ', 'invoice ', '發票', 'Invoice no. ']],
  ['bad-checksum IDs', negative.badChecksumId, ['身分證 ', 'ID ', '證號', 'national id ']],
  ['16 digits, no card brand', negative.sixteenDigitsNotCard, ['卡號 ', 'card ', '序號 ', 'ref ']],
  ['quantities', negative.quantity, ['共', 'total ', '約', 'about ']],
];

export interface HardNegativeRow {
  family: string;
  samples: number;
  flagged: number;
  types: string[];
}

export function hardNegativeReport(predict: (text: string) => Span[], samples = 500): HardNegativeRow[] {
  const rng = createRng(0x4e6a);
  return FAMILIES.map(([family, generate, contexts]) => {
    let flagged = 0;
    const types = new Set<string>();
    for (let index = 0; index < samples; index += 1) {
      const found = predict(`${rng.pick(contexts)}${generate(rng)}。`);
      if (found.length > 0) flagged += 1;
      for (const span of found) types.add(span.type);
    }
    return { family, samples, flagged, types: [...types] };
  });
}
