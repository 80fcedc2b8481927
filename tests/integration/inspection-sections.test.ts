/**
 * A section at a time, and movement since the last inspection, over real HTTP and a real SQLite file, as a browser
 * without JavaScript uses them.
 *
 * The trust and both its inspections are made here, not taken from the demo data: a trust with no visit and no
 * inspection gets two visits (12 March 2025 and 10 March 2026) with the same team. The earlier one is inspected
 * through the domain functions (createInspection, recordArrival, saveFinding, leaveSite, submitInspection, and
 * startReview and approveInspection from app/inspections/review.server.ts), rating NCSC CAF's A1 Governance
 * Partially achieved, Achieved, Achieved; the later one is on site against CAF and Cyber Essentials Plus.
 *
 * - The section page lists every criterion of the section (and of the sections below it) with its own form, links to
 *   each criterion's page and to the sections before and after it, and is linked from the overview.
 * - Saving one form stores that finding only and comes back to the section with a banner, at the next criterion; a
 *   form sent twice is saved once; bad input is refused with nothing saved.
 * - A form based on a version someone else has since saved is a conflict: nothing is overwritten, both versions
 *   are shown above that criterion's form (which keeps what was typed), and a merge can be saved.
 * - Trust users and inspectors not on the team get 404; programme leads and admins read it; views are audited.
 * - Movement: nothing while the earlier inspection is only submitted; once it is approved, each criterion shows the
 *   earlier rating and whether it improved, held or fell (criterion page, section page, overview), and each section
 *   on the overview its counts; a framework the trust was not inspected on before shows no comparison.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../app/audit/audit.server";
import type { Rating } from "../../app/baseline/rating";
import { openDatabase, type Db } from "../../app/db.server";
import { saveFinding } from "../../app/inspections/findings.server";
import { createInspection, recordArrival } from "../../app/inspections/inspections.server";
import { approveInspection, leaveSite, startReview, submitInspection } from "../../app/inspections/review.server";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let db: Db;

const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;
const all = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).all(...params) as T[];
const aKey = () => randomBytes(16).toString("base64url");

interface FindingRow {
  id: string;
  rating: string;
  observed: string;
  evidence_people: string;
  devices_sampled: number | null;
  version: number;
  updated_by: string | null;
}

/** Every field a finding form sends when nothing is touched (a browser sends empty text and the checked radios). */
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

/** The finding forms on a section page, by criterion id: where each posts and its hidden fields. */
function sectionForms(html: string): Map<number, { action: string; baseVersion: string; idempotencyKey: string; criterionId: string; html: string }> {
  const forms = new Map<number, { action: string; baseVersion: string; idempotencyKey: string; criterionId: string; html: string }>();
  for (const match of html.matchAll(/<form[^>]*id="finding-form-(\d+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const [open, id, body] = [match[0].slice(0, match[0].indexOf(">") + 1), match[1]!, match[2]!];
    const action = /action="([^"]*)"/.exec(open)?.[1];
    const baseVersion = /name="baseVersion" value="(\d+)"/.exec(body)?.[1];
    const idempotencyKey = /name="idempotencyKey" value="([A-Za-z0-9_-]+)"/.exec(body)?.[1];
    const criterionId = /name="criterionId" value="(\d+)"/.exec(body)?.[1];
    if (!action || baseVersion === undefined || !idempotencyKey || !criterionId) throw new Error(`form ${id} lacks its action or hidden fields`);
    forms.set(Number(id), { action, baseVersion, idempotencyKey, criterionId, html: body });
  }
  return forms;
}

function textareaValue(html: string, id: string): string {
  const match = new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (!match) throw new Error(`no textarea #${id}`);
  return match[1]!;
}

