/**
 * Actions (issue 6): made from a published report's gaps, updated by the trust, exported as CSV, and fed to the risk
 * model as indicators.
 *
 * - Through the functions, on a fresh copy of the template database with fixed dates: an inspection of RJ1 driven to
 *   approval through the domain functions, its actions made as publication makes them (once, however often it is
 *   called), overdue counted in working days across Christmas 2026, updates checked against the version and the
 *   rules (a refusal writes nothing), and the indicators recorded and read by the risk model.
 * - Over real HTTP with the real clock: RJ1's user sees and updates its actions (history shown), a stale form is
 *   refused with nothing overwritten, RRU's user sees nothing of RJ1's (404 identical to an action that does not
 *   exist, none in its list or CSV), the CSV (BOM, csv-parse, formulas guarded), the staff view, and the indicators.
 */
import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTransaction, type Db } from "../../app/db.server";
import { suggestedDueDate, type Severity } from "../../app/baseline/rating";
import { ACTION_PLAN_COLUMNS } from "../../app/portal/action-plan-csv";
import {
  ActionNotFound,
  ActionsError,
  computeActionIndicators,
  createActionsFromFindings,
  portalActions,
  recordActionIndicators,
  updateAction,
  type ActionEditor,
} from "../../app/portal/actions.server";
import { latestObservations, rankTrusts } from "../../app/risk/ranking.server";
import { DEFAULT_MODEL_CONFIG } from "../../app/risk/model";
import { todayInLondon } from "../../app/trusts/register.server";
import { formatCalendarDate } from "../../app/ui/dates";
import { copyTemplateDatabase, openDatabase, queryDatabase, useFreshDatabase } from "../support/database";
import { readPage, signedIn, type Client } from "../support/http";
import { approvedInspection, profileCriteria, publishedActionsOf, publishWithActions, visitOf, type FindingPlan } from "../support/inspections";
import { startServer, type RunningServer } from "../support/server";

