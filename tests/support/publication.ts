/**
 * For the factual accuracy and publication tests: an inspection driven to approval through the domain functions, as
 * the team and an inspector reviewing it would (not through demo details), a trust user made through the account
 * functions, and the text of a PDF read by an independent tool (pdf.js).
 */
import { randomBytes } from "node:crypto";
import type { Actor } from "../../app/audit/audit.server";
import { createUser } from "../../app/auth/users.server";
import type { Db } from "../../app/db.server";
import { saveFinding, type FindingFields } from "../../app/inspections/findings.server";
import { createInspection, recordArrival } from "../../app/inspections/inspections.server";
import { approveInspection, leaveSite, startReview, submitInspection } from "../../app/inspections/review.server";
import { DEMO_PASSWORD } from "../../db/seed.server";

export interface ApprovedInspection {
  inspectionId: string;
  trustCode: string;
  trustName: string;
  visitDate: string;
  leadId: string;
  memberId: string;
  reviewerId: string;
  /** Finding ids by criterion code. */
  findings: Map<string, string>;
}

/** A scheduled visit to `trustCode` with no inspection yet and a team of two. */
export function visitOf(db: Db, trustCode: string): string {
  const visit = db.$client
    .prepare(
      `SELECT v.id FROM visits v WHERE v.trust_code = ? AND v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
         AND (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) = 2 ORDER BY v.visit_date LIMIT 1`,
    )
    .get(trustCode) as { id: string } | undefined;
  if (!visit) throw new Error(`No scheduled visit to ${trustCode} without an inspection`);
  return visit.id;
}

/** A scheduled visit with no inspection yet and a team of two, to a trust other than `except`, earliest first. */
export function anotherVisit(db: Db, except: readonly string[]): string {
  const visits = db.$client
    .prepare(
      `SELECT v.id, v.trust_code AS trustCode FROM visits v WHERE v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
         AND (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) = 2 ORDER BY v.visit_date, v.id`,
    )
    .all() as { id: string; trustCode: string }[];
  const visit = visits.find((v) => !except.includes(v.trustCode));
  if (!visit) throw new Error("No other scheduled visit without an inspection");
  return visit.id;
}

export const actorOf = (db: Db, userId: string): Actor => ({
  userId,
  label: (db.$client.prepare("SELECT email FROM users WHERE id = ?").get(userId) as { email: string }).email,
  clientAddress: "192.0.2.60",
});

/**
 * Drives a new inspection of `visitId` to approval: created and arrived by the visit's lead against Cyber Essentials
 * Plus (All met) and, unless `cepOnly`, NCSC CAF (GovAssure Baseline); findings in `plan` saved as given and every
 * other one not applicable; left site and submitted by the lead; reviewed and approved by the first inspector (by
 * email) who is not on the team and has no conflict of interest with the trust.
 */
export function approvedInspection(db: Db, visitId: string, plan: Record<string, Partial<FindingFields>>, options: { cepOnly?: boolean } = {}): ApprovedInspection {
  const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;
  const visit = one<{ trustCode: string; trustName: string; visitDate: string }>(
    "SELECT v.trust_code AS trustCode, t.name AS trustName, v.visit_date AS visitDate FROM visits v JOIN trusts t ON t.ods_code = v.trust_code WHERE v.id = ?",
    visitId,
  );
  const leadId = one<{ id: string }>("SELECT inspector_id AS id FROM visit_team_members WHERE visit_id = ? AND role = 'lead'", visitId).id;
  const memberId = one<{ id: string }>("SELECT inspector_id AS id FROM visit_team_members WHERE visit_id = ? AND role = 'member'", visitId).id;
  const reviewerId = one<{ id: string }>(
    `SELECT id FROM users WHERE role = 'inspector' AND disabled_at IS NULL AND id NOT IN (SELECT inspector_id FROM visit_team_members WHERE visit_id = ?)
       AND id NOT IN (SELECT inspector_id FROM conflicts_of_interest WHERE trust_code = ?) ORDER BY email LIMIT 1`,
    visitId,
    visit.trustCode,
  ).id;
  const profile = (framework: string, code: string) =>
    one<{ versionId: number; profileId: number }>(
      "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = ? AND p.code = ? ORDER BY p.version DESC LIMIT 1",
      framework,
      code,
    );
  const cep = profile("cyber-essentials-plus", "all-met");
  const caf = profile("caf", "govassure-baseline");
  const choices = [...(options.cepOnly ? [] : [{ frameworkVersionId: caf.versionId, profileId: caf.profileId }]), { frameworkVersionId: cep.versionId, profileId: cep.profileId }];
  const inspectionId = createInspection(visitId, choices, actorOf(db, leadId), db);
  recordArrival(inspectionId, actorOf(db, leadId), db);
  const rows = db.$client
    .prepare("SELECT f.id, f.version, c.code FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ?")
    .all(inspectionId) as { id: string; version: number; code: string }[];
  const unknown = Object.keys(plan).filter((code) => !rows.some((r) => r.code === code));
  if (unknown.length > 0) throw new Error(`No criteria ${unknown.join(", ")} in the inspection`);
  for (const row of rows) {
    const fields = plan[row.code] ?? { chosenRating: "not_applicable" };
    const outcome = saveFinding(row.id, { idempotencyKey: randomBytes(16).toString("base64url"), baseVersion: row.version, fields }, { id: memberId }, db);
    if (outcome.outcome !== "saved") throw new Error(`Finding ${row.code} was not saved`);
  }
  leaveSite(inspectionId, actorOf(db, leadId), db);
  submitInspection(inspectionId, actorOf(db, leadId), db);
  startReview(inspectionId, actorOf(db, reviewerId), db);
  approveInspection(inspectionId, actorOf(db, reviewerId), db);
  return { inspectionId, trustCode: visit.trustCode, trustName: visit.trustName, visitDate: visit.visitDate, leadId, memberId, reviewerId, findings: new Map(rows.map((r) => [r.code, r.id])) };
}

/** A trust user of `trustCode` (the demo password), made as an admin makes one. */
export async function trustUserOf(db: Db, trustCode: string, email: string): Promise<string> {
  const admin = (db.$client.prepare("SELECT id FROM users WHERE email = 'admin@deepdive.test'").get() as { id: string }).id;
  return createUser({ email, name: `Test user at ${trustCode}`, role: "trust_user", trustCode, password: DEMO_PASSWORD, isDemo: true }, actorOf(db, admin), db);
}

/** The text of a PDF as pdf.js extracts it, page by page, with runs of white space (and break opportunities) as one space. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
    }
    return pages.join(" ").replaceAll("\u200b", "").replace(/\s+/g, " ");
  } finally {
    await doc.destroy();
  }
}