describe("a section at a time, and movement since the last inspection", () => {
  let trustCode = "";
  let trustName = "";
  let lead = "";
  let member = "";
  let leadActor: Actor;
  let programmeLeadActor: Actor;
  let earlierId = "";
  let inspectionId = "";
  let leadClient: Client;
  let memberClient: Client;
  let outsider: Client;
  let programmeLead: Client;
  let admin: Client;

  const criterionId = (code: string) => one<{ id: number }>("SELECT id FROM framework_criteria WHERE code = ?", code).id;
  const sectionId = (code: string) => one<{ id: number }>("SELECT id FROM framework_sections WHERE code = ?", code).id;
  const findingOf = (inspection: string, code: string) =>
    one<FindingRow>("SELECT f.* FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? AND c.code = ?", inspection, code);
  const revisions = (findingId: string) => one<{ n: number }>("SELECT count(*) AS n FROM finding_revisions WHERE finding_id = ?", findingId).n;
  const auditCount = (action: string, objectId: string) => one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = ? AND object_id = ?", action, objectId).n;
  const sectionUrl = (code: string) => `/inspections/${inspectionId}/sections/${sectionId(code)}`;
  const criterionUrl = (code: string) => `/inspections/${inspectionId}/criteria/${criterionId(code)}`;
  const actorOf = (email: string): Actor => ({ userId: one<{ id: string }>("SELECT id FROM users WHERE email = ?", email).id, label: email, clientAddress: "192.0.2.30" });

  /** GETs the section page as `client` and posts the form of `code` with `fields` on top of an untouched form. */
  async function saveFromSection(client: Client, section: string, code: string, fields: Record<string, string>) {
    const page = await client.get(sectionUrl(section));
    expect(page.status).toBe(200);
    const form = sectionForms(await readPage(page)).get(criterionId(code));
    if (!form) throw new Error(`no form for ${code} on section ${section}`);
    return client.post(form.action, { baseVersion: form.baseVersion, idempotencyKey: form.idempotencyKey, criterionId: form.criterionId, ...blankFields, ...fields });
  }

  beforeAll(async () => {
    server = await startServer();
    db = openDatabase(server.databaseFile);
    // A trust nobody has visited or inspected, demo data or not.
    ({ code: trustCode, name: trustName } = one<{ code: string; name: string }>(
      `SELECT ods_code AS code, name FROM trusts WHERE closed_on IS NULL
         AND ods_code NOT IN (SELECT trust_code FROM visits) AND ods_code NOT IN (SELECT trust_code FROM inspections)
       ORDER BY ods_code LIMIT 1`,
    ));
    lead = "inspector5@deepdive.test";
    member = "inspector6@deepdive.test";
    leadActor = actorOf(lead);
    programmeLeadActor = actorOf("lead@deepdive.test");
    const roundId = randomUUID();
    db.$client
      .prepare(
        `INSERT INTO selection_rounds (id, name, period_start, period_end, capacity, min_months_since_inspection, validation_share, seed, commitment, status, created_by)
         VALUES (?, 'Sections test', '2025-01-01', '2026-12-31', 2, 0, 0, ?, ?, 'closed', ?)`,
      )
      .run(roundId, randomBytes(32).toString("hex"), randomBytes(32).toString("hex"), programmeLeadActor.userId);
    const visit = (date: string) => {
      const id = randomUUID();
      db.$client.prepare("INSERT INTO visits (id, round_id, trust_code, visit_date, status) VALUES (?, ?, ?, ?, 'scheduled')").run(id, roundId, trustCode, date);
      db.$client.prepare("INSERT INTO visit_team_members (visit_id, inspector_id, role) VALUES (?, ?, 'lead'), (?, ?, 'member')").run(id, leadActor.userId, id, actorOf(member).userId);
      return id;
    };
    const [earlierVisit, laterVisit] = [visit("2025-03-12"), visit("2026-03-10")];
    const profile = (framework: string, code: string) =>
      one<{ frameworkVersionId: number; profileId: number }>(
        "SELECT v.id AS frameworkVersionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = ? AND p.code = ?",
        framework,
        code,
      );
    const caf = profile("caf", "govassure-baseline");
    const cep = profile("cyber-essentials-plus", "all-met");

    // The earlier inspection: CAF only, every criterion rated, submitted (approved in the movement test).
    earlierId = createInspection(earlierVisit, [caf], leadActor, db);
    recordArrival(earlierId, leadActor, db);
    const earlierRatings: Record<string, Rating> = { "A1.a": "partially_achieved", "A1.b": "achieved", "A1.c": "achieved" };
    for (const f of all<{ id: string; code: string }>("SELECT f.id, c.code FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ?", earlierId)) {
      const chosenRating = earlierRatings[f.code] ?? "achieved";
      // A rating below the profile's minimum needs a severity to be submitted; none of the others is a gap.
      const outcome = saveFinding(f.id, { idempotencyKey: aKey(), baseVersion: 0, fields: { chosenRating, severity: chosenRating === "achieved" ? null : "medium", observed: `Earlier: ${f.code}` } }, { id: leadActor.userId! }, db);
      expect(outcome.outcome).toBe("saved");
    }
    leaveSite(earlierId, leadActor, db);
    submitInspection(earlierId, leadActor, db);

    // This inspection: CAF and Cyber Essentials Plus, on site.
    inspectionId = createInspection(laterVisit, [caf, cep], leadActor, db);
    recordArrival(inspectionId, leadActor, db);

    const outsiderEmail = "inspector7@deepdive.test";
    [leadClient, memberClient, outsider, programmeLead, admin] = (await Promise.all(
      [lead, member, outsiderEmail, "lead@deepdive.test", "admin@deepdive.test"].map((email) => signedIn(server.url, email)),
    )) as [Client, Client, Client, Client, Client];
  });
  afterAll(async () => {
    db?.$client.close();
    await server?.stop();
  });

  it("lists every criterion of a section with its own form, links each to its page and to the sections around it", async () => {
    const viewsBefore = auditCount("inspection.viewed", inspectionId);
    const page = await memberClient.get(sectionUrl("A1"));
    expect(page.status).toBe(200);
    const html = await readPage(page);
    expect(html).toContain('<h1 class="govuk-heading-l">A1 Governance</h1>');
    const forms = sectionForms(html);
    expect([...forms.keys()]).toEqual(["A1.a", "A1.b", "A1.c"].map(criterionId));
    for (const [id, form] of forms) {
      expect(form.criterionId).toBe(String(id));
      expect(form.baseVersion).toBe("0");
      expect(form.action).toBe(sectionUrl("A1"));
      // Every field of the finding, with ids of its own on this page.
      for (const field of ["observed", "evidenceDocuments", "evidencePeople", "evidenceSystems", "recommendation", "overrideReason"]) {
        expect(form.html).toContain(`id="c${id}-${field}" name="${field}"`);
      }
      expect(form.html).toContain(`id="c${id}-actionDue" name="actionDueDay"`);
      expect(form.html).toMatch(new RegExp(`id="c${id}-severity"[^>]*name="severity"`));
      expect(form.html).toMatch(new RegExp(`id="c${id}-rating"[^>]*name="rating"`));
      // Nothing chosen yet: "Not rated yet" (the shipped CAF has no indicators, so the inspector chooses).
      expect(form.html).toMatch(new RegExp(`id="c${id}-rating" name="rating" type="radio" checked="" value=""`));
      expect(html).toMatch(new RegExp(`<h2 class="govuk-heading-m" id="criterion-${id}" tabindex="-1"><a class="govuk-link"[^>]* href="/inspections/${inspectionId}/criteria/${id}">`));
    }
    // Every form has its own key; a browser without JavaScript saves each with its own Save button.
    expect(new Set([...forms.values()].map((f) => f.idempotencyKey)).size).toBe(3);
    expect(html.match(/<button type="submit" name="then" value="stay" class="govuk-button"/g)).toHaveLength(3);
    expect(html).toContain('Save<span class="govuk-visually-hidden"> A1.a</span>');
    // A1 is the first section with criteria: no previous section; the next is A2.
    expect(html).not.toContain('rel="prev"');
    expect(html).toMatch(new RegExp(`rel="next"[^>]*href="/inspections/${inspectionId}/sections/${sectionId("A2")}"`));
    expect(html).toContain("A2 Risk Management");
    expect(auditCount("inspection.viewed", inspectionId)).toBe(viewsBefore + 1);
    const lastView = one<{ summary: string }>("SELECT summary FROM audit_events WHERE action = 'inspection.viewed' AND object_id = ? ORDER BY seq DESC LIMIT 1", inspectionId);
    expect(JSON.parse(lastView.summary)).toEqual({ page: "section A1" });

    // Cyber Essentials requirements: each criterion's requirements answered Met, Not met or not yet, in its own form.
    const requirements = await readPage(await memberClient.get(sectionUrl("requirements")));
    const ceForms = sectionForms(requirements);
    expect([...ceForms.keys()]).toEqual(["CE-FW", "CE-SC", "CE-SU", "CE-UA", "CE-MP"].map(criterionId));
    const fw = ceForms.get(criterionId("CE-FW"))!.html;
    expect(fw).toMatch(new RegExp(`id="c${criterionId("CE-FW")}-met-CE-FW-1-met" name="met-CE-FW-1" type="radio" value="met"`));
    expect(fw).toContain(`id="c${criterionId("CE-FW")}-derived-rating" role="status" aria-live="polite">Derived from the requirements: nothing yet.`);
    expect(fw).not.toContain("CE-SC-1");

    // An objective: its principles as sub-sections, every criterion of them with a form; next is B1, previous A4 from B1.
    const objective = await readPage(await memberClient.get(sectionUrl("A")));
    expect([...sectionForms(objective).keys()]).toEqual(["A1.a", "A1.b", "A1.c", "A2.a", "A2.b", "A3.a", "A4.a"].map(criterionId));
    for (const sub of ["A1 Governance", "A2 Risk Management", "A3 Asset Management", "A4 Supply Chain"]) expect(objective).toMatch(new RegExp(`<h2 class="govuk-heading-m" id="section-\\d+">${sub}</h2>`));
    expect(objective).toMatch(new RegExp(`rel="next"[^>]*href="/inspections/${inspectionId}/sections/${sectionId("B1")}"`));
    const b1 = await readPage(await memberClient.get(sectionUrl("B1")));
    expect(b1).toMatch(new RegExp(`rel="prev"[^>]*href="/inspections/${inspectionId}/sections/${sectionId("A4")}"`));
    // The last CAF section goes on to the first Cyber Essentials Plus section.
    expect(await readPage(await memberClient.get(sectionUrl("D2")))).toMatch(new RegExp(`rel="next"[^>]*href="/inspections/${inspectionId}/sections/${sectionId("requirements")}"`));

    // The overview links every section's title to its page.
    const overview = await readPage(await memberClient.get(`/inspections/${inspectionId}`));
    const sections = all<{ id: number }>(
      "SELECT s.id FROM framework_sections s JOIN inspection_frameworks f ON f.framework_version_id = s.framework_version_id WHERE f.inspection_id = ?",
      inspectionId,
    );
    expect(sections).toHaveLength(18 + 2);
    for (const { id } of sections) expect(overview).toContain(`href="/inspections/${inspectionId}/sections/${id}"`);

    // No such section, or not a number: 404.
    expect((await memberClient.get(`/inspections/${inspectionId}/sections/99999999`)).status).toBe(404);
    expect((await memberClient.get(`/inspections/${inspectionId}/sections/A1`)).status).toBe(404);
  });

  it("saves one finding from the section page, and comes back to the section with a banner, at the next criterion", async () => {
    const [a, b, c] = ["A1.a", "A1.b", "A1.c"].map((code) => findingOf(inspectionId, code));
    const page = await readPage(await memberClient.get(sectionUrl("A1")));
    const form = sectionForms(page).get(criterionId("A1.b"))!;
    const fields = {
      baseVersion: form.baseVersion,
      idempotencyKey: form.idempotencyKey,
      criterionId: form.criterionId,
      ...blankFields,
      rating: "achieved",
      observed: "Board minutes show a named director accountable for cyber risk.",
      evidencePeople: "Chief information officer",
    };
    const saved = await memberClient.post(form.action, fields);
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(`${sectionUrl("A1")}?saved=${criterionId("A1.b")}#criterion-${criterionId("A1.c")}`);
    expect(findingOf(inspectionId, "A1.b")).toMatchObject({
      rating: "achieved",
      observed: "Board minutes show a named director accountable for cyber risk.",
      evidence_people: "Chief information officer",
      version: 1,
      updated_by: actorOf(member).userId,
    });
    expect(revisions(b!.id)).toBe(1);
    // Only that criterion: the others on the page are untouched.
    expect(findingOf(inspectionId, "A1.a")).toEqual(a);
    expect(findingOf(inspectionId, "A1.c")).toEqual(c);

    // Sent twice (a double click, a retry): saved once, answered the same.
    const again = await memberClient.post(form.action, fields);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe(saved.headers.get("location"));
    expect(findingOf(inspectionId, "A1.b").version).toBe(1);
    expect(revisions(b!.id)).toBe(1);

    const back = await readPage(await memberClient.get(saved.headers.get("location")!));
    expect(back).toMatch(/<p class="govuk-notification-banner__heading">A1\.b saved at \d{1,2} \w+ \d{4}, \d{1,2}:\d\d[ap]m<\/p>/);
    const after = sectionForms(back);
    expect(after.get(criterionId("A1.b"))!.baseVersion).toBe("1");
    expect(textareaValue(back, `c${criterionId("A1.b")}-observed`)).toBe("Board minutes show a named director accountable for cyber risk.");
    expect(back).toMatch(/Rating now<\/dt><dd[^>]*>Achieved</);

    // The last criterion of a section comes back to itself.
    const last = await saveFromSection(memberClient, "A1", "A1.c", { rating: "not_achieved", severity: "high", observed: "No board-level cyber risk appetite." });
    expect(last.status).toBe(302);
    expect(last.headers.get("location")).toBe(`${sectionUrl("A1")}?saved=${criterionId("A1.c")}#criterion-${criterionId("A1.c")}`);
    expect(findingOf(inspectionId, "A1.c")).toMatchObject({ rating: "not_achieved", version: 1 });

    // Refused input (more devices failing than sampled): 400, nothing saved, the problem linked to that form's field.
    const test = findingOf(inspectionId, "CEP-T1");
    const refused = await saveFromSection(memberClient, "tests", "CEP-T1", { rating: "not_achieved", devicesSampled: "10", devicesFailing: "12", observed: "Two laptops unpatched." });
    expect(refused.status).toBe(400);
    const refusedHtml = await readPage(refused);
    const id = criterionId("CEP-T1");
    expect(refusedHtml).toContain(`<a href="#c${id}-devicesFailing">Devices failing cannot be more than devices sampled</a>`);
    expect(refusedHtml).toContain(`id="c${id}-devicesFailing-error"`);
    expect(refusedHtml).toContain("CEP-T1 ");
    expect(textareaValue(refusedHtml, `c${id}-observed`)).toBe("Two laptops unpatched.");
    expect(refusedHtml).toMatch(new RegExp(`<input[^>]*id="c${id}-devicesFailing"[^>]*value="12"`));
    expect(findingOf(inspectionId, "CEP-T1")).toEqual(test);

    // A criterion that is not in this section cannot be saved through it.
    const elsewhere = await readPage(await memberClient.get(sectionUrl("A1")));
    const anyForm = sectionForms(elsewhere).get(criterionId("A1.a"))!;
    const wrong = await memberClient.post(anyForm.action, { baseVersion: "0", idempotencyKey: aKey(), criterionId: String(criterionId("B1.a")), ...blankFields, rating: "achieved" });
    expect(wrong.status).toBe(404);
    expect(findingOf(inspectionId, "B1.a").version).toBe(0);
  });

  it("refuses a save based on a version someone else has since saved: both shown, nothing overwritten, the merge saved", async () => {
    const code = "A2.a";
    const id = criterionId(code);
    const finding = findingOf(inspectionId, code);
    // Both open the section; the lead saves first.
    const [leadPage, memberPage] = await Promise.all([leadClient.get(sectionUrl("A2")), memberClient.get(sectionUrl("A2"))]);
    const leadForm = sectionForms(await readPage(leadPage)).get(id)!;
    const memberForm = sectionForms(await readPage(memberPage)).get(id)!;
    const textA = "Risk register reviewed quarterly by the audit committee.";
    const textB = "Two cyber risks are past their review date.";
    const first = await leadClient.post(leadForm.action, { baseVersion: leadForm.baseVersion, idempotencyKey: leadForm.idempotencyKey, criterionId: String(id), ...blankFields, rating: "achieved", observed: textA });
    expect(first.status).toBe(302);

    const valuesB = { criterionId: String(id), ...blankFields, rating: "partially_achieved", observed: textB, evidencePeople: "Head of risk" };
    const conflict = await memberClient.post(memberForm.action, { baseVersion: memberForm.baseVersion, idempotencyKey: memberForm.idempotencyKey, ...valuesB });
    expect(conflict.status).toBe(409);
    const html = await readPage(conflict);
    // At the top, a link to the conflict; by the criterion, both versions side by side.
    expect(html).toContain(`<a href="#conflict-${id}">Someone else saved ${code} while you were working: compare the two versions</a>`);
    expect(html).toContain(`id="conflict-${id}"`);
    expect(html).toContain(`Someone else saved ${code} while you were working`);
    const observedRow = /<tr[^>]*><th[^>]*>What was observed<\/th><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><\/tr>/.exec(html);
    expect(observedRow?.slice(1)).toEqual([textA, textB]);
    // Nothing overwritten; the member's work is still in that criterion's form, now based on the lead's version.
    expect(findingOf(inspectionId, code)).toMatchObject({ observed: textA, rating: "achieved", version: 1, updated_by: leadActor.userId });
    expect(revisions(finding.id)).toBe(1);
    expect(textareaValue(html, `c${id}-observed`)).toBe(textB);
    const form = sectionForms(html).get(id)!;
    expect(form.baseVersion).toBe("1");
    expect(form.idempotencyKey).not.toBe(memberForm.idempotencyKey);
    expect(form.html).toContain("Merge the text");

    // Merge: both texts in the form, nothing saved; then save the merge.
    const merge = await memberClient.post(form.action, { baseVersion: form.baseVersion, idempotencyKey: form.idempotencyKey, ...valuesB, intent: "merge" });
    expect(merge.status).toBe(409);
    const mergeHtml = await readPage(merge);
    expect(textareaValue(mergeHtml, `c${id}-observed`)).toBe(`${textA}\n\n${textB}`);
    expect(findingOf(inspectionId, code).version).toBe(1);
    const mergeForm = sectionForms(mergeHtml).get(id)!;
    const saved = await memberClient.post(mergeForm.action, { baseVersion: mergeForm.baseVersion, idempotencyKey: mergeForm.idempotencyKey, ...valuesB, observed: `${textA}\n\n${textB}` });
    expect(saved.status).toBe(302);
    expect(findingOf(inspectionId, code)).toMatchObject({ observed: `${textA}\n\n${textB}`, rating: "partially_achieved", version: 2, updated_by: actorOf(member).userId });
    expect(revisions(finding.id)).toBe(2);
    // The refused save is remembered as a conflict: sent again, it is refused again.
    const retried = await memberClient.post(memberForm.action, { baseVersion: memberForm.baseVersion, idempotencyKey: memberForm.idempotencyKey, ...valuesB });
    expect(retried.status).toBe(409);
    expect(findingOf(inspectionId, code).version).toBe(2);
  });

  it("answers 404 to trust users and to inspectors not on the team; programme leads and admins only read it", async () => {
    const url = sectionUrl("B2");
    const id = criterionId("B2.a");
    const before = findingOf(inspectionId, "B2.a");
    const post = (client: Client) => client.post(url, { baseVersion: "0", idempotencyKey: aKey(), criterionId: String(id), ...blankFields, rating: "achieved", observed: "Not theirs to write" });

    const viewsBefore = auditCount("inspection.viewed", inspectionId);
    const deniedBefore = auditCount("authorisation.denied", url);
    expect((await outsider.get(url)).status).toBe(404);
    expect((await post(outsider)).status).toBe(404);
    expect(auditCount("authorisation.denied", url)).toBe(deniedBefore + 2);

    // Trust users: another trust's, and this trust's own.
    const hash = one<{ hash: string }>("SELECT password_hash AS hash FROM users WHERE email = 'trust.rj1@deepdive.test'").hash;
    const ownEmail = `trust.sections.${randomUUID().slice(0, 8)}@deepdive.test`;
    db.$client.prepare("INSERT INTO users (id, email, name, role, trust_code, password_hash, is_demo) VALUES (?, ?, ?, 'trust_user', ?, ?, 1)").run(randomUUID(), ownEmail, `Test user (${trustCode})`, trustCode, hash);
    for (const email of ["trust.rj1@deepdive.test", ownEmail]) {
      const trust = await signedIn(server.url, email);
      const response = await trust.get(url);
      expect(response.status, email).toBe(404);
      expect(await readPage(response)).not.toContain(trustName);
      expect((await post(trust)).status).toBe(404);
    }
    expect(auditCount("inspection.viewed", inspectionId)).toBe(viewsBefore);

    for (const reader of [programmeLead, admin]) {
      const page = await reader.get(url);
      expect(page.status).toBe(200);
      const html = await readPage(page);
      expect(html).toContain("Only the inspection team records findings.");
      expect(html).not.toContain('id="finding-form-');
      expect(html).toContain("The finding");
      expect((await post(reader)).status).toBe(404);
    }
    expect(auditCount("inspection.viewed", inspectionId)).toBe(viewsBefore + 2);
    expect(findingOf(inspectionId, "B2.a")).toEqual(before);
  });

  it("shows how each rating moved since the last approved inspection, by criterion and by section", async () => {
    const noComparison = await readPage(await memberClient.get(criterionUrl("A1.a")));
    // Submitted but not approved yet: nothing to compare with.
    expect(noComparison).not.toContain("Last inspection");
    expect(await readPage(await memberClient.get(`/inspections/${inspectionId}`))).not.toContain("Since the last inspection");

    startReview(earlierId, programmeLeadActor, db);
    approveInspection(earlierId, programmeLeadActor, db);
    // A1.a: Partially achieved then, Achieved now (improved); A1.b held at Achieved; A1.c Achieved then, Not achieved now (fell).
    expect((await saveFromSection(memberClient, "A1", "A1.a", { rating: "achieved", observed: "Cyber risk on every board agenda since May." })).status).toBe(302);

    const improved = await readPage(await memberClient.get(criterionUrl("A1.a")));
    expect(improved).toMatch(/Last inspection<\/dt><dd[^>]*>Partially achieved, 12 March 2025 — improved</);
    expect(await readPage(await memberClient.get(criterionUrl("A1.b")))).toMatch(/Last inspection<\/dt><dd[^>]*>Achieved, 12 March 2025 — held</);
    expect(await readPage(await memberClient.get(criterionUrl("A1.c")))).toMatch(/Last inspection<\/dt><dd[^>]*>Achieved, 12 March 2025 — fell</);
    // Not rated yet in this inspection: the earlier rating, not comparable.
    expect(await readPage(await memberClient.get(criterionUrl("B3.a")))).toMatch(/Last inspection<\/dt><dd[^>]*>Achieved, 12 March 2025 — not comparable</);
    // Cyber Essentials Plus was not part of the earlier inspection.
    expect(await readPage(await memberClient.get(criterionUrl("CE-FW")))).not.toContain("Last inspection");

    const section = await readPage(await memberClient.get(sectionUrl("A1")));
    expect(section).toMatch(/Since the last inspection<\/dt><dd[^>]*>1 improved, 1 held, 1 fell</);
    expect(section).toContain("Partially achieved, 12 March 2025 — improved");

    const overview = await readPage(await memberClient.get(`/inspections/${inspectionId}`));
    // The whole inspection: 39 CAF criteria compared (A2.a, Achieved then, was saved Partially achieved in the conflict
    // test: it fell too), 35 of them not rated yet in this one.
    expect(overview).toMatch(/Since the last inspection<\/dt><dd[^>]*>1 improved, 1 held, 2 fell, 35 not comparable</);
    // Each section: its counts; each criterion: a tag in words and the earlier rating.
    expect(overview).toContain("A1 Governance</a><span class=\"govuk-caption-s\">3 of 3 assessed, 1 gap. Since the last inspection: 1 improved, 1 held, 1 fell</span>");
    const row = (code: string) => {
      const rows = overview.split("<tr").filter((r) => r.includes(`${criterionUrl(code)}"`));
      expect(rows).toHaveLength(1);
      return rows[0]!.split("</tr>")[0]!;
    };
    expect(row("A1.a")).toContain('<strong class="govuk-tag govuk-tag--green">Improved</strong><span class="govuk-!-display-block govuk-!-font-size-16">Last time: Partially achieved</span>');
    expect(row("A1.b")).toContain('<strong class="govuk-tag govuk-tag--grey">Held</strong>');
    expect(row("A1.c")).toContain('<strong class="govuk-tag govuk-tag--red">Fell</strong><span class="govuk-!-display-block govuk-!-font-size-16">Last time: Achieved</span>');
    expect(row("B3.a")).toContain("Not comparable");
    // The CAF tables have the column; the Cyber Essentials Plus tables (no earlier inspection on it) do not.
    const tables = overview.split("<table").slice(1);
    const withColumn = tables.filter((t) => t.includes(">Since the last inspection</th>"));
    // CAF's 14 principles (its objectives have no criteria of their own, so no table).
    expect(withColumn).toHaveLength(14);
    expect(tables.filter((t) => t.includes("CE-FW ") || t.includes("CEP-T1 ")).every((t) => !t.includes("Since the last inspection"))).toBe(true);
    expect(row("CE-FW")).not.toContain("govuk-tag--");
  });
});
