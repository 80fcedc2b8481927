/**
 * Working days for scheduling inspection visits (pure: no database, no clock, no files).
 *
 * A visit date is a calendar date written `yyyy-mm-dd`, with no time and no time zone: "2026-03-30" is the same
 * day in London, in UTC and on a server in any other zone. Arithmetic is done on dates pinned to UTC midnight, read
 * with the getUTC… methods: UTC has no daylight-saving changes, so a clock change can never add or lose a day. (Plain
 * Dates, not TZDate: this runs for every due date on every finding page, and TZDate's zone lookups cost far more.)
 *
 * A working day is Monday to Friday and not a bank holiday. The holidays are passed in as a set of `yyyy-mm-dd`
 * dates (see holidaySet and parseBankHolidaysCsv; db/reference/bank-holidays-england-and-wales.csv is the list
 * shipped with the project), so one-off holidays added later need no change here.
 */
import { TZDate } from "@date-fns/tz";
import { getISOWeek, getISOWeekYear } from "date-fns";
import { parse } from "csv-parse/sync";

/** A calendar date, `yyyy-mm-dd`. */
export type CalendarDate = string;

/** The most non-working days in a row the functions here step over before deciding the holiday list is wrong. */
export const MAX_NON_WORKING_RUN = 366;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `yyyy-mm-dd` (so "2026-02-29" and "2026-4-3" are false). */
export function isCalendarDate(text: string): boolean {
  return toUtc(text) !== null;
}

const DAY_MS = 86_400_000;

function toUtc(text: string): Date | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  // Date.UTC reads years 0–99 as 1900–1999: the year is set on its own.
  date.setUTCFullYear(year);
  // Date.UTC rolls 2026-02-30 over to 2026-03-02: a real date reads back as written.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

/** The date at UTC midnight; throws for anything but a real `yyyy-mm-dd` date. */
function utcDate(date: CalendarDate): Date {
  const parsed = toUtc(date);
  if (!parsed) throw new RangeError(`Not a calendar date (yyyy-mm-dd): ${JSON.stringify(date)}`);
  return parsed;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

function toCalendarDate(date: Date): CalendarDate {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** Whole days later (UTC midnights are exactly a day apart). */
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);
const differenceInCalendarDays = (later: Date, earlier: Date) => Math.round((later.getTime() - earlier.getTime()) / DAY_MS);

/** The date `days` calendar days after `date` (before it when negative). */
export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  return toCalendarDate(addDays(utcDate(date), days));
}

