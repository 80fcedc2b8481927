/**
 * Recording with no connection (issue 7), in a real browser, on the demo's inspection on site. Each test prepares the
 * inspection in a fresh browser profile ("Make available offline"), turns the network off, records, and then:
 * - five criteria and a photo, the page closed and opened again: the outbox is still there, and online all five
 *   reach the server with the versions they were based on, the photo is added once, and the banner clears;
 * - another inspector saves the same findings online meanwhile: after the sync the conflict screen shows both versions;
 *   keeping mine stores it with theirs in the finding's history, taking theirs keeps mine in the banner: nothing lost;
 * - the connection drops in the middle of a sync (a save reaches the server but its answer does not): nothing is
 *   stored twice, nothing is lost;
 * - on the section page too: a criterion's Save keeps its form, a reload with no connection puts it back, and it is
 *   sent when the connection is back;
 * - signing out with changes waiting warns first, then clears the outbox, the caches and the worker.
 * Each test uses its own criteria, so they can share one server.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { signedIn } from "../support/http";
import { png } from "../support/png";
import { startServer, type RunningServer } from "../support/server";

const blank = { rating: "", overrideReason: "", observed: "", evidenceDocuments: "", evidencePeople: "", evidenceSystems: "", severity: "", recommendation: "" };

let server: RunningServer;
let browser: Browser;
let overview: string;

interface Target {
  criterionId: number;
  findingId: string;
  version: number;
}

/** CAF outcomes not assessed and with nothing written yet (free text only), `count` of them from `offset` in order. */
const targets = (offset: number, count: number): Target[] => {
  const rows = queryDatabase<Target>(
    server.databaseFile,
    `SELECT c.id AS criterionId, f.id AS findingId, f.version FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
      WHERE f.inspection_id = ? AND f.rating = 'not_assessed' AND f.observed = '' AND c.records_devices = 0 AND c.scale <> 'met' ORDER BY c.position LIMIT ? OFFSET ?`,
    overview.split("/").at(-1),
    count,
    offset,
  );
  expect(rows).toHaveLength(count);
  return rows;
};
const finding = (id: string) => queryDatabase<{ version: number; observed: string }>(server.databaseFile, "SELECT version, observed FROM findings WHERE id = ?", id)[0]!;
/** The saves of a finding since `target` was read. */
const revisionsSince = (target: Target) =>
  queryDatabase<{ version: number; observed: string }>(
    server.databaseFile,
    "SELECT version, json_extract(content, '$.observed') AS observed FROM finding_revisions WHERE finding_id = ? AND version > ? ORDER BY version",
    target.findingId,
    target.version,
  );

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const [inspection] = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'");
  overview = `/inspections/${inspection!.id}`;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** inspector1 in a fresh profile, with the inspection prepared for offline use. */
async function preparedBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await freshPage(browser);
  page.setDefaultTimeout(20_000);
  await signInThroughPage(page, server.url, "inspector1@deepdive.test");
  await page.goto(server.url + overview);
  await page.locator("#offline").getByRole("button", { name: "Make available offline" }).click();
  await expect.poll(() => page.locator("#offline").getByRole("status").textContent(), { timeout: 60_000 }).toMatch(/^Prepared for offline use/);
  return { context, page };
}

/** Records `text` on a criterion's page with no connection, and waits until the page says it is kept. */
async function recordOffline(page: Page, target: Target, text: string) {
  await page.goto(`${server.url}${overview}/criteria/${target.criterionId}`);
  await page.locator("#finding-form textarea[name='observed']").fill(text);
  await expect.poll(() => page.locator("#finding-form").textContent()).toContain("Kept on this laptop");
}

const bannerStatus = (page: Page) => page.locator("#offline-banner").getByRole("status").textContent();

