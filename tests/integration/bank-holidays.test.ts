/**
 * Bank holidays over real HTTP and a real SQLite file: the shipped list is in the database after start-up and on
 * the page; an admin adds a one-off holiday (row, audit event, and the working-day holiday set all see it) and
 * removes it again; weekend, past, duplicate and unnamed days are refused with nothing changed; shipped days cannot
 * be removed; everyone but admins gets 404. Then, on a fresh database file, loading the shipped list is idempotent
 * and puts back a shipped day that is missing, and "the past" is judged in England.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../app/audit/audit.server";
import {
  addBankHoliday,
  BankHolidayError,
  ensureShippedBankHolidays,
  loadHolidaySet,
  removeBankHoliday,
} from "../../app/scheduling/bank-holidays.server";
import { addCalendarDays, isWeekend } from "../../app/scheduling/working-days";
import { todayInLondon } from "../../app/trusts/register.server";
import { formatCalendarDate } from "../../app/ui/dates";
import { openDatabase, useFreshDatabase } from "../support/database";
import { readPage, signedIn, type Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

type HolidayRow = { date: string; title: string; source: string; created_by: string | null; created_at: string };
type AuditRow = { seq: number; actor_label: string; action: string; object_type: string | null; object_id: string | null; summary: string };

/** The dates and names the shipped file gives for days the rules make awkward (Easter, and substitute days). */
const SHIPPED_FACTS = [
  { date: "2026-04-03", title: "Good Friday", shown: "Friday 3 April 2026" },
  { date: "2026-04-06", title: "Easter Monday", shown: "Monday 6 April 2026" },
  { date: "2026-12-28", title: "Boxing Day", shown: "Monday 28 December 2026" },
  { date: "2027-12-27", title: "Christmas Day", shown: "Monday 27 December 2027" },
  { date: "2027-12-28", title: "Boxing Day", shown: "Tuesday 28 December 2027" },
  { date: "2028-01-03", title: "New Year’s Day", shown: "Monday 3 January 2028" },
];

/** The first day on or after `from` for which `test` holds. */
function firstDayFrom(from: string, test: (date: string) => boolean): string {
  let day = from;
  while (!test(day)) day = addCalendarDays(day, 1);
  return day;
}

/** The boxes of the page's date input for a yyyy-mm-dd date, as a person types them (no leading zeros). */
const dateFields = (date: string) => {
  const [year, month, day] = date.split("-");
  return { dateDay: String(Number(day)), dateMonth: String(Number(month)), dateYear: year! };
};

