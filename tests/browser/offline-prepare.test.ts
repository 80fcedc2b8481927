/**
 * "Make available offline" in a real browser (issue 7): the demo inspector leading the inspection on site presses it
 * on the inspection's page, is told when it was prepared (every page fetched is audited as preparation and leaves
 * their presence on the overview), and with the network off the inspection's overview, a section page and a
 * criterion page all open from this browser. axe finds no serious violation on the panel.
 */
import type { Browser } from "playwright-core";
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

describe("making an inspection available offline", () => {
  it("keeps the inspection's pages when the team member asks, and they open with the network off", async () => {
    const [inspection] = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'");
    const overview = `/inspections/${inspection!.id}`;
    const { context, page } = await freshPage(browser);
    page.setDefaultTimeout(20_000);
    try {
      await signInThroughPage(page, server.url, "inspector1@deepdive.test");
      await page.goto(server.url + overview);
      const panel = page.locator("#offline");
      await panel.getByRole("button", { name: "Make available offline" }).click();
      await expect.poll(() => panel.getByRole("status").textContent(), { timeout: 60_000 }).toMatch(/^Prepared for offline use on \d{1,2} \w+ \d{4} at \d{2}:\d{2} \(\d+ pages\)\.$/);
      const pages = Number(/\((\d+) pages\)/.exec((await panel.getByRole("status").textContent())!)![1]);
      expect(pages).toBeGreaterThan(49);
      expect(await panel.getByRole("button", { name: "Prepare again" }).count()).toBe(1);
      // Preparing fetched every page, audited as preparation, without moving the inspector's presence off the overview.
      const presence = queryDatabase<{ criterionId: number | null }>(
        server.databaseFile,
        "SELECT p.criterion_id AS criterionId FROM inspection_presence p JOIN users u ON u.id = p.user_id WHERE p.inspection_id = ? AND u.email = 'inspector1@deepdive.test'",
        inspection!.id,
      );
      expect(presence).toEqual([{ criterionId: null }]);
      const prepared = queryDatabase<{ n: number }>(
        server.databaseFile,
        "SELECT count(*) AS n FROM audit_events WHERE action = 'inspection.viewed' AND object_id = ? AND json_extract(summary, '$.preparingOffline') = 1",
        inspection!.id,
      );
      expect(prepared[0]!.n).toBeGreaterThanOrEqual(pages);
      await expectNoSeriousAxeViolations(page);

      // A section and a criterion, by their links on the overview.
      const sectionLink = await page.locator(`main a[href^="${overview}/sections/"]`).first().getAttribute("href");
      const criterionLink = await page.locator(`main a[href^="${overview}/criteria/"]`).first().getAttribute("href");
      await context.setOffline(true);
      await page.reload();
      await expect.poll(() => page.locator("#offline").count()).toBe(1);
      await page.goto(server.url + sectionLink!);
      await expect.poll(() => page.locator("form[id^='finding-form']").count()).toBeGreaterThan(0);
      await page.goto(server.url + criterionLink!);
      await expect.poll(() => page.locator("#finding-form").count()).toBe(1);
      await context.setOffline(false);
    } finally {
      await context.close();
    }
  });
});
