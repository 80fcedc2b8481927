/**
 * Inspections for tests, made the way the app makes them rather than from demo details: a scheduled visit's new
 * inspection driven to approval through the domain functions (createInspection, recordArrival, saveFinding for every
 * criterion, leaveSite, submitInspection, startReview, approveInspection), the visits to choose from and the
 * criteria to plan findings for, and an approved inspection published with its actions.
 *
 * Publication here sets the published state directly (status and date) and makes the actions as publication makes
 * them (createActionsFromFindings, in the same write transaction): the actions' queries need nothing else of it. The
 * tests of publication itself publish through the app.
 */
import { randomBytes } from "node:crypto";
import { openDatabase, writeTransaction, type Db } from "../../app/db.server";
import { saveFinding, type FindingFields } from "../../app/inspections/findings.server";
import { createInspection, recordArrival } from "../../app/inspections/inspections.server";
import { approveInspection, leaveSite, startReview, submitInspection } from "../../app/inspections/review.server";
import { createActionsFromFindings } from "../../app/portal/actions.server";
import { actorOf } from "./database";

/**
 * What to record for each criterion: by code (every criterion not named is recorded as not applicable), or a function
 * of each criterion's code and its place in framework order (0, 1, …) for an inspection with every finding written.
 */
export type FindingPlan = Record<string, Partial<FindingFields>> | ((code: string, index: number) => Partial<FindingFields>);

export interface ApprovedInspection {
  inspectionId: string;
  trustCode: string;
  trustName: string;
  visitDate: string;
  leadId: string;
  memberId: string;
  reviewerId: string;
  /** Every criterion code in the inspection's scope, in framework order. */
  criterionCodes: string[];
  /** Finding ids by criterion code. */
  findings: Map<string, string>;
}

/** Scheduled visits with a team of two and no inspection yet, earliest first: the visits a test can inspect. */
function uninspectedVisits(db: Db): { id: string; trustCode: string }[] {
  return db.$client
    .prepare(
      `SELECT v.id, v.trust_code AS trustCode FROM visits v WHERE v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
         AND (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) = 2 ORDER BY v.visit_date, v.id`,
    )
    .all() as { id: string; trustCode: string }[];
}

/** A scheduled visit to `trustCode` with no inspection yet and a team of two, earliest first. */
export function visitOf(db: Db, trustCode: string): string {
  const visit = uninspectedVisits(db).find((v) => v.trustCode === trustCode);
  if (!visit) throw new Error(`No scheduled visit to ${trustCode} without an inspection`);
  return visit.id;
}

/** A scheduled visit with no inspection yet and a team of two, to a trust other than `except`, earliest first. */
export function anotherVisit(db: Db, except: readonly string[]): string {
  const visit = uninspectedVisits(db).find((v) => !except.includes(v.trustCode));
  if (!visit) throw new Error("No other scheduled visit without an inspection");
  return visit.id;
}

/** A new inspection on site: its visit, its team, and its findings (all blank) in framework order. */
export interface OnSiteInspection {
  inspectionId: string;
  visitId: string;
  trustCode: string;
  trustName: string;
  visitDate: string;
  leadId: string;
  memberId: string;
  rows: { id: string; version: number; code: string }[];
}

/**
 * A new inspection on site, as its team starts one: of `visitId`, or else of the earliest scheduled visit with a team
 * of two and no inspection yet; created, and its arrival recorded, by the visit's lead, against NCSC CAF (GovAssure
 * Baseline) and Cyber Essentials Plus (All met), or Cyber Essentials Plus alone if `cepOnly`.
 */
export function onSiteInspection(db: Db, options: { visitId?: string; cepOnly?: boolean } = {}): OnSiteInspection {
  const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;
  const visitId = options.visitId ?? anotherVisit(db, []);
  const visit = one<{ trustCode: string; trustName: string; visitDate: string }>(
    "SELECT v.trust_code AS trustCode, t.name AS trustName, v.visit_date AS visitDate FROM visits v JOIN trusts t ON t.ods_code = v.trust_code WHERE v.id = ?",
    visitId,
  );
  const leadId = one<{ id: string }>("SELECT inspector_id AS id FROM visit_team_members WHERE visit_id = ? AND role = 'lead'", visitId).id;
  const memberId = one<{ id: string }>("SELECT inspector_id AS id FROM visit_team_members WHERE visit_id = ? AND role = 'member'", visitId).id;
  const profile = (framework: string, code: string) => {
    const row = one<{ versionId: number; profileId: number }>(
      "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = ? AND p.code = ? ORDER BY p.version DESC LIMIT 1",
      framework,
      code,
    );
    return { frameworkVersionId: row.versionId, profileId: row.profileId };
  };
  const scope = [...(options.cepOnly ? [] : [profile("caf", "govassure-baseline")]), profile("cyber-essentials-plus", "all-met")];
  const inspectionId = createInspection(visitId, scope, actorOf(db, leadId), db);
  recordArrival(inspectionId, actorOf(db, leadId), db);
  const rows = db.$client
    .prepare(
      `SELECT f.id, f.version, c.code FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
        WHERE f.inspection_id = ? ORDER BY c.framework_version_id, c.position`,
    )
    .all(inspectionId) as { id: string; version: number; code: string }[];
  return { inspectionId, visitId, ...visit, leadId, memberId, rows };
}

/**
 * The lead saves every finding of an inspection on site as `findings` plans it (each from its current version), then
 * leaves site and submits.
 */
