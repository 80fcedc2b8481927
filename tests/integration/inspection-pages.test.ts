/**
 * The inspection pages over real HTTP and a real SQLite file, as a browser without JavaScript uses them: the visit's
 * lead starts the inspection against CAF and Cyber Essentials Plus (a finding for every criterion) and records the
 * team's arrival; until then nothing can be recorded. The team then records findings with plain form posts: a form
 * sent twice is saved once; two inspectors saving the same finding never overwrite each other (the second gets both
 * versions side by side, can merge them, and saves the merge); met-scale ratings are derived from the requirements
 * and overridden only with a reason; bad input is refused with nothing saved. Only the team, programme leads and
 * admins see an inspection (only the team writes), trust users get 404 everywhere, every view is audited, and the
 * overview shows progress and gaps against the profile.
 */
import { randomBytes, randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;

function withSqlite<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(server.databaseFile);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface VisitRow {
  id: string;
  trustCode: string;
  trustName: string;
  lead: string;
  member: string;
}

interface FindingRow {
  id: string;
  rating: string;
  derived_rating: string | null;
  override_reason: string;
  indicator_answers: string;
  observed: string;
  evidence_documents: string;
  devices_sampled: number | null;
  devices_failing: number | null;
  severity: string | null;
  version: number;
  updated_by: string | null;
}

const scheduledVisits = () =>
  withSqlite(
    (db) =>
      db
        .prepare(
          `SELECT v.id, v.trust_code AS trustCode, t.name AS trustName,
                  (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'lead') AS lead,
                  (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'member' ORDER BY u.email LIMIT 1) AS member
           FROM visits v JOIN trusts t ON t.ods_code = v.trust_code
           WHERE v.status = 'scheduled' AND v.trust_code <> 'RJ1' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
           ORDER BY v.visit_date, v.trust_code`,
        )
        .all() as VisitRow[],
  );
const userId = (email: string) => withSqlite((db) => (db.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: string }).id);
const auditCount = (action: string, objectId: string) =>
  withSqlite((db) => (db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = ? AND object_id = ?").get(action, objectId) as { n: number }).n);
const frameworkVersionId = (framework: string) =>
  withSqlite((db) => (db.prepare("SELECT id FROM framework_versions WHERE framework = ?").get(framework) as { id: number }).id);
const criterionId = (code: string) =>
  withSqlite((db) => (db.prepare("SELECT id FROM framework_criteria WHERE code = ?").get(code) as { id: number }).id);
const findingOf = (inspectionId: string, code: string) =>
  withSqlite(
    (db) =>
      db
        .prepare(
          `SELECT f.* FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? AND c.code = ?`,
        )
        .get(inspectionId, code) as FindingRow,
  );
const revisionsOf = (findingId: string) =>
  withSqlite(
    (db) =>
      (db.prepare("SELECT version, content, saved_by AS savedBy FROM finding_revisions WHERE finding_id = ? ORDER BY version").all(findingId) as {
        version: number;
        content: string;
        savedBy: string;
      }[]).map((r) => ({ ...r, content: JSON.parse(r.content) as Record<string, unknown> })),
  );
const assessedCount = (inspectionId: string) =>
  withSqlite(
    (db) => (db.prepare("SELECT count(*) AS n FROM findings WHERE inspection_id = ? AND rating <> 'not_assessed'").get(inspectionId) as { n: number }).n,
  );

/** The finding form's hidden fields and where it posts, as a browser would take them from the page. */
function findingForm(html: string): { action: string; baseVersion: string; idempotencyKey: string } {
  const form = /<form[^>]*id="finding-form"[^>]*>/.exec(html)?.[0];
  if (!form) throw new Error("the page has no finding form");
  const action = /action="([^"]*)"/.exec(form)?.[1];
  const baseVersion = /name="baseVersion" value="(\d+)"/.exec(html)?.[1];
  const idempotencyKey = /name="idempotencyKey" value="([A-Za-z0-9_-]+)"/.exec(html)?.[1];
  if (!action || baseVersion === undefined || !idempotencyKey) throw new Error("the finding form lacks its action or hidden fields");
  return { action, baseVersion, idempotencyKey };
}

/** The text of a textarea as the page fills it in. */
function textareaValue(html: string, name: string): string {
  const match = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (!match) throw new Error(`no textarea ${name}`);
  return match[1]!;
}

