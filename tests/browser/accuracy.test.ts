/**
 * The factual accuracy check and publication in a real browser (issue 6): after approval (through the domain
 * functions, tests/support/inspections.ts) the reviewer starts the trust's check; the trust's user, with JavaScript,
 * finds the draft on its home page, reads it and comments on a finding and on the summary; the reviewer, without
 * JavaScript (every form is a plain post), accepts one (correcting the finding) and rejects the other, then
 * publishes; the trust reads the answers and downloads version 1, whose bytes are a PDF. axe finds no serious
 * violation on the trust's pages.
 */
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCalendarDate } from "../../app/ui/dates";
import { openDatabase } from "../support/database";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { approvedInspection, visitOf } from "../support/inspections";
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

describe("the factual accuracy check, in a browser", () => {
  it("goes from approval to a published report the trust downloads, through the trust's comments and the reviewer's answers", async () => {
    const db = openDatabase(server.databaseFile);
    const one = <T,>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
    const inspection = approvedInspection(db, {
      visitId: visitOf(db, "RJ1"),
      findings: { "A1.a": { chosenRating: "partially_achieved", observed: "No board cyber training since 2023.", severity: "high", recommendation: "Train the board." } },
    });
    const { id: a1aId, title: a1aTitle } = one<{ id: string; title: string }>(
      "SELECT f.id, c.title FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? AND c.code = 'A1.a'",
      inspection.inspectionId,
    );
    const reviewerEmail = one<{ email: string }>("SELECT email FROM users WHERE id = ?", inspection.reviewerId).email;

    const reviewer = await freshPage(browser, { javaScriptEnabled: false });
    const trust = await freshPage(browser);
    reviewer.page.setDefaultTimeout(20_000);
    trust.page.setDefaultTimeout(20_000);
    try {
      // The reviewer starts the check from the inspection's page.
      await signInThroughPage(reviewer.page, server.url, reviewerEmail);
      await reviewer.page.goto(`${server.url}/inspections/${inspection.inspectionId}`);
      await reviewer.page.getByRole("button", { name: "Start the factual accuracy check" }).click();
      expect(await reviewer.page.locator("main").textContent()).toContain("The factual accuracy check has started");

      // The trust finds the draft, reads it, and comments on a finding and on the summary.
      await signInThroughPage(trust.page, server.url, "trust.rj1@deepdive.test");
      await trust.page.goto(`${server.url}/portal`);
      await expectNoSeriousAxeViolations(trust.page);
      await trust.page.getByRole("link", { name: "Check the draft report for factual accuracy" }).click();
      await trust.page.waitForURL((url) => url.pathname === `/portal/accuracy/${inspection.inspectionId}`);
      const draft = trust.page.locator("#draft-report");
      expect(await draft.textContent()).toContain("DRAFT");
      expect(await draft.textContent()).toContain("No board cyber training since 2023.");
      await expectNoSeriousAxeViolations(trust.page);

      await trust.page.getByRole("group", { name: "Which part of the report is it about?" }).getByLabel("A finding").check();
      await trust.page.getByLabel("If it is about a finding, which one?").selectOption({ label: `A1.a ${a1aTitle}` });
      await trust.page.getByRole("group", { name: "What kind of comment is it?" }).getByLabel("Inaccurate fact").check();
      await trust.page.getByLabel("Your comment").fill("The board had cyber training in March 2024: the attendance list was on the table.");
      await trust.page.getByRole("button", { name: "Send the comment" }).click();
      await expect.poll(() => trust.page.locator("main").textContent()).toContain("Your comment is sent to CQC");

      await trust.page.getByRole("group", { name: "Which part of the report is it about?" }).getByLabel("The summary").check();
      await trust.page.getByRole("group", { name: "What kind of comment is it?" }).getByLabel("Typing error").check();
      await trust.page.getByLabel("Your comment").fill("The summary calls us a trust in Leeds.");
      await trust.page.getByRole("button", { name: "Send the comment" }).click();
      await expect.poll(() => trust.page.locator("#comments").textContent()).toContain("The summary calls us a trust in Leeds.");
      expect(await trust.page.locator("main").textContent()).toContain("2 comments, 2 waiting for an answer");
      await expectNoSeriousAxeViolations(trust.page);
      const comments = db.$client.prepare("SELECT id, part FROM accuracy_comments WHERE inspection_id = ?").all(inspection.inspectionId) as { id: string; part: string }[];
      expect(comments.map((c) => c.part).sort()).toEqual(["finding", "summary"]);
      const findingComment = comments.find((c) => c.part === "finding")!.id;
      const summaryComment = comments.find((c) => c.part === "summary")!.id;

      // The reviewer, without JavaScript, accepts the first (correcting the finding) and rejects the second.
      await reviewer.page.goto(`${server.url}/inspections/${inspection.inspectionId}/accuracy`);
      const first = reviewer.page.locator(`#comment-${findingComment}`);
      await first.getByLabel("Accept", { exact: true }).check();
      await first.getByLabel("Reason").fill("The attendance list shows the board trained in March 2024.");
      await first.getByText(/Correct the finding A1\.a/).click();
      await first.getByLabel("What was observed").fill("The board last had cyber training in March 2024.");
      await first.getByRole("button", { name: "Save the decision" }).click();
      expect(await reviewer.page.locator("main").textContent()).toContain("Your decision is saved");
      const second = reviewer.page.locator(`#comment-${summaryComment}`);
      await second.getByLabel("Reject", { exact: true }).check();
      await second.getByLabel("Reason").fill("The summary names the trust as registered; it does not mention Leeds.");
      await second.getByRole("button", { name: "Save the decision" }).click();
      expect(await reviewer.page.locator("main").textContent()).toContain("Your decision is saved");
      expect(one<{ observed: string }>("SELECT observed FROM findings WHERE id = ?", a1aId).observed).toBe("The board last had cyber training in March 2024.");

      // Published before the close date, on the trust's word that it has finished.
      await reviewer.page.getByLabel("The trust has told us it has finished checking the draft").check();
      await reviewer.page.getByRole("button", { name: "Publish the report" }).click();
      expect(await reviewer.page.locator("main").textContent()).toContain("The report is published as version 1");
      expect(await reviewer.page.locator("main").textContent()).toContain("Download version 1");

      // The trust reads the answers, and downloads the published report.
      await trust.page.goto(`${server.url}/portal/accuracy/${inspection.inspectionId}`);
      const answers = await trust.page.locator("#comments").textContent();
      expect(answers).toContain("The attendance list shows the board trained in March 2024.");
      expect(answers).toContain("The summary names the trust as registered; it does not mention Leeds.");
      await trust.page.goto(`${server.url}/portal`);
      await expectNoSeriousAxeViolations(trust.page);
      const [download] = await Promise.all([trust.page.waitForEvent("download"), trust.page.getByRole("link", { name: new RegExp(`Download version 1 +of the report of ${formatCalendarDate(inspection.visitDate)}`) }).click()]);
      expect(download.suggestedFilename()).toBe(`RJ1-deep-dive-${inspection.visitDate}-v1.pdf`);
      const bytes = readFileSync((await download.path())!);
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const stored = one<{ pdf: Buffer }>("SELECT pdf FROM report_versions WHERE inspection_id = ? AND version = 1", inspection.inspectionId).pdf;
      expect(Buffer.compare(bytes, stored)).toBe(0);

      expect(trust.errors).toEqual([]);
    } finally {
      await reviewer.context.close();
      await trust.context.close();
      db.$client.close();
    }
  });
});
