/**
 * Profile versions over real HTTP and a real SQLite file, as a browser without JavaScript uses the pages: a programme
 * lead defines the CQC baseline for CAF v3.2 starting from GovAssure Baseline (version 1, every criterion stored, one
 * audit event), defines it again with a change (version 2; version 1 unchanged and still shown, marked superseded),
 * and an inspection started before version 2 keeps version 1, its gaps computed against it, while a new inspection is
 * offered version 2. Refused forms (a minimum missing or not allowed, a copy that changes nothing, a name that is a
 * framework file's profile, a version saved by someone else meanwhile) store nothing and say why, criterion by
 * criterion. Only programme leads reach the form. The database refuses to change a stored version.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../app/audit/audit.server";
import { loadedFrameworkFile, loadFrameworkFile } from "../../app/baseline/frameworks.server";
import { openDatabase } from "../../app/db.server";
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
const all = <T,>(sql: string, ...params: unknown[]) => withSqlite((db) => db.prepare(sql).all(...params) as T[]);
const one = <T,>(sql: string, ...params: unknown[]) => all<T>(sql, ...params)[0];

/** Row counts of the tables a profile version writes to, and the head of the audit chain. */
const profileState = () => ({
  profiles: one<{ n: number }>("SELECT count(*) AS n FROM framework_profiles")!.n,
  minimums: one<{ n: number }>("SELECT count(*) AS n FROM profile_minimums")!.n,
  profileEvents: one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = 'profile.created'")!.n,
});

interface ProfileRow {
  id: number;
  code: string;
  name: string;
  version: number;
  description: string;
  created_by: string;
  created_at: string;
}

const profileRow = (frameworkVersionId: number, code: string, version: number) =>
  one<ProfileRow>("SELECT * FROM framework_profiles WHERE framework_version_id = ? AND code = ? AND version = ?", frameworkVersionId, code, version);
const minimumsOf = (profileId: number) =>
  Object.fromEntries(
    all<{ code: string; minimum: string }>(
      "SELECT c.code, m.minimum FROM profile_minimums m JOIN framework_criteria c ON c.id = m.criterion_id WHERE m.profile_id = ? ORDER BY c.position",
      profileId,
    ).map((r) => [r.code, r.minimum]),
  );
/** A stored version, whole: its row and its minimums, to show that nothing about it changes. */
const snapshot = (profileId: number) => ({ row: one<ProfileRow>("SELECT * FROM framework_profiles WHERE id = ?", profileId), minimums: minimumsOf(profileId) });

// ── Forms as a browser sends them ──────────────────────────────────────────────────────────────────────────

const decode = (s: string) =>
  s
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
const attributes = (tag: string) => Object.fromEntries([...tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)].slice(1).map((m) => [m[1]!, decode(m[2] ?? "")]));

/**
 * The fields a browser sends for the form that matches `opening` (a regex on its <form …> tag) when nothing is
 * touched: inputs (radios and checkboxes only when checked), textareas and each select's selected option (or its
 * first). Buttons are left out: the test says which one it presses.
 */
function formFields(page: string, opening: RegExp): Record<string, string> {
  // The main content only: the navigation has a form of its own (sign out).
  const html = main(page);
  const start = html.search(opening);
  if (start === -1) throw new Error(`no form matching ${opening}`);
  const form = html.slice(start, html.indexOf("</form>", start));
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input[^>]*>/g)) {
    const a = attributes(tag);
    if (!a.name || a.type === "submit" || ((a.type === "radio" || a.type === "checkbox") && !("checked" in a))) continue;
    fields[a.name] = a.value ?? "";
  }
  for (const m of form.matchAll(/<textarea([^>]*)>([\s\S]*?)<\/textarea>/g)) fields[attributes(`<t${m[1]}>`).name!] = decode(m[2]!);
  for (const m of form.matchAll(/<select([^>]*)>([\s\S]*?)<\/select>/g)) {
    const options = [...m[2]!.matchAll(/<option[^>]*>/g)].map((o) => attributes(o[0]));
    fields[attributes(`<s${m[1]}>`).name!] = (options.find((o) => "selected" in o) ?? options[0])?.value ?? "";
  }
  return fields;
}
const PROFILE_FORM = /<form method="post"/;

