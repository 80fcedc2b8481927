/**
 * An approved inspection made the way the app makes one (createInspection, recordArrival, saveFinding for every
 * criterion, leaveSite, submitInspection, startReview, approveInspection), of a scheduled demo visit with a team of
 * two, against NCSC CAF v3.2 (GovAssure Baseline) and Cyber Essentials Plus v3.1 (All met). `text(code)` gives each
 * criterion's observation; every fourth criterion is a gap (with a severity, a recommendation and a due date).
 */
import { randomBytes } from "node:crypto";
import type { Actor } from "../../app/audit/audit.server";
import type { Db } from "../../app/db.server";
import { saveFinding } from "../../app/inspections/findings.server";
import { createInspection, recordArrival } from "../../app/inspections/inspections.server";
import { approveInspection, leaveSite, startReview, submitInspection } from "../../app/inspections/review.server";

export interface ApprovedInspection {
  inspectionId: string;
  trustCode: string;
  trustName: string;
  visitDate: string;
  /** Every criterion code in the inspection's scope, in framework order. */
  criterionCodes: string[];
  findingIds: Map<string, string>;
  team: { id: string; email: string; role: "lead" | "member" }[];
  reviewer: { id: string; email: string };
}

export function buildApprovedInspection(db: Db, text: (code: string, index: number) => string): ApprovedInspection {
  const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
  const all = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as T[];
  const actorOf = (userId: string): Actor => ({ userId, label: one<{ email: string }>("SELECT email FROM users WHERE id = ?", userId).email, clientAddress: "192.0.2.30" });
  const visit = one<{ id: string; trustCode: string; trustName: string; visitDate: string }>(
    `SELECT v.id, v.trust_code AS trustCode, t.name AS trustName, v.visit_date AS visitDate FROM visits v JOIN trusts t ON t.ods_code = v.trust_code
      WHERE v.status = 'scheduled' AND (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) = 2
        AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id) ORDER BY v.visit_date, v.id LIMIT 1`,
  );
  const team = all<{ id: string; email: string; role: "lead" | "member" }>(
    "SELECT m.inspector_id AS id, u.email, m.role FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = ? ORDER BY m.role",
    visit.id,
  );
  const lead = team.find((m) => m.role === "lead")!;
  const reviewer = all<{ id: string; email: string }>(
    `SELECT u.id, u.email FROM users u WHERE u.role = 'inspector' AND u.disabled_at IS NULL
       AND u.id NOT IN (SELECT inspector_id FROM visit_team_members WHERE visit_id = ?)
       AND u.id NOT IN (SELECT inspector_id FROM conflicts_of_interest WHERE trust_code = ? AND withdrawn_at IS NULL)
     ORDER BY u.email`,
    visit.id,
    visit.trustCode,
  )[0]!;
  const profile = (framework: string, code: string) =>
    one<{ versionId: number; profileId: number }>(
      "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = ? AND p.code = ? ORDER BY p.version DESC",
      framework,
      code,
    );
  const caf = profile("caf", "govassure-baseline");
  const cep = profile("cyber-essentials-plus", "all-met");
  const inspectionId = createInspection(
    visit.id,
    [
      { frameworkVersionId: caf.versionId, profileId: caf.profileId },
      { frameworkVersionId: cep.versionId, profileId: cep.profileId },
    ],
    actorOf(lead.id),
    db,
  );
  recordArrival(inspectionId, actorOf(lead.id), db);
  const criteria = all<{ findingId: string; code: string; scale: "caf" | "met" }>(
    `SELECT f.id AS findingId, c.code, c.scale FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
      WHERE f.inspection_id = ? ORDER BY c.framework_version_id, c.position`,
    inspectionId,
  );
  criteria.forEach((c, i) => {
    const gap = i % 4 === 1;
    const severity = (["critical", "high", "medium", "low"] as const)[i % 4];
    const outcome = saveFinding(
      c.findingId,
      {
        idempotencyKey: randomBytes(16).toString("base64url"),
        baseVersion: 0,
        fields: {
          chosenRating: gap ? "not_achieved" : "achieved",
          observed: text(c.code, i),
          evidenceDocuments: `Policy pack for ${c.code}`,
          evidencePeople: "Head of cyber security",
          severity: gap ? severity : null,
          recommendation: gap ? `Put ${c.code} right.` : "",
          actionDue: gap ? "2027-06-30" : null,
        },
      },
      { id: lead.id },
      db,
    );
    if (outcome.outcome !== "saved") throw new Error(`could not save ${c.code}`);
  });
  leaveSite(inspectionId, actorOf(lead.id), db);
  submitInspection(inspectionId, actorOf(lead.id), db);
  startReview(inspectionId, actorOf(reviewer.id), db);
  approveInspection(inspectionId, actorOf(reviewer.id), db);
  return {
    inspectionId,
    trustCode: visit.trustCode,
    trustName: visit.trustName,
    visitDate: visit.visitDate,
    criterionCodes: criteria.map((c) => c.code),
    findingIds: new Map(criteria.map((c) => [c.code, c.findingId])),
    team,
    reviewer,
  };
}
