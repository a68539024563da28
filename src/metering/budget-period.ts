/**
 * Calendar periods in a time zone: `2026-11-05` (day), `2026-W45` (ISO week, Monday first),
 * `2026-11` (month). A budget's period rolls over at local midnight, not UTC midnight.
 */
export type BudgetPeriod = 'day' | 'week' | 'month';

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(instant: Date, timeZone: string): LocalDate & { hour: number; minute: number; second: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The UTC instant of local midnight at the start of `date` in `timeZone`. */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const target = Date.UTC(date.year, date.month - 1, date.day);
  let guess = target;
  // Two rounds settle any offset change (DST) between the guess and the answer.
  for (let round = 0; round < 3; round += 1) {
    const local = localParts(new Date(guess), timeZone);
    const offset = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - guess;
    const next = target - offset;
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function isoWeek({ year, month, day }: LocalDate): { year: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - weekday) * 86_400_000);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * 86_400_000)) + 1;
  return { year: weekYear, week };
}

export function periodKey(period: BudgetPeriod, instant: Date, timeZone: string): string {
  const local = localParts(instant, timeZone);
  if (period === 'day') return `${local.year}-${pad(local.month)}-${pad(local.day)}`;
  if (period === 'month') return `${local.year}-${pad(local.month)}`;
  const { year, week } = isoWeek(local);
  return `${year}-W${pad(week)}`;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * 86_400_000);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** [from, to) in UTC for a period key; throws on a key that is none of the three forms. */
export function periodRange(key: string, timeZone: string): { period: BudgetPeriod; from: Date; to: Date } {
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (match) {
    const day = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    return { period: 'day', from: startOfLocalDay(day, timeZone), to: startOfLocalDay(addDays(day, 1), timeZone) };
  }
  match = /^(\d{4})-(\d{2})$/.exec(key);
  if (match && Number(match[2]) >= 1 && Number(match[2]) <= 12) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const next = month === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: month + 1, day: 1 };
    return { period: 'month', from: startOfLocalDay({ year, month, day: 1 }, timeZone), to: startOfLocalDay(next, timeZone) };
  }
  match = /^(\d{4})-W(\d{2})$/.exec(key);
  if (match && Number(match[2]) >= 1 && Number(match[2]) <= 53) {
    const year = Number(match[1]);
    const januaryFourth = { year, month: 1, day: 4 };
    const weekday = (new Date(Date.UTC(year, 0, 4)).getUTCDay() + 6) % 7;
    const monday = addDays(januaryFourth, -weekday + (Number(match[2]) - 1) * 7);
    return { period: 'week', from: startOfLocalDay(monday, timeZone), to: startOfLocalDay(addDays(monday, 7), timeZone) };
  }
  throw new Error(`period '${key}' must look like 2026-11, 2026-W45 or 2026-11-05`);
}
