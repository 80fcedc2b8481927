/**
 * Bank holidays in England and Wales, kept in the database: the list shipped in db/reference (loaded at start-up,
 * adding any day a new release ships) plus one-off days an admin announces (a royal or national occasion), which
 * only an admin can add and, if added by mistake, remove. Shipped days cannot be removed.
 */
import { readFileSync } from "node:fs";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { asc, eq } from "drizzle-orm";
import { bankHolidays, users } from "../../db/schema";
import { recordAudit, SYSTEM_ACTOR, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { projectPath } from "../project-root.server";
import { todayInLondon } from "../trusts/register.server";
import { holidaySet, isCalendarDate, isWeekend, parseBankHolidaysCsv, type BankHoliday, type CalendarDate } from "./working-days";

export const SHIPPED_BANK_HOLIDAYS_FILE = "bank-holidays-england-and-wales.csv";
export const BANK_HOLIDAY_TITLE_MAX = 100;

export type BankHolidaySource = (typeof bankHolidays.$inferSelect)["source"];

/** The bank holidays shipped with this release, from db/reference, sorted by date. */
export function shippedBankHolidays(): BankHoliday[] {
  return parseBankHolidaysCsv(readFileSync(projectPath("db", "reference", SHIPPED_BANK_HOLIDAYS_FILE), "utf8"));
}

/** Adds the shipped bank holidays the database does not have yet; returns how many were added. */
export function ensureShippedBankHolidays(db: Db = getDb()): number {
  const shipped = shippedBankHolidays();
  const known = new Set(db.select({ date: bankHolidays.date }).from(bankHolidays).all().map((h) => h.date));
  const missing = shipped.filter((h) => !known.has(h.date));
  if (missing.length === 0) return 0;
  writeTransaction((tx) => {
    for (const h of missing) tx.insert(bankHolidays).values({ date: h.date, title: h.title, source: "shipped" }).run();
    recordAudit(tx, SYSTEM_ACTOR, {
      action: "bank-holidays.loaded",
      objectType: "bank_holidays",
      summary: { added: missing.length, first: missing[0]!.date, last: missing[missing.length - 1]!.date },
    });
  }, db);
  return missing.length;
}

/** Every bank holiday in the database, as the set the working-day functions take. */
export function loadHolidaySet(db: Db = getDb()): ReadonlySet<string> {
  return holidaySet(db.select({ date: bankHolidays.date }).from(bankHolidays).orderBy(asc(bankHolidays.date)).all());
}

// ── Listing ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface BankHolidayListItem {
  date: CalendarDate;
  title: string;
  /** The shipped file's note for the day ("Substitute day"), or null. */
  notes: string | null;
  source: BankHolidaySource;
  /** The name of the admin who added it; null for a shipped day (or an account that no longer exists). */
  addedBy: string | null;
  /** When it was put in the database (ISO-8601 UTC). */
  addedAt: string;
}

export interface BankHolidayYear {
  year: number;
  holidays: BankHolidayListItem[];
}

/** Every bank holiday in the database, by year (earliest first), each year in date order. */
export function listBankHolidays(db: Db = getDb()): BankHolidayYear[] {
  const notes = new Map(shippedBankHolidays().map((h) => [h.date, h.notes]));
  const rows = db
    .select({
      date: bankHolidays.date,
      title: bankHolidays.title,
      source: bankHolidays.source,
      addedBy: users.name,
      addedAt: bankHolidays.createdAt,
    })
    .from(bankHolidays)
    .leftJoin(users, eq(users.id, bankHolidays.createdBy))
    .orderBy(asc(bankHolidays.date))
    .all();
  const years: BankHolidayYear[] = [];
  for (const row of rows) {
    const year = Number(row.date.slice(0, 4));
    if (years[years.length - 1]?.year !== year) years.push({ year, holidays: [] });
    years[years.length - 1]!.holidays.push({
      ...row,
      notes: row.source === "shipped" ? (notes.get(row.date) ?? null) : null,
      addedBy: row.source === "admin" ? row.addedBy : null,
    });
  }
  return years;
}

// ── Adding and removing ─────────────────────────────────────────────────────────────────────────────────────

/** Errors by form field; `holiday` is for a refusal about an existing day (such as removing a shipped one). */
export type BankHolidayFieldErrors = Partial<Record<"date" | "title" | "holiday", string>>;

/** Why a bank holiday cannot be added or removed, by form field. */
export class BankHolidayError extends Error {
  constructor(public readonly fieldErrors: BankHolidayFieldErrors) {
    super(Object.values(fieldErrors).join("; "));
    this.name = "BankHolidayError";
  }
}