/** inspector2 saves a finding online, from the version `target` was at. */
async function savedOnlineByAnother(target: Target, observed: string) {
  const member = await signedIn(server.url, "inspector2@deepdive.test");
  const saved = await member.post(`${overview}/criteria/${target.criterionId}/save.json`, { ...blank, observed, baseVersion: String(target.version), idempotencyKey: randomUUID() });
  expect(saved.status).toBe(200);
}

describe("recording with no connection", () => {
  it("keeps findings on five criteria and a photo through a reload and a closed page, and sends them all when the connection is back", async () => {
    const five = targets(0, 5);
    const photo = png(200, 40, 40);
    const texts = five.map((_, i) => `Offline note ${i + 1} from the basement: Zoë showed the backup console (${"★".repeat(i + 1)}).`);
    const { context, page } = await preparedBrowser();
    try {
      await context.setOffline(true);
      // The workspace opens with no connection, after a reload too.
      await page.reload();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).isVisible()).toBe(true);
      for (const [i, target] of five.entries()) {
        await recordOffline(page, target, texts[i]!);
        await expect.poll(() => bannerStatus(page)).toBe(`Offline — ${i + 1} ${i === 0 ? "change" : "changes"} waiting`);
      }
      // A photo taken on site, on the last criterion: kept on the laptop too, within the same limits.
      await page.locator("#evidence-file").setInputFiles({ name: "cabinet.png", mimeType: "image/png", buffer: photo });
      await page.getByRole("button", { name: "Upload the file" }).click();
      await expect.poll(() => page.locator("#kept-files").textContent()).toContain("cabinet.png");
      expect(await page.locator("#kept-files").textContent()).toContain("to be sent when the connection is back");
      await expect.poll(() => bannerStatus(page)).toBe("Offline — 6 changes waiting");
      // The page closed and opened again, still with no connection: the outbox is on disk, the edit back in its form.
      await page.close();
      const reopened = await context.newPage();
      reopened.setDefaultTimeout(20_000);
      await reopened.goto(`${server.url}${overview}/criteria/${five[2]!.criterionId}`);
      await expect.poll(() => reopened.locator("#finding-form textarea[name='observed']").inputValue()).toBe(texts[2]);
      await expect.poll(() => bannerStatus(reopened)).toBe("Offline — 6 changes waiting");
      for (const target of five) expect(finding(target.findingId)).toEqual({ version: target.version, observed: "" });

      await context.setOffline(false);
      await expect.poll(() => five.map((t) => finding(t.findingId)), { timeout: 30_000 }).toEqual(five.map((t, i) => ({ version: t.version + 1, observed: texts[i] })));
      // Each stored once, from the version it was based on.
      for (const [i, target] of five.entries()) expect(revisionsSince(target)).toEqual([{ version: target.version + 1, observed: texts[i] }]);
      await expect.poll(() => reopened.locator("#offline-banner").count(), { timeout: 30_000 }).toBe(0);
      // The photo was added once, byte for byte, to the finding it was taken for.
      expect(queryDatabase(server.databaseFile, "SELECT finding_id AS findingId, original_name AS name, sha256 FROM evidence_files WHERE original_name = 'cabinet.png'")).toEqual([
        { findingId: five[4]!.findingId, name: "cabinet.png", sha256: createHash("sha256").update(photo).digest("hex") },
      ]);
    } finally {
      await context.close();
    }
  });

  it("shows the conflict screen with both versions when another inspector saved first, and loses no text whichever is kept", async () => {
    const [kept, taken] = targets(5, 2);
    const mine = ["Mine, written offline: the domain admin accounts are reviewed monthly.", "Mine, written offline: patching is two weeks behind."];
    const theirs = ["Theirs, saved online first: admin accounts reviewed.", "Theirs, saved online first: patching checked on site."];
    const { context, page } = await preparedBrowser();
    try {
      await context.setOffline(true);
      await recordOffline(page, kept!, mine[0]!);
      await recordOffline(page, taken!, mine[1]!);
      await savedOnlineByAnother(kept!, theirs[0]!);
      await savedOnlineByAnother(taken!, theirs[1]!);
      await context.setOffline(false);
      const banner = page.locator("#offline-banner");
      await expect.poll(() => banner.getByRole("link", { name: "Compare your change with theirs" }).count(), { timeout: 30_000 }).toBe(2);
      // Nothing of theirs was overwritten by the sync.
      expect(finding(kept!.findingId)).toEqual({ version: kept!.version + 1, observed: theirs[0] });
      expect(finding(taken!.findingId)).toEqual({ version: taken!.version + 1, observed: theirs[1] });
      await expectNoSeriousAxeViolations(page);

      // Keep mine: the conflict screen holds both; saving mine stores it, theirs stays in the finding's history.
      await banner.locator(`a[href$="/criteria/${kept!.criterionId}?kept"]`).click();
      await page.waitForURL(new RegExp(`/criteria/${kept!.criterionId}\\?kept`));
      const conflict = page.locator("#conflict");
      await expect.poll(() => conflict.textContent()).toContain("Someone else saved this finding while you were working");
      expect(await conflict.locator("table").textContent()).toContain(theirs[0]);
      expect(await conflict.locator("table").textContent()).toContain(mine[0]);
      expect(await page.locator("#finding-form textarea[name='observed']").inputValue()).toBe(mine[0]);
      await expectNoSeriousAxeViolations(page);
      await page.locator("#finding-form").getByRole("button", { name: "Save", exact: true }).click();
      await expect.poll(() => finding(kept!.findingId)).toEqual({ version: kept!.version + 2, observed: mine[0] });
      expect(revisionsSince(kept!).map((r) => r.observed)).toEqual([theirs[0], mine[0]]);
      await expect.poll(() => banner.getByRole("link", { name: "Compare your change with theirs" }).count()).toBe(1);

      // Take theirs: the finding stays as they saved it, and my text stays in the banner until I remove it.
      await banner.getByRole("link", { name: "Compare your change with theirs" }).click();
      await expect.poll(() => conflict.locator("table").textContent()).toContain(mine[1]);
      await conflict.getByRole("link", { name: "open the finding as they saved it" }).click();
      await expect.poll(() => page.locator("#finding-form textarea[name='observed']").inputValue()).toBe(theirs[1]);
      expect(finding(taken!.findingId)).toEqual({ version: taken!.version + 1, observed: theirs[1] });
      await banner.getByText("Your change", { exact: true }).click();
      expect(await banner.textContent()).toContain(mine[1]);
      await banner.getByRole("button", { name: "I have what I need: remove my change" }).click();
      await expect.poll(() => banner.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("stores nothing twice and loses nothing when the connection drops in the middle of a sync", async () => {
    const three = targets(7, 3);
    const texts = three.map((_, i) => `Sync interrupted, note ${i + 1}: the network switch cabinet was unlocked.`);
    const { context, page } = await preparedBrowser();
    try {
      await context.setOffline(true);
      for (const [i, target] of three.entries()) await recordOffline(page, target, texts[i]!);
      // The second save reaches the server and is stored, but the connection goes before its answer arrives.
      let sent = 0;
      // The context's route: the page's requests pass through its service worker, which page.route does not see.
      await context.route("**/save.json", async (route) => {
        sent += 1;
        if (sent !== 2) return route.continue();
        await route.fetch();
        await context.setOffline(true);
        return route.abort("internetdisconnected");
      });
      await context.setOffline(false);
      await expect.poll(() => finding(three[1]!.findingId), { timeout: 30_000 }).toEqual({ version: three[1]!.version + 1, observed: texts[1] });
      await expect.poll(() => bannerStatus(page)).toMatch(/^Offline — [12] changes? waiting$/);
      expect(finding(three[0]!.findingId)).toEqual({ version: three[0]!.version + 1, observed: texts[0] });
      expect(finding(three[2]!.findingId)).toEqual({ version: three[2]!.version, observed: "" });

      // Back online: the interrupted save is sent again with its key, and the server answers it without storing it again.
      await context.unroute("**/save.json");
      await context.setOffline(false);
      await expect.poll(() => finding(three[2]!.findingId), { timeout: 30_000 }).toEqual({ version: three[2]!.version + 1, observed: texts[2] });
      await expect.poll(() => page.locator("#offline-banner").count(), { timeout: 30_000 }).toBe(0);
      for (const [i, target] of three.entries()) expect(revisionsSince(target)).toEqual([{ version: target.version + 1, observed: texts[i] }]);
    } finally {
      await context.close();
    }
  });

  it("keeps a criterion saved on the section page with no connection, through a reload, and sends it when the connection is back", async () => {
    const [target] = targets(11, 1);
    const [{ sectionId, code }] = queryDatabase<{ sectionId: number; code: string }>(server.databaseFile, "SELECT section_id AS sectionId, code FROM framework_criteria WHERE id = ?", target!.criterionId);
    const text = "Written on the section page in the plant room: the generator test log is signed weekly.";
    const { context, page } = await preparedBrowser();
    try {
      await context.setOffline(true);
      await page.goto(`${server.url}${overview}/sections/${sectionId}`);
      const form = page.locator(`#finding-form-${target!.criterionId}`);
      await form.locator("textarea[name='observed']").fill(text);
      await form.getByRole("button", { name: `Save ${code}`, exact: true }).click();
      await expect.poll(() => page.locator(`#kept-status-${target!.criterionId}`).textContent()).toMatch(/^Kept on this laptop \d\d:\d\d/);
      await expect.poll(() => bannerStatus(page)).toBe("Offline — 1 change waiting");
      await page.reload();
      await expect.poll(() => form.locator("textarea[name='observed']").inputValue()).toBe(text);
      expect(finding(target!.findingId)).toEqual({ version: target!.version, observed: "" });
      await context.setOffline(false);
      await expect.poll(() => finding(target!.findingId), { timeout: 30_000 }).toEqual({ version: target!.version + 1, observed: text });
      await expect.poll(() => page.locator("#offline-banner").count(), { timeout: 30_000 }).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("warns before signing out with changes waiting, and signing out clears the outbox, the caches and the worker", async () => {
    const [target] = targets(10, 1);
    const { context, page } = await preparedBrowser();
    try {
      await context.setOffline(true);
      await recordOffline(page, target!, "Kept on the laptop, then signed out before it was sent.");
      const stored = () =>
        page.evaluate(async () => ({
          caches: (await caches.keys()).length,
          databases: (await indexedDB.databases()).map((d) => d.name),
          workers: (await navigator.serviceWorker.getRegistrations()).length,
        }));
      expect(await stored()).toEqual({ caches: expect.any(Number) as number, databases: ["deep-dive-offline"], workers: 1 });
      expect((await stored()).caches).toBeGreaterThan(0);
      // Online, but the save cannot get through: the change still waits when the person signs out.
      await context.route("**/save.json", (route) => route.abort("connectionrefused"));
      await context.setOffline(false);
      await page.getByRole("button", { name: "Sign out" }).click();
      const warning = page.locator("#sign-out-warning");
      await expect.poll(() => warning.textContent()).toContain("Signing out removes from this laptop 1 change not saved on the server yet");
      expect(page.url()).toContain(overview);
      await expectNoSeriousAxeViolations(page);
      await warning.getByRole("button", { name: "Sign out anyway" }).click();
      await page.waitForURL(/\/sign-in/);
      await expect.poll(() => stored()).toEqual({ caches: 0, databases: [], workers: 0 });
      expect(finding(target!.findingId)).toEqual({ version: target!.version, observed: "" });
    } finally {
      await context.close();
    }
  });
});