export function recordAndSubmit(db: Db, inspection: Pick<OnSiteInspection, "inspectionId" | "leadId" | "rows">, plan: FindingPlan): void {
  const { inspectionId, leadId, rows } = inspection;
  if (typeof plan !== "function") {
    // A misspelt code would otherwise be recorded as not applicable without a word.
    const unknown = Object.keys(plan).filter((code) => !rows.some((r) => r.code === code));
    if (unknown.length > 0) throw new Error(`No criteria ${unknown.join(", ")} in the inspection`);
  }
  rows.forEach((row, index) => {
    const fields = typeof plan === "function" ? plan(row.code, index) : (plan[row.code] ?? { chosenRating: "not_applicable" });
    const version = (db.$client.prepare("SELECT version FROM findings WHERE id = ?").get(row.id) as { version: number }).version;
    const outcome = saveFinding(row.id, { idempotencyKey: randomBytes(16).toString("base64url"), baseVersion: version, fields }, { id: leadId }, db);
    if (outcome.outcome !== "saved") throw new Error(`Finding ${row.code} was not saved`);
  });
  leaveSite(inspectionId, actorOf(db, leadId), db);
  submitInspection(inspectionId, actorOf(db, leadId), db);
}

/**
 * Drives a new inspection to approval, as the team and a reviewer would:
 *
 * - on site (onSiteInspection: of `visitId`, or else of the earliest scheduled visit with a team of two and no
 *   inspection yet; CAF and Cyber Essentials Plus, or Cyber Essentials Plus alone if `cepOnly`);
 * - every finding saved by the lead as `findings` plans it, then left site and submitted by the lead;
 * - reviewed and approved by the user with the email `reviewer`, or else by the first inspector (by email) who is
 *   not on the team and has no conflict of interest with the trust, as the app requires of a reviewer.
 */
export function approvedInspection(
  db: Db,
  options: { visitId?: string; findings: FindingPlan; reviewer?: string; cepOnly?: boolean },
): ApprovedInspection {
  const onSite = onSiteInspection(db, options);
  const { inspectionId, visitId, leadId, memberId, rows } = onSite;
  const reviewerId = options.reviewer
    ? (db.$client.prepare("SELECT id FROM users WHERE email = ?").get(options.reviewer) as { id: string }).id
    : (
        db.$client
          .prepare(
            `SELECT id FROM users WHERE role = 'inspector' AND disabled_at IS NULL AND id NOT IN (SELECT inspector_id FROM visit_team_members WHERE visit_id = ?)
               AND id NOT IN (SELECT inspector_id FROM conflicts_of_interest WHERE trust_code = ? AND withdrawn_at IS NULL) ORDER BY email LIMIT 1`,
          )
          .get(visitId, onSite.trustCode) as { id: string }
      ).id;
  recordAndSubmit(db, onSite, options.findings);
  startReview(inspectionId, actorOf(db, reviewerId), db);
  approveInspection(inspectionId, actorOf(db, reviewerId), db);
  return {
    inspectionId,
    trustCode: onSite.trustCode,
    trustName: onSite.trustName,
    visitDate: onSite.visitDate,
    leadId,
    memberId,
    reviewerId,
    criterionCodes: rows.map((r) => r.code),
    findings: new Map(rows.map((r) => [r.code, r.id])),
  };
}

/** Criteria of a profile with their minimums, in framework order: for choosing which findings to make gaps. */
export function profileCriteria(db: Db, framework: string, profileCode: string): { code: string; title: string; minimum: string }[] {
  return db.$client
    .prepare(
      `SELECT c.code, c.title, m.minimum FROM framework_profiles p JOIN framework_versions v ON v.id = p.framework_version_id
         JOIN profile_minimums m ON m.profile_id = p.id JOIN framework_criteria c ON c.id = m.criterion_id
       WHERE v.framework = ? AND p.code = ? AND p.version = (SELECT max(version) FROM framework_profiles q WHERE q.framework_version_id = p.framework_version_id AND q.code = p.code)
       ORDER BY c.position, c.id`,
    )
    .all(framework, profileCode) as { code: string; title: string; minimum: string }[];
}

/** Publishes an approved inspection (status and date, directly) and makes its actions in the same transaction. */
export function publishWithActions(db: Db, inspectionId: string, now: Date = new Date()): number {
  return writeTransaction((tx) => {
    db.$client.prepare("UPDATE inspections SET status = 'published', published_at = ?, version = version + 1 WHERE id = ? AND status IN ('approved', 'factual_accuracy')").run(now.toISOString(), inspectionId);
    return createActionsFromFindings(tx, inspectionId, now);
  }, db);
}

/**
 * The ids of all a trust's actions of published inspections, by criterion code. The demo publishes inspections with
 * actions for some trusts, and those are used as they are; only for a trust with none is its latest approved
 * inspection published (publishWithActions) to make some. Opens the database file itself (a server may have it open
 * too).
 */
export function publishedActionsOf(file: string, trustCode: string, now: Date = new Date()): string[] {
  const db = openDatabase(file);
  try {
    const published = () =>
      (
        db.$client
          .prepare("SELECT a.id FROM actions a JOIN inspections i ON i.id = a.inspection_id WHERE a.trust_code = ? AND i.status = 'published' ORDER BY a.criterion_code, a.id")
          .all(trustCode) as { id: string }[]
      ).map((r) => r.id);
    const existing = published();
    if (existing.length > 0) return existing;
    const inspection = db.$client
      .prepare("SELECT id FROM inspections WHERE trust_code = ? AND status = 'approved' ORDER BY approved_at DESC LIMIT 1")
      .get(trustCode) as { id: string } | undefined;
    if (!inspection) throw new Error(`${trustCode} has no published actions and no approved inspection to publish`);
    publishWithActions(db, inspection.id, now);
    const made = published();
    if (made.length === 0) throw new Error(`${trustCode}'s latest approved inspection has no gaps`);
    return made;
  } finally {
    db.$client.close();
  }
}
