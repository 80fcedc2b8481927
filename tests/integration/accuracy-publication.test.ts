/**
 * Factual accuracy and publication (issue 6), over real HTTP against the real server, with the inspection approved
 * through the domain functions first (tests/support/inspections.ts):
 *
 * - the reviewer opens the check; the trust's user (of that trust only) reads the draft in the page and as a DRAFT
 *   PDF and comments in each category; anyone else, another trust's user included, gets the same 404 as for an id
 *   that does not exist, on every URL;
 * - the reviewer accepts a comment (correcting the finding: a new revision) and rejects one, each with a reason; a
 *   programme lead not on the team decides the third; the team cannot decide or publish; the trust reads the answers;
 * - publishing stores version 1 once, with the SHA-256 of its bytes, makes the actions, and the trust downloads it
 *   with a server-chosen name; a correction publishes version 2 with its note, and version 1's bytes and hash stay as
 *   they were, labelled superseded;
 * - after the close date the trust reads but cannot comment, and the report is published without the confirmation.
 */
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../app/db.server";
import { FindingNotEditable, saveFinding } from "../../app/inspections/findings.server";
import { InspectionError } from "../../app/inspections/inspections.server";
import { decideAccuracyComment, FindingEditConflict, openAccuracyCheck, publishCorrection, raiseAccuracyComment } from "../../app/reports/publication.server";
import { loadHolidaySet } from "../../app/scheduling/bank-holidays.server";
import { addCalendarDays, addWorkingDays } from "../../app/scheduling/working-days";
import { todayInLondon } from "../../app/trusts/register.server";
import { formatCalendarDate } from "../../app/ui/dates";
import { actorOf, trustUserOf } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { anotherVisit, approvedInspection, visitOf, type ApprovedInspection } from "../support/inspections";
import { pdfText } from "../support/pdf";
import { startServer, type RunningServer } from "../support/server";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** The page's own content (the navigation around it is the signed-in user's). */
const mainOf = (html: string) => /<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? "";

const OBSERVED = "The board has had no cyber security training since 2023, and no one could name the senior information risk owner.";
const CORRECTED = "The board was last trained in March 2024 (Kestrel programme); no one could name the senior information risk owner.";
const CORRECTED_AGAIN = "The board was last trained in March 2024 (Zebrafinch programme); the senior information risk owner is the chief nurse.";

let server: RunningServer;
let db: Db;
let main: ApprovedInspection;
let reviewer: Client; // an inspector not on the team, who reviewed and approved it
let lead: Client; // the visit's lead
let member: Client;
let bystander: Client; // another inspector, not on the team, not the reviewer
let programmeLead: Client;
let admin: Client;
let trust: Client; // RJ1's demo user
let otherTrust: Client; // RRU's demo user
const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;
const all = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).all(...params) as T[];
const emailOf = (id: string) => one<{ email: string }>("SELECT email FROM users WHERE id = ?", id).email;
const idOf = (email: string) => one<{ id: string }>("SELECT id FROM users WHERE email = ?", email).id;
const status = (id = main.inspectionId) => one<{ status: string }>("SELECT status FROM inspections WHERE id = ?", id).status;
const audits = (action: string, id = main.inspectionId) => one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = ? AND object_id = ?", action, id).n;
const finding = (code: string) => one<{ id: string; version: number; observed: string; rating: string; recommendation: string }>("SELECT id, version, observed, rating, recommendation FROM findings WHERE id = ?", main.findings.get(code));
const commentIds = () => all<{ id: string; part: string }>("SELECT id, part FROM accuracy_comments WHERE inspection_id = ? ORDER BY created_at, id", main.inspectionId);
const commentOf = (part: string) => commentIds().find((c) => c.part === part)!.id;
const staffPage = () => `/inspections/${main.inspectionId}/accuracy`;
const portalPage = (id = main.inspectionId) => `/portal/accuracy/${id}`;
const versionRow = (version: number) => one<{ pdf: Buffer; sha256: string; size: number; note: string; by: string; at: string } | undefined>(
  "SELECT pdf, sha256, size_bytes AS size, change_note AS note, published_by AS by, published_at AS at FROM report_versions WHERE inspection_id = ? AND version = ?",
  main.inspectionId,
  version,
);