/** The main content of a page, and its error summary's entries (link and text). */
const main = (html: string) => /<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? "";
const errorSummary = (html: string) =>
  [...(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? "").matchAll(/<a href="#([^"]*)">([^<]*)<\/a>/g)].map((m) => `#${m[1]}: ${m[2]}`);

// ── The test ───────────────────────────────────────────────────────────────────────────────────────────────

describe("profile versions", () => {
  let lead: Client; // the programme lead
  let visitLead: Client; // the lead inspector of the visit inspected below
  let admin: Client;
  let inspector: Client;
  let trustUser: Client;
  let caf = 0;
  let govAssure: ProfileRow;
  let cafCriteria: { code: string; title: string }[] = [];
  let visit: { id: string; lead: string };
  let v1: ProfileRow;
  let v2: ProfileRow;
  let inspectionBeforeV2 = "";
  const newUrl = () => `/frameworks/${caf}/profiles/new`;

  beforeAll(async () => {
    server = await startServer();
    caf = one<{ id: number }>("SELECT id FROM framework_versions WHERE framework = 'caf' AND version = '3.2'")!.id;
    govAssure = profileRow(caf, "govassure-baseline", 1)!;
    cafCriteria = all("SELECT code, title FROM framework_criteria WHERE framework_version_id = ? ORDER BY position", caf);
    visit = one(
      `SELECT v.id, (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'lead') AS lead
         FROM visits v WHERE v.status = 'scheduled' AND v.trust_code <> 'RJ1' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
         ORDER BY v.visit_date, v.trust_code LIMIT 1`,
    )!;
    [lead, visitLead, admin, inspector, trustUser] = (await Promise.all(
      ["lead@deepdive.test", visit.lead, "admin@deepdive.test", "inspector1@deepdive.test", "trust.rj1@deepdive.test"].map((email) => signedIn(server.url, email)),
    )) as [Client, Client, Client, Client, Client];
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the framework ships GovAssure Baseline with a minimum for every CAF outcome, and no CQC baseline yet", () => {
    expect(cafCriteria).toHaveLength(39);
    expect(Object.keys(minimumsOf(govAssure.id))).toEqual(cafCriteria.map((c) => c.code));
    expect(all("SELECT id FROM framework_profiles WHERE code = 'cqc-baseline'")).toEqual([]);
  });

  it("only programme leads reach the form: admins, inspectors and trust users get 404, and nothing is stored", async () => {
    const before = profileState();
    const fields = { name: "CQC baseline", whatChanged: "Should not be stored.", ...Object.fromEntries(cafCriteria.map((c) => [`minimum-${c.code}`, "achieved"])) };
    for (const client of [admin, inspector, trustUser]) {
      const page = await client.get(newUrl());
      expect(page.status).toBe(404);
      expect(main(await readPage(page))).toContain("Page not found");
      expect((await client.post(newUrl(), fields)).status).toBe(404);
      // The framework page offers them no link to it.
      if (client !== trustUser) expect(await readPage(await client.get(`/frameworks/${caf}`))).not.toContain("Define a new profile version");
    }
    expect((await new Client(server.url).get(newUrl())).headers.get("location")).toMatch(/^\/sign-in/);
    expect(profileState()).toEqual(before);
    expect(await readPage(await lead.get(`/frameworks/${caf}`))).toMatch(new RegExp(`<a class="govuk-link"[^>]* href="/frameworks/${caf}/profiles/new">Define a new profile version</a>`));
    expect((await lead.get("/frameworks/999999/profiles/new")).status).toBe(404);
  });

  it("a lead defines the CQC baseline, version 1, from GovAssure Baseline with two outcomes raised: every criterion stored, one audit event", async () => {
    const page = await lead.get(newUrl());
    expect(page.status).toBe(200);
    const html = await readPage(page);
    const fields = formFields(html, PROFILE_FORM);
    // It starts from GovAssure Baseline (there is no CQC baseline yet), named "CQC baseline".
    expect(formFields(html, /<form method="get"/)).toEqual({ from: String(govAssure.id) });
    expect(fields).toMatchObject({ from: String(govAssure.id), name: "CQC baseline", description: "", whatChanged: "" });
    expect(Object.fromEntries(cafCriteria.map((c) => [c.code, fields[`minimum-${c.code}`]]))).toEqual(minimumsOf(govAssure.id));
    // Every criterion, grouped by section, with the minimums allowed on its scale and the starting profile's beside it.
    expect(html).toMatch(/<caption class="govuk-table__caption govuk-table__caption--s"><span class="govuk-caption-m">A1<\/span>Governance<\/caption>/);
    expect(html).toContain('<label class="govuk-label govuk-visually-hidden" for="minimum-B4.d">Minimum for B4.d Vulnerability Management</label>');
    expect(html).toMatch(/<select class="govuk-select" id="minimum-C2\.a" name="minimum-C2\.a"><option value="achieved">Achieved<\/option><option value="partially_achieved">Partially achieved<\/option><option value="not_achieved" selected="">Not achieved \(nothing expected\)<\/option><\/select>/);
    expect(html).toContain("In GovAssure Baseline (version 1)");

    const before = profileState();
    const response = await lead.post(newUrl(), {
      ...fields,
      description: "What CQC expects of every NHS trust: GovAssure Baseline, with patching and security monitoring raised.",
      whatChanged: "Raised B4.d (vulnerability management) and C1.a (monitoring coverage) to Achieved: both drove the serious incidents of 2026.",
      "minimum-B4.d": "achieved",
      "minimum-C1.a": "achieved",
    });
    expect(response.status).toBe(302);
    v1 = profileRow(caf, "cqc-baseline", 1)!;
    expect(response.headers.get("location")).toBe(`/frameworks/${caf}?created=${v1.id}`);
    expect(v1).toMatchObject({
      name: "CQC baseline",
      description: "What CQC expects of every NHS trust: GovAssure Baseline, with patching and security monitoring raised.",
      created_by: "lead@deepdive.test",
    });
    expect(minimumsOf(v1.id)).toEqual({ ...minimumsOf(govAssure.id), "B4.d": "achieved", "C1.a": "achieved" });
    expect(Object.keys(minimumsOf(v1.id))).toHaveLength(39);
    expect(profileState()).toEqual({ profiles: before.profiles + 1, minimums: before.minimums + 39, profileEvents: before.profileEvents + 1 });

    const event = one<{ actor_label: string; object_type: string; object_id: string; summary: string }>(
      "SELECT actor_label, object_type, object_id, summary FROM audit_events WHERE action = 'profile.created' ORDER BY seq DESC LIMIT 1",
    )!;
    expect(event).toMatchObject({ actor_label: "lead@deepdive.test", object_type: "framework_profile", object_id: String(v1.id) });
    expect(JSON.parse(event.summary)).toEqual({
      frameworkVersionId: caf,
      framework: "caf",
      frameworkVersion: "3.2",
      code: "cqc-baseline",
      name: "CQC baseline",
      version: 1,
      whatChanged: "Raised B4.d (vulnerability management) and C1.a (monitoring coverage) to Achieved: both drove the serious incidents of 2026.",
      previous: null,
      basedOn: { id: govAssure.id, code: "govassure-baseline", version: 1 },
      comparedWith: govAssure.id,
      minimums: 39,
      changed: 2,
      changes: { "B4.d": ["partially_achieved", "achieved"], "C1.a": ["partially_achieved", "achieved"] },
    });

    // The framework page says so, and shows the version with what changed.
    const framework = await readPage(await lead.get(response.headers.get("location")!));
    expect(framework).toContain('<div class="govuk-notification-banner govuk-notification-banner--success"');
    expect(framework).toContain("CQC baseline, version 1, is saved");
    const version1 = /<div id="profile-version-\d+"[\s\S]*?<\/dl>/.exec(framework.slice(framework.indexOf(`id="profile-version-${v1.id}"`) - 10))![0];
    expect(version1).toContain('CQC baseline, version 1 <strong class="govuk-tag govuk-tag--green">Latest</strong>');
    expect(version1).toContain("by lead@deepdive.test");
    expect(version1).toContain("both drove the serious incidents of 2026.");
    expect(version1).toContain("Minimums changed from GovAssure Baseline, version 1");
    expect(version1).toContain("<li>B4.d Vulnerability Management: Partially achieved to Achieved</li>");
    expect(version1).toContain("<li>C1.a Monitoring Coverage: Partially achieved to Achieved</li>");
    // The banner is for the lead who just saved it: the page without ?created= has none.
    expect(await readPage(await inspector.get(`/frameworks/${caf}`))).not.toContain("is saved");
  });

  it("an inspection started now is offered the CQC baseline, version 1, by default, and uses it", async () => {
    const html = await readPage(await lead.get(`/inspections/new?visit=${visit.id}`));
    const fields = formFields(html, /<form method="post"/);
    expect(fields[`profile-${caf}`]).toBe(String(v1.id));
    expect(html).toContain(`<option value="${v1.id}" selected="">CQC baseline (version 1)</option>`);
    const created = await lead.post(`/inspections/new?visit=${visit.id}`, fields);
    expect(created.status).toBe(302);
    inspectionBeforeV2 = /^\/inspections\/([0-9a-f-]{36})$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect(one("SELECT profile_id AS profileId FROM inspection_frameworks WHERE inspection_id = ? AND framework_version_id = ?", inspectionBeforeV2, caf)).toEqual({ profileId: v1.id });
  });

  it("defining it again with a change stores version 2 and leaves version 1 exactly as it was", async () => {
    const v1Before = snapshot(v1.id);
    const page = await readPage(await lead.get(newUrl()));
    const fields = formFields(page, PROFILE_FORM);
    // It now starts from the CQC baseline's latest version, under its name and description.
    expect(fields).toMatchObject({ from: String(v1.id), name: "CQC baseline", description: v1.description, whatChanged: "" });
    expect(page).toContain("CQC baseline is at version 1, so keeping the name “CQC baseline” saves version 2");
    const response = await lead.post(newUrl(), { ...fields, "minimum-B2.a": "achieved", whatChanged: "Raised B2.a (identity verification, authentication and authorisation) to Achieved." });
    expect(response.status).toBe(302);
    v2 = profileRow(caf, "cqc-baseline", 2)!;
    expect(response.headers.get("location")).toBe(`/frameworks/${caf}?created=${v2.id}`);
    expect(minimumsOf(v2.id)).toEqual({ ...minimumsOf(v1.id), "B2.a": "achieved" });
    expect(snapshot(v1.id)).toEqual(v1Before);
    const summary = JSON.parse(one<{ summary: string }>("SELECT summary FROM audit_events WHERE action = 'profile.created' AND object_id = ?", String(v2.id))!.summary);
    expect(summary).toMatchObject({ version: 2, previous: { id: v1.id, version: 1 }, basedOn: { id: v1.id, version: 1 }, changes: { "B2.a": ["partially_achieved", "achieved"] } });

    // Both versions are listed, newest first; version 1 is superseded, and its minimums are still there to read.
    const framework = await readPage(await inspector.get(`/frameworks/${caf}`));
    const at = (id: number) => framework.indexOf(`id="profile-version-${id}"`);
    expect(at(v2.id)).toBeGreaterThan(-1);
    expect(at(v2.id)).toBeLessThan(at(v1.id));
    expect(framework).toContain('CQC baseline, version 2 <strong class="govuk-tag govuk-tag--green">Latest</strong>');
    expect(framework).toContain('CQC baseline, version 1 <strong class="govuk-tag govuk-tag--grey">Superseded by version 2</strong>');
    const v1Minimums = new RegExp(`<table[^>]*id="profile-minimums-${v1.id}"[\\s\\S]*?</table>`).exec(framework)?.[0] ?? "";
    expect(v1Minimums).toContain('B2.a Identity Verification, Authentication and Authorisation</th><td class="govuk-table__cell">Partially achieved</td>');
    expect(v1Minimums).toContain('B4.d Vulnerability Management</th><td class="govuk-table__cell">Achieved</td>');
    // The table of current profiles shows version 2, not version 1.
    const current = /<table[^>]*id="profile-minimums"[\s\S]*?<\/table>/.exec(framework)![0];
    expect(current).toContain("CQC baseline (version 2)");
    expect(current).not.toContain("CQC baseline (version 1)");
  });

  it("the inspection started before version 2 keeps version 1, and its gaps are computed against it", async () => {
    expect(one("SELECT profile_id AS profileId FROM inspection_frameworks WHERE inspection_id = ? AND framework_version_id = ?", inspectionBeforeV2, caf)).toEqual({ profileId: v1.id });
    const overviewUrl = `/inspections/${inspectionBeforeV2}`;
    expect((await visitLead.post(overviewUrl, { intent: "arrive" })).status).toBe(302);
    const criterionId = (code: string) => one<{ id: number }>("SELECT id FROM framework_criteria WHERE framework_version_id = ? AND code = ?", caf, code)!.id;
    const rate = async (code: string, rating: string) => {
      const page = await readPage(await visitLead.get(`${overviewUrl}/criteria/${criterionId(code)}`));
      const fields = formFields(page, /<form[^>]*id="finding-form"/);
      const action = attributes(/<form[^>]*id="finding-form"[^>]*>/.exec(page)![0]).action!;
      const saved = await visitLead.post(action, { ...fields, rating, observed: `Rated ${rating} for the profile test.`, then: "stay" });
      expect(saved.status).toBe(302);
      expect(one("SELECT f.rating FROM findings f WHERE f.inspection_id = ? AND f.criterion_id = ?", inspectionBeforeV2, criterionId(code))).toEqual({ rating });
    };
    // B2.a is Partially achieved in version 1 and Achieved in version 2; B4.d is Achieved in both.
    await rate("B2.a", "partially_achieved");
    await rate("B4.d", "partially_achieved");
    const overview = await readPage(await visitLead.get(overviewUrl));
    expect(overview).toContain("CQC baseline (version 1)");
    expect(overview).not.toContain("CQC baseline (version 2)");
    const row = (code: string) => {
      const rows = overview.split("<tr").filter((r) => r.includes(`/inspections/${inspectionBeforeV2}/criteria/${criterionId(code)}"`));
      expect(rows).toHaveLength(1);
      return rows[0]!.split("</tr>")[0]!;
    };
    expect(row("B2.a")).toContain("Meets the profile");
    expect(row("B2.a")).not.toContain("Gap");
    expect(row("B4.d")).toContain("Gap: severity needed");
    // Against version 2, B2.a would be a gap: the same finding, the version the inspection started with decides.
    expect(minimumsOf(v2.id)["B2.a"]).toBe("achieved");
  });

  it("a new inspection is offered version 2 by default, version 1 still listed as superseded", async () => {
    const other = one<{ id: string }>(
      `SELECT v.id FROM visits v WHERE v.status = 'scheduled' AND v.id <> ? AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id) ORDER BY v.visit_date LIMIT 1`,
      visit.id,
    )!;
    const html = await readPage(await lead.get(`/inspections/new?visit=${other.id}`));
    expect(formFields(html, /<form method="post"/)[`profile-${caf}`]).toBe(String(v2.id));
    expect(html).toContain(`<option value="${v1.id}">CQC baseline (version 1, superseded by version 2)</option>`);
    expect(html).toContain(`<option value="${govAssure.id}">GovAssure Baseline (version 1)</option>`);
  });

  it("refuses a minimum missing or not allowed, criterion by criterion, keeping what was typed and storing nothing", async () => {
    const fields = formFields(await readPage(await lead.get(newUrl())), PROFILE_FORM);
    const before = profileState();
    const { ["minimum-A2.a"]: _dropped, ...withoutA2a } = fields;
    const response = await lead.post(newUrl(), { ...withoutA2a, "minimum-C1.b": "excellent", "minimum-Z9.z": "achieved", name: "CQC baseline", whatChanged: "Kept as typed." });
    expect(response.status).toBe(400);
    const html = await readPage(response);
    expect(errorSummary(html)).toEqual([
      "#minimum-A2.a: Choose the minimum for A2.a Risk Management Process",
      "#minimum-C1.b: Choose Achieved, Partially achieved or Not achieved as the minimum for C1.b Securing Logs",
      '#minimums: There is no criterion "Z9.z" in this framework version',
    ]);
    // Each message is also at its criterion, and what was typed is kept.
    expect(html).toMatch(/<p id="minimum-A2\.a-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Choose the minimum for A2\.a Risk Management Process<\/p>/);
    expect(html).toMatch(/<select class="govuk-select govuk-select--error" id="minimum-A2\.a" name="minimum-A2\.a" aria-describedby="minimum-A2\.a-error"><option value="" selected="">Choose a minimum<\/option>/);
    const kept = formFields(html, PROFILE_FORM);
    expect(kept).toMatchObject({ whatChanged: "Kept as typed.", "minimum-B2.a": "achieved", "minimum-A2.a": "", "minimum-C1.b": "" });
    expect(profileState()).toEqual(before);
  });

  it("refuses a met-scale minimum of Partially achieved (Cyber Essentials Plus), naming the criterion", async () => {
    const cep = one<{ id: number }>("SELECT id FROM framework_versions WHERE framework = 'cyber-essentials-plus'")!.id;
    const url = `/frameworks/${cep}/profiles/new`;
    const html = await readPage(await lead.get(url));
    const fields = formFields(html, PROFILE_FORM);
    expect(fields).toMatchObject({ name: "CQC baseline", "minimum-CEP-T1": "achieved" });
    expect(html).toMatch(/<select class="govuk-select" id="minimum-CEP-T1" name="minimum-CEP-T1"><option value="achieved" selected="">Met<\/option><option value="not_achieved">Not met \(nothing expected\)<\/option><\/select>/);
    const before = profileState();
    const response = await lead.post(url, { ...fields, "minimum-CEP-T1": "partially_achieved", whatChanged: "Trying Partially achieved." });
    expect(response.status).toBe(400);
    expect(errorSummary(await readPage(response))).toEqual([
      "#minimum-CEP-T1: CEP-T1 Remote (external) vulnerability assessment of internet-facing services is rated Met or Not met, so its minimum cannot be Partially achieved",
    ]);
    expect(profileState()).toEqual(before);
  });

  it("refuses a copy of the latest version that changes nothing, and a name that is a framework file's profile", async () => {
    const fields = formFields(await readPage(await lead.get(newUrl())), PROFILE_FORM);
    const before = profileState();
    const unchanged = await lead.post(newUrl(), { ...fields, whatChanged: "Nothing, really." });
    expect(unchanged.status).toBe(400);
    expect(errorSummary(await readPage(unchanged))).toEqual([
      "#minimums: Nothing has changed since version 2 of CQC baseline: change a minimum, the name or the description, or cancel",
    ]);
    // Said at once with the other problems, so fixing them does not lead to it.
    const alsoEmpty = await lead.post(newUrl(), { ...fields, whatChanged: "" });
    expect(errorSummary(await readPage(alsoEmpty))).toEqual([
      "#minimums: Nothing has changed since version 2 of CQC baseline: change a minimum, the name or the description, or cancel",
      "#whatChanged: Say what changed and why",
    ]);
    const govAssureName = await lead.post(newUrl(), { ...fields, name: "GovAssure  baseline", whatChanged: "Trying to change GovAssure." });
    expect(govAssureName.status).toBe(400);
    expect(errorSummary(await readPage(govAssureName))).toEqual([
      "#name: “GovAssure Baseline” was loaded with the framework file and changes only with a new version of the framework: give this profile a name of its own",
    ]);
    expect(profileState()).toEqual(before);
  });

  it("does not silently supersede a version saved by someone else after the form was opened", async () => {
    const fields = formFields(await readPage(await lead.get(newUrl())), PROFILE_FORM);
    // Another programme lead (here the same one, in another tab) saves version 3 first.
    const first = await lead.post(newUrl(), { ...fields, "minimum-B3.a": "achieved", whatChanged: "Raised B3.a." });
    expect(first.status).toBe(302);
    const before = profileState();
    const late = await lead.post(newUrl(), { ...fields, "minimum-B5.a": "achieved", whatChanged: "Raised B5.a." });
    expect(late.status).toBe(400);
    const html = await readPage(late);
    expect(errorSummary(html)).toEqual([
      expect.stringMatching(/^#minimums: Version 3 of CQC baseline was defined by lead@deepdive\.test on .+, after you opened this form\. Check your minimums against it \(it is on the framework's page\) and save again$/),
    ]);
    expect(profileState()).toEqual(before);
    // The form is shown again with their change, now knowing version 3: saving again is deliberate, and stores version 4.
    const again = formFields(html, PROFILE_FORM);
    expect(again["minimum-B5.a"]).toBe("achieved");
    const saved = await lead.post(newUrl(), again);
    expect(saved.status).toBe(302);
    const v4 = profileRow(caf, "cqc-baseline", 4)!;
    // Version 4 is what this lead sent, from version 2: B3.a as in version 2, B5.a raised.
    expect(minimumsOf(v4.id)).toEqual({ ...minimumsOf(v2.id), "B5.a": "achieved" });
  });

  it("cleans and caps the name and texts, and a new name starts a new profile at version 1", async () => {
    const fields = formFields(await readPage(await lead.get(newUrl())), PROFILE_FORM);
    const tooLong = await lead.post(newUrl(), { ...fields, name: "n".repeat(101), description: "d".repeat(4001), whatChanged: "w".repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(errorSummary(await readPage(tooLong))).toEqual([
      "#name: The name must be 100 characters or fewer",
      "#description: The description must be 4,000 characters or fewer",
      "#whatChanged: What changed must be 1,000 characters or fewer",
    ]);
    const response = await lead.post(newUrl(), {
      ...fields,
      name: "  CQC\u200B enhanced \t ",
      description: "  For trusts that run a major trauma centre.\r\n\r\n\r\nReviewed yearly.  ",
      whatChanged: " First version. ",
    });
    expect(response.status).toBe(302);
    expect(profileRow(caf, "cqc-enhanced", 1)).toMatchObject({ name: "CQC enhanced", description: "For trusts that run a major trauma centre.\n\nReviewed yearly." });
  });

  it("the database refuses to change or delete a stored profile version", () => {
    const v1Before = snapshot(v1.id);
    const b4d = one<{ id: number }>("SELECT id FROM framework_criteria WHERE framework_version_id = ? AND code = 'B4.d'", caf)!.id;
    withSqlite((db) => {
      expect(() => db.prepare("UPDATE profile_minimums SET minimum = 'not_achieved' WHERE profile_id = ? AND criterion_id = ?").run(v1.id, b4d)).toThrow(/profile minimums never change/);
      expect(() => db.prepare("DELETE FROM profile_minimums WHERE profile_id = ?").run(v1.id)).toThrow(/profile minimums are never deleted/);
      expect(() => db.prepare("UPDATE framework_profiles SET name = 'Edited' WHERE id = ?").run(v1.id)).toThrow(/framework profiles never change/);
      expect(() => db.prepare("DELETE FROM framework_profiles WHERE id = ?").run(v1.id)).toThrow(/framework profiles are never deleted/);
    });
    expect(snapshot(v1.id)).toEqual(v1Before);
  });

  it("keeps the audit chain whole, and the shipped CAF file is still the loaded version (the defined profiles are not the file's)", () => {
    const db = openDatabase(server.databaseFile);
    try {
      expect(verifyAuditChain(db).ok).toBe(true);
      expect(loadedFrameworkFile(caf, db)!.profiles.map((p) => p.id)).toEqual(["govassure-baseline", "govassure-enhanced"]);
      // The shipped file laid out differently (so not the same bytes) is still "already loaded", not "changed".
      const relaid = JSON.stringify(JSON.parse(readFileSync("db/frameworks/caf-3.2.json", "utf8")));
      expect(createHash("sha256").update(relaid).digest("hex")).not.toBe(one<{ sha: string }>("SELECT file_sha256 AS sha FROM framework_versions WHERE id = ?", caf)!.sha);
      expect(loadFrameworkFile(relaid, "caf-3.2.json", { userId: null, label: "cli:test", clientAddress: null }, db, { dryRun: true }).status).toBe("already-loaded");
    } finally {
      db.$client.close();
    }
  });
});
