/**
 * The review lifecycle of an inspection (issue 5): on site → findings in draft → submitted by the visit's lead → in
 * review (a programme lead or an inspector not on the team) → returned to the team with "clarify" comments (back to
 * draft: the team edits the finding, answers, and the lead submits again to the same reviewer) → approved, after which
 * nothing about the findings changes.
 *
 * - Through the functions, on a fresh copy of the template database: who may do each step and when, every refusal
 *   writing nothing; a submission refused with every problem listed (not assessed, gap without severity, comment
 *   not answered); comments validated; versions bumped and every step audited.
 * - Over real HTTP as a browser without JavaScript: the whole lifecycle through the inspection and criterion pages,
 *   who sees what (the reviewer is let in, another inspector is not, trust users get 404 everywhere).
 */
import { randomBytes, randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../app/audit/audit.server";
import type { Db } from "../../app/db.server";
import { FindingNotEditable, saveFinding, type FindingFields } from "../../app/inspections/findings.server";
import { createInspection, InspectionError, recordArrival } from "../../app/inspections/inspections.server";
import {
  answerComment,
  approveInspection,
  leaveSite,
  returnForClarification,
  ReviewInputError,
  reviewView,
  startReview,
  submitInspection,
  SubmitRefused,
} from "../../app/inspections/review.server";
import { inspectionAccess, inspectionHeader, listInspections } from "../../app/inspections/workspace.server";
import { useFreshDatabase } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const aKey = () => randomBytes(16).toString("base64url");

// ── Through the functions ──────────────────────────────────────────────────────────────────────────────────

describe("the review functions", () => {
  let db: Db;
  const all = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).all(...params) as T[];
  const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;
  const actorOf = (userId: string): Actor => ({ userId, label: one<{ email: string }>("SELECT email FROM users WHERE id = ?", userId).email, clientAddress: "192.0.2.20" });
  const state = () => one<{ status: string; version: number; reviewerId: string | null }>("SELECT status, version, reviewer_id AS reviewerId FROM inspections WHERE id = ?", inspectionId);
  const audits = (action: string) => one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = ? AND object_id = ?", action, inspectionId).n;
  const writes = () =>
    one<Record<string, number>>(
      `SELECT (SELECT total(version) FROM inspections) AS versions, (SELECT count(*) FROM review_comments) AS comments,
              (SELECT count(*) FROM review_comments WHERE responded_at IS NOT NULL) AS answers, (SELECT count(*) FROM audit_events) AS audit,
              (SELECT count(*) FROM finding_revisions) AS revisions`,
    );
  /** Expects `action` to throw `error` (with `message`) and to write nothing at all. */
  function refused<E extends Error>(action: () => unknown, error: new (...args: never[]) => E, message?: RegExp): E {
    const before = writes();
    const beforeState = state();
    let thrown: unknown;
    try {
      action();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(error);
    if (message) expect((thrown as Error).message).toMatch(message);
    expect(writes()).toEqual(before);
    expect(state()).toEqual(beforeState);
    return thrown as E;
  }

  let inspectionId = "";
  let lead = "";
  let member = "";
  let reviewer = ""; // an inspector not on the team
  let conflicted = ""; // another inspector not on the team, with a conflict of interest with the trust
  let admin = "";
  let programmeLead = "";
  let findingIds = new Map<string, string>();
  let trustCode = "";
  let visitId = "";
  const finding = (code: string) => findingIds.get(code)!;
  const save = (code: string, userId: string, fields: Partial<FindingFields>) => {
    const version = one<{ version: number }>("SELECT version FROM findings WHERE id = ?", finding(code)).version;
    const outcome = saveFinding(finding(code), { idempotencyKey: aKey(), baseVersion: version, fields }, { id: userId }, db);
    expect(outcome.outcome).toBe("saved");
  };

  beforeAll(() => {
    ({ db } = useFreshDatabase());
    const visit = one<{ id: string; trustCode: string }>(
      `SELECT v.id, v.trust_code AS trustCode FROM visits v WHERE v.status = 'scheduled'
         AND (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) = 2
         AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id) ORDER BY v.visit_date, v.id LIMIT 1`,
    );
    trustCode = visit.trustCode;
    visitId = visit.id;
    const team = all<{ id: string; role: string }>("SELECT inspector_id AS id, role FROM visit_team_members WHERE visit_id = ?", visit.id);
    lead = team.find((m) => m.role === "lead")!.id;
    member = team.find((m) => m.role === "member")!.id;
    const others = all<{ id: string }>("SELECT id FROM users WHERE role = 'inspector' AND disabled_at IS NULL ORDER BY email").filter((u) => u.id !== lead && u.id !== member);
    reviewer = others[0]!.id;
    conflicted = others[1]!.id;
    admin = one<{ id: string }>("SELECT id FROM users WHERE email = 'admin@deepdive.test'").id;
    programmeLead = one<{ id: string }>("SELECT id FROM users WHERE email = 'lead@deepdive.test'").id;
    db.$client
      .prepare("INSERT INTO conflicts_of_interest (id, inspector_id, trust_code, reason, until, declared_by) VALUES (?, ?, ?, 'Former employee', '2099-12-31', ?)")
      .run(randomUUID(), conflicted, visit.trustCode, programmeLead);
    const profile = (framework: string, code: string) =>
      one<{ versionId: number; profileId: number }>(
        "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = ? AND p.code = ?",
        framework,
        code,
      );
    const caf = profile("caf", "govassure-baseline");
    const cep = profile("cyber-essentials-plus", "all-met");
    inspectionId = createInspection(
      visit.id,
      [
        { frameworkVersionId: caf.versionId, profileId: caf.profileId },
        { frameworkVersionId: cep.versionId, profileId: cep.profileId },
      ],
      actorOf(lead),
      db,
    );
    findingIds = new Map(
      all<{ id: string; code: string }>("SELECT f.id, c.code FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ?", inspectionId).map((r) => [r.code, r.id]),
    );
    expect(findingIds.size).toBe(49);
    recordArrival(inspectionId, actorOf(lead), db);
  });

  it("only the visit's lead leaves site, and only from on site", () => {
    expect(state()).toMatchObject({ status: "on_site", version: 2 });
    refused(() => leaveSite(inspectionId, actorOf(member), db), InspectionError, /Only the visit's lead inspector/);
    refused(() => leaveSite(inspectionId, actorOf(programmeLead), db), InspectionError, /Only the visit's lead inspector/);
    const visitStatus = () => one<{ status: string }>("SELECT status FROM visits WHERE id = ?", visitId).status;
    expect(visitStatus()).toBe("scheduled");
    leaveSite(inspectionId, actorOf(lead), db);
    expect(state()).toMatchObject({ status: "draft", version: 3 });
    // The visit is done: it now counts as the trust's latest inspection.
    expect(visitStatus()).toBe("completed");
    expect(audits("inspection.left_site")).toBe(1);
    refused(() => leaveSite(inspectionId, actorOf(lead), db), InspectionError, /only while the inspection is on site/);
  });

  it("refuses a submission with every problem listed, by criterion code and title, and only the lead submits", () => {
    refused(() => submitInspection(inspectionId, actorOf(member), db), InspectionError, /Only the visit's lead inspector submits/);
    const nothing = refused(() => submitInspection(inspectionId, actorOf(lead), db), SubmitRefused);
    expect(nothing.problems).toHaveLength(49);
    expect(nothing.problems.every((p) => p.kind === "not-assessed")).toBe(true);
    const a1a = one<{ title: string }>("SELECT c.title FROM framework_criteria c JOIN findings f ON f.criterion_id = c.id WHERE f.id = ?", finding("A1.a")).title;
    expect(nothing.problems.map((p) => p.text)).toContain(`A1.a ${a1a} is not assessed yet`);

    // Everything assessed (not applicable) but two: A1.a a gap with no severity (minimum achieved), B2.a not assessed.
    for (const code of findingIds.keys()) if (code !== "A1.a" && code !== "B2.a") save(code, member, { chosenRating: "not_applicable" });
    save("A1.a", member, { chosenRating: "partially_achieved", observed: "No board training." });
    const two = refused(() => submitInspection(inspectionId, actorOf(lead), db), SubmitRefused, /2 problems/);
    expect(two.problems.map((p) => [p.kind, p.code])).toEqual([
      ["severity", "A1.a"],
      ["not-assessed", "B2.a"],
    ]);
    expect(two.problems[0]!.text).toBe(`A1.a ${a1a} is below the profile's minimum: choose the gap's severity`);
  });

  it("the lead submits once everything is assessed; the team can no longer save findings", () => {
    save("A1.a", member, { chosenRating: "partially_achieved", observed: "No board training.", severity: "high" });
    save("B2.a", lead, { chosenRating: "achieved" });
    const before = state().version;
    submitInspection(inspectionId, actorOf(lead), db);
    expect(state()).toMatchObject({ status: "submitted", version: before + 1, reviewerId: null });
    expect(one("SELECT submitted_by AS by FROM inspections WHERE id = ?", inspectionId)).toEqual({ by: lead });
    expect(audits("inspection.submitted")).toBe(1);
    expect(() => save("B2.a", member, { chosenRating: "not_achieved" })).toThrow(FindingNotEditable);
    refused(() => submitInspection(inspectionId, actorOf(lead), db), InspectionError, /already submitted/);
    refused(() => leaveSite(inspectionId, actorOf(lead), db), InspectionError);
  });

  it("the review is started by someone not on the team: never the team, an admin, or an inspector with a conflict of interest", () => {
    // Who can see it while it waits: programme leads, admins, the team, and inspectors not on the team.
    const header = inspectionHeader(inspectionId, db)!;
    expect(inspectionAccess({ id: reviewer, role: "inspector" }, header)).toBe("review_candidate");
    expect(listInspections({ id: reviewer, role: "inspector" }, db).find((r) => r.id === inspectionId)).toMatchObject({ awaitingMyReview: true });
    expect(listInspections({ id: lead, role: "inspector" }, db).find((r) => r.id === inspectionId)).toMatchObject({ awaitingMyReview: false });
    expect(listInspections({ id: admin, role: "admin" }, db).find((r) => r.id === inspectionId)).toMatchObject({ awaitingMyReview: false });
    expect(listInspections({ id: programmeLead, role: "programme_lead" }, db).find((r) => r.id === inspectionId)).toMatchObject({ awaitingMyReview: true });

    refused(() => startReview(inspectionId, actorOf(member), db), InspectionError, /team cannot review its own findings/);
    refused(() => startReview(inspectionId, actorOf(lead), db), InspectionError, /team cannot review its own findings/);
    refused(() => startReview(inspectionId, actorOf(admin), db), InspectionError, /programme lead or an inspector/);
    refused(() => startReview(inspectionId, actorOf(conflicted), db), InspectionError, /conflict of interest/);
    const before = state().version;
    startReview(inspectionId, actorOf(reviewer), db);
    expect(state()).toEqual({ status: "in_review", version: before + 1, reviewerId: reviewer });
    expect(audits("inspection.review_started")).toBe(1);
    refused(() => startReview(inspectionId, actorOf(programmeLead), db), InspectionError, /already has a reviewer/);

    // The reviewer sees it; another inspector not on the team no longer does.
    const inReview = inspectionHeader(inspectionId, db)!;
    expect(inspectionAccess({ id: reviewer, role: "inspector" }, inReview)).toBe("reviewer");
    expect(inspectionAccess({ id: conflicted, role: "inspector" }, inReview)).toBeNull();
    expect(listInspections({ id: conflicted, role: "inspector" }, db).map((r) => r.id)).not.toContain(inspectionId);
    expect(listInspections({ id: reviewer, role: "inspector" }, db).find((r) => r.id === inspectionId)).toMatchObject({ awaitingMyReview: false, reviewerId: reviewer });
  });

  it("only the reviewer returns the findings, with at least one valid comment on a finding of this inspection", () => {
    const other = one<{ id: string }>("SELECT id FROM findings WHERE inspection_id <> ? LIMIT 1", inspectionId)?.id ?? randomUUID();
    refused(() => returnForClarification(inspectionId, [{ findingId: finding("A1.a"), text: "Why?" }], actorOf(member), db), InspectionError, /Only the inspection's reviewer/);
    refused(() => returnForClarification(inspectionId, [{ findingId: finding("A1.a"), text: "Why?" }], actorOf(programmeLead), db), InspectionError, /Only the inspection's reviewer/);
    refused(() => returnForClarification(inspectionId, [], actorOf(reviewer), db), ReviewInputError, /at least one comment/);
    const bad = refused(
      () =>
        returnForClarification(
          inspectionId,
          [
            { findingId: finding("A1.a"), text: "   \n " },
            { findingId: other, text: "Not this inspection's" },
            { findingId: finding("B2.a"), text: "x".repeat(2001) },
            { findingId: finding("B2.a"), text: "Fine" },
          ],
          actorOf(reviewer),
          db,
        ),
      ReviewInputError,
    );
    expect(bad.errors).toEqual([
      { index: 0, field: "text", message: "Comment 1: write what the team should clarify" },
      { index: 1, field: "findingId", message: "Comment 2: choose a criterion of this inspection" },
      { index: 2, field: "text", message: "Comment 3 must be 2,000 characters or fewer" },
    ]);

    const before = state().version;
    const ids = returnForClarification(
      inspectionId,
      [
        { findingId: finding("A1.a"), text: "  What training did the board have?\u0007  " },
        { findingId: finding("B2.a"), text: "x".repeat(2000) },
      ],
      actorOf(reviewer),
      db,
    );
    expect(ids).toHaveLength(2);
    expect(state()).toEqual({ status: "draft", version: before + 1, reviewerId: reviewer });
    expect(all("SELECT finding_id AS f, text, author_id AS a, response FROM review_comments WHERE inspection_id = ? ORDER BY created_at, id", inspectionId)).toHaveLength(2);
    expect(one("SELECT text FROM review_comments WHERE id = ?", ids[0])).toEqual({ text: "What training did the board have?" });
    expect(audits("inspection.returned")).toBe(1);
    refused(() => approveInspection(inspectionId, actorOf(reviewer), db), InspectionError, /only while they are in review/);
  });

  it("the team answers every comment (and may change the finding) before the lead submits again, to the same reviewer", () => {
    const [c1, c2] = all<{ id: string }>("SELECT id FROM review_comments WHERE inspection_id = ? ORDER BY finding_id = ? DESC", inspectionId, finding("A1.a")).map((r) => r.id);
    const problems = refused(() => submitInspection(inspectionId, actorOf(lead), db), SubmitRefused).problems;
    expect(problems.map((p) => [p.kind, p.code])).toEqual([
      ["comment", "A1.a"],
      ["comment", "B2.a"],
    ]);
    expect(problems[0]!.text).toMatch(/^A1\.a .* has a reviewer's comment not answered yet$/);

    refused(() => answerComment(c1!, "An answer", actorOf(reviewer), db), InspectionError, /Only the visit's team/);
    refused(() => answerComment(c1!, "   ", actorOf(member), db), ReviewInputError, /Write your answer/);
    refused(() => answerComment(c1!, "y".repeat(2001), actorOf(member), db), ReviewInputError, /2,000 characters or fewer/);
    save("A1.a", member, { chosenRating: "partially_achieved", observed: "No board training since 2023; a session is booked.", severity: "high" });
    answerComment(c1!, "  None since 2023: see the updated finding.  ", actorOf(member), db);
    refused(() => answerComment(c1!, "Again", actorOf(lead), db), InspectionError, /already been answered/);
    expect(refused(() => submitInspection(inspectionId, actorOf(lead), db), SubmitRefused).problems.map((p) => p.code)).toEqual(["B2.a"]);
    answerComment(c2!, "Shortened.", actorOf(lead), db);
    expect(audits("inspection.comment_answered")).toBe(2);

    const view = reviewView(inspectionId, db)!;
    expect(view.reviewer?.id).toBe(reviewer);
    expect(view.unanswered).toBe(0);
    expect(view.findings.map((f) => f.code)).toEqual(["A1.a", "B2.a"]);
    expect(view.findings[0]!.comments[0]).toMatchObject({ text: "What training did the board have?", response: "None since 2023: see the updated finding." });

    submitInspection(inspectionId, actorOf(lead), db);
    expect(state()).toMatchObject({ status: "submitted", reviewerId: reviewer });
    refused(() => answerComment(c2!, "Late", actorOf(lead), db), InspectionError);
    // Only the same reviewer picks it up again.
    expect(inspectionAccess({ id: conflicted, role: "inspector" }, inspectionHeader(inspectionId, db)!)).toBeNull();
    refused(() => startReview(inspectionId, actorOf(programmeLead), db), InspectionError, /already has a reviewer/);
    startReview(inspectionId, actorOf(reviewer), db);
    expect(state()).toMatchObject({ status: "in_review", reviewerId: reviewer });
  });

  it("only the reviewer approves; after approval nothing about the findings changes, and the comments are kept", () => {
    refused(() => approveInspection(inspectionId, actorOf(member), db), InspectionError, /Only the inspection's reviewer/);
    refused(() => approveInspection(inspectionId, actorOf(programmeLead), db), InspectionError, /Only the inspection's reviewer/);
    const before = state().version;
    approveInspection(inspectionId, actorOf(reviewer), db);
    expect(state()).toEqual({ status: "approved", version: before + 1, reviewerId: reviewer });
    expect(one("SELECT approved_by AS by, approved_at IS NOT NULL AS at FROM inspections WHERE id = ?", inspectionId)).toEqual({ by: reviewer, at: 1 });
    refused(() => approveInspection(inspectionId, actorOf(reviewer), db), InspectionError, /already approved/);
    refused(() => returnForClarification(inspectionId, [{ findingId: finding("A1.a"), text: "Late" }], actorOf(reviewer), db), InspectionError);
    refused(() => submitInspection(inspectionId, actorOf(lead), db), InspectionError);
    const revisions = writes().revisions;
    expect(() => save("A1.a", member, { chosenRating: "achieved" })).toThrow(FindingNotEditable);
    expect(writes().revisions).toBe(revisions);
    expect(reviewView(inspectionId, db)!.comments).toBe(2);

    // Every step audited once per time it happened, with no trust in the summaries.
    expect(
      ["inspection.arrived", "inspection.left_site", "inspection.submitted", "inspection.review_started", "inspection.returned", "inspection.comment_answered", "inspection.approved"].map(audits),
    ).toEqual([1, 1, 2, 2, 1, 2, 1]);
    const summaries = all<{ summary: string }>("SELECT summary FROM audit_events WHERE object_id = ? AND action LIKE 'inspection.%'", inspectionId);
    for (const s of summaries) expect(s.summary).not.toContain(trustCode);
  });
});

// ── Over HTTP ──────────────────────────────────────────────────────────────────────────────────────────────

describe("the review pages", () => {
  let server: RunningServer;
  const sql = <T>(query: string, ...params: unknown[]): T => {
    const db = new Database(server.databaseFile);
    try {
      return db.prepare(query).get(...params) as T;
    } finally {
      db.close();
    }
  };
  const sqlAll = <T>(query: string, ...params: unknown[]): T[] => {
    const db = new Database(server.databaseFile);
    try {
      return db.prepare(query).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  let visitId = "";
  let trustName = "";
  let inspectionId = "";
  let lead: Client;
  let member: Client;
  let reviewer: Client; // an inspector not on the team
  let bystander: Client; // another inspector not on the team
  let admin: Client;
  let programmeLead: Client;
  const status = () => sql<{ status: string }>("SELECT status FROM inspections WHERE id = ?", inspectionId).status;
  const overview = () => `/inspections/${inspectionId}`;
  const criterionOf = (code: string) => sql<{ id: number }>("SELECT id FROM framework_criteria WHERE code = ?", code).id;
  const findingOf = (code: string) =>
    sql<{ id: string; version: number }>("SELECT f.id, f.version FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? AND c.code = ?", inspectionId, code);
  const criterionUrl = (code: string) => `/inspections/${inspectionId}/criteria/${criterionOf(code)}`;
  const audits = (action: string) => sql<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = ? AND object_id = ?", action, inspectionId).n;
  const blank = { rating: "", overrideReason: "", observed: "", evidenceDocuments: "", evidencePeople: "", evidenceSystems: "", severity: "", recommendation: "", actionDueDay: "", actionDueMonth: "", actionDueYear: "", then: "stay" };
  const saveFinding = (client: Client, code: string, fields: Record<string, string>) =>
    client.post(criterionUrl(code), { baseVersion: String(findingOf(code).version), idempotencyKey: aKey(), ...blank, ...fields });

  beforeAll(async () => {
    server = await startServer();
    const visit = sql<{ id: string; trustName: string; lead: string; member: string }>(
      `SELECT v.id, t.name AS trustName,
              (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'lead') AS lead,
              (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'member' ORDER BY u.email LIMIT 1) AS member
         FROM visits v JOIN trusts t ON t.ods_code = v.trust_code
        WHERE v.status = 'scheduled' AND v.trust_code <> 'RJ1' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
          AND (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) = 2
        ORDER BY v.visit_date, v.trust_code LIMIT 1`,
    );
    visitId = visit.id;
    trustName = visit.trustName;
    const outsiders = Array.from({ length: 12 }, (_, i) => `inspector${i + 1}@deepdive.test`).filter((e) => e !== visit.lead && e !== visit.member);
    [lead, member, reviewer, bystander, admin, programmeLead] = (await Promise.all(
      [visit.lead, visit.member, outsiders[0]!, outsiders[1]!, "admin@deepdive.test", "lead@deepdive.test"].map((email) => signedIn(server.url, email)),
    )) as [Client, Client, Client, Client, Client, Client];
    const profile = (framework: string, code: string) =>
      sql<{ versionId: number; profileId: number }>(
        "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = ? AND p.code = ?",
        framework,
        code,
      );
    const caf = profile("caf", "govassure-baseline");
    const cep = profile("cyber-essentials-plus", "all-met");
    const created = await lead.post(`/inspections/new?visit=${visitId}`, { [`profile-${caf.versionId}`]: String(caf.profileId), [`profile-${cep.versionId}`]: String(cep.profileId) });
    expect(created.status).toBe(302);
    inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect((await lead.post(overview(), { intent: "arrive" })).status).toBe(302);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the lead leaves site and submits; a refused submission lists every problem, linking to the criteria", async () => {
    const onSite = await readPage(await lead.get(overview()));
    expect(onSite).toContain("Leave site");
    expect(onSite).toContain("Submit for review");
    const memberPage = await readPage(await member.get(overview()));
    expect(memberPage).not.toContain("Leave site");
    expect(memberPage).not.toContain("Submit for review");

    // A member cannot leave site or submit.
    const byMember = await member.post(overview(), { intent: "submit" });
    expect(byMember.status).toBe(400);
    expect(await readPage(byMember)).toContain("Only the visit's lead inspector submits the findings");
    expect((await member.post(overview(), { intent: "leave" })).status).toBe(400);

    const left = await lead.post(overview(), { intent: "leave" });
    expect(left.status).toBe(302);
    expect(status()).toBe("draft");
    expect(await readPage(await lead.get(left.headers.get("location")!))).toContain("The team has left site: the findings are in draft.");

    const refusedSubmit = await lead.post(overview(), { intent: "submit" });
    expect(refusedSubmit.status).toBe(400);
    const html = await readPage(refusedSubmit);
    expect(html).toContain("The findings cannot be submitted yet: 49 problems to put right");
    expect(html).toContain(`href="${criterionUrl("A1.a")}"`);
    expect(html).toMatch(/A1\.a [^<]+ is not assessed yet/);
    expect(status()).toBe("draft");

    // The team assesses everything: all not applicable, A1.a a high-severity gap.
    const codes = sqlAll<{ code: string }>("SELECT c.code FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ?", inspectionId).map((r) => r.code);
    for (const code of codes) {
      const fields: Record<string, string> = code === "A1.a" ? { rating: "partially_achieved", observed: "No board cyber training.", severity: "high" } : { rating: "not_applicable" };
      expect((await saveFinding(member, code, fields)).status, code).toBe(302);
    }
    const submitted = await lead.post(overview(), { intent: "submit" });
    expect(submitted.status).toBe(302);
    expect(status()).toBe("submitted");
    expect(audits("inspection.submitted")).toBe(1);

    // The team can no longer save findings, and the criterion page shows the finding read only.
    expect((await saveFinding(member, "A1.a", { rating: "achieved" })).status).toBe(404);
    const criterionPage = await readPage(await member.get(criterionUrl("A1.a")));
    expect(criterionPage).not.toContain('id="finding-form"');
    expect(criterionPage).toContain("The findings are submitted for review: they can no longer be changed.");
    expect(criterionPage).toContain("No board cyber training.");
  });

  it("an inspector not on the team finds it awaiting review and starts the review; the team and admins cannot", async () => {
    const list = await readPage(await reviewer.get("/inspections"));
    expect(list).toContain("Awaiting review");
    expect(list).toContain(`href="/inspections/${inspectionId}"`);
    expect(await readPage(await programmeLead.get("/inspections"))).toContain("Awaiting review");
    expect(await readPage(await admin.get("/inspections"))).not.toContain("Awaiting review");
    expect(await readPage(await member.get("/inspections"))).not.toContain("Awaiting review");

    const candidatePage = await reviewer.get(overview());
    expect(candidatePage.status).toBe(200);
    expect(await readPage(candidatePage)).toContain("Start the review");
    const adminPage = await readPage(await admin.get(overview()));
    expect(adminPage).not.toContain("Start the review");
    expect(await readPage(await member.get(overview()))).not.toContain("Start the review");

    for (const client of [member, lead, admin]) {
      const attempt = await client.post(overview(), { intent: "start-review" });
      expect(attempt.status).toBe(400);
    }
    expect(status()).toBe("submitted");

    const started = await reviewer.post(overview(), { intent: "start-review" });
    expect(started.status).toBe(302);
    expect(status()).toBe("in_review");
    expect(audits("inspection.review_started")).toBe(1);

    // Now another inspector not on the team gets 404, and no longer finds it.
    expect((await bystander.get(overview())).status).toBe(404);
    expect((await bystander.get(criterionUrl("A1.a"))).status).toBe(404);
    expect((await bystander.post(overview(), { intent: "approve" })).status).toBe(404);
    expect(await readPage(await bystander.get("/inspections"))).not.toContain(inspectionId);
    // The reviewer reads every criterion, and is listed as the reviewer.
    const asReviewer = await readPage(await reviewer.get(criterionUrl("A1.a")));
    expect(asReviewer).toContain("No board cyber training.");
    expect(asReviewer).not.toContain('id="finding-form"');
    expect(await readPage(await reviewer.get("/inspections"))).toContain(`href="/inspections/${inspectionId}"`);
  });

  it("the reviewer returns the findings with a comment; the team sees it, changes the finding, answers it and resubmits", async () => {
    const page = await readPage(await reviewer.get(overview()));
    expect(page).toContain('id="return-form"');
    expect(page).toContain("Approve the findings");
    const a1a = findingOf("A1.a").id;
    expect(page).toContain(`<option value="${a1a}">A1.a`);

    // Without JavaScript, "Add another comment" gives the form again with one more comment.
    const more = await reviewer.post(overview(), { intent: "add-comment", rows: "1", "finding-0": a1a, "comment-0": "Draft" });
    expect(more.status).toBe(200);
    const moreHtml = await readPage(more);
    expect(moreHtml).toContain("Comment 2");
    expect(moreHtml).toContain("Return to the team with these 2 comments");

    // A comment without text is refused, nothing is stored.
    const empty = await reviewer.post(overview(), { intent: "return", rows: "2", "finding-0": a1a, "comment-0": "  ", "finding-1": "", "comment-1": "" });
    expect(empty.status).toBe(400);
    expect(await readPage(empty)).toContain("Comment 1: write what the team should clarify");
    expect(status()).toBe("in_review");
    // A member cannot return it.
    expect((await member.post(overview(), { intent: "return", rows: "1", "finding-0": a1a, "comment-0": "Mine" })).status).toBe(400);

    const returned = await reviewer.post(overview(), {
      intent: "return",
      rows: "2",
      "finding-0": a1a,
      "comment-0": "When was the board last trained?",
      "finding-1": "",
      "comment-1": "",
    });
    expect(returned.status).toBe(302);
    expect(status()).toBe("draft");
    expect(audits("inspection.returned")).toBe(1);

    const teamView = await readPage(await member.get(overview()));
    expect(teamView).toContain("Reviewer's comments");
    expect(teamView).toContain("When was the board last trained?");
    expect(teamView).toContain("Not answered yet");

    // The lead cannot submit until it is answered.
    const early = await lead.post(overview(), { intent: "submit" });
    expect(early.status).toBe(400);
    expect(await readPage(early)).toMatch(/A1\.a [^<]+ has a reviewer's comment not answered yet/);

    // The criterion page: the comment, the finding form again, and a form to answer.
    const criterion = await readPage(await member.get(criterionUrl("A1.a")));
    expect(criterion).toContain("When was the board last trained?");
    expect(criterion).toContain('id="finding-form"');
    expect(criterion).toContain('name="intent" value="answer"');
    expect(await readPage(await reviewer.get(criterionUrl("A1.a")))).not.toContain('value="answer"');

    expect((await saveFinding(member, "A1.a", { rating: "partially_achieved", observed: "No board cyber training since 2023.", severity: "high" })).status).toBe(302);
    const commentId = sql<{ id: string }>("SELECT id FROM review_comments WHERE inspection_id = ?", inspectionId).id;
    const blankAnswer = await member.post(criterionUrl("A1.a"), { intent: "answer", commentId, response: " " });
    expect(blankAnswer.status).toBe(400);
    expect(await readPage(blankAnswer)).toContain("Write your answer to the comment");
    // A comment of another finding is not answered from this page.
    expect((await member.post(criterionUrl("B2.a"), { intent: "answer", commentId, response: "Wrong page" })).status).toBe(404);
    // The reviewer does not answer.
    expect((await reviewer.post(criterionUrl("A1.a"), { intent: "answer", commentId, response: "Me" })).status).toBe(404);
    const answered = await member.post(criterionUrl("A1.a"), { intent: "answer", commentId, response: "Not since 2023: the finding now says so." });
    expect(answered.status).toBe(302);
    expect(await readPage(await reviewer.get(criterionUrl("A1.a")))).toContain("Not since 2023: the finding now says so.");
    expect(audits("inspection.comment_answered")).toBe(1);

    expect((await lead.post(overview(), { intent: "submit" })).status).toBe(302);
    expect(status()).toBe("submitted");
    // Only the same reviewer takes it up again.
    expect((await bystander.get(overview())).status).toBe(404);
    expect(await readPage(await reviewer.get("/inspections"))).toContain("Awaiting review");
    expect((await programmeLead.post(overview(), { intent: "start-review" })).status).toBe(400);
    expect((await reviewer.post(overview(), { intent: "start-review" })).status).toBe(302);
    expect(status()).toBe("in_review");
  });

  it("the reviewer approves: the findings can no longer be saved (404), the comments are kept", async () => {
    expect((await member.post(overview(), { intent: "approve" })).status).toBe(400);
    const approved = await reviewer.post(overview(), { intent: "approve" });
    expect(approved.status).toBe(302);
    expect(status()).toBe("approved");
    expect(audits("inspection.approved")).toBe(1);
    const page = await readPage(await member.get(overview()));
    expect(page).toContain("Approved");
    expect(page).toContain("When was the board last trained?");
    expect(page).toContain("Not since 2023: the finding now says so.");
    expect((await saveFinding(member, "A1.a", { rating: "achieved" })).status).toBe(404);
    const criterion = await readPage(await member.get(criterionUrl("A1.a")));
    expect(criterion).toContain("The findings are approved: they can no longer be changed.");
    expect(criterion).not.toContain('value="answer"');
    expect(sql<{ n: number }>("SELECT count(*) AS n FROM review_comments WHERE inspection_id = ?", inspectionId).n).toBe(1);
    expect(["inspection.left_site", "inspection.submitted", "inspection.review_started", "inspection.returned", "inspection.comment_answered", "inspection.approved"].map(audits)).toEqual([
      1, 2, 2, 1, 1, 1,
    ]);
  });

  it("trust users get 404 on every page and step", async () => {
    const trust = await signedIn(server.url, "trust.rj1@deepdive.test");
    const commentId = sql<{ id: string }>("SELECT id FROM review_comments WHERE inspection_id = ?", inspectionId).id;
    for (const url of ["/inspections", overview(), criterionUrl("A1.a")]) {
      const response = await trust.get(url);
      expect(response.status, url).toBe(404);
      expect(await readPage(response)).not.toContain(trustName);
    }
    for (const intent of ["leave", "submit", "start-review", "return", "approve"]) expect((await trust.post(overview(), { intent })).status).toBe(404);
    expect((await trust.post(criterionUrl("A1.a"), { intent: "answer", commentId, response: "Trust" })).status).toBe(404);
    expect(status()).toBe("approved");
  });
});
