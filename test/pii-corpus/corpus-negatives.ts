import type { Rng } from './corpus-random.js';
import { invalidNationalId } from './corpus-values.js';

/** Things that look like PII and are not: the detectors must stay quiet on all of these. */

export function orderNumber(rng: Rng): string {
  return rng.pick([
    `ORD-${rng.int(2019, 2026)}-${rng.digits(6)}`,
    `${rng.int(2019, 2026)}${rng.digits(2)}${rng.digits(2)}${rng.digits(6)}`,
    `PO${rng.digits(10)}`,
    `#${rng.digits(7)}`,
    `SO-${rng.digits(4)}-${rng.digits(4)}-${rng.digits(3)}`,
  ]);
}

export function versionString(rng: Rng): string {
  return rng.pick([
    `v${rng.int(1, 20)}.${rng.int(0, 30)}.${rng.int(0, 99)}`,
    `${rng.int(1, 12)}.${rng.int(0, 30)}.${rng.int(0, 999)}.${rng.int(0, 9999)}`,
    `${rng.int(1, 5)}.${rng.int(0, 9)}.${rng.int(0, 99)}-rc.${rng.int(1, 5)}`,
    `build ${rng.int(10, 22)}.0.${rng.digits(5)}.${rng.digits(4)}`,
  ]);
}

export function dateString(rng: Rng): string {
  const year = rng.int(2018, 2027);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const day = String(rng.int(1, 28)).padStart(2, '0');
  return rng.pick([`${year}-${month}-${day}`, `${year}/${month}/${day}`, `${year}.${month}.${day}`, `${year}年${Number(month)}月${Number(day)}日`, `${day}/${month}/${year}`, `${year}${month}${day}`]);
}

export function trackingCode(rng: Rng): string {
  return rng.pick([
    `1Z${rng.digits(3)}AA${rng.digits(10)}`,
    `TW${rng.digits(9)}`,
    `${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)}`,
    `SF${rng.digits(12)}`,
    `${rng.digits(12)}`,
  ]);
}

export function invoiceNumber(rng: Rng): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return `${letters[rng.int(0, 23)]}${letters[rng.int(0, 23)]}-${rng.digits(8)}`;
}

export function badChecksumId(rng: Rng): string {
  return invalidNationalId(rng);
}

export function sixteenDigitsNotCard(rng: Rng): string {
  // Starts with 9 (no card brand) so it can never be a valid card by prefix.
  return `9${rng.digits(15)}`;
}

export function quantity(rng: Rng): string {
  return rng.pick([`${rng.int(2, 900)}萬人次`, `${rng.int(2, 999)}份`, `${rng.int(2, 99)}%`, `${rng.int(1, 500)} pcs`, `${rng.int(2, 60)} 頁`, `${rng.int(100, 9999)} units`]);
}
