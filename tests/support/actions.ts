/**
 * Actions for tests: a trust's approved demo inspection made published, with its actions made as publication makes
 * them (createActionsFromFindings, in a write transaction). The published state is set directly (status and date):
 * the actions' queries need nothing else of publication.
 */
import { randomBytes } from "node:crypto";
import type { Actor } from "../../app/audit/audit.server";
import { openDatabase, writeTransaction, type Db } from "../../app/db.server";
import { saveFinding, type FindingFields } from "../../app/inspections/findings.server";
import { createInspection, recordArrival } from "../../app/inspections/inspections.server";
import { approveInspection, leaveSite, startReview, submitInspection } from "../../app/inspections/review.server";
import { createActionsFromFindings } from "../../app/portal/actions.server";

/**
 * The ids of a trust's actions of a published inspection: if it has none yet, its latest approved inspection is
 * published (status and date set directly) and its actions made. Opens the database file itself (a server may
 * have it open too).
 */
export function publishedActionsOf(file: string, trustCode: string, now: Date = new Date()): string[] {
  const db = openDatabase(file);
  try {
    const existing = () =>
      (
        db.$client
          .prepare("SELECT a.id FROM actions a JOIN inspections i ON i.id = a.inspection_id WHERE a.trust_code = ? AND i.status = 'published' ORDER BY a.criterion_code, a.id")
          .all(trustCode) as { id: string }[]
      ).map((r) => r.id);
    if (existing().length > 0) return existing();
    const inspection = db.$client
      .prepare("SELECT id FROM inspections WHERE trust_code = ? AND status = 'approved' ORDER BY approved_at DESC LIMIT 1")
      .get(trustCode) as { id: string } | undefined;
    if (!inspection) throw new Error(`${trustCode} has no approved inspection to publish`);
    publishWithActions(db, inspection.id, now);
    const ids = existing();
    if (ids.length === 0) throw new Error(`${trustCode}'s latest approved inspection has no gaps`);
    return ids;
  } finally {
    db.$client.close();
  }
}

/** Publishes an approved inspection (status and date, directly) and makes its actions in the same transaction. */
export function publishWithActions(db: Db, inspectionId: string, now: Date = new Date()): number {
  return writeTransaction((tx) => {
    db.$client.prepare("UPDATE inspections SET status = 'published', published_at = ?, version = version + 1 WHERE id = ? AND status IN ('approved', 'factual_accuracy')").run(now.toISOString(), inspectionId);
    return createActionsFromFindings(tx, inspectionId, now);
  }, db);
}

/** What to record for a criterion (by code); every criterion not named is recorded as not applicable. */
export type FindingPlan = Record<string, Partial<FindingFields>>;

/**
 * Drives a new inspection of a scheduled visit to approval through the domain functions, as the team and a reviewer
 * would: started and arrived by the visit's lead against NCSC CAF (GovAssure Baseline) and Cyber Essentials Plus
 * (All met), every finding saved (those in `plan` as given, the rest not applicable), left site, submitted, and
 * reviewed and approved by the demo programme lead. Returns the inspection's id.
 */
export function approvedInspection(db: Db, visitId: string, plan: FindingPlan): string {
  const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;
  const actorOf = (userId: string): Actor => ({ userId, label: one<{ email: string }>("SELECT email FROM users WHERE id = ?", userId).email, clientAddress: "192.0.2.18" });
  const lead = one<{ id: string }>("SELECT inspector_id AS id FROM visit_team_members WHERE visit_id = ? AND role = 'lead'", visitId).id;
  const reviewer = one<{ id: string }>("SELECT id FROM users WHERE email = 'lead@deepdive.test'").id;
  const profile = (framework: string, code: string) =>
    one<{ versionId: number; profileId: number }>(
      "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = ? AND p.code = ? ORDER BY p.version DESC LIMIT 1",
      framework,
      code,
    );
  const caf = profile("caf", "govassure-baseline");
  const cep = profile("cyber-essentials-plus", "all-met");
  const inspectionId = createInspection(
    visitId,
    [
      { frameworkVersionId: caf.versionId, profileId: caf.profileId },
      { frameworkVersionId: cep.versionId, profileId: cep.profileId },
    ],
    actorOf(lead),
    db,
  );
  recordArrival(inspectionId, actorOf(lead), db);
  const rows = db.$client
    .prepare("SELECT f.id, f.version, c.code FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ?")
    .all(inspectionId) as { id: string; version: number; code: string }[];
  const unknown = Object.keys(plan).filter((code) => !rows.some((r) => r.code === code));
  if (unknown.length > 0) throw new Error(`No criteria ${unknown.join(", ")} in the inspection`);
  for (const row of rows) {
    const fields = plan[row.code] ?? { chosenRating: "not_applicable" };
    const outcome = saveFinding(row.id, { idempotencyKey: randomBytes(16).toString("base64url"), baseVersion: row.version, fields }, { id: lead }, db);
    if (outcome.outcome !== "saved") throw new Error(`Finding ${row.code} was not saved`);
  }
  leaveSite(inspectionId, actorOf(lead), db);
  submitInspection(inspectionId, actorOf(lead), db);
  startReview(inspectionId, actorOf(reviewer), db);
  approveInspection(inspectionId, actorOf(reviewer), db);
  return inspectionId;
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