/** "Friday 3 April 2026" from a yyyy-mm-dd calendar date. */
export function formatHolidayDate(date: CalendarDate): string {
  if (!isCalendarDate(date)) return date;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return format(new TZDate(y, m - 1, d, "UTC"), "EEEE d MMMM yyyy");
}

function titleErrors(raw: unknown): { title: string; error?: string } {
  // Runs of spaces (and any line break a crafted request sends) become one space.
  const title = typeof raw === "string" ? raw.replace(/\s+/g, " ").trim() : "";
  if (title === "") return { title, error: "Enter the name of the bank holiday" };
  if (title.length > BANK_HOLIDAY_TITLE_MAX) return { title, error: `The name must be ${BANK_HOLIDAY_TITLE_MAX} characters or fewer` };
  return { title };
}

function dateError(date: string, today: CalendarDate): string | undefined {
  if (date === "") return "Enter the date of the bank holiday";
  if (!isCalendarDate(date)) return "The date of the bank holiday must be a real date, like 7 5 2027";
  if (isWeekend(date)) {
    const [weekday, ...rest] = formatHolidayDate(date).split(" ");
    return (
      `${rest.join(" ")} is a ${weekday}. Weekends are already not working days, so it does not need adding. ` +
      "When a holiday falls at a weekend, add the weekday announced in its place (the substitute day)"
    );
  }
  if (date < today) return "The date of the bank holiday must be today or in the future";
  return undefined;
}

/**
 * Adds a one-off bank holiday an admin announces: a real date, on a weekday, not already a bank holiday, and not in
 * the past (today in England counts); and a name of up to 100 characters. Audited as `bank-holidays.added`.
 * Throws BankHolidayError with every problem found, by field.
 *
 * Visits already scheduled on the new holiday are not moved automatically: the schedule page's rule checker flags
 * every visit on a day that is not a working day, so they can be rearranged by a person.
 */
export function addBankHoliday(
  raw: { date?: unknown; title?: unknown },
  actor: Actor,
  db: Db = getDb(),
  now: Date = new Date(),
): { date: CalendarDate; title: string } {
  if (!actor.userId) throw new Error("A bank holiday is added by a signed-in admin");
  const date = typeof raw.date === "string" ? raw.date.trim() : "";
  const title = titleErrors(raw.title);
  const errors: BankHolidayFieldErrors = {};
  const invalidDate = dateError(date, todayInLondon(now));
  if (invalidDate) errors.date = invalidDate;
  if (title.error) errors.title = title.error;
  if (errors.date) throw new BankHolidayError(errors);
  return writeTransaction((tx) => {
    // Checked inside the write transaction, so two admins adding the same day cannot both succeed.
    const existing = tx.select({ title: bankHolidays.title }).from(bankHolidays).where(eq(bankHolidays.date, date)).get();
    if (existing) errors.date = `${formatHolidayDate(date)} is already a bank holiday (${existing.title})`;
    if (Object.keys(errors).length > 0) throw new BankHolidayError(errors);
    tx.insert(bankHolidays).values({ date, title: title.title, source: "admin", createdBy: actor.userId }).run();
    recordAudit(tx, actor, { action: "bank-holidays.added", objectType: "bank_holiday", objectId: date, summary: { date, title: title.title } }, now);
    return { date, title: title.title };
  }, db);
}

/**
 * Removes a bank holiday an admin added (by mistake, say). A shipped day cannot be removed: it is on the GOV.UK list
 * for England and Wales, and start-up would put it back. Audited as `bank-holidays.removed`.
 */
export function removeBankHoliday(date: string, actor: Actor, db: Db = getDb()): { date: CalendarDate; title: string } {
  if (!actor.userId) throw new Error("A bank holiday is removed by a signed-in admin");
  return writeTransaction((tx) => {
    const existing = isCalendarDate(date)
      ? tx.select({ title: bankHolidays.title, source: bankHolidays.source }).from(bankHolidays).where(eq(bankHolidays.date, date)).get()
      : undefined;
    if (!existing) throw new BankHolidayError({ holiday: "There is no bank holiday on that date to remove" });
    if (existing.source === "shipped") {
      throw new BankHolidayError({
        holiday:
          `${existing.title} on ${formatHolidayDate(date)} was shipped with Deep Dive and cannot be removed: ` +
          "it is on the GOV.UK list of bank holidays in England and Wales. Only bank holidays added by an admin can be removed",
      });
    }
    tx.delete(bankHolidays).where(eq(bankHolidays.date, date)).run();
    recordAudit(tx, actor, { action: "bank-holidays.removed", objectType: "bank_holiday", objectId: date, summary: { date, title: existing.title } });
    return { date, title: existing.title };
  }, db);
}