describe("bank holidays over HTTP", () => {
  let server: RunningServer;
  let admin: Client;
  let adminRow: { id: string; name: string };

  /** A read-only look at the server's database (WAL mode, so it sees every committed change). */
  function query<T>(sql: string, ...params: unknown[]): T[] {
    const db = new Database(server.databaseFile, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const holidays = () => query<HolidayRow>("SELECT * FROM bank_holidays ORDER BY date");
  const holiday = (date: string) => query<HolidayRow>("SELECT * FROM bank_holidays WHERE date = ?", date)[0];
  const lastAuditSeq = () => query<{ seq: number | null }>("SELECT max(seq) AS seq FROM audit_events")[0]!.seq ?? 0;
  const bankHolidayAuditSince = (seq: number) =>
    query<AuditRow>("SELECT * FROM audit_events WHERE seq > ? AND action LIKE 'bank-holidays.%' ORDER BY seq", seq);
  /** The holiday set the scheduling code uses, read from the server's database file through the app's own client. */
  function holidaySetOnDisk(): ReadonlySet<string> {
    const db = openDatabase(server.databaseFile);
    try {
      return loadHolidaySet(db);
    } finally {
      db.$client.close();
    }
  }

  // Dates worked out from today, so the tests mean the same whenever they run.
  const today = todayInLondon();
  const shippedDates = new Set(SHIPPED_FACTS.map((f) => f.date));
  let oneOff = "";
  let weekend = "";
  const pastWeekday = "2024-06-05"; // a Wednesday, and no bank holiday
  const ONE_OFF_TITLE = "Bank holiday for a royal occasion";

  const add = (client: Client, date: string, title: string) => client.post("/admin/bank-holidays", { intent: "add", ...dateFields(date), title });
  const remove = (client: Client, date: string) => client.post("/admin/bank-holidays", { intent: "remove", date });

  /** Posts `send`, expects 400 with `message` on the page, and no bank holiday or bank-holiday audit event changed. */
  async function expectRefused(send: () => Promise<Response>, message: string): Promise<string> {
    const before = holidays();
    const seq = lastAuditSeq();
    const response = await send();
    expect(response.status).toBe(400);
    const page = await readPage(response);
    expect(page).toContain("There is a problem");
    expect(page).toContain(message);
    expect(holidays()).toEqual(before);
    expect(bankHolidayAuditSince(seq)).toEqual([]);
    return page;
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await signedIn(server.url, "admin@deepdive.test");
    adminRow = query<{ id: string; name: string }>("SELECT id, name FROM users WHERE email = 'admin@deepdive.test'")[0]!;
    const inDatabase = new Set(holidays().map((h) => h.date));
    oneOff = firstDayFrom(addCalendarDays(today, 400), (d) => !isWeekend(d) && !inDatabase.has(d) && !shippedDates.has(d));
    weekend = firstDayFrom(addCalendarDays(today, 30), (d) => isWeekend(d));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("has the shipped bank holidays in the database after start-up", () => {
    for (const fact of SHIPPED_FACTS) {
      expect(holiday(fact.date), fact.date).toMatchObject({ title: fact.title, source: "shipped", created_by: null });
    }
    // 8 a year, 2025 to 2028.
    expect(holidays().filter((h) => h.source === "shipped")).toHaveLength(32);
    expect(holidays().every((h) => !isWeekend(h.date))).toBe(true);
  });

  it("lists them by year on the page, with where each comes from and the source of the shipped list", async () => {
    const response = await admin.get("/admin/bank-holidays");
    expect(response.status).toBe(200);
    const page = await readPage(response);
    expect(page).toContain("<h1 class=\"govuk-heading-l\">Bank holidays</h1>");
    expect(page).toContain("England and Wales");
    expect(page).toContain("https://www.gov.uk/bank-holidays");
    expect(page).toContain("Open Government Licence v3.0");
    for (const year of [2025, 2026, 2027, 2028]) expect(page).toMatch(new RegExp(`<caption[^>]*>${year}</caption>`));
    for (const fact of SHIPPED_FACTS) {
      const row = new RegExp(`<tr[^>]*id="holiday-${fact.date}"[^>]*>([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? "";
      expect(row, fact.date).toContain(fact.shown);
      expect(row).toContain(fact.title);
      expect(row).toContain("Shipped with Deep Dive");
      expect(row).not.toContain("Remove");
    }
    expect(page).toContain("Boxing Day (substitute day)");
    expect(page).toContain("Add a bank holiday");
    // Nothing added yet, so nothing can be removed.
    expect(page).not.toContain('name="intent" value="remove"');
  });

  it("adds a one-off bank holiday: a row, an audit event, and the working days leave it out", async () => {
    expect(holidaySetOnDisk().has(oneOff)).toBe(false);
    const seq = lastAuditSeq();
    const response = await add(admin, oneOff, `  ${ONE_OFF_TITLE}  `);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/admin/bank-holidays?done=added&date=${oneOff}`);

    expect(holiday(oneOff)).toMatchObject({ title: ONE_OFF_TITLE, source: "admin", created_by: adminRow.id });
    const events = bankHolidayAuditSince(seq);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "bank-holidays.added", actor_label: "admin@deepdive.test", object_type: "bank_holiday", object_id: oneOff });
    expect(JSON.parse(events[0]!.summary)).toEqual({ date: oneOff, title: ONE_OFF_TITLE });
    expect(holidaySetOnDisk().has(oneOff)).toBe(true);

    const page = await readPage(await admin.get(response.headers.get("location")!));
    expect(page).toContain("govuk-notification-banner--success");
    expect(page).toContain(`added as a bank holiday: ${ONE_OFF_TITLE}`);
    const row = new RegExp(`<tr[^>]*id="holiday-${oneOff}"[^>]*>([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? "";
    expect(row).toContain(ONE_OFF_TITLE);
    expect(row).toContain(`Added by ${adminRow.name} on ${formatCalendarDate(today)}`);
    expect(row).toContain(`<input type="hidden" name="date" value="${oneOff}"/>`);
    expect(row).toContain("Remove");
  });

  it("refuses a weekend, explaining that weekends are already not working days, and keeps what was typed", async () => {
    const page = await expectRefused(() => add(admin, weekend, "Weekend occasion"), "Weekends are already not working days");
    expect(page).toMatch(/is a (Saturday|Sunday)\./);
    expect(page).toContain('value="Weekend occasion"');
    expect(page).toContain(`value="${dateFields(weekend).dateDay}"`);
    expect(page).toContain('href="#date"');
  });

  it("refuses a day in the past", async () => {
    await expectRefused(() => add(admin, pastWeekday, "Too late"), "The date of the bank holiday must be today or in the future");
  });

  it("refuses a day that is already a bank holiday, naming it", async () => {
    await expectRefused(() => add(admin, oneOff, "Another name for the same day"), `is already a bank holiday (${ONE_OFF_TITLE})`);
  });

  it("refuses a missing or too long name, a date that is not real, and an empty form", async () => {
    const day = addCalendarDays(oneOff, 7);
    const unnamed = await expectRefused(() => add(admin, day, "   "), "Enter the name of the bank holiday");
    expect(unnamed).toContain('href="#title"');
    await expectRefused(() => add(admin, day, "x".repeat(101)), "The name must be 100 characters or fewer");
    // A name far beyond any limit is cut short before it is read, and refused all the same.
    await expectRefused(() => add(admin, day, "x".repeat(200_000)), "The name must be 100 characters or fewer");
    await expectRefused(() => admin.post("/admin/bank-holidays", { intent: "add", dateDay: "31", dateMonth: "2", dateYear: "2030", title: "Nope" }), "must be a real date");
    const empty = await expectRefused(() => admin.post("/admin/bank-holidays", { intent: "add" }), "Enter the date of the bank holiday");
    expect(empty).toContain("Enter the name of the bank holiday");
    await expectRefused(() => admin.post("/admin/bank-holidays", {}), "Choose whether to add or remove a bank holiday");
  });

  it("refuses to remove a shipped bank holiday, saying why, or a day that is not a bank holiday", async () => {
    const page = await expectRefused(() => remove(admin, "2026-04-03"), "was shipped with Deep Dive and cannot be removed");
    expect(page).toContain('href="#holiday-2026-04-03"');
    expect(holiday("2026-04-03")).toMatchObject({ source: "shipped" });
    await expectRefused(() => remove(admin, pastWeekday), "There is no bank holiday on that date to remove");
    await expectRefused(() => remove(admin, "not a date"), "There is no bank holiday on that date to remove");
  });

  it("is not there for programme leads, inspectors or trust users: 404 for the page and for changes", async () => {
    for (const email of ["lead@deepdive.test", "inspector1@deepdive.test", "trust.rj1@deepdive.test"]) {
      const client = await signedIn(server.url, email);
      const before = holidays();
      const seq = lastAuditSeq();
      expect((await client.get("/admin/bank-holidays")).status, email).toBe(404);
      expect((await client.get("/admin/bank-holidays.data")).status, email).toBe(404);
      expect((await add(client, addCalendarDays(oneOff, 7), "Not allowed")).status, email).toBe(404);
      expect((await remove(client, oneOff)).status, email).toBe(404);
      expect(holidays()).toEqual(before);
      expect(bankHolidayAuditSince(seq)).toEqual([]);
    }
    // Signed out: sent to sign in.
    const anonymous = await fetch(`${server.url}/admin/bank-holidays`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in/);
  });

  it("removes a day an admin added: the row goes, the removal is audited, and it is a working day again", async () => {
    const seq = lastAuditSeq();
    const response = await remove(admin, oneOff);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/admin/bank-holidays?done=removed&date=${oneOff}`);
    expect(holiday(oneOff)).toBeUndefined();
    const events = bankHolidayAuditSince(seq);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "bank-holidays.removed", actor_label: "admin@deepdive.test", object_id: oneOff });
    expect(JSON.parse(events[0]!.summary)).toEqual({ date: oneOff, title: ONE_OFF_TITLE });
    expect(holidaySetOnDisk().has(oneOff)).toBe(false);

    const page = await readPage(await admin.get(response.headers.get("location")!));
    expect(page).toContain("is no longer a bank holiday");
    expect(page).not.toContain(`id="holiday-${oneOff}"`);
    // The shipped days are all still there.
    expect(holidays().filter((h) => h.source === "shipped")).toHaveLength(32);

    // Removing it twice finds nothing to remove.
    await expectRefused(() => remove(admin, oneOff), "There is no bank holiday on that date to remove");
  });
});