const DAY_MS = 86_400_000;
const POINTS: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Working days after `due` up to and including `today`, counted here day by day (not with the app's functions). */
function countWorkingDaysAfter(due: string, today: string, holidays: ReadonlySet<string>): number {
  let n = 0;
  for (let t = Date.parse(`${due}T00:00:00Z`) + DAY_MS; t <= Date.parse(`${today}T00:00:00Z`); t += DAY_MS) {
    const day = new Date(t);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6 && !holidays.has(day.toISOString().slice(0, 10))) n += 1;
  }
  return n;
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The RJ1 visit the demo scheduled for next quarter (no inspection yet), moved to `visitDate`. */
function rj1VisitOn(db: Db, visitDate: string): string {
  const visitId = visitOf(db, "RJ1");
  db.$client.prepare("UPDATE visits SET visit_date = ? WHERE id = ?").run(visitDate, visitId);
  return visitId;
}

/** Four gaps (two CAF outcomes below Achieved, two Cyber Essentials Plus requirements Not met) and one criterion that meets its minimum. */
function gapCriteria(db: Db) {
  const caf = profileCriteria(db, "caf", "govassure-baseline").filter((c) => c.minimum === "achieved");
  const cep = profileCriteria(db, "cyber-essentials-plus", "all-met");
  return { g1: caf[0]!, g2: caf[1]!, g3: cep[0]!, g4: cep[1]!, meets: caf[2]! };
}

// ── Through the functions ──────────────────────────────────────────────────────────────────────────────────

describe("actions through the functions", () => {
  let db: Db;
  let inspectionId = "";
  let holidays: Set<string>;
  let gaps: ReturnType<typeof gapCriteria>;
  let rj1: ActionEditor;
  let rru: ActionEditor;
  let programmeLead: ActionEditor;
  const VISIT = "2026-11-16";
  const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;
  const all = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).all(...params) as T[];
  const editor = (email: string): ActionEditor => {
    const u = one<{ id: string; role: ActionEditor["role"]; trustCode: string | null }>("SELECT id, role, trust_code AS trustCode FROM users WHERE email = ?", email);
    return { ...u, label: email, clientAddress: "192.0.2.30" };
  };
  const actionOf = (code: string) =>
    one<{ id: string; status: string; version: number; text: string; severity: Severity; dueOn: string }>(
      "SELECT id, status, version, text, severity, due_on AS dueOn FROM actions WHERE inspection_id = ? AND criterion_code = ?",
      inspectionId,
      code,
    );
  const writes = () =>
    one<Record<string, number>>(
      `SELECT (SELECT total(version) FROM actions) AS versions, (SELECT count(*) FROM action_updates) AS updates,
              (SELECT count(*) FROM audit_events) AS audit, (SELECT count(*) FROM indicator_observations) AS observations`,
    );
  const at = (date: string) => new Date(`${date}T12:00:00Z`);

  beforeAll(() => {
    ({ db } = useFreshDatabase());
    holidays = new Set(all<{ date: string }>("SELECT date FROM bank_holidays").map((h) => h.date));
    gaps = gapCriteria(db);
    rj1 = editor("trust.rj1@deepdive.test");
    rru = editor("trust.rru@deepdive.test");
    programmeLead = editor("lead@deepdive.test");
  });

  it("makes no actions before the findings are approved, nor for an inspection that does not exist", () => {
    expect(() => writeTransaction((tx) => createActionsFromFindings(tx, randomUUID(), at("2026-12-01")), db)).toThrow(ActionsError);
    // The demo's inspection on site today: its findings are not approved, so no actions, and nothing is written.
    const onSite = one<{ id: string } | undefined>("SELECT id FROM inspections WHERE status = 'on_site' LIMIT 1");
    expect(onSite).toBeDefined();
    const before = writes();
    expect(() => writeTransaction((tx) => createActionsFromFindings(tx, onSite!.id, at("2026-12-01")), db)).toThrow(/only from approved findings: the inspection is on site/);
    expect(writes()).toEqual(before);
    const visitId = rj1VisitOn(db, VISIT);
    const plan: FindingPlan = {
      [gaps.g1.code]: { chosenRating: "partially_achieved", severity: "critical", recommendation: "Turn on MFA for every administrator account (Łukasz to lead).", actionDue: "2026-12-24" },
      // No recommendation and no due date: a sentence naming the criterion, due as the severity suggests.
      [gaps.g2.code]: { chosenRating: "not_achieved", severity: "high" },
      [gaps.g3.code]: { chosenRating: "not_achieved", severity: "medium", recommendation: "Replace the unsupported laptops.", actionDue: "2027-01-29" },
      [gaps.g4.code]: { chosenRating: "not_achieved", severity: "low", recommendation: "Retest the sample.", actionDue: "2027-03-31" },
      [gaps.meets.code]: { chosenRating: "achieved", recommendation: "Keep the register up to date." },
    };
    inspectionId = approvedInspection(db, { visitId, findings: plan, reviewer: "lead@deepdive.test" }).inspectionId;
    expect(one<{ status: string }>("SELECT status FROM inspections WHERE id = ?", inspectionId).status).toBe("approved");
  });

  it("makes one action per gap with a severity, once however often it is called", () => {
    const now = at("2026-12-01");
    const created = writeTransaction((tx) => createActionsFromFindings(tx, inspectionId, now), db);
    expect(created).toBe(4);
    const rows = all<Record<string, unknown>>(
      "SELECT criterion_code AS code, criterion_title AS title, text, severity, due_on AS dueOn, status, version, trust_code AS trustCode, created_at AS createdAt FROM actions WHERE inspection_id = ? ORDER BY criterion_code",
      inspectionId,
    );
    const expected = [
      { code: gaps.g1.code, title: gaps.g1.title, text: "Turn on MFA for every administrator account (Łukasz to lead).", severity: "critical", dueOn: "2026-12-24" },
      { code: gaps.g2.code, title: gaps.g2.title, text: `Bring ${gaps.g2.code} ${gaps.g2.title} up to the profile's minimum (Achieved)`, severity: "high", dueOn: suggestedDueDate("high", VISIT, holidays) },
      { code: gaps.g3.code, title: gaps.g3.title, text: "Replace the unsupported laptops.", severity: "medium", dueOn: "2027-01-29" },
      { code: gaps.g4.code, title: gaps.g4.title, text: "Retest the sample.", severity: "low", dueOn: "2027-03-31" },
    ].map((a) => ({ ...a, status: "open", version: 1, trustCode: "RJ1", createdAt: now.toISOString() }));
    expect(rows).toEqual(expected.sort((a, b) => (a.code < b.code ? -1 : 1)));
    // 30 working days from Monday 16 November 2026, skipping Christmas Day and Boxing Day (substitute, 28 December).
    expect(expected.find((a) => a.severity === "high")!.dueOn).toBe("2026-12-30");
    expect(one<{ n: number }>("SELECT count(*) AS n FROM actions WHERE finding_id IN (SELECT f.id FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? AND c.code = ?)", inspectionId, gaps.meets.code).n).toBe(0);

    const before = writes();
    expect(writeTransaction((tx) => createActionsFromFindings(tx, inspectionId, at("2026-12-02")), db)).toBe(0);
    // Publishing makes them again in its own transaction: still nothing new.
    expect(publishWithActions(db, inspectionId, at("2026-12-02"))).toBe(0);
    expect(writes().updates).toBe(before.updates);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM actions WHERE inspection_id = ?", inspectionId).n).toBe(4);
    const audit = all<{ summary: string }>("SELECT summary FROM audit_events WHERE action = 'actions.created' AND object_id = ?", inspectionId);
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.summary)).toEqual({ trustCode: "RJ1", created: 4, bySeverity: { critical: 1, high: 1, medium: 1, low: 1 } });
  });

  it("lists the trust's actions with overdue counted in working days across Christmas", () => {
    const mine = (date: string) => portalActions({ trustCode: "RJ1" }, at(date), db).filter((a) => a.inspectionId === inspectionId);
    const byCode = (date: string) => new Map(mine(date).map((a) => [a.criterionCode, a]));
    // Due Thursday 24 December: Friday 25 and Monday 28 are bank holidays, so not overdue until Tuesday 29.
    expect(byCode("2026-12-28").get(gaps.g1.code)).toMatchObject({ overdue: false, overdueWorkingDays: 0 });
    expect(byCode("2026-12-29").get(gaps.g1.code)).toMatchObject({ overdue: true, overdueWorkingDays: 1 });
    expect(byCode("2027-01-05").get(gaps.g1.code)).toMatchObject({ overdue: true, overdueWorkingDays: countWorkingDaysAfter("2026-12-24", "2027-01-05", holidays) });
    expect(countWorkingDaysAfter("2026-12-24", "2027-01-05", holidays)).toBe(5);
    // Due Wednesday 30 December: 31 December, (1 January a holiday), 4 and 5 January.
    expect(byCode("2027-01-05").get(gaps.g2.code)).toMatchObject({ overdue: true, overdueWorkingDays: 3 });
    expect(byCode("2027-01-05").get(gaps.g3.code)).toMatchObject({ overdue: false, overdueWorkingDays: 0 });
    // Nothing of RJ1's is listed for another trust.
    expect(portalActions({ trustCode: "RRU" }, at("2026-12-29"), db).filter((a) => a.trustCode !== "RRU")).toEqual([]);
  });

  it("refuses an update that breaks the rules, and writes nothing", () => {
    const a = actionOf(gaps.g1.code);
    const before = writes();
    expect(updateAction(a.id, { status: "done", note: "", progressOn: "", baseVersion: 1 }, rj1, db, at("2026-12-02"))).toEqual({
      outcome: "invalid",
      errors: { note: "Say what was done to complete the action", progressOn: "Enter the date the action was done" },
    });
    expect(updateAction(a.id, { status: "in_progress", note: "", progressOn: "2026-12-03", baseVersion: 1 }, rj1, db, at("2026-12-02"))).toMatchObject({
      outcome: "invalid",
      errors: { progressOn: "The date of the progress must be today or in the past" },
    });
    expect(updateAction(a.id, { status: "in_progress", note: "", progressOn: "2026-11-13", baseVersion: 1 }, rj1, db, at("2026-12-02"))).toMatchObject({
      outcome: "invalid",
      errors: { progressOn: "The date of the progress must be on or after the visit, 16 November 2026" },
    });
    expect(writes()).toEqual(before);
  });

  it("records an update by the trust: history, version, audit (no note text) and the trust's indicators", () => {
    const a = actionOf(gaps.g1.code);
    const outcome = updateAction(a.id, { status: "in_progress", note: "Supplier engaged.\r\nΕλένη leads.\u0007", progressOn: "2026-12-01", baseVersion: 1 }, rj1, db, at("2026-12-02"));
    expect(outcome).toEqual({ outcome: "saved", version: 2, status: "in_progress" });
    expect(one("SELECT status, version, updated_by AS by, updated_at AS at FROM actions WHERE id = ?", a.id)).toEqual({ status: "in_progress", version: 2, by: rj1.id, at: at("2026-12-02").toISOString() });
    expect(all("SELECT status, note, progress_on AS progressOn, created_by AS by FROM action_updates WHERE action_id = ?", a.id)).toEqual([
      { status: "in_progress", note: "Supplier engaged.\nΕλένη leads.", progressOn: "2026-12-01", by: rj1.id },
    ]);
    const audit = all<{ summary: string; actor: string }>("SELECT summary, actor_label AS actor FROM audit_events WHERE action = 'action.updated' AND object_id = ?", a.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe("trust.rj1@deepdive.test");
    expect(JSON.parse(audit[0]!.summary)).toEqual({ inspectionId, trustCode: "RJ1", from: "open", to: "in_progress", version: 2, noteCharacters: "Supplier engaged.\nΕλένη leads.".length, progressOn: "2026-12-01" });
    expect(audit[0]!.summary).not.toMatch(/Supplier|Ελένη/);
    // The update recorded RJ1's indicators for the day: this inspection's actions, none overdue yet on 2 December and
    // every gap open, and the actions of RJ1's published demo reports not done (counted here from their rows).
    const demo = all<{ severity: Severity; dueOn: string }>("SELECT severity, due_on AS dueOn FROM actions WHERE trust_code = 'RJ1' AND inspection_id <> ? AND status <> 'done'", inspectionId);
    expect(demo.length).toBeGreaterThan(0);
    const demoPoints = demo.reduce((sum, a) => sum + POINTS[a.severity], 0);
    const demoOverdue = demo.filter((a) => countWorkingDaysAfter(a.dueOn, "2026-12-02", holidays) > 0).length;
    expect(all("SELECT indicator_code AS code, value, observed_on AS on_ FROM indicator_observations WHERE trust_code = 'RJ1' AND import_id = 'deep-dive-actions-2026-12-02' ORDER BY indicator_code")).toEqual([
      { code: "open_gaps_weighted", value: String(4 + 3 + 2 + 1 + demoPoints), on_: "2026-12-02" },
      { code: "overdue_actions", value: String(demoOverdue), on_: "2026-12-02" },
    ]);
  });

  it("refuses a stale form with the current state, and overwrites nothing", () => {
    const a = actionOf(gaps.g1.code);
    const before = writes();
    const outcome = updateAction(a.id, { status: "done", note: "All done.", progressOn: "2026-12-02", baseVersion: 1 }, rj1, db, at("2026-12-02"));
    expect(outcome).toMatchObject({ outcome: "conflict", current: { status: "in_progress", version: 2, updatedByName: expect.any(String) as string } });
    expect(writes()).toEqual(before);
    expect(actionOf(gaps.g1.code)).toMatchObject({ status: "in_progress", version: 2 });
    // A version that is not a number is stale too.
    expect(updateAction(a.id, { status: "done", note: "All done.", progressOn: "2026-12-02", baseVersion: Number.NaN }, rj1, db, at("2026-12-02")).outcome).toBe("conflict");
    expect(writes()).toEqual(before);
  });

  it("lets nobody but the trust's own users update: another trust, CQC staff and a missing action are all not found", () => {
    const a = actionOf(gaps.g1.code);
    const before = writes();
    const input = { status: "done", note: "Sneaky", progressOn: "2026-12-02", baseVersion: 2 };
    expect(() => updateAction(a.id, input, rru, db, at("2026-12-02"))).toThrow(ActionNotFound);
    expect(() => updateAction(a.id, input, programmeLead, db, at("2026-12-02"))).toThrow(ActionNotFound);
    expect(() => updateAction(randomUUID(), input, rj1, db, at("2026-12-02"))).toThrow(ActionNotFound);
    expect(writes()).toEqual(before);
  });

  it("marks an action done, refuses reopening it as open, and reopens it as in progress with a reason", () => {
    const a = actionOf(gaps.g1.code);
    expect(updateAction(a.id, { status: "done", note: "MFA enforced for all 41 admin accounts.", progressOn: "2026-12-03", baseVersion: 2 }, rj1, db, at("2026-12-04"))).toMatchObject({ outcome: "saved", version: 3 });
    expect(updateAction(a.id, { status: "open", note: "Oops", progressOn: "", baseVersion: 3 }, rj1, db, at("2026-12-04"))).toEqual({
      outcome: "invalid",
      errors: { status: "A done action can be reopened as in progress, not as open" },
    });
    expect(updateAction(a.id, { status: "in_progress", note: "Two accounts found without MFA.", progressOn: "", baseVersion: 3 }, rj1, db, at("2026-12-07"))).toMatchObject({ outcome: "saved", version: 4 });
    expect(all<{ status: string }>("SELECT status FROM action_updates WHERE action_id = ? ORDER BY created_at", a.id).map((u) => u.status)).toEqual(["in_progress", "done", "in_progress"]);
  });

  it("records the indicators as the risk model reads them, once a day unless they change, the latest value winning", () => {
    const now = at("2027-01-05");
    const today = "2027-01-05";
    const mine = all<{ status: string; dueOn: string; severity: Severity }>(
      "SELECT a.status, a.due_on AS dueOn, a.severity FROM actions a JOIN inspections i ON i.id = a.inspection_id WHERE a.trust_code = 'RJ1' AND i.status = 'published'",
    );
    const expectedOverdue = mine.filter((a) => a.status !== "done" && countWorkingDaysAfter(a.dueOn, today, holidays) > 0).length;
    const expectedPoints = mine.filter((a) => a.status !== "done").reduce((sum, a) => sum + POINTS[a.severity], 0);
    // g1 (reopened, due 24 December) and g2 (due 30 December) are overdue on 5 January; g3 and g4 are not due yet.
    expect(expectedOverdue).toBeGreaterThanOrEqual(2);
    expect(computeActionIndicators(db, now).find((t) => t.trustCode === "RJ1")).toEqual({ trustCode: "RJ1", overdueActions: expectedOverdue, openGapPoints: expectedPoints });

    const first = recordActionIndicators(db, now);
    expect(first.observedOn).toBe(today);
    expect(first.inserted).toBeGreaterThanOrEqual(2);
    expect(recordActionIndicators(db, now).inserted).toBe(0);
    const latest = () => new Map((latestObservations(today, db).get("RJ1") ?? []).map((o) => [o.indicatorCode, o.value]));
    expect(latest().get("overdue_actions")).toBe(String(expectedOverdue));
    expect(latest().get("open_gaps_weighted")).toBe(String(expectedPoints));

    // The same day: g3 marked done (fewer open points), then reopened (the first value again): the latest counts.
    const g3 = actionOf(gaps.g3.code);
    updateAction(g3.id, { status: "done", note: "Replaced.", progressOn: today, baseVersion: g3.version }, rj1, db, now);
    expect(latest().get("open_gaps_weighted")).toBe(String(expectedPoints - POINTS.medium));
    updateAction(g3.id, { status: "in_progress", note: "Two laptops missed.", progressOn: "", baseVersion: g3.version + 1 }, rj1, db, now);
    expect(latest().get("open_gaps_weighted")).toBe(String(expectedPoints));
    expect(one<{ n: number }>("SELECT count(*) AS n FROM indicator_observations WHERE trust_code = 'RJ1' AND indicator_code = 'open_gaps_weighted' AND observed_on = ?", today).n).toBe(3);

    // A model version that weights them scores them: each contribution reads the value recorded.
    const config = structuredClone(DEFAULT_MODEL_CONFIG);
    config.indicators.overdue_actions = { weight: 10, normalise: { kind: "linear", good: 0, bad: 10 } };
    config.indicators.open_gaps_weighted = { weight: 10, normalise: { kind: "linear", good: 0, bad: 20 } };
    const row = rankTrusts(config, today, db).rows.find((r) => r.trustCode === "RJ1")!;
    expect(row.contributions.find((c) => c.indicatorCode === "overdue_actions")).toMatchObject({ status: "current", value: String(expectedOverdue), observedOn: today });
    expect(row.contributions.find((c) => c.indicatorCode === "open_gaps_weighted")).toMatchObject({ status: "current", value: String(expectedPoints) });
    const imported = one<{ fileName: string; format: string; inserted: number }>("SELECT file_name AS fileName, format, inserted_count AS inserted FROM indicator_imports WHERE id = ?", `deep-dive-actions-${today}`);
    expect(imported).toMatchObject({ fileName: "Deep Dive actions (computed)", format: "long" });
    expect(imported.inserted).toBe(one<{ n: number }>("SELECT count(*) AS n FROM indicator_observations WHERE import_id = ?", `deep-dive-actions-${today}`).n);
  });
});