/** Saturday or Sunday. */
export function isWeekend(date: CalendarDate): boolean {
  const weekday = utcDate(date).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Monday to Friday and not one of `holidays`. */
export function isWorkingDay(date: CalendarDate, holidays: ReadonlySet<string>): boolean {
  return !isWeekend(date) && !holidays.has(date);
}

/** The first working day after `date` (`step` 1) or before it (`step` -1), never `date` itself. */
function stepToWorkingDay(date: CalendarDate, step: 1 | -1, holidays: ReadonlySet<string>): CalendarDate {
  let day = utcDate(date);
  for (let i = 0; i < MAX_NON_WORKING_RUN; i++) {
    day = addDays(day, step);
    const text = toCalendarDate(day);
    if (isWorkingDay(text, holidays)) return text;
  }
  throw new RangeError(`No working day within ${MAX_NON_WORKING_RUN} days ${step > 0 ? "after" : "before"} ${date}`);
}

/** The first working day strictly after `date` (Friday → Monday; the day before Easter → the Tuesday after). */
export function nextWorkingDay(date: CalendarDate, holidays: ReadonlySet<string>): CalendarDate {
  return stepToWorkingDay(date, 1, holidays);
}

/** The last working day strictly before `date`. */
export function previousWorkingDay(date: CalendarDate, holidays: ReadonlySet<string>): CalendarDate {
  return stepToWorkingDay(date, -1, holidays);
}

/**
 * The date `n` working days after `date` (before it when `n` is negative). `date` itself never counts, and it
 * need not be a working day: Saturday + 1 is Monday, Saturday - 1 is Friday. So for n ≠ 0 there are exactly |n|
 * working days in (date, result] (or [result, date) going back), and the result is a working day.
 *
 * n = 0 rolls forward: the date itself when it is a working day, otherwise the next working day. "Zero working
 * days from a bank holiday" is then the first day a visit can happen, which is what a scheduler wants, and
 * addWorkingDays(d, 0) is always a working day, like every other result.
 */
export function addWorkingDays(date: CalendarDate, n: number, holidays: ReadonlySet<string>): CalendarDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Not a whole number of working days: ${n}`);
  if (n === 0) return isWorkingDay(date, holidays) ? date : nextWorkingDay(date, holidays);
  const step = n > 0 ? 1 : -1;
  let day = date;
  for (let left = Math.abs(n); left > 0; left--) day = stepToWorkingDay(day, step, holidays);
  return day;
}

/** The working days from `start` to `end`, both included, in order; empty when `end` is before `start`. */
export function workingDaysBetween(start: CalendarDate, end: CalendarDate, holidays: ReadonlySet<string>): CalendarDate[] {
  const first = utcDate(start);
  const days = differenceInCalendarDays(utcDate(end), first);
  const result: CalendarDate[] = [];
  for (let i = 0; i <= days; i++) {
    const text = toCalendarDate(addDays(first, i));
    if (isWorkingDay(text, holidays)) result.push(text);
  }
  return result;
}

/**
 * The ISO 8601 week of `date` as a key for weekly limits, "2026-W01": the ISO week-numbering year (which differs
 * from the calendar year around New Year: 2027-01-01 is in 2026-W53, 2024-12-30 in 2025-W01) and the week, Monday
 * to Sunday, zero-padded so keys sort in order.
 */
export function isoWeek(date: CalendarDate): string {
  // date-fns reads the fields in the zone of the Date it is given: a TZDate in UTC.
  const day = new TZDate(utcDate(date).getTime(), "UTC");
  return `${pad(getISOWeekYear(day), 4)}-W${pad(getISOWeek(day), 2)}`;
}

/** One bank holiday: its date and its title as published ("Boxing Day"); notes such as "Substitute day", or null. */
export interface BankHoliday {
  date: CalendarDate;
  title: string;
  notes: string | null;
}

/** A problem with a bank holidays file, with its line (1 is the header), or null for the whole file. */
export interface BankHolidaysProblem {
  line: number | null;
  reason: string;
}

/** Why a bank holidays file cannot be used: every problem found, each with its line. */
export class BankHolidaysCsvError extends Error {
  constructor(readonly problems: BankHolidaysProblem[]) {
    super(
      `Bank holidays file refused: ${problems.map((p) => (p.line === null ? p.reason : `line ${p.line}: ${p.reason}`)).join("; ")}`,
    );
    this.name = "BankHolidaysCsvError";
  }
}

const REQUIRED_COLUMNS = ["date", "title"] as const;

/**
 * Reads a bank holidays CSV (columns `date,title` and optionally `notes`, in any order; other columns are
 * ignored), all or nothing: every date must be a real `yyyy-mm-dd` date, every title non-empty, and no date may
 * appear twice. Returns the holidays sorted by date; throws BankHolidaysCsvError listing every problem.
 */
export function parseBankHolidaysCsv(text: string): BankHoliday[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, columns: true, info: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new BankHolidaysCsvError([{ line: null, reason: error instanceof Error ? error.message : String(error) }]);
  }
  if (rows.length === 0) throw new BankHolidaysCsvError([{ line: null, reason: "no holidays (or no header line)" }]);
  const columns = Object.keys(rows[0]?.record ?? {});
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new BankHolidaysCsvError([{ line: 1, reason: `missing column ${missing.join(", ")}` }]);

  const problems: BankHolidaysProblem[] = [];
  const seen = new Map<string, number>();
  const holidays: BankHoliday[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const date = record.date ?? "";
    const title = record.title ?? "";
    const notes = record.notes ?? "";
    if (!isCalendarDate(date)) {
      problems.push({ line, reason: `${JSON.stringify(date)} is not a real date written yyyy-mm-dd` });
      continue;
    }
    if (title === "") problems.push({ line, reason: `no title for ${date}` });
    const earlier = seen.get(date);
    if (earlier !== undefined) {
      problems.push({ line, reason: `${date} is listed twice (also line ${earlier})` });
      continue;
    }
    seen.set(date, line);
    holidays.push({ date, title, notes: notes === "" ? null : notes });
  }
  if (problems.length > 0) throw new BankHolidaysCsvError(problems);
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The dates of `holidays`, for isWorkingDay and the rest. */
export function holidaySet(holidays: Iterable<{ date: CalendarDate }>): ReadonlySet<string> {
  return new Set(Array.from(holidays, (h) => h.date));
}