beforeAll(async () => {
  server = await startServer();
  db = openDatabase(server.databaseFile);
  main = approvedInspection(db, {
    visitId: visitOf(db, "RJ1"),
    findings: {
      "A1.a": { chosenRating: "partially_achieved", observed: OBSERVED, severity: "high", recommendation: "Train the board in cyber security this year." },
      "B2.a": { chosenRating: "achieved", observed: "Access is reviewed every quarter." },
      "CE-FW": { chosenRating: "not_achieved", observed: "Two boundary firewalls still have the default admin password.", severity: "medium", recommendation: "Change the default passwords." },
    },
  });
  const bystanderEmail = one<{ email: string }>(
    "SELECT email FROM users WHERE role = 'inspector' AND disabled_at IS NULL AND id NOT IN (?, ?, ?) ORDER BY email DESC LIMIT 1",
    main.leadId,
    main.memberId,
    main.reviewerId,
  ).email;
  [reviewer, lead, member, bystander, programmeLead, admin, trust, otherTrust] = (await Promise.all(
    [emailOf(main.reviewerId), emailOf(main.leadId), emailOf(main.memberId), bystanderEmail, "lead@deepdive.test", "admin@deepdive.test", "trust.rj1@deepdive.test", "trust.rru@deepdive.test"].map((e) =>
      signedIn(server.url, e),
    ),
  )) as [Client, Client, Client, Client, Client, Client, Client, Client];
});
afterAll(async () => {
  db?.$client.close();
  await server?.stop();
});

