/**
 * The trust portal's isolation in a real browser (issue 6), on the demo (db/demo-reports.server.ts): RJ1's user sees
 * its own published reports and actions, and every address of RRU's reports and actions and of RTD's draft answers
 * the same 404 page as an address that does not exist; RTD's user sees nothing of its report before its factual
 * accuracy check opens, then finds the draft on its home page and comments on it. axe finds no serious violation on
 * the trust's pages.
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
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

const ids = (sql: string, ...params: unknown[]) => queryDatabase<{ id: string }>(server.databaseFile, sql, ...params).map((r) => r.id);

/** The page as a person reads it: its status and its text. */
async function visit(page: Page, path: string): Promise<{ status: number; text: string }> {
  const response = await page.goto(`${server.url}${path}`);
  return { status: response!.status(), text: (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, " ").trim() };
}

/** The same address with the id of something that does not exist in place of `id`. */
const missingLike = (path: string, id: string) => path.replace(id, id.length === 3 ? "ZZ9" : randomUUID());

describe("the trust portal, in a browser", () => {
  it("shows RJ1's user its own reports and actions, and the same 404 as a missing page at every address of RRU's or RTD's", async () => {
    const [rj1Reports, rruReports] = [
      ids("SELECT id FROM inspections WHERE trust_code = 'RJ1' AND status = 'published'"),
      ids("SELECT id FROM inspections WHERE trust_code = 'RRU' AND status = 'published'"),
    ];
    const [rtdDraft] = ids("SELECT id FROM inspections WHERE trust_code = 'RTD' AND status = 'factual_accuracy'");
    const rruActions = ids("SELECT id FROM actions WHERE trust_code = 'RRU'");
    expect([rj1Reports.length, rruReports.length, rruActions.length > 0, rtdDraft !== undefined]).toEqual([2, 1, true, true]);

    const { page } = await freshPage(browser);
    page.setDefaultTimeout(20_000);
    await signInThroughPage(page, server.url, "trust.rj1@deepdive.test");
    const home = await visit(page, "/portal");
    expect(home.status).toBe(200);
    await expectNoSeriousAxeViolations(page);
    const links = await page.locator("main a").evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href") ?? ""));
    for (const id of rj1Reports) expect(links).toContain(`/portal/reports/${id}/v/1.pdf`);
    for (const id of [...rruReports, rtdDraft!, ...rruActions]) expect(links.filter((href) => href.includes(id))).toEqual([]);
    // Its own report downloads (the browser's request, with its session).
    const own = await page.request.get(`${server.url}/portal/reports/${rj1Reports[0]}/v/1.pdf`);
    expect([own.status(), own.headers()["content-type"]]).toEqual([200, "application/pdf"]);

    await visit(page, `/portal/actions/${randomUUID()}`);
    await expectNoSeriousAxeViolations(page);
    // Each address answers exactly as the same address of something that does not exist: 404, the same page.
    const forbidden: [path: string, id: string][] = [
      ...rruReports.flatMap((id): [string, string][] => [
        [`/portal/reports/${id}/v/1.pdf`, id],
        [`/portal/reports/${id}/v/2.pdf`, id],
        [`/portal/accuracy/${id}`, id],
      ]),
      ...rruActions.map((id): [string, string] => [`/portal/actions/${id}`, id]),
      [`/portal/accuracy/${rtdDraft}`, rtdDraft!],
      [`/portal/accuracy/${rtdDraft}/draft.pdf`, rtdDraft!],
      // And CQC's own pages of the same inspections and trusts.
      [`/inspections/${rruReports[0]}`, rruReports[0]!],
      [`/inspections/${rtdDraft}/accuracy`, rtdDraft!],
      ["/trusts/RRU/actions", "RRU"],
    ];
    for (const [path, id] of forbidden) {
      const missing = await visit(page, missingLike(path, id));
      expect(missing.status).toBe(404);
      expect({ path, ...(await visit(page, path)) }).toEqual({ path, ...missing });
    }
  });

  it("shows RTD's user nothing of its report before the check opens, then the draft on its home page, where it comments", async () => {
    const [rtd] = ids("SELECT id FROM inspections WHERE trust_code = 'RTD' AND status = 'factual_accuracy'");
    const database = new Database(server.databaseFile);
    const check = database.prepare("SELECT status, accuracy_opened_at, accuracy_closes_on, accuracy_opened_by FROM inspections WHERE id = ?").get(rtd) as Record<string, string>;
    const { page } = await freshPage(browser);
    page.setDefaultTimeout(20_000);
    try {
      await signInThroughPage(page, server.url, "trust.rtd@deepdive.test");
      // Approved, the check not yet started: as it was the day before the check opened.
      database.prepare("UPDATE inspections SET status = 'approved', accuracy_opened_at = NULL, accuracy_closes_on = NULL, accuracy_opened_by = NULL WHERE id = ?").run(rtd);
      const before = await visit(page, "/portal");
      expect(before.status).toBe(200);
      expect(await page.locator(`main a[href*="${rtd}"]`).count()).toBe(0);
      for (const path of [`/portal/accuracy/${rtd}`, `/portal/accuracy/${rtd}/draft.pdf`]) {
        const missing = await visit(page, missingLike(path, rtd!));
        expect(missing.status).toBe(404);
        expect({ path, ...(await visit(page, path)) }).toEqual({ path, ...missing });
      }

      // The check opens: the draft is on the home page.
      database
        .prepare("UPDATE inspections SET status = ?, accuracy_opened_at = ?, accuracy_closes_on = ?, accuracy_opened_by = ? WHERE id = ?")
        .run(check.status, check.accuracy_opened_at, check.accuracy_closes_on, check.accuracy_opened_by, rtd);
      await visit(page, "/portal");
      await page.getByRole("link", { name: "Check the draft report for factual accuracy" }).click();
      await page.waitForURL((url) => url.pathname === `/portal/accuracy/${rtd}`);
      expect(await page.locator("#draft-report").textContent()).toContain("DRAFT");
      await expectNoSeriousAxeViolations(page);
      await page.getByRole("group", { name: "Which part of the report is it about?" }).getByLabel("The action plan").check();
      await page.getByRole("group", { name: "What kind of comment is it?" }).getByLabel("Omitted evidence").check();
      await page.getByLabel("Your comment").fill("The action plan leaves out the research gateway's MFA, switched on last week.");
      await page.getByRole("button", { name: "Send the comment" }).click();
      await expect.poll(() => page.locator("#comments").textContent()).toContain("switched on last week");
      await expectNoSeriousAxeViolations(page);
      expect(queryDatabase(server.databaseFile, "SELECT part, category FROM accuracy_comments WHERE inspection_id = ? ORDER BY created_at DESC LIMIT 1", rtd)).toEqual([
        { part: "action_plan", category: "omitted_evidence" },
      ]);
    } finally {
      database.close();
    }
  });
});
