import * as negative from './corpus-negatives.js';
import type { Rng } from './corpus-random.js';
import { entity, filler, type Slot } from './corpus-template.js';
import * as value from './corpus-values.js';

/** Slots shared by both splits' templates: entities by format family, and hard negatives. */
export const S = {
  zhName: entity('PERSON', value.zhName),
  romanName: entity('PERSON', value.romanisedName),
  westName: entity('PERSON', value.westernName),
  latinName: entity('PERSON', value.anyLatinName),
  nationalId: entity('TW_NATIONAL_ID', value.nationalId),
  residentId: entity('TW_RESIDENT_ID', value.residentId),
  ubn: entity('TW_UBN', value.ubn),
  phoneZh: entity('PHONE', (rng) => value.phone(rng, 'zh')),
  phoneEn: entity('PHONE', (rng) => value.phone(rng, 'en')),
  mobile: entity('PHONE', value.mobile),
  intlPhone: entity('PHONE', value.internationalPhone),
  email: entity('EMAIL', (rng) => value.email(rng, value.anyLatinName(rng))),
  card: entity('CREDIT_CARD', value.cardNumber),
  bank: entity('BANK_ACCOUNT', value.bankAccount),
  zhAddress: entity('ADDRESS', value.zhAddress),
  enTwAddress: entity('ADDRESS', value.enTwAddress),
  usAddress: entity('ADDRESS', value.usAddress),
  amountZh: entity('AMOUNT', (rng) => value.amount(rng, 'zh')),
  amountEn: entity('AMOUNT', (rng) => value.amount(rng, 'en')),
  formalAmount: entity('AMOUNT', value.formalAmount),
  ip: entity('IP_ADDRESS', value.ipv4),
  token: entity('SECRET', value.vendorToken),
  azureKey: entity('SECRET', value.azureKey),
  password: entity('SECRET', value.password),
  /** A password inside URL userinfo is percent-encoded (`@` → %40), as URLs require. */
  urlPassword: entity('SECRET', (rng: Rng) => encodeURIComponent(value.password(rng))),
  // Hard negatives.
  order: filler(negative.orderNumber),
  version: filler(negative.versionString),
  date: filler(negative.dateString),
  tracking: filler(negative.trackingCode),
  invoice: filler(negative.invoiceNumber),
  badId: filler(negative.badChecksumId),
  notCard: filler(negative.sixteenDigitsNotCard),
  quantity: filler(negative.quantity),
  user: filler((rng: Rng) => rng.pick(['svc_app', 'admin', 'deploy', 'etl_user', 'report', 'backup'])),
  /** A host name, or an IP address (labelled: an IP in a URL is still an IP). */
  host: (rng: Rng) => (rng.chance(0.25) ? { type: 'IP_ADDRESS', text: value.ipv4(rng) } : rng.pick(['db.internal', 'pg-prod.corp.example.com', 'cache01.example.tw', 'localhost'])),
} satisfies Record<string, Slot>;
