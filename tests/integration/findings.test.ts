/**
 * "No lost update, ever" for findings, on a real SQLite file (a copy of the template database, demo data booted):
 *
 * - createInspection: a finding per criterion of the chosen framework versions (CAF 3.2 + Cyber Essentials Plus 3.1:
 *   49), version 0, not assessed; refused, writing nothing, for a visit that already has one, a profile of another
 *   framework, or a visit not accepted yet; audited.
 * - recordArrival: the visit's lead only, once, planned → on site.
 * - saveFinding: who may save and when; the rating derived from the requirements (Met / Not met) and overrides;
 *   the limits; devices; text cleaned (control characters out, NFC).
 * - Two sessions from the same version: one saved, one conflict showing the winner; the merge saves on top.
 * - Idempotency keys: a retried request gets the same answer and is applied once; a key is one finding's.
 * - A seeded random interleaving of editors (fast-check), thousands of saves: every acknowledged save is stored at
 *   the version it was told, nothing refused is stored, the revisions are gapless and the finding is the last one.
 * - 50 writer processes (tests/support/finding-writer.ts) on the same file through the app's own openDatabase and
 *   saveFinding: no error of any kind (no SQLITE_BUSY), and every acknowledged save stored.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findingRevisions, findings, findingSaves, frameworkProfiles } from "../../db/schema";
import { SYSTEM_ACTOR, verifyAuditChain, type Actor } from "../../app/audit/audit.server";
import { loadFrameworkFile } from "../../app/baseline/frameworks.server";
import type { Rating } from "../../app/baseline/rating";
import type { Db } from "../../app/db.server";
import {
  FindingInputError,
  FindingNotEditable,
  FindingNotFound,
  findingView,
  saveFinding,
  TEXT_LIMITS,
  type FindingFields,
  type SaveOutcome,
  type SaveRequest,
} from "../../app/inspections/findings.server";
import { createInspection, InspectionError, InspectionNotFound, recordArrival, type FrameworkChoice } from "../../app/inspections/inspections.server";
import { projectPath } from "../../app/project-root.server";
import { acceptSchedule, planSchedule } from "../../app/scheduling/schedule.server";
import { addCalendarDays } from "../../app/scheduling/working-days";
import { drawRound, openRound } from "../../app/selection/rounds.server";
import { useFreshDatabase } from "../support/database";
import type { WriterError, WriterJob, WriterMessage, WriterResult } from "../support/finding-writer";

let db: Db;
let databaseFile: string;

// ── The database, read plainly ──────────────────────────────────────────────────────────────────────────────

const all = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).all(...params) as T[];
const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;

/** Row counts of everything the code under test writes, and the sum of the findings' versions. */
const writes = () =>
  one<Record<string, number>>(
    `SELECT (SELECT count(*) FROM inspections) AS inspections, (SELECT count(*) FROM inspection_frameworks) AS inspectionFrameworks,
            (SELECT count(*) FROM findings) AS findings, (SELECT total(version) FROM findings) AS findingVersions,
            (SELECT count(*) FROM finding_revisions) AS revisions, (SELECT count(*) FROM finding_saves) AS saves,
            (SELECT count(*) FROM audit_events) AS auditEvents, (SELECT total(version) FROM inspections) AS inspectionVersions`,
  );