/** The table row of a criterion on the overview (its link is the criterion's page). */
function overviewRow(html: string, inspectionId: string, criterion: number): string {
  const rows = html.split("<tr").filter((r) => r.includes(`/inspections/${inspectionId}/criteria/${criterion}"`));
  if (rows.length !== 1) throw new Error(`expected one overview row for criterion ${criterion}, found ${rows.length}`);
  return rows[0]!.split("</tr>")[0]!;
}

/** Every field the finding form sends when nothing is touched: a browser sends empty text fields and the checked radios. */
const blankFields = {
  rating: "",
  overrideReason: "",
  observed: "",
  evidenceDocuments: "",
  evidencePeople: "",
  evidenceSystems: "",
  severity: "",
  recommendation: "",
  actionDueDay: "",
  actionDueMonth: "",
  actionDueYear: "",
  then: "stay",
};

const aKey = () => randomBytes(16).toString("base64url");

describe("inspection pages", () => {
  let visit: VisitRow;
  let otherVisit: VisitRow;
  let lead: Client; // the visit's lead inspector
  let member: Client; // the other member of the team
  let programmeLead: Client;
  let admin: Client;
  let outsider: Client; // an inspector not on the team
  let inspectionId = "";
  const criterionUrl = (code: string) => `/inspections/${inspectionId}/criteria/${criterionId(code)}`;

  /** GETs a criterion page as `client` and posts its form with `fields` (on top of an untouched form). */
  async function saveFrom(client: Client, code: string, fields: Record<string, string>) {
    const page = await client.get(criterionUrl(code));
    expect(page.status).toBe(200);
    const form = findingForm(await readPage(page));
    return client.post(form.action, { baseVersion: form.baseVersion, idempotencyKey: form.idempotencyKey, ...blankFields, ...fields });
  }

  beforeAll(async () => {
    server = await startServer();
    const visits = scheduledVisits().filter((v) => v.lead && v.member);
    expect(visits.length).toBeGreaterThanOrEqual(2);
    visit = visits[0]!;
    otherVisit = visits.find((v) => v.id !== visit.id)!;
    const team = new Set([visit.lead, visit.member]);
    const outsiderEmail = Array.from({ length: 12 }, (_, i) => `inspector${i + 1}@deepdive.test`).find((e) => !team.has(e))!;
    [lead, member, programmeLead, admin, outsider] = (await Promise.all(
      [visit.lead, visit.member, "lead@deepdive.test", "admin@deepdive.test", outsiderEmail].map((email) => signedIn(server.url, email)),
    )) as [Client, Client, Client, Client, Client];
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the visit's lead starts the inspection against both frameworks: 49 findings, planned, linked from the visit", async () => {
    const visitPage = await lead.get(`/visits/${visit.id}`);
    expect(visitPage.status).toBe(200);
    const visitHtml = await readPage(visitPage);
    expect(visitHtml).toContain(`href="/inspections/new?visit=${visit.id}"`);
    expect(visitHtml).toContain("Start the inspection");
    // The other member of the team sees the visit but cannot start its inspection.
    const memberVisit = await readPage(await member.get(`/visits/${visit.id}`));
    expect(memberVisit).not.toContain(`/inspections/new?visit=${visit.id}`);
    expect(memberVisit).toContain("Not started yet");
    expect((await member.get(`/inspections/new?visit=${visit.id}`)).status).toBe(404);
    expect((await member.post(`/inspections/new?visit=${visit.id}`, { [`profile-${frameworkVersionId("caf")}`]: "1" })).status).toBe(404);
    expect((await outsider.get(`/inspections/new?visit=${visit.id}`)).status).toBe(404);

    const formPage = await lead.get(`/inspections/new?visit=${visit.id}`);
    expect(formPage.status).toBe(200);
    const formHtml = await readPage(formPage);
    const caf = frameworkVersionId("caf");
    const ce = frameworkVersionId("cyber-essentials-plus");
    const firstProfile = (versionId: number) => {
      const select = new RegExp(`<select[^>]*name="profile-${versionId}"[^>]*>([\\s\\S]*?)</select>`).exec(formHtml)?.[1];
      if (!select) throw new Error(`no select for framework version ${versionId}`);
      const values = [...select.matchAll(/<option[^>]*value="([^"]*)"/g)].map((m) => m[1]!);
      expect(values[0]).toBe(""); // "Not used in this inspection"
      return values[1]!;
    };
    const cafProfile = firstProfile(caf);
    const ceProfile = firstProfile(ce);
    const profileCode = (id: string) => withSqlite((db) => (db.prepare("SELECT code FROM framework_profiles WHERE id = ?").get(Number(id)) as { code: string }).code);
    expect(profileCode(cafProfile)).toBe("govassure-baseline");
    expect(profileCode(ceProfile)).toBe("all-met");

    // Choosing no framework at all is refused, and nothing is created.
    const none = await lead.post(`/inspections/new?visit=${visit.id}`, { [`profile-${caf}`]: "", [`profile-${ce}`]: "" });
    expect(none.status).toBe(400);
    expect(await readPage(none)).toContain("Choose at least one framework");
    expect(withSqlite((db) => db.prepare("SELECT id FROM inspections WHERE visit_id = ?").get(visit.id))).toBeUndefined();

    const created = await lead.post(`/inspections/new?visit=${visit.id}`, { [`profile-${caf}`]: cafProfile, [`profile-${ce}`]: ceProfile });
    expect(created.status).toBe(302);
    inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect(inspectionId).not.toBe("");

    const row = withSqlite((db) => db.prepare("SELECT status, visit_id AS visitId, trust_code AS trustCode, created_by AS createdBy FROM inspections WHERE id = ?").get(inspectionId));
    expect(row).toEqual({ status: "planned", visitId: visit.id, trustCode: visit.trustCode, createdBy: userId(visit.lead) });
    const counts = withSqlite((db) => ({
      findings: (db.prepare("SELECT count(*) AS n FROM findings WHERE inspection_id = ?").get(inspectionId) as { n: number }).n,
      assessed: (db.prepare("SELECT count(*) AS n FROM findings WHERE inspection_id = ? AND (rating <> 'not_assessed' OR version <> 0)").get(inspectionId) as { n: number }).n,
      frameworks: db.prepare("SELECT framework_version_id AS v, profile_id AS p FROM inspection_frameworks WHERE inspection_id = ? ORDER BY framework_version_id").all(inspectionId),
    }));
    expect(counts.findings).toBe(49);
    expect(counts.assessed).toBe(0);
    expect(counts.frameworks).toEqual(
      [
        { v: caf, p: Number(cafProfile) },
        { v: ce, p: Number(ceProfile) },
      ].sort((a, b) => a.v - b.v),
    );
    expect(auditCount("inspection.created", inspectionId)).toBe(1);

    const after = await readPage(await lead.get(`/visits/${visit.id}`));
    expect(after).toContain(`href="/inspections/${inspectionId}"`);
    expect(after).toContain("Open the inspection");
    expect(after).not.toContain("Start the inspection");

    // A visit has one inspection.
    const again = await lead.post(`/inspections/new?visit=${visit.id}`, { [`profile-${caf}`]: cafProfile });
    expect(again.status).toBe(400);
    expect(await readPage(again)).toContain("This visit already has an inspection");

    // A programme lead starts one for another visit (Cyber Essentials Plus only).
    expect(await readPage(await programmeLead.get(`/visits/${otherVisit.id}`))).toContain(`/inspections/new?visit=${otherVisit.id}`);
    expect((await programmeLead.get(`/inspections/new?visit=${otherVisit.id}`)).status).toBe(200);
    const byLead = await programmeLead.post(`/inspections/new?visit=${otherVisit.id}`, { [`profile-${caf}`]: "", [`profile-${ce}`]: ceProfile });
    expect(byLead.status).toBe(302);
    const otherId = /^\/inspections\/([0-9a-f-]{36})$/.exec(byLead.headers.get("location") ?? "")?.[1];
    expect(otherId).toBeTruthy();
    expect(withSqlite((db) => db.prepare("SELECT count(*) AS n FROM findings WHERE inspection_id = ?").get(otherId))).toEqual({ n: 10 });
  });

  it("records nothing before arrival; only the visit's lead records the arrival", async () => {
    const url = criterionUrl("A2.a");
    const page = await member.get(url);
    expect(page.status).toBe(200);
    const html = await readPage(page);
    expect(html).toContain("Findings are recorded once the team has arrived on site");
    expect(html).not.toContain('id="finding-form"');
    expect(html).not.toContain('name="idempotencyKey"');

    const finding = findingOf(inspectionId, "A2.a");
    const early = { baseVersion: "0", idempotencyKey: aKey(), ...blankFields, rating: "achieved", observed: "Too early" };
    expect((await member.post(url, early)).status).toBe(404);
    expect((await lead.post(url, { ...early, idempotencyKey: aKey() })).status).toBe(404);
    expect((await outsider.post(url, { ...early, idempotencyKey: aKey() })).status).toBe(404);
    expect(findingOf(inspectionId, "A2.a")).toEqual(finding);
    expect(revisionsOf(finding.id)).toEqual([]);

    // The overview: the lead is offered the arrival, the member is told to wait for it.
    const leadOverview = await readPage(await lead.get(`/inspections/${inspectionId}`));
    expect(leadOverview).toContain("Record our arrival");
    expect(leadOverview).toContain("0 of 49 criteria assessed");
    const memberOverview = await readPage(await member.get(`/inspections/${inspectionId}`));
    expect(memberOverview).not.toContain("Record our arrival");
    expect(memberOverview).toContain("Findings can be recorded once the visit's lead inspector records the team's arrival.");

    const byMember = await member.post(`/inspections/${inspectionId}`, { intent: "arrive" });
    expect(byMember.status).toBe(400);
    expect(await readPage(byMember)).toContain("Only the visit's lead inspector records the arrival");
    const byProgrammeLead = await programmeLead.post(`/inspections/${inspectionId}`, { intent: "arrive" });
    expect(byProgrammeLead.status).toBe(400);
    expect(withSqlite((db) => db.prepare("SELECT status, arrived_at AS at FROM inspections WHERE id = ?").get(inspectionId))).toEqual({ status: "planned", at: null });
    expect(auditCount("inspection.arrived", inspectionId)).toBe(0);

    const before = Date.now();
    const arrived = await lead.post(`/inspections/${inspectionId}`, { intent: "arrive" });
    expect(arrived.status).toBe(302);
    expect(arrived.headers.get("location")).toBe(`/inspections/${inspectionId}?done=arrived`);
    const row = withSqlite((db) => db.prepare("SELECT status, arrived_at AS at, arrived_by AS by FROM inspections WHERE id = ?").get(inspectionId)) as { status: string; at: string; by: string };
    expect(row.status).toBe("on_site");
    expect(row.by).toBe(userId(visit.lead));
    expect(Date.parse(row.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(row.at)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(auditCount("inspection.arrived", inspectionId)).toBe(1);
    expect(await readPage(await lead.get(`/inspections/${inspectionId}?done=arrived`))).toContain("Arrival recorded");

    // Recorded once only.
    const twice = await lead.post(`/inspections/${inspectionId}`, { intent: "arrive" });
    expect(twice.status).toBe(400);
    expect(await readPage(twice)).toContain("The arrival is already recorded");
    expect(auditCount("inspection.arrived", inspectionId)).toBe(1);

    // Now the member has the form.
    expect(await readPage(await member.get(url))).toContain('id="finding-form"');
  });

  it("a team member saves a CAF finding with a plain form post, and goes on to the next criterion", async () => {
    const url = criterionUrl("A2.a");
    const finding = findingOf(inspectionId, "A2.a");
    expect(finding.version).toBe(0);
    const saved = await saveFrom(member, "A2.a", {
      rating: "partially_achieved",
      observed: "Risk register reviewed quarterly; two cyber risks past their review date.",
      evidenceDocuments: "Corporate risk register (v12)",
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(`${url}?saved=this`);

    const row = findingOf(inspectionId, "A2.a");
    expect(row).toMatchObject({
      rating: "partially_achieved",
      derived_rating: null,
      observed: "Risk register reviewed quarterly; two cyber risks past their review date.",
      evidence_documents: "Corporate risk register (v12)",
      version: 1,
      updated_by: userId(visit.member),
    });
    const revisions = revisionsOf(finding.id);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ version: 1, savedBy: userId(visit.member), content: { rating: "partially_achieved", observed: row.observed } });

    const after = await member.get(saved.headers.get("location")!);
    expect(after.status).toBe(200);
    const html = await readPage(after);
    expect(html).toContain("Saved at ");
    expect(html).toContain("Partially achieved");
    expect(textareaValue(html, "observed")).toBe(row.observed);
    expect(findingForm(html).baseVersion).toBe("1");

    // "Save and go to the next criterion": saved, then the next criterion's page says so.
    const next = await saveFrom(member, "A2.a", { rating: "partially_achieved", observed: row.observed, then: "next" });
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toBe(`${criterionUrl("A2.b")}?saved=A2.a`);
    expect(findingOf(inspectionId, "A2.a").version).toBe(2);
    const nextPage = await readPage(await member.get(next.headers.get("location")!));
    expect(nextPage).toContain("A2.a saved");
    expect(nextPage).toContain("A2.b ");
  });

  it("applies a form sent twice once, and answers the second like the first", async () => {
    const finding = findingOf(inspectionId, "A3.a");
    const page = await readPage(await lead.get(criterionUrl("A3.a")));
    const form = findingForm(page);
    const fields = { baseVersion: form.baseVersion, idempotencyKey: form.idempotencyKey, ...blankFields, rating: "achieved", observed: "Asset register complete and current." };
    const first = await lead.post(form.action, fields);
    expect(first.status).toBe(302);
    const second = await lead.post(form.action, fields);
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(findingOf(inspectionId, "A3.a")).toMatchObject({ version: 1, observed: "Asset register complete and current." });
    expect(revisionsOf(finding.id)).toHaveLength(1);
    expect(withSqlite((db) => db.prepare("SELECT count(*) AS n FROM finding_saves WHERE idempotency_key = ?").get(form.idempotencyKey))).toEqual({ n: 1 });

    // The same key from someone else is not theirs to replay.
    const stolen = await member.post(form.action, fields);
    expect(stolen.status).toBe(400);
    expect(revisionsOf(finding.id)).toHaveLength(1);
  });

  it("never overwrites another inspector's save: shows both, merges them, saves the merge", async () => {
    const code = "B1.a";
    const finding = findingOf(inspectionId, code);
    const [pageA, pageB] = await Promise.all([lead.get(criterionUrl(code)), member.get(criterionUrl(code))]);
    const formA = findingForm(await readPage(pageA));
    const formB = findingForm(await readPage(pageB));
    expect(formA.baseVersion).toBe("0");
    expect(formB.baseVersion).toBe("0");

    const textA = "Information security policy approved by the board in March.";
    const textB = "Policy not yet communicated to ward staff.";
    const savedA = await lead.post(formA.action, { baseVersion: formA.baseVersion, idempotencyKey: formA.idempotencyKey, ...blankFields, rating: "achieved", observed: textA });
    expect(savedA.status).toBe(302);

    const valuesB = { ...blankFields, rating: "partially_achieved", observed: textB, evidencePeople: "Ward manager, ward 4" };
    const conflict = await member.post(formB.action, { baseVersion: formB.baseVersion, idempotencyKey: formB.idempotencyKey, ...valuesB });
    expect(conflict.status).toBe(409);
    const conflictHtml = await readPage(conflict);
    expect(conflictHtml).toContain("Someone else saved this finding while you were working");
    const observedRow = /<tr[^>]*><th[^>]*>What was observed<\/th><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><\/tr>/.exec(conflictHtml);
    expect(observedRow?.slice(1)).toEqual([textA, textB]);
    const ratingRow = /<tr[^>]*><th[^>]*>Rating<\/th><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><\/tr>/.exec(conflictHtml);
    expect(ratingRow?.slice(1)).toEqual(["Achieved", "Partially achieved"]);
    // B's work is still in the form; A's is untouched in the database.
    expect(textareaValue(conflictHtml, "observed")).toBe(textB);
    expect(findingOf(inspectionId, code)).toMatchObject({ observed: textA, rating: "achieved", version: 1, updated_by: userId(visit.lead), evidence_documents: "" });
    expect(revisionsOf(finding.id)).toHaveLength(1);
    const afterConflict = findingForm(conflictHtml);
    expect(afterConflict.baseVersion).toBe("1");
    expect(afterConflict.idempotencyKey).not.toBe(formB.idempotencyKey);

    // Merge: A's text then B's, in the form to edit; nothing saved yet.
    const merge = await member.post(afterConflict.action, { baseVersion: afterConflict.baseVersion, idempotencyKey: afterConflict.idempotencyKey, ...valuesB, intent: "merge" });
    expect(merge.status).toBe(409);
    const mergeHtml = await readPage(merge);
    const merged = textareaValue(mergeHtml, "observed");
    expect(merged).toBe(`${textA}\n\n${textB}`);
    expect(textareaValue(mergeHtml, "evidencePeople")).toBe("Ward manager, ward 4");
    expect(findingOf(inspectionId, code).version).toBe(1);
    expect(revisionsOf(finding.id)).toHaveLength(1);

    const mergeForm = findingForm(mergeHtml);
    expect(mergeForm.baseVersion).toBe("1");
    const savedB = await member.post(mergeForm.action, {
      baseVersion: mergeForm.baseVersion,
      idempotencyKey: mergeForm.idempotencyKey,
      ...valuesB,
      observed: merged,
      evidencePeople: textareaValue(mergeHtml, "evidencePeople"),
    });
    expect(savedB.status).toBe(302);
    expect(findingOf(inspectionId, code)).toMatchObject({ observed: merged, rating: "partially_achieved", version: 2, updated_by: userId(visit.member) });
    const revisions = revisionsOf(finding.id);
    expect(revisions.map((r) => [r.version, r.savedBy, r.content.observed])).toEqual([
      [1, userId(visit.lead), textA],
      [2, userId(visit.member), merged],
    ]);
    // The refused save is remembered as a conflict, so a retry of it is refused again.
    expect(withSqlite((db) => db.prepare("SELECT outcome, base_version AS base, result_version AS result FROM finding_saves WHERE idempotency_key = ?").get(formB.idempotencyKey))).toEqual({
      outcome: "conflict",
      base: 0,
      result: 1,
    });
    const retried = await member.post(formB.action, { baseVersion: formB.baseVersion, idempotencyKey: formB.idempotencyKey, ...valuesB });
    expect(retried.status).toBe(409);
    expect(findingOf(inspectionId, code).observed).toBe(merged);
  });

  it("derives a Cyber Essentials theme's rating from its requirements, and overrides it only with a reason", async () => {
    const code = "CE-FW";
    const requirements = withSqlite(
      (db) => (db.prepare("SELECT code FROM framework_indicators WHERE criterion_id = ? ORDER BY position").all(criterionId(code)) as { code: string }[]).map((r) => r.code),
    );
    expect(requirements.length).toBeGreaterThan(1);
    const answers = (notMet: string | null) => Object.fromEntries(requirements.map((r) => [`met-${r}`, r === notMet ? "not_met" : "met"]));

    // Every requirement Met, rating left to the answers: Met.
    const allMet = await saveFrom(member, code, { ...answers(null), observed: "Boundary firewalls configured and reviewed." });
    expect(allMet.status).toBe(302);
    expect(findingOf(inspectionId, code)).toMatchObject({ rating: "achieved", derived_rating: "achieved", version: 1 });
    expect(JSON.parse(findingOf(inspectionId, code).indicator_answers)).toEqual(Object.fromEntries(requirements.map((r) => [r, true])));
    const metPage = await readPage(await member.get(criterionUrl(code)));
    expect(metPage).toMatch(/Rating now<\/dt><dd[^>]*>Met</);

    // One Not met: Not met.
    const oneNotMet = await saveFrom(member, code, answers(requirements[1]!));
    expect(oneNotMet.status).toBe(302);
    expect(findingOf(inspectionId, code)).toMatchObject({ rating: "not_achieved", derived_rating: "not_achieved", version: 2 });
    expect(await readPage(await member.get(criterionUrl(code)))).toMatch(/Rating now<\/dt><dd[^>]*>Not met \(a gap against the profile\)</);

    // Choosing Met anyway needs a reason: refused, nothing saved.
    const before = findingOf(inspectionId, code);
    const noReason = await saveFrom(member, code, { ...answers(requirements[1]!), rating: "achieved" });
    expect(noReason.status).toBe(400);
    const refusedHtml = await readPage(noReason);
    expect(refusedHtml).toContain("The requirements give Not met: give a reason to rate it differently");
    expect(refusedHtml).toContain('id="rating-error"');
    expect(findingOf(inspectionId, code)).toEqual(before);
    expect(revisionsOf(before.id)).toHaveLength(2);

    const withReason = await saveFrom(member, code, {
      ...answers(requirements[1]!),
      rating: "achieved",
      overrideReason: "  The one open port is a documented, approved exception.  ",
    });
    expect(withReason.status).toBe(302);
    expect(findingOf(inspectionId, code)).toMatchObject({
      rating: "achieved",
      derived_rating: "not_achieved",
      override_reason: "The one open port is a documented, approved exception.",
      version: 3,
    });

    // A Cyber Essentials Plus test: no more devices failing than sampled.
    const test = "CEP-T1";
    const testFinding = findingOf(inspectionId, test);
    const tooMany = await saveFrom(member, test, { rating: "not_achieved", devicesSampled: "10", devicesFailing: "12" });
    expect(tooMany.status).toBe(400);
    const tooManyHtml = await readPage(tooMany);
    expect(tooManyHtml).toContain("Devices failing cannot be more than devices sampled");
    expect(tooManyHtml).toMatch(/<input[^>]*name="devicesFailing"[^>]*value="12"/);
    expect(findingOf(inspectionId, test)).toEqual(testFinding);
    const ok = await saveFrom(member, test, { rating: "not_achieved", devicesSampled: "10", devicesFailing: "2" });
    expect(ok.status).toBe(302);
    expect(findingOf(inspectionId, test)).toMatchObject({ rating: "not_achieved", devices_sampled: 10, devices_failing: 2, version: 1 });

    // Devices belong to Cyber Essentials Plus tests only: a CAF outcome refuses them.
    const cafDevices = await saveFrom(member, "B2.c", { rating: "achieved", devicesSampled: "3" });
    expect(cafDevices.status).toBe(400);
    expect(await readPage(cafDevices)).toContain("Devices are recorded only for Cyber Essentials Plus tests");
    expect(findingOf(inspectionId, "B2.c").version).toBe(0);
  });

  it("refuses text over the limit with nothing saved, and stores text without control characters", async () => {
    const code = "B2.a";
    const finding = findingOf(inspectionId, code);
    const tooLong = await saveFrom(member, code, { rating: "achieved", observed: "x".repeat(20_001) });
    expect(tooLong.status).toBe(400);
    expect(await readPage(tooLong)).toContain("What was observed must be 20,000 characters or fewer");
    expect(findingOf(inspectionId, code)).toEqual(finding);
    expect(revisionsOf(finding.id)).toEqual([]);

    const atLimit = await saveFrom(member, code, { rating: "achieved", observed: "y".repeat(20_000) });
    expect(atLimit.status).toBe(302);
    expect(findingOf(inspectionId, code).observed).toHaveLength(20_000);

    const dirty = await saveFrom(member, code, {
      rating: "achieved",
      observed: "Line one\u0007\u001b\r\nLine two\u0000\twith a tab, cafe\u0301\u0085.",
      evidenceDocuments: "MFA policy\u0008\u007f",
    });
    expect(dirty.status).toBe(302);
    expect(findingOf(inspectionId, code)).toMatchObject({ observed: "Line one\nLine two\twith a tab, caf\u00e9.", evidence_documents: "MFA policy", version: 2 });
  });

  it("shows an inspection only to its team, programme leads and admins; only the team writes; views are audited", async () => {
    const overview = `/inspections/${inspectionId}`;
    const criterion = criterionUrl("B3.a");
    const finding = findingOf(inspectionId, "B3.a");
    const post = (client: Client) => client.post(criterion, { baseVersion: "0", idempotencyKey: aKey(), ...blankFields, rating: "achieved", observed: "Not theirs to write" });

    // An inspector not on the team: 404 everywhere, each refusal audited, no view recorded.
    const viewsBefore = auditCount("inspection.viewed", inspectionId);
    const deniedBefore = auditCount("authorisation.denied", overview);
    expect((await outsider.get(overview)).status).toBe(404);
    expect((await outsider.get(criterion)).status).toBe(404);
    expect((await post(outsider)).status).toBe(404);
    expect((await outsider.post(overview, { intent: "arrive" })).status).toBe(404);
    expect(await readPage(await outsider.get("/inspections"))).not.toContain(inspectionId);
    expect(auditCount("inspection.viewed", inspectionId)).toBe(viewsBefore);
    expect(auditCount("authorisation.denied", overview)).toBe(deniedBefore + 2);

    // Programme leads and admins read, and each view is audited; a save from them is refused.
    for (const reader of [programmeLead, admin]) {
      const before = auditCount("inspection.viewed", inspectionId);
      const page = await reader.get(overview);
      expect(page.status).toBe(200);
      expect(await readPage(page)).toContain(visit.trustName);
      const criterionPage = await reader.get(criterion);
      expect(criterionPage.status).toBe(200);
      const html = await readPage(criterionPage);
      expect(html).toContain("Only the inspection team records findings.");
      expect(html).not.toContain('id="finding-form"');
      expect(auditCount("inspection.viewed", inspectionId)).toBe(before + 2);
      expect(await readPage(await reader.get("/inspections"))).toContain(`/inspections/${inspectionId}`);
      expect((await post(reader)).status).toBe(404);
    }
    // The team's views are audited too.
    const teamBefore = auditCount("inspection.viewed", inspectionId);
    expect((await member.get(criterion)).status).toBe(200);
    expect(auditCount("inspection.viewed", inspectionId)).toBe(teamBefore + 1);
    const lastView = withSqlite(
      (db) => db.prepare("SELECT actor_user_id AS actor, summary FROM audit_events WHERE action = 'inspection.viewed' AND object_id = ? ORDER BY seq DESC LIMIT 1").get(inspectionId) as { actor: string; summary: string },
    );
    expect(lastView.actor).toBe(userId(visit.member));
    expect(JSON.parse(lastView.summary)).toEqual({ page: "criterion B3.a" });

    // Trust users, of another trust and of this one: 404 on every inspection URL.
    const hash = withSqlite((db) => (db.prepare("SELECT password_hash AS hash FROM users WHERE email = 'trust.rj1@deepdive.test'").get() as { hash: string }).hash);
    const ownEmail = `trust.inspected.${randomUUID().slice(0, 8)}@deepdive.test`;
    withSqlite((db) =>
      db
        .prepare("INSERT INTO users (id, email, name, role, trust_code, password_hash, is_demo) VALUES (?, ?, ?, 'trust_user', ?, ?, 1)")
        .run(randomUUID(), ownEmail, `Test user (${visit.trustCode})`, visit.trustCode, hash),
    );
    const trustViewsBefore = auditCount("inspection.viewed", inspectionId);
    for (const email of ["trust.rj1@deepdive.test", ownEmail]) {
      const trust = await signedIn(server.url, email);
      for (const url of ["/inspections", overview, criterion, `/inspections/new?visit=${visit.id}`, `/visits/${visit.id}`]) {
        const response = await trust.get(url);
        expect(response.status, `${email} GET ${url}`).toBe(404);
        expect(await readPage(response)).not.toContain(visit.trustName);
      }
      expect((await post(trust)).status).toBe(404);
      expect((await trust.post(overview, { intent: "arrive" })).status).toBe(404);
      expect((await trust.post(`/inspections/new?visit=${visit.id}`, { [`profile-${frameworkVersionId("caf")}`]: "1" })).status).toBe(404);
    }
    expect(auditCount("inspection.viewed", inspectionId)).toBe(trustViewsBefore);
    expect(findingOf(inspectionId, "B3.a")).toEqual(finding);
    expect(revisionsOf(finding.id)).toEqual([]);
  });

  it("shows progress and gaps against the profile on the overview", async () => {
    const code = "A1.a"; // GovAssure Baseline minimum: achieved
    const minimum = withSqlite(
      (db) =>
        (db
          .prepare("SELECT m.minimum FROM profile_minimums m JOIN inspection_frameworks f ON f.profile_id = m.profile_id WHERE f.inspection_id = ? AND m.criterion_id = ?")
          .get(inspectionId, criterionId(code)) as { minimum: string }).minimum,
    );
    expect(minimum).toBe("achieved");
    const overview = `/inspections/${inspectionId}`;
    const assessed = assessedCount(inspectionId);
    expect(assessed).toBeGreaterThan(0);
    const before = await readPage(await member.get(overview));
    expect(before).toContain(`${assessed} of 49 criteria assessed`);
    expect(overviewRow(before, inspectionId, criterionId(code))).toContain("Not assessed yet");

    expect((await saveFrom(member, code, { rating: "partially_achieved", observed: "No board cyber training in two years." })).status).toBe(302);
    const gap = await readPage(await member.get(overview));
    expect(gap).toContain(`${assessed + 1} of 49 criteria assessed`);
    const gapRow = overviewRow(gap, inspectionId, criterionId(code));
    expect(gapRow).toContain("Partially achieved");
    expect(gapRow).toContain("Gap: severity needed");

    expect((await saveFrom(member, code, { rating: "partially_achieved", observed: "No board cyber training in two years.", severity: "high" })).status).toBe(302);
    expect(findingOf(inspectionId, code)).toMatchObject({ severity: "high", version: 2 });
    const high = await readPage(await member.get(overview));
    expect(high).toContain(`${assessed + 1} of 49 criteria assessed`);
    const highRow = overviewRow(high, inspectionId, criterionId(code));
    expect(highRow).toContain("Gap: High");
    expect(highRow).not.toContain("severity needed");
    // A criterion at its minimum meets the profile (A2.a: partially achieved against a partially achieved minimum).
    expect(overviewRow(high, inspectionId, criterionId("A2.a"))).toContain("Meets the profile");
  });
});
