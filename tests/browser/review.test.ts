/**
 * The review in a real browser (issue 5): the visit's lead leaves site and submits (a first submission is refused
 * with every problem listed and linked); an inspector who was not on the visit starts the review, returns the
 * findings with a "clarify" comment, with JavaScript off (the forms are plain posts); the lead reads the comment on
 * the criterion's page, answers it and submits again; the reviewer approves. axe finds no serious violation on the
 * overview at each stage (on the lead's pages: axe needs JavaScript).
 *
 * The findings themselves are recorded through the same domain function the pages use (saveFinding), to keep the
 * browser's work to the review; recording in the browser is tests/browser/findings.test.ts.
 */
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveFinding } from "../../app/inspections/findings.server";
import { openDatabase } from "../support/database";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the review, in a browser", () => {
  it("goes from on site to approved through the pages, with a clarify comment answered on the way", async () => {
    const db = openDatabase(server.databaseFile);
    const one = <T,>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
    const visit = one<{ id: string; leadEmail: string; leadId: string }>(
      `SELECT v.id, u.email AS leadEmail, u.id AS leadId FROM visits v
       JOIN visit_team_members m ON m.visit_id = v.id AND m.role = 'lead' JOIN users u ON u.id = m.inspector_id
       WHERE v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
       ORDER BY v.visit_date, v.id LIMIT 1`,
    );
    const reviewerEmail = one<{ email: string }>(
      `SELECT email FROM users WHERE role = 'inspector' AND disabled_at IS NULL
         AND id NOT IN (SELECT inspector_id FROM visit_team_members WHERE visit_id = ?)
         AND id NOT IN (SELECT inspector_id FROM conflicts_of_interest WHERE trust_code = (SELECT trust_code FROM visits WHERE id = ?))
       ORDER BY email LIMIT 1`,
      visit.id,
      visit.id,
    ).email;
    const profile = one<{ id: number; framework_version_id: number }>("SELECT id, framework_version_id FROM framework_profiles WHERE code = 'all-met'");
    const programmeLead = await signedIn(server.url, "lead@deepdive.test");
    const started = await programmeLead.post(`/inspections/new?visit=${visit.id}`, { [`profile-${profile.framework_version_id}`]: String(profile.id) });
    const inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(started.headers.get("location") ?? "")![1]!;
    const overviewUrl = `${server.url}/inspections/${inspectionId}`;

    const lead = await freshPage(browser);
    const reviewer = await freshPage(browser, { javaScriptEnabled: false });
    // A step that cannot happen fails in seconds, naming the step, not at the test's time limit.
    lead.page.setDefaultTimeout(10_000);
    reviewer.page.setDefaultTimeout(10_000);
    try {
      await signInThroughPage(lead.page, server.url, visit.leadEmail);
      await lead.page.goto(overviewUrl);
      await lead.page.getByRole("button", { name: "Record our arrival" }).click();
      await expect.poll(() => lead.page.locator("main").textContent()).toContain("Arrival recorded");

      // Everything but one criterion recorded (Met, as the profile requires), then the lead tries to submit.
      const findings = db.$client
        .prepare("SELECT f.id, c.code, c.title, c.id AS criterionId FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? ORDER BY c.position, c.id")
        .all(inspectionId) as { id: string; code: string; title: string; criterionId: number }[];
      expect(findings.length).toBeGreaterThan(2);
      const [left, ...rest] = findings as [(typeof findings)[number], ...typeof findings];
      const record = (f: (typeof findings)[number]) => {
        const { version } = one<{ version: number }>("SELECT version FROM findings WHERE id = ?", f.id);
        const saved = saveFinding(f.id, { idempotencyKey: randomUUID(), baseVersion: version, fields: { chosenRating: "achieved", overrideReason: "Every requirement seen met on site", observed: `Seen on site for ${f.code}.` } }, { id: visit.leadId }, db);
        expect(saved.outcome, f.code).toBe("saved");
      };
      rest.forEach(record);

      await lead.page.getByRole("button", { name: "Leave site" }).click();
      await expect.poll(() => lead.page.locator("main").textContent()).toContain("Findings in draft");
      await lead.page.getByRole("button", { name: "Submit for review" }).click();
      const summary = lead.page.locator(".govuk-error-summary");
      await expect.poll(() => summary.textContent()).toContain(`${left.code} ${left.title}`);
      await expectNoSeriousAxeViolations(lead.page);
      // The problem links to the criterion; the lead records it there, then submits.
      await summary.getByRole("link", { name: new RegExp(left.code.replace(".", "\\.")) }).click();
      await lead.page.waitForURL((url) => url.pathname.endsWith(`/criteria/${left.criterionId}`));
      record(left);
      await lead.page.goto(overviewUrl);
      await lead.page.getByRole("button", { name: "Submit for review" }).click();
      await expect.poll(() => lead.page.locator("main").textContent()).toContain("Waiting for a reviewer");

      // The reviewer, without JavaScript, finds it, starts the review and returns it with a comment.
      await signInThroughPage(reviewer.page, server.url, reviewerEmail);
      await reviewer.page.goto(`${server.url}/inspections`);
      await reviewer.page.getByRole("link", { name: new RegExp(one<{ name: string }>("SELECT t.name FROM inspections i JOIN trusts t ON t.ods_code = i.trust_code WHERE i.id = ?", inspectionId).name) }).first().click();
      await reviewer.page.getByRole("button", { name: "Start the review" }).click();
      await reviewer.page.getByLabel("Criterion").selectOption({ label: `${left.code} ${left.title}` });
      await reviewer.page.getByLabel("What should the team clarify?").fill("Which devices were sampled, and who showed you the settings?");
      await reviewer.page.getByRole("button", { name: "Return to the team with this comment" }).click();
      expect(await reviewer.page.locator("main").textContent()).toContain("Which devices were sampled");

      // The lead sees the comment, answers it on the criterion's page, and submits again.
      await lead.page.goto(overviewUrl);
      // (axe runs in pages with JavaScript: the reviewer's page has it off, so the checks are on the lead's.)
      await expectNoSeriousAxeViolations(lead.page);
      await lead.page.getByRole("link", { name: `${left.code} ${left.title}` }).first().click();
      await lead.page.getByLabel("Your answer").fill("Twelve laptops from the ward pool; the desktop team lead showed us.");
      await lead.page.getByRole("button", { name: "Answer the comment" }).click();
      await expect.poll(() => lead.page.locator("main").textContent()).toContain("Twelve laptops from the ward pool");
      await lead.page.goto(overviewUrl);
      await lead.page.getByRole("button", { name: "Submit for review" }).click();
      await expect.poll(() => lead.page.locator("main").textContent()).toContain(`Waiting for`);

      // The reviewer approves.
      await reviewer.page.goto(overviewUrl);
      await reviewer.page.getByRole("button", { name: "Start the review" }).click();
      await reviewer.page.getByRole("button", { name: "Approve the findings" }).click();
      expect(await reviewer.page.locator("main").textContent()).toContain("Approved");
      await lead.page.goto(overviewUrl);
      await expectNoSeriousAxeViolations(lead.page);

      const final = one<{ status: string; reviewer: string }>("SELECT i.status, u.email AS reviewer FROM inspections i JOIN users u ON u.id = i.reviewer_id WHERE i.id = ?", inspectionId);
      expect(final).toEqual({ status: "approved", reviewer: reviewerEmail });
      const comment = one<{ response: string }>("SELECT response FROM review_comments WHERE inspection_id = ?", inspectionId);
      expect(comment.response).toBe("Twelve laptops from the ward pool; the desktop team lead showed us.");
      // The refused first submission answers 400 on purpose (the browser logs it); nothing else went wrong.
      expect(lead.errors.filter((e) => !/status of 400 \(Bad Request\)/.test(e))).toEqual([]);
      expect(lead.errors.length).toBe(1);
    } finally {
      await lead.context.close();
      await reviewer.context.close();
      db.$client.close();
    }
  });
});