/** Runs `action`, expects it to throw an `error`, and expects nothing at all to have been written. */
function refusedWithoutWriting<E extends Error>(action: () => unknown, error: new (...args: never[]) => E, message?: RegExp): E {
  const before = writes();
  let thrown: unknown = undefined;
  try {
    action();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(error);
  if (message) expect((thrown as Error).message).toMatch(message);
  expect(writes()).toEqual(before);
  return thrown as E;
}

const CONTENT_KEYS = [
  "rating",
  "derivedRating",
  "overrideReason",
  "indicatorAnswers",
  "observed",
  "evidenceDocuments",
  "evidencePeople",
  "evidenceSystems",
  "devicesSampled",
  "devicesFailing",
  "severity",
  "recommendation",
  "actionDue",
] as const;

type FindingRow = typeof findings.$inferSelect;
type RevisionRow = typeof findingRevisions.$inferSelect;

const findingRow = (id: string): FindingRow => db.select().from(findings).where(eq(findings.id, id)).get()!;
const revisionsOf = (findingId: string): RevisionRow[] =>
  db.select().from(findingRevisions).where(eq(findingRevisions.findingId, findingId)).orderBy(findingRevisions.version).all();
const contentOf = (row: FindingRow) => Object.fromEntries(CONTENT_KEYS.map((k) => [k, row[k]]));
const savesOf = (findingId: string) => db.select().from(findingSaves).where(eq(findingSaves.findingId, findingId)).all();

/**
 * The invariants of a finding's history: revisions numbered 1..N with no gap, the finding at version N, equal to its
 * last revision (content, who and when). Returns the revisions.
 */
function expectConsistentHistory(findingId: string): RevisionRow[] {
  const revisions = revisionsOf(findingId);
  const row = findingRow(findingId);
  expect(revisions.map((r) => r.version)).toEqual(revisions.map((_, i) => i + 1));
  expect(row.version).toBe(revisions.length);
  const last = revisions.at(-1);
  if (last) {
    expect(JSON.parse(last.content)).toEqual(contentOf(row));
    expect({ updatedBy: row.updatedBy, updatedAt: row.updatedAt }).toEqual({ updatedBy: last.savedBy, updatedAt: last.savedAt });
  } else {
    expect({ rating: row.rating, observed: row.observed, updatedBy: row.updatedBy }).toEqual({ rating: "not_assessed", observed: "", updatedBy: null });
  }
  return revisions;
}

// ── People, frameworks and visits ──────────────────────────────────────────────────────────────────────────

let programmeLead: string;
let frameworkChoices: { caf: FrameworkChoice; cafEnhanced: FrameworkChoice; cep: FrameworkChoice };
let cafCriteria: number[];
let cepCriteria: number[];
let proposedVisitId: string;

const emailOf = (userId: string) => one<{ email: string }>("SELECT email FROM users WHERE id = ?", userId).email;
const actorOf = (userId: string): Actor => ({ userId, label: emailOf(userId), clientAddress: "192.0.2.10" });

interface Team {
  lead: string;
  members: string[];
}

interface Visit {
  id: string;
  trustCode: string;
  team: Team;
}

const teamOf = (visitId: string): Team => {
  const rows = all<{ id: string; role: "lead" | "member" }>("SELECT inspector_id AS id, role FROM visit_team_members WHERE visit_id = ? ORDER BY inspector_id", visitId);
  const leads = rows.filter((r) => r.role === "lead");
  expect(leads).toHaveLength(1);
  return { lead: leads[0]!.id, members: rows.filter((r) => r.role === "member").map((r) => r.id) };
};

/** A scheduled visit with no inspection yet and a team of `size`, never handed out before. */
const handedOut = new Set<string>();
function scheduledVisit(size: 2 | 3 = 2): Visit {
  const row = all<{ id: string; trustCode: string; n: number }>(
    `SELECT v.id, v.trust_code AS trustCode, (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) AS n
       FROM visits v WHERE v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
      ORDER BY v.visit_date, v.id`,
  ).find((v) => v.n === size && !handedOut.has(v.id));
  if (!row) throw new Error(`no scheduled visit with a team of ${size} left`);
  handedOut.add(row.id);
  return { id: row.id, trustCode: row.trustCode, team: teamOf(row.id) };
}

const inspectorNotOn = (team: Team) =>
  all<{ id: string }>("SELECT id FROM users WHERE role = 'inspector' AND disabled_at IS NULL ORDER BY email").find((u) => u.id !== team.lead && !team.members.includes(u.id))!.id;

/** Opens, draws and plans a round in the quarter after every other round; returns its id. */
function plannedRound(name: string, capacity: number, teamSize: 2 | 3): string {
  const actor = actorOf(programmeLead);
  const lastEnd = one<{ d: string }>("SELECT max(period_end) AS d FROM selection_rounds").d;
  const start = addCalendarDays(lastEnd, 1);
  const id = openRound({ name, periodStart: start, periodEnd: addCalendarDays(start, 90), capacity: String(capacity), minMonthsSinceInspection: "0" }, actor, db);
  drawRound(id, actor, db);
  planSchedule(id, String(teamSize), actor, db);
  return id;
}

interface Inspection {
  id: string;
  visit: Visit;
  /** Finding ids by criterion code. */
  findingIds: Map<string, string>;
}

const bothFrameworks = (): FrameworkChoice[] => [frameworkChoices.caf, frameworkChoices.cep];

function findingIdsOf(inspectionId: string): Map<string, string> {
  const rows = all<{ id: string; code: string }>(
    "SELECT f.id, c.code FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? ORDER BY c.framework_version_id, c.position",
    inspectionId,
  );
  return new Map(rows.map((r) => [r.code, r.id]));
}

function plannedInspection(size: 2 | 3 = 2): Inspection {
  const visit = scheduledVisit(size);
  const id = createInspection(visit.id, bothFrameworks(), actorOf(programmeLead), db);
  return { id, visit, findingIds: findingIdsOf(id) };
}

function onSiteInspection(size: 2 | 3 = 2): Inspection {
  const inspection = plannedInspection(size);
  recordArrival(inspection.id, actorOf(inspection.visit.team.lead), db);
  return inspection;
}

const finding = (inspection: Inspection, code: string) => {
  const id = inspection.findingIds.get(code);
  if (!id) throw new Error(`no finding for ${code}`);
  return id;
};

// ── Saving ─────────────────────────────────────────────────────────────────────────────────────────────────

let keys = 0;
const newKey = (label = "key") => `findings-test-${label}-${String(++keys).padStart(6, "0")}`;

function save(findingId: string, userId: string, baseVersion: number, fields: Partial<FindingFields>, idempotencyKey = newKey()): SaveOutcome {
  return saveFinding(findingId, { idempotencyKey, baseVersion, fields }, { id: userId }, db);
}

function saved(outcome: SaveOutcome) {
  if (outcome.outcome !== "saved") throw new Error(`expected saved, got ${JSON.stringify(outcome)}`);
  return outcome.finding;
}

/** The met-scale criteria of Cyber Essentials Plus with requirements, and the tests recording devices. */
let cepTheme: { code: string; requirements: string[] };
let cepTest: string;
let cafCode: string;

beforeAll(() => {
  ({ db, file: databaseFile } = useFreshDatabase());

  // The shipped frameworks, through the loader (already loaded at boot: "already-loaded", nothing changes).
  const load = (name: string) => {
    const report = loadFrameworkFile(readFileSync(projectPath("db", "frameworks", name)), name, SYSTEM_ACTOR, db);
    expect(report.id).not.toBeNull();
    return report;
  };
  const caf = load("caf-3.2.json");
  const cep = load("cyber-essentials-plus-3.1.json");
  expect([caf.criteria, cep.criteria]).toEqual([39, 10]);
  const profile = (frameworkVersionId: number, code: string): FrameworkChoice => {
    const row = db
      .select({ id: frameworkProfiles.id })
      .from(frameworkProfiles)
      .where(and(eq(frameworkProfiles.frameworkVersionId, frameworkVersionId), eq(frameworkProfiles.code, code)))
      .get();
    if (!row) throw new Error(`no profile ${code}`);
    return { frameworkVersionId, profileId: row.id };
  };
  frameworkChoices = { caf: profile(caf.id!, "govassure-baseline"), cafEnhanced: profile(caf.id!, "govassure-enhanced"), cep: profile(cep.id!, "all-met") };
  const criteriaOf = (versionId: number) => all<{ id: number }>("SELECT id FROM framework_criteria WHERE framework_version_id = ? ORDER BY id", versionId).map((r) => r.id);
  cafCriteria = criteriaOf(caf.id!);
  cepCriteria = criteriaOf(cep.id!);

  const theme = one<{ code: string; requirements: string }>(
    `SELECT c.code, group_concat(i.code) AS requirements FROM framework_criteria c JOIN framework_indicators i ON i.criterion_id = c.id
      WHERE c.framework_version_id = ? AND c.scale = 'met' GROUP BY c.id ORDER BY c.position LIMIT 1`,
    cep.id,
  );
  cepTheme = { code: theme.code, requirements: theme.requirements.split(",") };
  expect(cepTheme.requirements.length).toBeGreaterThan(1);
  cepTest = one<{ code: string }>("SELECT code FROM framework_criteria WHERE framework_version_id = ? AND records_devices = 1 ORDER BY position LIMIT 1", cep.id).code;
  cafCode = one<{ code: string }>("SELECT code FROM framework_criteria WHERE framework_version_id = ? ORDER BY position LIMIT 1", caf.id).code;

  programmeLead = one<{ id: string }>("SELECT id FROM users WHERE email = 'lead@deepdive.test' AND role = 'programme_lead'").id;
  // Teams of three (a round planned with teams of three and accepted), and a visit only proposed (not accepted).
  acceptSchedule(plannedRound("Findings test: teams of three", 3, 3), actorOf(programmeLead), db);
  const proposedRound = plannedRound("Findings test: proposed", 1, 2);
  proposedVisitId = one<{ id: string }>("SELECT id FROM visits WHERE round_id = ? AND status = 'proposed'", proposedRound).id;
});

// ── 1. Creating an inspection ──────────────────────────────────────────────────────────────────────────────

describe("createInspection", () => {
  it("creates a not-assessed finding at version 0 for every criterion of CAF and Cyber Essentials Plus, and audits it", () => {
    const visit = scheduledVisit();
    const before = writes();
    const actor = actorOf(programmeLead);
    const id = createInspection(visit.id, bothFrameworks(), actor, db);

    const inspection = one<Record<string, unknown>>("SELECT * FROM inspections WHERE id = ?", id);
    expect(inspection).toMatchObject({ visit_id: visit.id, trust_code: visit.trustCode, status: "planned", arrived_at: null, version: 1, created_by: programmeLead });
    expect(all("SELECT framework_version_id AS frameworkVersionId, profile_id AS profileId FROM inspection_frameworks WHERE inspection_id = ? ORDER BY framework_version_id", id)).toEqual(bothFrameworks());

    const rows = db.select().from(findings).where(eq(findings.inspectionId, id)).all();
    expect(rows).toHaveLength(49);
    expect(rows.map((r) => r.criterionId).sort((a, b) => a - b)).toEqual([...cafCriteria, ...cepCriteria].sort((a, b) => a - b));
    expect(new Set(rows.map((r) => r.id)).size).toBe(49);
    for (const row of rows) {
      expect(row).toMatchObject({ version: 0, rating: "not_assessed", derivedRating: null, indicatorAnswers: "{}", observed: "", severity: null, updatedAt: null, updatedBy: null });
    }
    expect(writes()).toMatchObject({ inspections: before.inspections! + 1, inspectionFrameworks: before.inspectionFrameworks! + 2, findings: before.findings! + 49, revisions: before.revisions, saves: before.saves });

    const events = all<{ action: string; actor_user_id: string; actor_label: string; object_type: string; summary: string }>(
      "SELECT action, actor_user_id, actor_label, object_type, summary FROM audit_events WHERE object_id = ?",
      id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "inspection.created", actor_user_id: programmeLead, actor_label: "lead@deepdive.test", object_type: "inspection" });
    expect(JSON.parse(events[0]!.summary)).toEqual({ visitId: visit.id, frameworks: bothFrameworks(), findings: 49 });
    expect(events[0]!.summary).not.toContain(visit.trustCode);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("refuses a second inspection for the same visit, writing nothing", () => {
    const { visit } = plannedInspection();
    refusedWithoutWriting(() => createInspection(visit.id, bothFrameworks(), actorOf(programmeLead), db), InspectionError, /already has an inspection/);
    refusedWithoutWriting(() => createInspection(visit.id, [frameworkChoices.cafEnhanced], actorOf(visit.team.lead), db), InspectionError, /already has an inspection/);
  });

  it("refuses a profile of another framework, writing nothing (not even the choices that were right)", () => {
    const visit = scheduledVisit();
    const cafWithCepProfile = { frameworkVersionId: frameworkChoices.caf.frameworkVersionId, profileId: frameworkChoices.cep.profileId };
    const cepWithCafProfile = { frameworkVersionId: frameworkChoices.cep.frameworkVersionId, profileId: frameworkChoices.cafEnhanced.profileId };
    const actor = actorOf(programmeLead);
    refusedWithoutWriting(() => createInspection(visit.id, [cafWithCepProfile], actor, db), InspectionError, /profile of the framework/);
    refusedWithoutWriting(() => createInspection(visit.id, [frameworkChoices.caf, cepWithCafProfile], actor, db), InspectionError, /profile of the framework/);
    refusedWithoutWriting(() => createInspection(visit.id, [{ ...frameworkChoices.caf, profileId: 999_999 }], actor, db), InspectionError, /profile of the framework/);
    // The same framework twice, or none at all.
    refusedWithoutWriting(() => createInspection(visit.id, [frameworkChoices.caf, frameworkChoices.cafEnhanced], actor, db), InspectionError, /each framework once/);
    refusedWithoutWriting(() => createInspection(visit.id, [], actor, db), InspectionError, /at least one/);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM inspections WHERE visit_id = ?", visit.id).n).toBe(0);
    // And the visit can still have its inspection once the choice is right.
    expect(findingIdsOf(createInspection(visit.id, [frameworkChoices.cafEnhanced], actor, db)).size).toBe(39);
  });

  it("refuses a visit that is only proposed (not accepted), and a visit that does not exist, writing nothing", () => {
    expect(one<{ status: string }>("SELECT status FROM visits WHERE id = ?", proposedVisitId).status).toBe("proposed");
    refusedWithoutWriting(() => createInspection(proposedVisitId, bothFrameworks(), actorOf(programmeLead), db), InspectionError, /accepted visit/);
    refusedWithoutWriting(() => createInspection("00000000-0000-4000-8000-000000000000", bothFrameworks(), actorOf(programmeLead), db), InspectionNotFound);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM inspections WHERE visit_id = ?", proposedVisitId).n).toBe(0);
  });
});

// ── 2. Recording the arrival ───────────────────────────────────────────────────────────────────────────────

describe("recordArrival", () => {
  it("is recorded by the visit's lead only, once: planned → on site, audited", () => {
    const { id, visit } = plannedInspection();
    const state = () => one<Record<string, unknown>>("SELECT status, arrived_at AS arrivedAt, arrived_by AS arrivedBy, version FROM inspections WHERE id = ?", id);
    const arrivals = () => all<{ actor: string; summary: string }>("SELECT actor_user_id AS actor, summary FROM audit_events WHERE action = 'inspection.arrived' AND object_id = ?", id);
    const planned = { status: "planned", arrivedAt: null, arrivedBy: null, version: 1 };
    expect(state()).toEqual(planned);

    for (const who of [visit.team.members[0]!, programmeLead, inspectorNotOn(visit.team)]) {
      refusedWithoutWriting(() => recordArrival(id, actorOf(who), db), InspectionError, /lead inspector/);
      expect(state()).toEqual(planned);
    }
    expect(arrivals()).toEqual([]);

    const now = new Date("2027-01-20T08:47:00.000Z");
    recordArrival(id, actorOf(visit.team.lead), db, now);
    expect(state()).toEqual({ status: "on_site", arrivedAt: now.toISOString(), arrivedBy: visit.team.lead, version: 2 });
    expect(arrivals()).toEqual([{ actor: visit.team.lead, summary: JSON.stringify({ arrivedAt: now.toISOString() }) }]);

    refusedWithoutWriting(() => recordArrival(id, actorOf(visit.team.lead), db, new Date("2027-01-20T10:00:00.000Z")), InspectionError, /already recorded/);
    expect(state()).toEqual({ status: "on_site", arrivedAt: now.toISOString(), arrivedBy: visit.team.lead, version: 2 });
    expect(arrivals()).toHaveLength(1);

    refusedWithoutWriting(() => recordArrival("00000000-0000-4000-8000-000000000000", actorOf(visit.team.lead), db), InspectionNotFound);
  });
});

// ── 3. Saving a finding ────────────────────────────────────────────────────────────────────────────────────

describe("saveFinding", () => {
  let inspection: Inspection;
  let member: string;
  let lead: string;
  beforeAll(() => {
    inspection = onSiteInspection();
    lead = inspection.visit.team.lead;
    member = inspection.visit.team.members[0]!;
  });

  it("refuses every save before the arrival is recorded, writing nothing", () => {
    const planned = plannedInspection();
    const id = finding(planned, cafCode);
    for (const who of [planned.visit.team.lead, planned.visit.team.members[0]!]) {
      refusedWithoutWriting(() => save(id, who, 0, { observed: "Too early" }), FindingNotEditable);
    }
    expect(findingRow(id)).toMatchObject({ version: 0, observed: "" });
  });

  it("refuses an inspector who is not on the team, and a programme lead, writing nothing", () => {
    const id = finding(inspection, cafCode);
    refusedWithoutWriting(() => save(id, inspectorNotOn(inspection.visit.team), 0, { observed: "Not my visit" }), FindingNotEditable);
    refusedWithoutWriting(() => save(id, programmeLead, 0, { observed: "Not my visit" }), FindingNotEditable);
    refusedWithoutWriting(() => save("00000000-0000-4000-8000-000000000000", member, 0, { observed: "No such finding" }), FindingNotFound);
  });

  it("saves a team member's finding as version 1, with a revision and the save's outcome", () => {
    const id = finding(inspection, cafCode);
    const before = writes();
    const key = newKey("first");
    const now = new Date("2027-01-20T09:15:00.000Z");
    const fields = { chosenRating: "partially_achieved", observed: "Board minutes show cyber risk discussed quarterly.", evidenceDocuments: "Board minutes Q3", actionDue: "2027-03-01" } as const;
    const outcome = saveFinding(id, { idempotencyKey: key, baseVersion: 0, fields }, { id: member }, db, now);
    expect(outcome).toMatchObject({ outcome: "saved", replayed: false });
    const { chosenRating: _chosen, ...stored } = fields;
    expect(saved(outcome)).toMatchObject({ id, version: 1, rating: "partially_achieved", derivedRating: null, ...stored, updatedBy: member, updatedAt: now.toISOString() });
    expect(writes()).toEqual({ ...before, revisions: before.revisions! + 1, saves: before.saves! + 1, findingVersions: before.findingVersions! + 1 });

    const [revision] = expectConsistentHistory(id);
    expect(revision).toMatchObject({ version: 1, savedBy: member, savedAt: now.toISOString() });
    expect(JSON.parse(revision!.content)).toMatchObject({ rating: "partially_achieved", observed: fields.observed, actionDue: "2027-03-01" });
    expect(savesOf(id)).toEqual([{ idempotencyKey: key, findingId: id, userId: member, baseVersion: 0, outcome: "saved", resultVersion: 1, savedAt: now.toISOString() }]);
    expect(findingView(id, db)).toEqual(saved(outcome));
  });

  it("keeps a severity only on a gap: dropped when the rating meets the profile's minimum", () => {
    // D1.a needs Achieved in the GovAssure Baseline profile (and no other test here uses it).
    const id = finding(inspection, "D1.a");
    const gap = saved(save(id, member, 0, { chosenRating: "partially_achieved", severity: "high" }));
    expect(gap).toMatchObject({ rating: "partially_achieved", severity: "high" });
    const draft = saved(save(id, member, 1, { chosenRating: "not_achieved", severity: null }));
    expect(draft).toMatchObject({ rating: "not_achieved", severity: null });
    const meets = saved(save(id, member, 2, { chosenRating: "achieved", severity: "critical" }));
    expect(meets).toMatchObject({ rating: "achieved", severity: null });
    expect(findingRow(id).severity).toBeNull();
  });

  it("derives a Cyber Essentials theme's rating from its requirements: all Met → achieved, one Not met → not achieved", () => {
    const id = finding(inspection, cepTheme.code);
    const allMet = Object.fromEntries(cepTheme.requirements.map((r) => [r, true]));
    let view = saved(save(id, member, 0, { indicatorAnswers: allMet }));
    expect(view).toMatchObject({ version: 1, rating: "achieved", derivedRating: "achieved", overrideReason: "", indicatorAnswers: allMet });

    const oneNotMet = { ...allMet, [cepTheme.requirements[1]!]: false };
    view = saved(save(id, lead, 1, { indicatorAnswers: oneNotMet }));
    expect(view).toMatchObject({ version: 2, rating: "not_achieved", derivedRating: "not_achieved", indicatorAnswers: oneNotMet });

    // Not every requirement answered: nothing derived, and the rating is the inspector's choice (no reason needed).
    const { [cepTheme.requirements[0]!]: _unanswered, ...someMet } = allMet;
    view = saved(save(id, member, 2, { indicatorAnswers: someMet }));
    expect(view).toMatchObject({ version: 3, rating: "not_assessed", derivedRating: null });
    view = saved(save(id, member, 3, { indicatorAnswers: someMet, chosenRating: "not_achieved" }));
    expect(view).toMatchObject({ version: 4, rating: "not_achieved", derivedRating: null, overrideReason: "" });

    // Answers for anything but the theme's requirements are dropped.
    view = saved(save(id, member, 4, { indicatorAnswers: { ...allMet, "CE-NOT-A-REQUIREMENT": false } }));
    expect(view).toMatchObject({ version: 5, rating: "achieved", indicatorAnswers: allMet });
    expectConsistentHistory(id);
  });

  it("refuses an override without a reason, writing nothing; accepts it with one", () => {
    const id = finding(inspection, cepTheme.code);
    const version = findingRow(id).version;
    const allMet = Object.fromEntries(cepTheme.requirements.map((r) => [r, true]));
    // Empty, blank, or nothing left once control characters are removed.
    for (const overrideReason of ["", "   \n\t ", "\u0007\u0000"]) {
      const error = refusedWithoutWriting(() => save(id, member, version, { indicatorAnswers: allMet, chosenRating: "not_achieved", overrideReason }), FindingInputError);
      expect(error.fieldErrors.chosenRating).toMatch(/give a reason/);
    }
    const notApplicable = refusedWithoutWriting(() => save(id, member, version, { indicatorAnswers: allMet, chosenRating: "not_applicable" }), FindingInputError);
    expect(notApplicable.fieldErrors.chosenRating).toMatch(/give a reason/);
    const partial = refusedWithoutWriting(() => save(id, member, version, { chosenRating: "partially_achieved" }), FindingInputError);
    expect(partial.fieldErrors.chosenRating).toMatch(/Met or Not met/);
    const unknown = refusedWithoutWriting(() => save(id, member, version, { chosenRating: "excellent" as Rating }), FindingInputError);
    expect(unknown.fieldErrors.chosenRating).toBeDefined();

    const view = saved(save(id, member, version, { indicatorAnswers: allMet, chosenRating: "not_achieved", overrideReason: "  The firewall allows any-any from the guest network.  " }));
    expect(view).toMatchObject({ version: version + 1, rating: "not_achieved", derivedRating: "achieved", overrideReason: "The firewall allows any-any from the guest network." });
    // Choosing what is derived is no override: a reason given is dropped.
    const same = saved(save(id, member, version + 1, { indicatorAnswers: allMet, chosenRating: "achieved", overrideReason: "no need" }));
    expect(same).toMatchObject({ rating: "achieved", derivedRating: "achieved", overrideReason: "" });
    expectConsistentHistory(id);
  });

  it("refuses text over the limits, writing nothing, and accepts text at the limits", () => {
    const id = finding(inspection, "A1.b");
    const limits: [keyof FindingFields, number][] = [
      ["observed", TEXT_LIMITS.observed],
      ["evidenceDocuments", TEXT_LIMITS.evidence],
      ["evidencePeople", TEXT_LIMITS.evidence],
      ["evidenceSystems", TEXT_LIMITS.evidence],
      ["recommendation", TEXT_LIMITS.recommendation],
      ["overrideReason", TEXT_LIMITS.overrideReason],
    ];
    expect(limits.map(([, n]) => n)).toEqual([20_000, 5_000, 5_000, 5_000, 5_000, 1_000]);
    for (const [field, limit] of limits) {
      const error = refusedWithoutWriting(() => save(id, member, 0, { [field]: "x".repeat(limit + 1) }), FindingInputError);
      expect(error.fieldErrors[field]).toMatch(/characters or fewer/);
    }
    const atLimits = Object.fromEntries(limits.filter(([f]) => f !== "overrideReason").map(([field, limit]) => [field, "y".repeat(limit)]));
    const view = saved(save(id, member, 0, atLimits));
    expect(view.observed).toHaveLength(20_000);
    expect(view.recommendation).toHaveLength(5_000);
    expect(JSON.parse(revisionsOf(id)[0]!.content).observed).toHaveLength(20_000);

    // Nor anything else that cannot be stored.
    for (const [fields, field] of [
      [{ actionDue: "2027-02-30" }, "actionDue"],
      [{ severity: "urgent" }, "severity"],
      [{ indicatorAnswers: { "CE-FW-1": "yes" } }, "indicatorAnswers"],
    ] as [Partial<FindingFields>, keyof FindingFields][]) {
      const error = refusedWithoutWriting(() => save(id, member, 1, fields), FindingInputError);
      expect(Object.keys(error.fieldErrors)).toEqual([field]);
    }
    for (const idempotencyKey of ["short", "has spaces in it, which is not allowed", "x".repeat(65), ""]) {
      const error = refusedWithoutWriting(() => save(id, member, 1, { observed: "z" }, idempotencyKey), FindingInputError);
      expect(error.fieldErrors.idempotencyKey).toMatch(/idempotency key/);
    }
    refusedWithoutWriting(() => saveFinding(id, { idempotencyKey: newKey(), baseVersion: -1, fields: {} } as SaveRequest, { id: member }, db), FindingInputError);
    refusedWithoutWriting(() => saveFinding(id, { idempotencyKey: newKey(), baseVersion: 0.5, fields: {} } as SaveRequest, { id: member }, db), FindingInputError);
    expectConsistentHistory(id);
  });

  it("records devices only on a Cyber Essentials Plus test, never more failing than sampled", () => {
    const caf = finding(inspection, "A1.c");
    const error = refusedWithoutWriting(() => save(caf, member, 0, { devicesSampled: 10, devicesFailing: 1 }), FindingInputError);
    expect(error.fieldErrors.devicesSampled).toMatch(/only for Cyber Essentials Plus tests/);
    refusedWithoutWriting(() => save(caf, member, 0, { devicesFailing: 0 }), FindingInputError);
    const theme = finding(inspection, "CE-SC");
    refusedWithoutWriting(() => save(theme, member, 0, { devicesSampled: 3 }), FindingInputError);

    const test = finding(inspection, cepTest);
    const over = refusedWithoutWriting(() => save(test, member, 0, { devicesSampled: 10, devicesFailing: 11 }), FindingInputError);
    expect(over.fieldErrors.devicesFailing).toMatch(/cannot be more than devices sampled/);
    for (const devices of [{ devicesSampled: -1 }, { devicesSampled: 2.5 }, { devicesFailing: 100_001 }]) {
      refusedWithoutWriting(() => save(test, member, 0, devices), FindingInputError);
    }
    expect(saved(save(test, member, 0, { devicesSampled: 10, devicesFailing: 10, chosenRating: "not_achieved" }))).toMatchObject({
      version: 1,
      devicesSampled: 10,
      devicesFailing: 10,
      rating: "not_achieved",
    });
    expect(saved(save(test, member, 1, { devicesSampled: 12 }))).toMatchObject({ version: 2, devicesSampled: 12, devicesFailing: null });
    expectConsistentHistory(test);
  });

  it("strips control characters (keeping tabs and new lines) and stores text as NFC", () => {
    const id = finding(inspection, "A2.b");
    const decomposed = "Cafe\u0301 re\u0301sume\u0301 A\u030a"; // e + combining acute, A + combining ring
    const view = saved(
      save(id, lead, 0, {
        observed: `Patch\u0000 level\u0007 ok\r\nNext line\rThird\tTabbed\u001b[0m\u007f\u0085\u009b end. ${decomposed}`,
        evidencePeople: "Head of IT\u0008\u000b\u000c",
        evidenceSystems: "\u001fSIEM",
        evidenceDocuments: "Policy\u2028v2", // a line separator is not a control character: kept
        recommendation: "Re\u0301view",
        chosenRating: "achieved",
      }),
    );
    const expected = {
      observed: "Patch level ok\nNext line\nThird\tTabbed[0m end. Café résumé Å",
      evidencePeople: "Head of IT",
      evidenceSystems: "SIEM",
      evidenceDocuments: "Policy\u2028v2",
      recommendation: "R\u00e9view",
    };
    expect(view).toMatchObject(expected);
    expect(view.observed.normalize("NFC")).toBe(view.observed);
    expect(view.observed).toContain("\u00e9");
    expect(JSON.parse(revisionsOf(id)[0]!.content)).toMatchObject(expected);
    expect(findingRow(id)).toMatchObject(expected);
  });
});

// ── 4. Two sessions, one version ───────────────────────────────────────────────────────────────────────────

describe("two sessions saving the same finding from the same version", () => {
  it("saves the first, refuses the second as a conflict showing the winner, and saves the merge on top", () => {
    const inspection = onSiteInspection();
    const [member] = inspection.visit.team.members as [string];
    const lead = inspection.visit.team.lead;

    for (const [first, second, code] of [
      [member, lead, "B1.a"],
      [lead, member, "B1.b"],
    ] as const) {
      const id = finding(inspection, code);
      saved(save(id, first, 0, { observed: "Opening note." }));
      // Both sessions now hold version 1.
      const before = writes();
      const a = save(id, first, 1, { observed: "Opening note. Firewall change control seen.", chosenRating: "achieved" });
      const b = save(id, second, 1, { observed: "Opening note. Asset register out of date.", chosenRating: "not_achieved" });
      expect([a.outcome, b.outcome]).toEqual(["saved", "conflict"]);
      if (b.outcome !== "conflict") throw new Error("unreachable");
      expect(b).toMatchObject({ baseVersion: 1, replayed: false });
      expect(b.current).toEqual(saved(a));
      expect(b.current).toMatchObject({ version: 2, observed: "Opening note. Firewall change control seen.", rating: "achieved", updatedBy: first });
      // The conflict stored nothing but its outcome.
      expect(writes()).toEqual({ ...before, revisions: before.revisions! + 1, saves: before.saves! + 2, findingVersions: before.findingVersions! + 1 });
      expect(savesOf(id).find((s) => s.outcome === "conflict")).toMatchObject({ userId: second, baseVersion: 1, resultVersion: 2 });

      // The loser merges and saves on the version it was shown.
      const merged = "Opening note. Firewall change control seen. Asset register out of date.";
      const c = save(id, second, b.current.version, { observed: merged, chosenRating: "not_achieved" });
      expect(saved(c)).toMatchObject({ version: 3, observed: merged, rating: "not_achieved", updatedBy: second });

      const revisions = expectConsistentHistory(id);
      expect(revisions.map((r) => [r.version, r.savedBy, (JSON.parse(r.content) as { observed: string }).observed])).toEqual([
        [1, first, "Opening note."],
        [2, first, "Opening note. Firewall change control seen."],
        [3, second, merged],
      ]);
      expect(revisions.some((r) => r.content.includes("Opening note. Asset register out of date.\""))).toBe(false);
    }
  });
});

// ── 5. Idempotency keys ────────────────────────────────────────────────────────────────────────────────────

describe("idempotency keys", () => {
  let inspection: Inspection;
  let member: string;
  let lead: string;
  beforeAll(() => {
    inspection = onSiteInspection();
    lead = inspection.visit.team.lead;
    member = inspection.visit.team.members[0]!;
  });

  it("answers a retried save with the same outcome, replayed, and applies it once", () => {
    const id = finding(inspection, "C1.a");
    const key = newKey("retried");
    const request = { idempotencyKey: key, baseVersion: 0, fields: { observed: "Backups tested monthly." } };
    const first = saveFinding(id, request, { id: member }, db);
    expect(first).toMatchObject({ outcome: "saved", replayed: false, finding: { version: 1, observed: "Backups tested monthly." } });

    const before = writes();
    const again = saveFinding(id, request, { id: member }, db);
    expect(again).toEqual({ ...first, replayed: true });
    expect(writes()).toEqual(before);

    // Someone saves on top; the retry still gets the answer it had: saved, at version 1, with its text.
    saved(save(id, lead, 1, { observed: "Backups tested monthly; restore test failed in March." }));
    const before2 = writes();
    const late = saveFinding(id, request, { id: member }, db);
    expect(late).toEqual({ ...first, replayed: true });
    // Even sent with other content, the key's save is not applied again.
    const altered = saveFinding(id, { ...request, baseVersion: 2, fields: { observed: "Something else entirely." } }, { id: member }, db);
    expect(altered).toEqual({ ...first, replayed: true });
    expect(writes()).toEqual(before2);
    expect(findingRow(id)).toMatchObject({ version: 2, observed: "Backups tested monthly; restore test failed in March." });
    expect(expectConsistentHistory(id)).toHaveLength(2);
    expect(savesOf(id).filter((s) => s.idempotencyKey === key)).toHaveLength(1);
  });

  it("answers a retried conflict with the same conflict, replayed, and never stores it", () => {
    const id = finding(inspection, "C1.b");
    saved(save(id, lead, 0, { observed: "Lead's note." }));
    const key = newKey("conflicted");
    const request = { idempotencyKey: key, baseVersion: 0, fields: { observed: "Member's stale note." } };
    const first = saveFinding(id, request, { id: member }, db);
    expect(first).toMatchObject({ outcome: "conflict", baseVersion: 0, replayed: false, current: { version: 1, observed: "Lead's note." } });

    const before = writes();
    expect(saveFinding(id, request, { id: member }, db)).toEqual({ ...first, replayed: true });
    // Resent on the version that is now current, the key still answers its conflict: it is not saved late.
    const resent = saveFinding(id, { ...request, baseVersion: 1 }, { id: member }, db);
    expect(resent).toMatchObject({ outcome: "conflict", baseVersion: 0, replayed: true });
    expect(writes()).toEqual(before);
    expect(revisionsOf(id).some((r) => r.content.includes("stale"))).toBe(false);
    expect(findingRow(id)).toMatchObject({ version: 1, observed: "Lead's note." });
    expect(savesOf(id).filter((s) => s.idempotencyKey === key)).toEqual([expect.objectContaining({ outcome: "conflict", baseVersion: 0, resultVersion: 1 })]);
  });

  it("refuses a key used for another finding, or by another user, writing nothing", () => {
    const a = finding(inspection, "C2.a");
    const b = finding(inspection, "C2.b");
    const key = newKey("one-finding");
    saved(save(a, member, 0, { observed: "On A." }, key));
    const other = refusedWithoutWriting(() => save(b, member, 0, { observed: "On B with A's key." }, key), FindingInputError);
    expect(other.fieldErrors.idempotencyKey).toMatch(/another save/);
    const otherUser = refusedWithoutWriting(() => save(a, lead, 1, { observed: "Lead with the member's key." }, key), FindingInputError);
    expect(otherUser.fieldErrors.idempotencyKey).toMatch(/another save/);
    expect(findingRow(b)).toMatchObject({ version: 0, observed: "" });
    expect(findingRow(a)).toMatchObject({ version: 1, observed: "On A." });
  });
});

// ── 6. Random interleavings ────────────────────────────────────────────────────────────────────────────────

type Op =
  | { kind: "save"; editor: number; finding: number; text: string; rating: Rating | null; merge: boolean }
  | { kind: "retry"; editor: number; pick: number }
  | { kind: "refresh"; editor: number; finding: number };

interface Ack {
  key: string;
  userId: string;
  findingId: string;
  text: string;
  baseVersion: number;
  outcome: SaveOutcome;
}

describe("editors saving in a random interleaving (seeded)", () => {
  it("acknowledges nothing it did not store, stores nothing it refused, and keeps every finding's history gapless", () => {
    const inspection = onSiteInspection(3);
    const { lead, members } = inspection.visit.team;
    expect(members).toHaveLength(2);
    // Five editors: the three inspectors, two of them with a second tab.
    const editors = [lead, members[0]!, members[1]!, lead, members[0]!];
    const shared = [cafCode, "A2.a", cepTheme.code, cepTest].map((code) => finding(inspection, code));
    const textArb = fc.string({ unit: fc.constantFrom(..."abcdefghij klmnopqrstuvwxyzé—ü€🙂\n"), maxLength: 60 });
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 12,
        arbitrary: fc.record({
          kind: fc.constant("save" as const),
          editor: fc.nat(editors.length - 1),
          finding: fc.nat(shared.length - 1),
          text: textArb,
          rating: fc.constantFrom<Rating | null>(null, "achieved", "not_achieved", "not_applicable"),
          // Mostly the editor takes in the version it was shown (a merge); sometimes it stays stale until a refresh.
          merge: fc.constantFrom(true, true, true, false),
        }),
      },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant("retry" as const), editor: fc.nat(editors.length - 1), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("refresh" as const), editor: fc.nat(editors.length - 1), finding: fc.nat(shared.length - 1) }) },
    );

    let runs = 0;
    let totalSaves = 0;
    let totalConflicts = 0;
    let totalReplays = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 100, maxLength: 300 }), (ops) => {
        const run = ++runs;
        const startVersions = new Map(shared.map((id) => [id, findingRow(id).version]));
        const revisionsBefore = shared.reduce((n, id) => n + revisionsOf(id).length, 0);
        const savesBefore = shared.reduce((n, id) => n + savesOf(id).length, 0);
        // What each editor last saw of each finding, and the requests it sent (to retry one of them).
        const seen = editors.map(() => new Map(startVersions));
        const sent: { findingId: string; request: SaveRequest; text: string; first: SaveOutcome }[][] = editors.map(() => []);
        const acks: Ack[] = [];

        ops.forEach((op, i) => {
          const userId = editors[op.editor]!;
          if (op.kind === "refresh") {
            const id = shared[op.finding]!;
            seen[op.editor]!.set(id, findingView(id, db)!.version);
          } else if (op.kind === "save") {
            const id = shared[op.finding]!;
            const key = newKey(`r${run}-o${i}`);
            const text = `[${key}] ${op.text}`;
            const request: SaveRequest = { idempotencyKey: key, baseVersion: seen[op.editor]!.get(id)!, fields: { observed: text, chosenRating: op.rating } };
            const outcome = saveFinding(id, request, { id: userId }, db);
            acks.push({ key, userId, findingId: id, text, baseVersion: request.baseVersion, outcome });
            sent[op.editor]!.push({ findingId: id, request, text, first: outcome });
            if (outcome.outcome === "saved") seen[op.editor]!.set(id, outcome.finding.version);
            else if (op.merge) seen[op.editor]!.set(id, outcome.current.version);
          } else {
            const history = sent[op.editor]!;
            if (history.length === 0) return;
            const earlier = history[op.pick % history.length]!;
            const outcome = saveFinding(earlier.findingId, earlier.request, { id: userId }, db);
            // The same answer as the first time, replayed.
            expect(outcome.replayed).toBe(true);
            expect(outcome.outcome).toBe(earlier.first.outcome);
            if (outcome.outcome === "saved" && earlier.first.outcome === "saved") expect(outcome.finding).toEqual(earlier.first.finding);
            if (outcome.outcome === "conflict" && earlier.first.outcome === "conflict") expect(outcome.baseVersion).toBe(earlier.first.baseVersion);
            acks.push({ key: earlier.request.idempotencyKey, userId, findingId: earlier.findingId, text: earlier.text, baseVersion: earlier.request.baseVersion, outcome });
          }
        });

        // Every "saved" (first time or replayed) is stored at exactly the version it was told, with its text, and
        // replaced the very version its editor had seen: no save ever replaced a version its editor had not seen.
        const revisionsById = new Map(shared.map((id) => [id, expectConsistentHistory(id)]));
        for (const ack of acks) {
          const revisions = revisionsById.get(ack.findingId)!;
          if (ack.outcome.outcome === "saved") {
            const version = ack.outcome.finding.version;
            expect(version, `${ack.key} saved on top of a version its editor had not seen`).toBe(ack.baseVersion + 1);
            const revision = revisions.find((r) => r.version === version);
            expect(revision, `${ack.key} acknowledged as saved`).toBeDefined();
            expect(JSON.parse(revision!.content).observed).toBe(ack.text);
            expect(revision!.savedBy).toBe(ack.userId);
            expect(ack.outcome.finding.observed).toBe(ack.text);
          } else {
            // A conflict stored nothing: its text is in no revision, and it showed a later version than it was based on.
            expect(revisions.some((r) => (JSON.parse(r.content) as { observed: string }).observed === ack.text), `${ack.key} stored despite a conflict`).toBe(false);
            expect(ack.outcome.baseVersion).toBe(ack.baseVersion);
            expect(ack.outcome.current.version).toBeGreaterThan(ack.outcome.baseVersion);
          }
        }
        // Each new version was acknowledged exactly once, and only those are new.
        const firstSaves = acks.filter((a) => a.outcome.outcome === "saved" && !a.outcome.replayed);
        const revisionsAfter = shared.reduce((n, id) => n + revisionsById.get(id)!.length, 0);
        expect(firstSaves.length).toBe(revisionsAfter - revisionsBefore);
        for (const id of shared) {
          const versions = firstSaves.filter((a) => a.findingId === id).map((a) => (a.outcome.outcome === "saved" ? a.outcome.finding.version : -1));
          const start = startVersions.get(id)!;
          expect(versions).toEqual(Array.from({ length: revisionsById.get(id)!.length - start }, (_, i) => start + i + 1));
        }
        const firstAnswers = acks.filter((a) => !a.outcome.replayed);
        expect(shared.reduce((n, id) => n + savesOf(id).length, 0) - savesBefore).toBe(firstAnswers.length);

        totalSaves += firstSaves.length;
        totalConflicts += firstAnswers.length - firstSaves.length;
        totalReplays += acks.length - firstAnswers.length;
      }),
      // Shrinking replays whole runs against the database: bounded, so a failure is reported within minutes.
      { seed: 20270120, numRuns: 60, plugins: [fc.interruptAfterTimeLimit(150_000)] },
    );
    // Thousands of saves, with conflicts and retries among them, or the test proved little.
    expect(totalSaves).toBeGreaterThan(2_000);
    expect(totalConflicts).toBeGreaterThan(1_000);
    expect(totalReplays).toBeGreaterThan(500);
  }, 180_000);
});