describe("bank holidays in the database", () => {
  const actorFor = (db: ReturnType<typeof useFreshDatabase>["db"]) => {
    const row = db.$client.prepare("SELECT id, email FROM users WHERE email = 'admin@deepdive.test'").get() as { id: string; email: string };
    return { userId: row.id, label: row.email, clientAddress: null };
  };

  it("loads the shipped list idempotently, and puts back a shipped day that is missing", () => {
    const { db } = useFreshDatabase();
    const count = () => (db.$client.prepare("SELECT count(*) AS n FROM bank_holidays").get() as { n: number }).n;
    const loadedEvents = () => (db.$client.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'bank-holidays.loaded'").get() as { n: number }).n;
    const before = count();
    const eventsBefore = loadedEvents();
    expect(before).toBe(32);
    // Start-up already loaded them: nothing to add, and no audit event for nothing.
    expect(ensureShippedBankHolidays(db)).toBe(0);
    expect(ensureShippedBankHolidays(db)).toBe(0);
    expect(count()).toBe(before);
    expect(loadedEvents()).toBe(eventsBefore);

    db.$client.prepare("DELETE FROM bank_holidays WHERE date = ?").run("2026-04-03");
    expect(loadHolidaySet(db).has("2026-04-03")).toBe(false);
    expect(ensureShippedBankHolidays(db)).toBe(1);
    expect(db.$client.prepare("SELECT title, source, created_by FROM bank_holidays WHERE date = '2026-04-03'").get()).toEqual({
      title: "Good Friday",
      source: "shipped",
      created_by: null,
    });
    expect(loadHolidaySet(db).has("2026-04-03")).toBe(true);
    expect(loadedEvents()).toBe(eventsBefore + 1);
    expect(ensureShippedBankHolidays(db)).toBe(0);
    expect(count()).toBe(before);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it("judges the past by the date in England, not in UTC", () => {
    const { db } = useFreshDatabase();
    const actor = actorFor(db);
    // 23:30 UTC on Tuesday 30 June 2026 is 00:30 on Wednesday 1 July in London (British Summer Time).
    const now = new Date("2026-06-30T23:30:00Z");
    let refusal: unknown;
    try {
      addBankHoliday({ date: "2026-06-30", title: "Yesterday in London" }, actor, db, now);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(BankHolidayError);
    expect((refusal as BankHolidayError).fieldErrors).toEqual({ date: "The date of the bank holiday must be today or in the future" });
    expect(loadHolidaySet(db).has("2026-06-30")).toBe(false);

    // Today in London may be added.
    expect(addBankHoliday({ date: "2026-07-01", title: "Today in London" }, actor, db, now)).toEqual({ date: "2026-07-01", title: "Today in London" });
    expect(loadHolidaySet(db).has("2026-07-01")).toBe(true);
    expect(removeBankHoliday("2026-07-01", actor, db)).toEqual({ date: "2026-07-01", title: "Today in London" });
    expect(loadHolidaySet(db).has("2026-07-01")).toBe(false);
  });

  it("reports every problem with the form at once", () => {
    const { db } = useFreshDatabase();
    const now = new Date("2026-06-01T12:00:00Z");
    // Saturday 4 July 2026, and no name.
    expect(() => addBankHoliday({ date: "2026-07-04", title: "" }, actorFor(db), db, now)).toThrow(
      expect.objectContaining({
        fieldErrors: {
          date: expect.stringContaining("4 July 2026 is a Saturday. Weekends are already not working days"),
          title: "Enter the name of the bank holiday",
        },
      }),
    );
    // Already a bank holiday (Christmas Day 2026, a Friday), and a name too long.
    expect(() => addBankHoliday({ date: "2026-12-25", title: "y".repeat(101) }, actorFor(db), db, now)).toThrow(
      expect.objectContaining({
        fieldErrors: {
          date: "Friday 25 December 2026 is already a bank holiday (Christmas Day)",
          title: "The name must be 100 characters or fewer",
        },
      }),
    );
  });
});