// ── Over real HTTP ─────────────────────────────────────────────────────────────────────────────────────────

describe("actions in the portal, over HTTP", () => {
  let server: RunningServer;
  let file = "";
  let rj1: Client;
  let rru: Client;
  let lead: Client;
  let inspector: Client;
  let today = "";
  let holidays: Set<string>;
  /** Due the working day before the latest bank holiday before today: overdue across it. */
  let overdueDue = "";
  let overdueBy = 0;
  const ids = { overdue: "", formula: "", laptops: "" };
  let rruIds: string[] = [];
  const formulaText = '=HYPERLINK("http://evil.example","Open me")';
  const atText = '@SUM(1+1) then patch the "edge" VPN, owner Łukasz';
  const query = <T>(sql: string, ...params: unknown[]) => queryDatabase<T>(file, sql, ...params);
  const state = () =>
    query<Record<string, number>>(
      "SELECT (SELECT total(version) FROM actions) AS versions, (SELECT count(*) FROM action_updates) AS updates, (SELECT count(*) FROM indicator_observations) AS observations",
    )[0]!;
  const mainOf = (html: string) => /<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? "";

  beforeAll(async () => {
    file = copyTemplateDatabase();
    const db = openDatabase(file);
    try {
      today = todayInLondon();
      holidays = new Set((db.$client.prepare("SELECT date FROM bank_holidays").all() as { date: string }[]).map((h) => h.date));
      const holiday = (db.$client.prepare("SELECT max(date) AS d FROM bank_holidays WHERE date < ?").get(today) as { d: string }).d;
      overdueDue = addDays(holiday, -1);
      while ([0, 6].includes(new Date(`${overdueDue}T00:00:00Z`).getUTCDay()) || holidays.has(overdueDue)) overdueDue = addDays(overdueDue, -1);
      overdueBy = countWorkingDaysAfter(overdueDue, today, holidays);
      const gaps = gapCriteria(db);
      const visitId = rj1VisitOn(db, addDays(overdueDue, -40));
      const { inspectionId } = approvedInspection(db, {
        visitId,
        findings: {
          [gaps.g1.code]: { chosenRating: "not_achieved", severity: "critical", recommendation: "Replace the firewall rules for the imaging network.", actionDue: overdueDue },
          [gaps.g2.code]: { chosenRating: "partially_achieved", severity: "high", recommendation: formulaText, actionDue: addDays(today, 60) },
          [gaps.g3.code]: { chosenRating: "not_achieved", severity: "medium", recommendation: atText, actionDue: addDays(today, 90) },
        },
        reviewer: "lead@deepdive.test",
      });
      expect(publishWithActions(db, inspectionId)).toBe(3);
      const idOf = (code: string) => (db.$client.prepare("SELECT id FROM actions WHERE inspection_id = ? AND criterion_code = ?").get(inspectionId, code) as { id: string }).id;
      ids.overdue = idOf(gaps.g1.code);
      ids.formula = idOf(gaps.g2.code);
      ids.laptops = idOf(gaps.g3.code);
    } finally {
      db.$client.close();
    }
    // RRU's demo inspection published with its actions: another trust's, for the isolation checks.
    rruIds = publishedActionsOf(file, "RRU");
    server = await startServer({ DATABASE_PATH: file });
    [rj1, rru, lead, inspector] = await Promise.all([
      signedIn(server.url, "trust.rj1@deepdive.test"),
      signedIn(server.url, "trust.rru@deepdive.test"),
      signedIn(server.url, "lead@deepdive.test"),
      signedIn(server.url, "inspector1@deepdive.test"),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("shows the trust its actions, with the overdue one overdue in working days across the bank holiday", async () => {
    // The holiday is in the span, so fewer working days than weekdays.
    const weekdays = countWorkingDaysAfter(overdueDue, today, new Set());
    expect(overdueBy).toBeGreaterThan(0);
    expect(overdueBy).toBeLessThan(weekdays);
    const html = await readPage(await rj1.get("/portal"));
    for (const text of ["Replace the firewall rules for the imaging network.", formulaText, atText]) expect(html).toContain(text);
    for (const id of Object.values(ids)) expect(html).toContain(`href="/portal/actions/${id}"`);
    const row = new RegExp(`<tr[^>]*id="action-${ids.overdue}"[\\s\\S]*?</tr>`).exec(html)![0];
    expect(row).toContain(`Overdue by ${overdueBy} working ${overdueBy === 1 ? "day" : "days"}`);
    expect(row).toContain(formatCalendarDate(overdueDue));
    const notDue = new RegExp(`<tr[^>]*id="action-${ids.formula}"[\\s\\S]*?</tr>`).exec(html)![0];
    expect(notDue).not.toContain("Overdue");
    expect(html).toContain('href="/portal/actions.csv"');
    // Nothing of RRU's.
    for (const id of rruIds) expect(html).not.toContain(id);
  });

  it("updates an action with a note and a date, and shows the history", async () => {
    const page = await readPage(await rj1.get(`/portal/actions/${ids.overdue}`));
    expect(page).toContain("Replace the firewall rules for the imaging network.");
    expect(page).toContain('name="baseVersion" value="1"');
    expect(page).toContain("No updates yet.");
    const [y, m, d] = today.split("-");
    const response = await rj1.post(`/portal/actions/${ids.overdue}`, {
      baseVersion: "1",
      status: "in_progress",
      note: "Firewall change approved by CAB; Ελένη leads the work.",
      progressOnDay: String(Number(d)),
      progressOnMonth: String(Number(m)),
      progressOnYear: y!,
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/portal/actions/${ids.overdue}?updated=1`);
    const after = await readPage(await rj1.get(`/portal/actions/${ids.overdue}?updated=1`));
    expect(after).toContain("Your update has been saved.");
    expect(after).toContain("Firewall change approved by CAB; Ελένη leads the work.");
    expect(after).toContain(`Progress made on ${formatCalendarDate(today)}`);
    expect(after).toContain('name="baseVersion" value="2"');
    expect(query("SELECT status, version FROM actions WHERE id = ?", ids.overdue)).toEqual([{ status: "in_progress", version: 2 }]);
  });

  it("refuses a stale form with the action as it is now, and overwrites nothing", async () => {
    const before = state();
    const response = await rj1.post(`/portal/actions/${ids.overdue}`, { baseVersion: "1", status: "done", note: "Finished everything.", progressOnDay: "1", progressOnMonth: "1", progressOnYear: today.slice(0, 4) });
    expect(response.status).toBe(409);
    const html = await readPage(response);
    expect(html).toContain("There is a problem");
    expect(html).toContain("Your update has not been saved");
    expect(html).toContain("it is now in progress");
    // The page shows the current state (version 2, the saved note) and keeps what was typed to send again.
    expect(html).toContain('name="baseVersion" value="2"');
    expect(html).toContain("Firewall change approved by CAB");
    expect(html).toContain("Finished everything.</textarea>");
    expect(state()).toEqual(before);
    expect(query("SELECT count(*) AS n FROM action_updates WHERE note LIKE '%Finished%'")).toEqual([{ n: 0 }]);
  });

  it("refuses an invalid update with the GOV.UK error summary, and writes nothing", async () => {
    const before = state();
    const response = await rj1.post(`/portal/actions/${ids.overdue}`, { baseVersion: "2", status: "done", note: "" });
    expect(response.status).toBe(400);
    const html = await readPage(response);
    expect(html).toContain("govuk-error-summary");
    expect(html).toContain('<a href="#note">Say what was done to complete the action</a>');
    expect(html).toContain('<a href="#progressOn">Enter the date the action was done</a>');
    expect(state()).toEqual(before);
  });

  it("gives another trust's user 404 on the action, identical to an action that does not exist, and none in its list", async () => {
    const before = state();
    const theirs = await rru.get(`/portal/actions/${ids.overdue}`);
    const missing = await rru.get(`/portal/actions/${randomUUID()}`);
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(mainOf(await theirs.text())).toBe(mainOf(await missing.text()));
    expect((await rru.post(`/portal/actions/${ids.overdue}`, { baseVersion: "2", status: "done", note: "Not ours", progressOnDay: "1", progressOnMonth: "1", progressOnYear: today.slice(0, 4) })).status).toBe(404);
    expect(state()).toEqual(before);
    const list = await readPage(await rru.get("/portal"));
    for (const id of Object.values(ids)) expect(list).not.toContain(id);
    expect(list).not.toContain("Replace the firewall rules");
    // RRU sees its own; RJ1 gets 404 on RRU's.
    expect(list).toContain(`href="/portal/actions/${rruIds[0]}"`);
    expect((await rj1.get(`/portal/actions/${rruIds[0]}`)).status).toBe(404);
    // The refusal is audited.
    expect(query<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = 'authorisation.denied' AND object_id = ?", `/portal/actions/${ids.overdue}`)[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it("exports the action plan as CSV: BOM, server-chosen name, the trust's rows only, formulas guarded", async () => {
    const response = await rj1.get("/portal/actions.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const name = `RJ1-action-plan-${today}.csv`;
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes.toString("utf8"), { bom: true }) as string[][];
    expect(records[0]).toEqual([...ACTION_PLAN_COLUMNS]);
    const published = query<{ n: number }>("SELECT count(*) AS n FROM actions a JOIN inspections i ON i.id = a.inspection_id WHERE a.trust_code = 'RJ1' AND i.status = 'published'")[0]!.n;
    expect(records).toHaveLength(1 + published);
    const rowFor = (start: string) => records.find((r) => r[1]!.startsWith(start))!;
    expect(rowFor("Replace the firewall rules")).toEqual([
      expect.stringMatching(/^[A-Z]\d\.[a-z] /) as string,
      "Replace the firewall rules for the imaging network.",
      "Critical",
      overdueDue,
      "In progress",
      String(overdueBy),
      today,
      "Firewall change approved by CAB; Ελένη leads the work.",
    ]);
    expect(rowFor("'=HYPERLINK")[1]).toBe(`'${formulaText}`);
    expect(rowFor("'@SUM")[1]).toBe(`'${atText}`);
    expect(rowFor("'=HYPERLINK")[5]).toBe("0");
    for (const record of records.slice(1)) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // RRU's file has RRU's rows only.
    const theirs = parse(Buffer.from(await (await rru.get("/portal/actions.csv")).arrayBuffer()).toString("utf8"), { bom: true }) as string[][];
    expect(theirs).toHaveLength(1 + rruIds.length);
    expect(theirs.flat().join("\n")).not.toMatch(/firewall rules|HYPERLINK|@SUM/);
    expect(query<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = 'action-plan.downloaded' AND object_id = 'RJ1'")[0]!.n).toBe(1);
  });

  it("shows programme leads the trust's actions and their history, read only; inspectors get 404", async () => {
    const response = await lead.get("/trusts/RJ1/actions");
    expect(response.status).toBe(200);
    const html = await readPage(response);
    expect(html).toContain("Replace the firewall rules for the imaging network.");
    expect(html).toContain("Firewall change approved by CAB; Ελένη leads the work.");
    expect(html).toContain(`Overdue by ${overdueBy} working`);
    expect(html).not.toContain('name="baseVersion"');
    expect((await inspector.get("/trusts/RJ1/actions")).status).toBe(404);
    expect((await rj1.get("/trusts/RJ1/actions")).status).toBe(404);
    expect(await readPage(await lead.get("/trusts/RJ1"))).toContain('href="/trusts/RJ1/actions"');
  });

  it("records indicators that match the trust's counts after an update", () => {
    const actions = query<{ status: string; dueOn: string; severity: Severity }>(
      "SELECT a.status, a.due_on AS dueOn, a.severity FROM actions a JOIN inspections i ON i.id = a.inspection_id WHERE a.trust_code = 'RJ1' AND i.status = 'published'",
    );
    const open = actions.filter((a) => a.status !== "done");
    const latest = (code: string) =>
      query<{ value: string; observedOn: string }>(
        "SELECT value, observed_on AS observedOn FROM indicator_observations WHERE trust_code = 'RJ1' AND indicator_code = ? AND observed_on <= ? ORDER BY observed_on DESC, id DESC LIMIT 1",
        code,
        today,
      )[0];
    expect(latest("overdue_actions")).toEqual({ value: String(open.filter((a) => countWorkingDaysAfter(a.dueOn, today, holidays) > 0).length), observedOn: today });
    expect(latest("open_gaps_weighted")).toEqual({ value: String(open.reduce((sum, a) => sum + POINTS[a.severity], 0)), observedOn: today });
    expect(Number(latest("overdue_actions")!.value)).toBeGreaterThanOrEqual(1);
  });
});