// ── 7. Fifty writer processes ──────────────────────────────────────────────────────────────────────────────

describe("50 writer processes on the same database file", () => {
  const children: ChildProcess[] = [];
  let bundleDir: string | undefined;
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill();
    if (bundleDir) {
      unlinkSync(path.join(bundleDir, "node_modules"));
      rmSync(bundleDir, { recursive: true, force: true });
    }
  });

  /**
   * The writer bundled once into a single ES module (the app's own modules, built by Vite), so 50 processes start
   * in a fraction of a second each rather than transpiling through tsx (about 1.7 s of CPU each: too slow for 50
   * on two cores). It sits in a temporary folder that links to the project's node_modules for better-sqlite3.
   */
  async function bundleWriter(): Promise<string> {
    bundleDir = mkdtempSync(path.join(tmpdir(), "deep-dive-writer-"));
    symlinkSync(projectPath("node_modules"), path.join(bundleDir, "node_modules"), "dir");
    await build({
      configFile: false,
      logLevel: "error",
      root: projectPath(),
      publicDir: false,
      build: {
        ssr: fileURLToPath(new URL("../support/finding-writer.ts", import.meta.url)),
        outDir: bundleDir,
        emptyOutDir: false,
        minify: false,
        reportCompressedSize: false,
        target: "node20",
        rollupOptions: { external: ["better-sqlite3"], output: { format: "es", entryFileNames: "finding-writer.mjs" } },
      },
      ssr: { noExternal: true, external: ["better-sqlite3"] },
    });
    return path.join(bundleDir, "finding-writer.mjs");
  }

  it(
    "saves 1,000 times without a single error, and every acknowledged save is stored",
    async () => {
      const WRITERS = 50;
      const SAVES = 20;
      const inspection = onSiteInspection(3);
      const team = [inspection.visit.team.lead, ...inspection.visit.team.members];
      expect(team).toHaveLength(3);
      const ids = [...inspection.findingIds.values()];
      const shared = ids.slice(0, 3);
      const own = ids.slice(3);
      const bundle = await bundleWriter();

      const jobs: WriterJob[] = Array.from({ length: WRITERS }, (_, writer) => ({
        file: databaseFile,
        writer,
        userId: team[writer % team.length]!,
        // Own findings: 46 for 50 writers, so a few are shared by two writers as well.
        ownFindingId: own[writer % own.length]!,
        sharedFindingIds: shared,
        saves: SAVES,
        sharedShare: 0.3,
        seed: 7_000 + writer,
        maxAttempts: 1_000,
      }));
      const started = performance.now();
      const running = jobs.map((job) => {
        const child = fork(bundle, [JSON.stringify(job)], { execArgv: [], stdio: ["ignore", "pipe", "pipe", "ipc"] });
        children.push(child);
        let stderr = "";
        child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        let done: Extract<WriterMessage, { type: "done" }> | undefined;
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        const ready = new Promise<void>((resolve, reject) => {
          child.on("message", (message: WriterMessage) => {
            if (message.type === "ready") resolve();
            else done = message;
          });
          void exited.then((code) => reject(new Error(`writer ${job.writer} exited (${code}) before it was ready: ${stderr}`)));
        });
        return { job, child, ready, exited, stderr: () => stderr, done: () => done };
      });
      await Promise.all(running.map((r) => r.ready));
      const startedUp = performance.now();
      for (const r of running) r.child.send({ type: "go" });
      const codes = await Promise.all(running.map((r) => r.exited));
      const finished = performance.now();

      const results: WriterResult[] = [];
      const errors: (WriterError | { writer: number; exit: number | null; stderr: string })[] = [];
      running.forEach((r, i) => {
        if (codes[i] !== 0 || r.stderr() !== "" || !r.done()) errors.push({ writer: r.job.writer, exit: codes[i]!, stderr: r.stderr() });
        results.push(...(r.done()?.results ?? []));
        errors.push(...(r.done()?.errors ?? []));
      });

      // Every acknowledged save is stored at the version it was told, with its text and its user.
      const revisions = new Map(ids.map((id) => [id, expectConsistentHistory(id)]));
      const savedResults = results.filter((r) => r.outcome === "saved");
      for (const result of savedResults) {
        expect(result.version, `${result.key} saved on top of a version its writer had not seen`).toBe(result.baseVersion + 1);
        const revision = revisions.get(result.findingId)!.find((r) => r.version === result.version);
        expect(revision, `${result.key} acknowledged as saved at ${result.version}`).toBeDefined();
        expect({ observed: JSON.parse(revision!.content).observed, savedBy: revision!.savedBy }).toEqual({ observed: result.text, savedBy: result.userId });
        expect(result.answeredText).toBe(result.text);
      }
      for (const result of results.filter((r) => r.outcome === "conflict")) {
        expect(result.version).toBeGreaterThan(result.baseVersion);
        expect([...revisions.get(result.findingId)!].some((r) => JSON.parse(r.content).observed === result.text)).toBe(false);
      }
      const revisionCount = [...revisions.values()].reduce((n, r) => n + r.length, 0);
      expect(results.every((r) => !r.replayed)).toBe(true);
      expect(savedResults.length).toBe(revisionCount);
      expect(new Set(savedResults.map((r) => `${r.findingId}@${r.version}`)).size).toBe(savedResults.length);
      expect(ids.reduce((n, id) => n + savesOf(id).length, 0)).toBe(results.length);

      // No error of any kind: no SQLITE_BUSY, no writer that failed or gave up, and every writer made all its saves.
      const slowest = Math.max(0, ...running.map((r) => r.done()?.ms ?? 0));
      expect(errors, `${errors.length} errors; start-up ${Math.round(startedUp - started)} ms, saving ${Math.round(finished - startedUp)} ms, slowest writer ${slowest} ms`).toEqual([]);
      expect(savedResults.length).toBe(WRITERS * SAVES);
      for (const job of jobs) expect(savedResults.filter((r) => r.writer === job.writer)).toHaveLength(SAVES);
      expect(results.length).toBeGreaterThan(savedResults.length); // the shared findings did conflict
    },
    180_000,
  );
});
