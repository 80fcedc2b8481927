/**
 * Recording with no connection (issue 7), in a real browser: inspector1 prepares the inspection on site, turns the
 * network off, records findings on two criteria (each kept on the laptop, the banner counting them), reloads one page
 * (its edit comes back from the outbox). Meanwhile inspector2, online, saves the first of them. The network comes
 * back: the second finding reaches the server with the version it was based on; the first is not overwritten, and
 * inspector1's kept change stays, shown with its text, until they remove it.
 */
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const blank = { rating: "", overrideReason: "", observed: "", evidenceDocuments: "", evidencePeople: "", evidenceSystems: "", severity: "", recommendation: "" };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("recording with no connection", () => {
  it("keeps findings recorded offline on the laptop, through a reload, and sends them when the connection is back", async () => {
    const [inspection] = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'");
    const overview = `/inspections/${inspection!.id}`;
    const targets = queryDatabase<{ criterionId: number; findingId: string; version: number }>(
      server.databaseFile,
      `SELECT c.id AS criterionId, f.id AS findingId, f.version FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
        WHERE f.inspection_id = ? AND f.rating = 'not_assessed' AND c.records_devices = 0 AND c.scale <> 'met' ORDER BY c.position LIMIT 2`,
      inspection!.id,
    );
    expect(targets).toHaveLength(2);
    const finding = (id: string) => queryDatabase<{ version: number; observed: string }>(server.databaseFile, "SELECT version, observed FROM findings WHERE id = ?", id)[0]!;
    const texts = ["Seen offline in the basement plant room: the UPS logs are kept on paper.", "Recorded with no signal: Zoë showed the firewall change log."];

    const { context, page } = await freshPage(browser);
    page.setDefaultTimeout(20_000);
    try {
      await signInThroughPage(page, server.url, "inspector1@deepdive.test");
      await page.goto(server.url + overview);
      await page.locator("#offline").getByRole("button", { name: "Make available offline" }).click();
      await expect.poll(() => page.locator("#offline").getByRole("status").textContent(), { timeout: 60_000 }).toMatch(/^Prepared for offline use/);

      await context.setOffline(true);
      for (const [i, target] of targets.entries()) {
        await page.goto(`${server.url}${overview}/criteria/${target.criterionId}`);
        await page.locator("#finding-form textarea[name='observed']").fill(texts[i]!);
        await expect.poll(() => page.locator("#finding-form").textContent()).toContain("Kept on this laptop");
        await expect.poll(() => page.locator("#offline-banner").getByRole("status").textContent()).toBe(`Offline — ${i + 1} ${i === 0 ? "change" : "changes"} waiting`);
      }
      // A reload with no connection: the page is the prepared copy, and the edit comes back from the outbox.
      await page.reload();
      await expect.poll(() => page.locator("#finding-form textarea[name='observed']").inputValue()).toBe(texts[1]);
      await expect.poll(() => page.locator("#offline-banner").getByRole("status").textContent()).toBe("Offline — 2 changes waiting");
      // Nothing reached the server while offline; inspector2, online, saves the first finding meanwhile.
      for (const target of targets) expect(finding(target.findingId)).toEqual({ version: target.version, observed: "" });
      const member = await signedIn(server.url, "inspector2@deepdive.test");
      const theirs = "Saved online by the other inspector first.";
      const saved = await member.post(`${overview}/criteria/${targets[0]!.criterionId}/save.json`, { ...blank, observed: theirs, baseVersion: String(targets[0]!.version), idempotencyKey: randomUUID() });
      expect(saved.status).toBe(200);

      await context.setOffline(false);
      await expect.poll(() => finding(targets[1]!.findingId), { timeout: 30_000 }).toEqual({ version: targets[1]!.version + 1, observed: texts[1] });
      // The first met inspector2's save: theirs stays, and inspector1's change is kept and shown, not dropped.
      expect(finding(targets[0]!.findingId)).toEqual({ version: targets[0]!.version + 1, observed: theirs });
      const banner = page.locator("#offline-banner");
      await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toContain("someone else saved this finding first");
      expect(await banner.getByRole("status").textContent()).toBe("0 changes waiting to be sent");
      await banner.getByText("Your change", { exact: true }).click();
      expect(await banner.textContent()).toContain(texts[0]);
      await expectNoSeriousAxeViolations(page);
      await banner.getByRole("button", { name: "I have what I need: remove my change" }).click();
      await expect.poll(() => banner.count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