describe("the factual accuracy check and publication, over HTTP", () => {
  it("before the check opens the trust sees nothing; only the reviewer or a programme lead not on the team opens it", async () => {
    expect(status()).toBe("approved");
    expect((await trust.get(portalPage())).status).toBe(404);
    expect((await trust.get(`${portalPage()}/draft.pdf`)).status).toBe(404);
    expect(await readPage(await trust.get("/portal"))).not.toContain(main.inspectionId);

    const expected = addWorkingDays(todayInLondon(), 10, loadHolidaySet(db));
    const asReviewer = await readPage(await reviewer.get(`/inspections/${main.inspectionId}`));
    expect(asReviewer).toContain("Start the factual accuracy check");
    expect(asReviewer).toContain(`can read the draft and comment until ${formatCalendarDate(expected)}`);
    const asLead = await readPage(await lead.get(`/inspections/${main.inspectionId}`));
    expect(asLead).not.toContain("Start the factual accuracy check");
    expect(asLead).toContain("starts the trust's factual accuracy check");

    for (const client of [lead, member, admin]) {
      const refused = await client.post(staffPage(), { intent: "open" });
      expect(refused.status).toBe(400);
      expect(await readPage(refused)).toContain("Only the inspection's reviewer, or a programme lead who was not on the visit, starts the factual accuracy check");
    }
    expect((await bystander.post(staffPage(), { intent: "open" })).status).toBe(404);
    expect(status()).toBe("approved");

    const opened = await reviewer.post(staffPage(), { intent: "open" });
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`${staffPage()}?done=opened`);
    expect(one("SELECT status, accuracy_closes_on AS closesOn, accuracy_opened_by AS openedBy, accuracy_opened_at IS NOT NULL AS at FROM inspections WHERE id = ?", main.inspectionId)).toEqual({
      status: "factual_accuracy",
      closesOn: expected,
      openedBy: main.reviewerId,
      at: 1,
    });
    expect(audits("inspection.accuracy_opened")).toBe(1);
    const again = await programmeLead.post(staffPage(), { intent: "open" });
    expect(again.status).toBe(400);
    expect(await readPage(again)).toContain("The factual accuracy check has already started");
  });

  it("the trust's user reads the draft in the page and as a DRAFT PDF, and comments in each category", async () => {
    const home = await readPage(await trust.get("/portal"));
    expect(home).toContain("A draft report is ready for you to check");
    expect(home).toContain(`href="${portalPage()}"`);

    const page = await readPage(await trust.get(portalPage()));
    expect(page).toContain("Check your draft report for factual accuracy");
    expect(page).toContain("DRAFT");
    expect(page).toContain(main.trustName);
    expect(page).toContain("A1.a");
    expect(page).toContain("CE-FW");
    expect(page).toContain(OBSERVED);
    expect(page).toContain(formatCalendarDate(addWorkingDays(todayInLondon(), 10, loadHolidaySet(db))));
    // Nothing of selection, scheduling of future visits or risk scoring.
    expect(page).not.toMatch(/selection round|priority band|risk score|seed/i);

    const draft = await trust.get(`${portalPage()}/draft.pdf`);
    expect(draft.status).toBe(200);
    expect(draft.headers.get("content-type")).toBe("application/pdf");
    expect(draft.headers.get("content-disposition")).toBe(`attachment; filename="RJ1-deep-dive-${main.visitDate}-v1-draft.pdf"; filename*=UTF-8''RJ1-deep-dive-${main.visitDate}-v1-draft.pdf`);
    const draftBytes = new Uint8Array(await draft.arrayBuffer());
    expect(Buffer.from(draftBytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const draftText = await pdfText(draftBytes);
    expect(draftText).toContain("DRAFT");
    expect(draftText).toContain("A1.a");
    // The draft is made on request, never stored.
    expect(one<{ n: number }>("SELECT count(*) AS n FROM report_versions WHERE inspection_id = ?", main.inspectionId).n).toBe(0);
    expect(audits("report.draft_downloaded")).toBe(1);

    // Refused comments store nothing, and say what to put right.
    const empty = await trust.post(portalPage(), {});
    expect(empty.status).toBe(400);
    const emptyHtml = await readPage(empty);
    for (const message of ["Choose which part of the report your comment is about", "Choose what kind of comment it is", "Write your comment"]) expect(emptyHtml).toContain(message);
    const noFinding = await readPage(await trust.post(portalPage(), { part: "finding", findingId: "", category: "inaccurate_fact", text: "Wrong." }));
    expect(noFinding).toContain("Choose the finding your comment is about");
    const foreign = one<{ id: string }>("SELECT id FROM findings WHERE inspection_id <> ? LIMIT 1", main.inspectionId).id;
    expect(await readPage(await trust.post(portalPage(), { part: "finding", findingId: foreign, category: "inaccurate_fact", text: "Wrong." }))).toContain("Choose a finding of this report");
    const long = await trust.post(portalPage(), { part: "summary", category: "typing_error", text: "x".repeat(2001) });
    expect(long.status).toBe(400);
    expect(await readPage(long)).toContain("Your comment must be 2,000 characters or fewer");
    expect(commentIds()).toHaveLength(0);

    const sent = [
      { part: "finding", findingId: main.findings.get("A1.a")!, category: "inaccurate_fact", text: "The board was trained in March 2024 (the Kestrel programme), not 2023.\u0007" },
      { part: "summary", findingId: "", category: "typing_error", text: "The summary spells our trust's name wrongly." },
      { part: "method", findingId: "", category: "omitted_evidence", text: "We showed the team our training records, which the report does not mention." },
    ];
    for (const comment of sent) {
      const response = await trust.post(portalPage(), comment);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`${portalPage()}?done=commented`);
    }
    expect(all("SELECT part, category, finding_id AS findingId, text FROM accuracy_comments WHERE inspection_id = ? ORDER BY created_at, id", main.inspectionId)).toEqual([
      { part: "finding", category: "inaccurate_fact", findingId: main.findings.get("A1.a"), text: "The board was trained in March 2024 (the Kestrel programme), not 2023." },
      { part: "summary", category: "typing_error", findingId: null, text: sent[1]!.text },
      { part: "method", category: "omitted_evidence", findingId: null, text: sent[2]!.text },
    ]);
    expect(audits("accuracy.comment_raised")).toBe(3);
    for (const { summary } of all<{ summary: string }>("SELECT summary FROM audit_events WHERE action = 'accuracy.comment_raised' AND object_id = ?", main.inspectionId)) {
      expect(summary).not.toMatch(/Kestrel|spells|training records|RJ1/);
    }
    const after = await readPage(await trust.get(portalPage()));
    expect(after).toContain("3 comments, 3 waiting for an answer");
    expect(after).toContain("Omitted evidence");
    expect(after).toContain("Typing error");
    expect(after).toContain("Inaccurate fact");
    expect(after).toContain("Not decided yet");
  });

  it("another trust's user, staff and made-up ids get the same 404 on every trust URL", async () => {
    const unknown = randomUUID();
    const before = commentIds().length;
    const unknownPage = mainOf(await readPage(await otherTrust.get(portalPage(unknown))));
    expect(unknownPage).toContain("Page not found");
    for (const client of [otherTrust, trust]) {
      const forUnknown = await client.get(portalPage(unknown));
      expect(forUnknown.status).toBe(404);
    }
    const other = await otherTrust.get(portalPage());
    expect(other.status).toBe(404);
    expect(mainOf(await readPage(other))).toBe(unknownPage);
    const posted = await otherTrust.post(portalPage(), { part: "summary", category: "typing_error", text: "Not ours." });
    expect(posted.status).toBe(404);
    for (const url of [`${portalPage()}/draft.pdf`, `/portal/reports/${main.inspectionId}/v/1.pdf`]) {
      const response = await otherTrust.get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).toBe(await (await otherTrust.get(url.replace(main.inspectionId, unknown))).text());
    }
    expect(await readPage(await otherTrust.get("/portal"))).not.toContain(main.inspectionId);
    // RJ1's user: its own approved (never opened) demo inspection, and RRU's, are as unknown as a made-up id.
    for (const { id } of all<{ id: string }>("SELECT id FROM inspections WHERE status = 'approved' AND trust_code IN ('RJ1', 'RRU')")) {
      expect((await trust.get(portalPage(id))).status).toBe(404);
      expect((await trust.get(`${portalPage(id)}/draft.pdf`)).status).toBe(404);
    }
    // Staff are not trust users.
    for (const client of [programmeLead, admin, reviewer]) expect((await client.get(portalPage())).status).toBe(404);
    expect(commentIds()).toHaveLength(before);
  });

  it("only the reviewer or a programme lead not on the team decides, always with a reason; an accepted comment corrects the finding", async () => {
    const findingComment = commentOf("finding");
    const summaryComment = commentOf("summary");
    const methodComment = commentOf("method");
    const a1a = finding("A1.a");
    const edit = { "edit-baseVersion": String(a1a.version), "edit-observed": CORRECTED, "edit-evidenceDocuments": "", "edit-evidencePeople": "", "edit-evidenceSystems": "", "edit-recommendation": a1a.recommendation };
    const decide = (client: Client, commentId: string, fields: Record<string, string>) => client.post(staffPage(), { intent: "decide", commentId, ...fields });

    // The team reads the comments but cannot decide them.
    const teamPage = await readPage(await member.get(staffPage()));
    expect(teamPage).toContain("The board was trained in March 2024");
    expect(teamPage).not.toContain("Save the decision");
    for (const client of [lead, member, admin]) {
      const refused = await decide(client, findingComment, { [`decision-${findingComment}`]: "accepted", reason: "Mine", ...edit });
      expect(refused.status).toBe(400);
      expect(await readPage(refused)).toContain("Only the inspection's reviewer, or a programme lead who was not on the visit, decides the trust's comments");
    }
    expect((await decide(bystander, findingComment, { [`decision-${findingComment}`]: "accepted", reason: "Mine" })).status).toBe(404);
    expect(() => decideAccuracyComment(findingComment, { decision: "accepted", reason: "Mine" }, actorOf(db, main.leadId), db)).toThrow(InspectionError);

    const reviewerPage = await readPage(await reviewer.get(staffPage()));
    expect(reviewerPage).toContain("Save the decision");
    expect(reviewerPage).toContain(`name="edit-observed"`);

    const noReason = await decide(reviewer, summaryComment, { [`decision-${summaryComment}`]: "rejected", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(await readPage(noReason)).toContain("Give the reason for rejecting the comment: the trust will see it");
    const noDecision = await decide(reviewer, summaryComment, { reason: "Because." });
    expect(await readPage(noDecision)).toContain("Choose whether to accept or reject the comment");
    expect(one<{ n: number }>("SELECT count(*) AS n FROM accuracy_comments WHERE inspection_id = ? AND decision IS NOT NULL", main.inspectionId).n).toBe(0);

    // Accepted, with the finding corrected: a new version and revision by the reviewer; nothing but the text changes.
    const accepted = await decide(reviewer, findingComment, { [`decision-${findingComment}`]: "accepted", reason: "Your training records show March 2024.", ...edit });
    expect(accepted.status).toBe(302);
    const corrected = finding("A1.a");
    expect(corrected).toMatchObject({ version: a1a.version + 1, observed: CORRECTED, rating: "partially_achieved", recommendation: a1a.recommendation });
    const revision = one<{ savedBy: string; content: string }>("SELECT saved_by AS savedBy, content FROM finding_revisions WHERE finding_id = ? AND version = ?", a1a.id, corrected.version);
    expect(revision.savedBy).toBe(main.reviewerId);
    expect(JSON.parse(revision.content)).toMatchObject({ observed: CORRECTED, rating: "partially_achieved", severity: "high" });
    expect(audits("finding.revised")).toBe(1);

    // Rejected, with the reason the trust sees; the finding form sent with it changes nothing.
    expect((await decide(reviewer, summaryComment, { [`decision-${summaryComment}`]: "rejected", reason: "The summary uses the trust's registered name." })).status).toBe(302);
    const twice = await decide(reviewer, summaryComment, { [`decision-${summaryComment}`]: "accepted", reason: "Changed my mind." });
    expect(twice.status).toBe(400);
    expect(await readPage(twice)).toContain("This comment has already been decided");

    // Not publishable while a comment is undecided, whatever the confirmation.
    const early = await reviewer.post(staffPage(), { intent: "publish", trustFinished: "yes" });
    expect(early.status).toBe(400);
    expect(await readPage(early)).toContain("Decide every comment from the trust first: 1 comment is not decided yet");

    // A programme lead not on the team decides the third.
    expect((await decide(programmeLead, methodComment, { [`decision-${methodComment}`]: "accepted", reason: "The records are now listed under the method." })).status).toBe(302);
    expect(all("SELECT part, decision, decided_by AS by FROM accuracy_comments WHERE inspection_id = ? ORDER BY created_at, id", main.inspectionId)).toEqual([
      { part: "finding", decision: "accepted", by: main.reviewerId },
      { part: "summary", decision: "rejected", by: main.reviewerId },
      { part: "method", decision: "accepted", by: idOf("lead@deepdive.test") },
    ]);
    expect(audits("accuracy.comment_decided")).toBe(3);
    for (const { summary } of all<{ summary: string }>("SELECT summary FROM audit_events WHERE action IN ('accuracy.comment_decided', 'finding.revised') AND object_id = ?", main.inspectionId)) {
      expect(summary).not.toMatch(/Kestrel|training records|registered name/);
    }
  });

  it("the trust reads CQC's answers", async () => {
    const page = await readPage(await trust.get(portalPage()));
    expect(page).toContain("3 comments, 0 waiting for an answer");
    expect(page).toContain("Accepted because");
    expect(page).toContain("Your training records show March 2024.");
    expect(page).toContain("Rejected because");
    expect(page).toContain("The summary uses the trust's registered name.");
    // Answered by CQC, not by a named reviewer (the report's method names the team and the reviewer, as published).
    const answers = mainOf(page).slice(0, mainOf(page).indexOf('id="draft-report"'));
    expect(answers).toMatch(/>CQC, \d/);
    expect(answers).not.toContain(one<{ name: string }>("SELECT name FROM users WHERE id = ?", main.reviewerId).name);
    // The draft now has the corrected finding.
    expect(page).toContain(CORRECTED);
  });

  it("publishing stores version 1 once with the SHA-256 of its bytes and makes the actions; the trust downloads it", async () => {
    for (const client of [lead, member]) {
      const refused = await client.post(staffPage(), { intent: "publish", trustFinished: "yes" });
      expect(refused.status).toBe(400);
      expect(await readPage(refused)).toContain("Only the inspection's reviewer, or a programme lead who was not on the visit, publishes the report");
    }
    const closesOn = one<{ d: string }>("SELECT accuracy_closes_on AS d FROM inspections WHERE id = ?", main.inspectionId).d;
    const unconfirmed = await reviewer.post(staffPage(), { intent: "publish" });
    expect(unconfirmed.status).toBe(400);
    expect(await readPage(unconfirmed)).toContain(`The trust can comment until ${formatCalendarDate(closesOn)}: publish after that, or confirm that the trust has told you it has finished checking`);
    expect(status()).toBe("factual_accuracy");

    const published = await reviewer.post(staffPage(), { intent: "publish", trustFinished: "yes" });
    expect(published.status).toBe(302);
    expect(status()).toBe("published");
    expect(one<{ at: string | null }>("SELECT published_at AS at FROM inspections WHERE id = ?", main.inspectionId).at).not.toBeNull();
    const v1 = versionRow(1)!;
    expect(v1.sha256).toBe(sha256(v1.pdf));
    expect(v1.size).toBe(v1.pdf.length);
    expect(v1.by).toBe(main.reviewerId);
    expect(v1.note).toBe("");
    expect(Buffer.from(v1.pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const text = await pdfText(v1.pdf);
    expect(text).toContain("Kestrel");
    expect(text).not.toContain("DRAFT");
    // One action per gap (A1.a and CE-FW), made in the same transaction.
    expect(all("SELECT criterion_code AS code FROM actions WHERE inspection_id = ? ORDER BY criterion_code", main.inspectionId)).toEqual([{ code: "A1.a" }, { code: "CE-FW" }]);
    expect(audits("report.published")).toBe(1);
    const again = await reviewer.post(staffPage(), { intent: "publish", trustFinished: "yes" });
    expect(again.status).toBe(400);
    expect(await readPage(again)).toContain("The report is already published");
    expect(one<{ n: number }>("SELECT count(*) AS n FROM report_versions WHERE inspection_id = ?", main.inspectionId).n).toBe(1);

    // Published findings are read-only for the team.
    expect(() =>
      saveFinding(main.findings.get("A1.a")!, { idempotencyKey: randomUUID(), baseVersion: finding("A1.a").version, fields: { chosenRating: "achieved" } }, { id: main.memberId }, db),
    ).toThrow(FindingNotEditable);

    // Staff download the stored bytes.
    const staffDownload = await member.get(`/inspections/${main.inspectionId}/reports/1.pdf`);
    expect(staffDownload.status).toBe(200);
    expect(sha256(new Uint8Array(await staffDownload.arrayBuffer()))).toBe(v1.sha256);
    expect((await bystander.get(`/inspections/${main.inspectionId}/reports/1.pdf`)).status).toBe(404);
    expect((await member.get(`/inspections/${main.inspectionId}/reports/2.pdf`)).status).toBe(404);

    // The trust: listed on its home page, downloaded with the server's name.
    const home = await readPage(await trust.get("/portal"));
    expect(home).toContain(`href="/portal/reports/${main.inspectionId}/v/1.pdf"`);
    expect(home).toContain("Version 1");
    expect(home).not.toContain("Superseded");
    const download = await trust.get(`/portal/reports/${main.inspectionId}/v/1.pdf`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="RJ1-deep-dive-${main.visitDate}-v1.pdf"; filename*=UTF-8''RJ1-deep-dive-${main.visitDate}-v1.pdf`);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(sha256(bytes)).toBe(v1.sha256);
    expect(audits("report.downloaded")).toBe(2);
    for (const url of [`/portal/reports/${main.inspectionId}/v/2.pdf`, `/portal/reports/${main.inspectionId}/v/01.pdf`, `/portal/reports/${randomUUID()}/v/1.pdf`]) {
      expect((await trust.get(url)).status, url).toBe(404);
    }
    expect((await otherTrust.get(`/portal/reports/${main.inspectionId}/v/1.pdf`)).status).toBe(404);
    expect(await readPage(await otherTrust.get("/portal"))).not.toContain(main.inspectionId);

    // The draft is gone; the comments and answers stay; no more comments.
    expect((await trust.get(`${portalPage()}/draft.pdf`)).status).toBe(404);
    const afterwards = await readPage(await trust.get(portalPage()));
    expect(afterwards).toContain("Your comments on the draft report");
    expect(afterwards).toContain("Your training records show March 2024.");
    expect(afterwards).not.toContain("The draft report</h2>");
    const late = await trust.post(portalPage(), { part: "summary", category: "typing_error", text: "Too late." });
    expect(late.status).toBe(400);
    expect(await readPage(late)).toContain("comments can no longer be made");
    expect(commentIds()).toHaveLength(3);
  });

  it("a correction publishes version 2 with its note; version 1's bytes and hash stay as they were, superseded", async () => {
    const v1 = versionRow(1)!;
    const a1a = finding("A1.a");
    const correctUrl = `${staffPage()}?correct=${a1a.id}`;
    const fields = (version: number, observed: string, note: string) => ({
      intent: "correct",
      finding: a1a.id,
      [`${a1a.id}.baseVersion`]: String(version),
      [`${a1a.id}.observed`]: observed,
      [`${a1a.id}.evidenceDocuments`]: "",
      [`${a1a.id}.evidencePeople`]: "",
      [`${a1a.id}.evidenceSystems`]: "",
      [`${a1a.id}.recommendation`]: a1a.recommendation,
      note,
    });

    const form = await readPage(await reviewer.get(correctUrl));
    expect(form).toContain(`name="${a1a.id}.observed"`);
    expect(form).toContain("Publish version 2");
    for (const client of [lead, member]) expect((await client.post(correctUrl, fields(a1a.version, CORRECTED_AGAIN, "Mine."))).status).toBe(400);
    const noNote = await reviewer.post(correctUrl, fields(a1a.version, CORRECTED_AGAIN, " "));
    expect(noNote.status).toBe(400);
    expect(await readPage(noNote)).toContain("Say what this correction changes: the trust sees the note with the new version");
    // Based on an old version of the finding: refused, nothing changed.
    await expect(publishCorrection(main.inspectionId, { note: "Stale.", findingEdits: [{ findingId: a1a.id, baseVersion: a1a.version - 1, fields: { observed: "Stale." } }] }, actorOf(db, main.reviewerId), db)).rejects.toBeInstanceOf(
      FindingEditConflict,
    );
    expect(finding("A1.a").version).toBe(a1a.version);
    expect(versionRow(2)).toBeUndefined();

    const corrected = await reviewer.post(correctUrl, fields(a1a.version, CORRECTED_AGAIN, "Corrected who the senior information risk owner is, in A1.a."));
    expect(corrected.status).toBe(302);
    expect(finding("A1.a")).toMatchObject({ version: a1a.version + 1, observed: CORRECTED_AGAIN });
    const v2 = versionRow(2)!;
    expect(v2.note).toBe("Corrected who the senior information risk owner is, in A1.a.");
    expect(v2.sha256).toBe(sha256(v2.pdf));
    expect(v2.sha256).not.toBe(v1.sha256);
    // Version 1 exactly as published.
    const v1After = versionRow(1)!;
    expect(v1After.sha256).toBe(v1.sha256);
    expect(Buffer.compare(v1After.pdf, v1.pdf)).toBe(0);
    expect(sha256(v1After.pdf)).toBe(v1.sha256);
    expect(() => db.$client.prepare("UPDATE report_versions SET change_note = 'x' WHERE inspection_id = ?").run(main.inspectionId)).toThrow(/never changed/);
    expect(await pdfText(v2.pdf)).toContain("Zebrafinch");
    expect(await pdfText(v1After.pdf)).not.toContain("Zebrafinch");
    expect(audits("report.corrected")).toBe(1);
    expect(audits("finding.revised")).toBe(2);

    // The trust sees both, the earlier superseded, and downloads each as it was published.
    const home = await readPage(await trust.get("/portal"));
    expect(home).toMatch(/Version 2(?!<strong)/);
    expect(home).toMatch(/Version 1<strong class="govuk-tag govuk-tag--grey[^"]*">Superseded<\/strong>/);
    expect(home).toContain("Corrected who the senior information risk owner is, in A1.a.");
    const first = await trust.get(`/portal/reports/${main.inspectionId}/v/1.pdf`);
    expect(sha256(new Uint8Array(await first.arrayBuffer()))).toBe(v1.sha256);
    const second = await trust.get(`/portal/reports/${main.inspectionId}/v/2.pdf`);
    expect(second.headers.get("content-disposition")).toContain(`filename="RJ1-deep-dive-${main.visitDate}-v2.pdf"`);
    expect(sha256(new Uint8Array(await second.arrayBuffer()))).toBe(v2.sha256);
    const staff = await readPage(await reviewer.get(staffPage()));
    expect(staff).toMatch(/Version 1<strong class="govuk-tag govuk-tag--grey[^"]*">Superseded<\/strong>/);
    expect(staff).toContain(v1.sha256);
    expect(staff).toContain(v2.sha256);
  });

  it("after the close date the trust reads but cannot comment, and the report is published without the confirmation", async () => {
    const other = approvedInspection(db, {
      visitId: anotherVisit(db, ["RJ1", "RRU"]),
      findings: { "CE-MP": { chosenRating: "not_achieved", observed: "Malware protection is off on the ward PCs.", severity: "high" } },
      cepOnly: true,
    });
    const email = `trust.${other.trustCode.toLowerCase()}.closed@deepdive.test`;
    await trustUserOf(db, other.trustCode, email);
    const otherUser = await signedIn(server.url, email);
    const holidays = loadHolidaySet(db);
    // Opened 30 days ago: closed about two weeks ago.
    const openedOn = addCalendarDays(todayInLondon(), -30);
    const closesOn = openAccuracyCheck(other.inspectionId, actorOf(db, other.reviewerId), db, new Date(`${openedOn}T12:00:00Z`));
    expect(closesOn).toBe(addWorkingDays(openedOn, 10, holidays));
    expect(closesOn < todayInLondon()).toBe(true);

    const page = await readPage(await otherUser.get(portalPage(other.inspectionId)));
    expect(page).toContain(`The factual accuracy check closed on ${formatCalendarDate(closesOn)}: comments can no longer be made.`);
    expect(page).not.toContain("Send the comment");
    expect(page).toContain("Malware protection is off on the ward PCs.");
    const refused = await otherUser.post(portalPage(other.inspectionId), { part: "summary", category: "typing_error", text: "Too late." });
    expect(refused.status).toBe(400);
    expect(await readPage(refused)).toContain(`The factual accuracy check closed on ${formatCalendarDate(closesOn)}: comments can no longer be made`);
    // RJ1's user cannot reach it either.
    expect((await trust.get(portalPage(other.inspectionId))).status).toBe(404);

    // The close date itself is the last day (Europe/London); the day after, refused, nothing stored.
    const actor = actorOf(db, idOf(email));
    const onTheDay = raiseAccuracyComment(other.inspectionId, { part: "finding", findingId: other.findings.get("CE-MP"), category: "omitted_evidence", text: "The PCs were patched that week." }, actor, db, new Date(`${closesOn}T12:00:00Z`));
    expect(() => raiseAccuracyComment(other.inspectionId, { part: "summary", category: "typing_error", text: "Late." }, actor, db, new Date(`${addCalendarDays(closesOn, 1)}T12:00:00Z`))).toThrow(/closed on/);
    expect(all("SELECT id FROM accuracy_comments WHERE inspection_id = ?", other.inspectionId)).toEqual([{ id: onTheDay }]);

    // A programme lead not on the team decides it and publishes: the window has closed, no confirmation needed.
    const staffUrl = `/inspections/${other.inspectionId}/accuracy`;
    expect((await programmeLead.post(staffUrl, { intent: "publish" })).status).toBe(400);
    expect((await programmeLead.post(staffUrl, { intent: "decide", commentId: onTheDay, [`decision-${onTheDay}`]: "rejected", reason: "The patching came after the visit." })).status).toBe(302);
    expect(await readPage(await programmeLead.get(staffUrl))).not.toContain("The trust has told us it has finished checking the draft");
    expect((await programmeLead.post(staffUrl, { intent: "publish" })).status).toBe(302);
    expect(status(other.inspectionId)).toBe("published");
    expect(one<{ by: string }>("SELECT published_by AS by FROM report_versions WHERE inspection_id = ? AND version = 1", other.inspectionId).by).toBe(idOf("lead@deepdive.test"));
    const download = await otherUser.get(`/portal/reports/${other.inspectionId}/v/1.pdf`);
    expect(download.status).toBe(200);
    expect((await trust.get(`/portal/reports/${other.inspectionId}/v/1.pdf`)).status).toBe(404);
  });
});
