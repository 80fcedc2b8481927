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
 * - the findings submitted while a change waits on the laptop: at the next contact the inspection's pages are
 *   forgotten, and the change is kept, marked as not saved, with its text, for its author;
 * - signing out with changes waiting warns first, then clears the outbox, the caches and the worker.
 * Each test uses its own criteria, so they can share one bench.server.
 */
import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
import { expectNoSeriousAxeViolations } from "../support/browser";
import { signedIn } from "../support/http";
import { bannerStatus, findingNow, offlineBench, preparedBrowser, recordOffline, targets, type Target } from "../support/offline";
import { png } from "../support/png";

const blank = { rating: "", overrideReason: "", observed: "", evidenceDocuments: "", evidencePeople: "", evidenceSystems: "", severity: "", recommendation: "" };

const bench = offlineBench();

/** The saves of a finding since `target` was read. */
const revisionsSince = (target: Target) =>
  queryDatabase<{ version: number; observed: string }>(
    bench.server.databaseFile,
    "SELECT version, json_extract(content, '$.observed') AS observed FROM finding_revisions WHERE finding_id = ? AND version > ? ORDER BY version",
    target.findingId,
    target.version,
  );


/** inspector2 saves a finding online, from the version `target` was at. */
async function savedOnlineByAnother(target: Target, observed: string) {
  const member = await signedIn(bench.server.url, "inspector2@deepdive.test");
  const saved = await member.post(`${bench.overview}/criteria/${target.criterionId}/save.json`, { ...blank, observed, baseVersion: String(target.version), idempotencyKey: randomUUID() });
  expect(saved.status).toBe(200);
}

describe("recording with no connection", () => {
  it("keeps findings on five criteria and a photo through a reload and a closed page, and sends them all when the connection is back", async () => {
    const five = targets(bench, 0, 5);
    const photo = png(200, 40, 40);
    const texts = five.map((_, i) => `Offline note ${i + 1} from the basement: Zoë showed the backup console (${"★".repeat(i + 1)}).`);
    const { context, page } = await preparedBrowser(bench);
    try {
      await context.setOffline(true);
      // The workspace opens with no connection, after a reload too.
      await page.reload();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).isVisible()).toBe(true);
      for (const [i, target] of five.entries()) {
        await recordOffline(bench, page, target, texts[i]!);
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
      await reopened.goto(`${bench.server.url}${bench.overview}/criteria/${five[2]!.criterionId}`);
      await expect.poll(() => reopened.locator("#finding-form textarea[name='observed']").inputValue()).toBe(texts[2]);
      await expect.poll(() => bannerStatus(reopened)).toBe("Offline — 6 changes waiting");
      expect(await reopened.locator("main").textContent()).toContain("Changes to this finding are kept on this laptop, waiting to be sent.");
      for (const target of five) expect(findingNow(bench, target.findingId)).toEqual({ version: target.version, observed: "" });
      // The inspection's page marks each finding that waits.
      await reopened.goto(bench.server.url + bench.overview);
      const waitingTags = reopened.locator("main table .app-waiting-tag");
      await expect.poll(() => waitingTags.count()).toBe(5);

      await context.setOffline(false);
      await expect.poll(() => five.map((t) => findingNow(bench, t.findingId)), { timeout: 30_000 }).toEqual(five.map((t, i) => ({ version: t.version + 1, observed: texts[i] })));
      // Each stored once, from the version it was based on.
      for (const [i, target] of five.entries()) expect(revisionsSince(target)).toEqual([{ version: target.version + 1, observed: texts[i] }]);
      await expect.poll(() => reopened.locator("#offline-banner").count(), { timeout: 30_000 }).toBe(0);
      await expect.poll(() => waitingTags.count()).toBe(0);
      // The photo was added once, byte for byte, to the finding it was taken for.
      expect(queryDatabase(bench.server.databaseFile, "SELECT finding_id AS findingId, original_name AS name, sha256 FROM evidence_files WHERE original_name = 'cabinet.png'")).toEqual([
        { findingId: five[4]!.findingId, name: "cabinet.png", sha256: createHash("sha256").update(photo).digest("hex") },
      ]);
    } finally {
      await context.close();
    }
  });

  it("shows the conflict screen with both versions when another inspector saved first, and loses no text whichever is kept", async () => {
    const [kept, taken] = targets(bench, 5, 2);
    const mine = ["Mine, written offline: the domain admin accounts are reviewed monthly.", "Mine, written offline: patching is two weeks behind."];
    const theirs = ["Theirs, saved online first: admin accounts reviewed.", "Theirs, saved online first: patching checked on site."];
    const { context, page } = await preparedBrowser(bench);
    try {
      await context.setOffline(true);
      await recordOffline(bench, page, kept!, mine[0]!);
      await recordOffline(bench, page, taken!, mine[1]!);
      await savedOnlineByAnother(kept!, theirs[0]!);
      await savedOnlineByAnother(taken!, theirs[1]!);
      await context.setOffline(false);
      const banner = page.locator("#offline-banner");
      await expect.poll(() => banner.getByRole("link", { name: "Compare your change with theirs" }).count(), { timeout: 30_000 }).toBe(2);
      // Nothing of theirs was overwritten by the sync.
      expect(findingNow(bench, kept!.findingId)).toEqual({ version: kept!.version + 1, observed: theirs[0] });
      expect(findingNow(bench, taken!.findingId)).toEqual({ version: taken!.version + 1, observed: theirs[1] });
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
      await expect.poll(() => findingNow(bench, kept!.findingId)).toEqual({ version: kept!.version + 2, observed: mine[0] });
      expect(revisionsSince(kept!).map((r) => r.observed)).toEqual([theirs[0], mine[0]]);
      await expect.poll(() => banner.getByRole("link", { name: "Compare your change with theirs" }).count()).toBe(1);

      // Take theirs: the finding stays as they saved it, and my text stays in the banner until I remove it.
      await banner.getByRole("link", { name: "Compare your change with theirs" }).click();
      await expect.poll(() => conflict.locator("table").textContent()).toContain(mine[1]);
      await conflict.getByRole("link", { name: "open the finding as they saved it" }).click();
      await expect.poll(() => page.locator("#finding-form textarea[name='observed']").inputValue()).toBe(theirs[1]);
      expect(findingNow(bench, taken!.findingId)).toEqual({ version: taken!.version + 1, observed: theirs[1] });
      await banner.getByText("Your change", { exact: true }).click();
      expect(await banner.textContent()).toContain(mine[1]);
      await banner.getByRole("button", { name: "I have what I need: remove my change" }).click();
      await expect.poll(() => banner.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("stores nothing twice and loses nothing when the connection drops in the middle of a sync", async () => {
    const three = targets(bench, 7, 3);
    const texts = three.map((_, i) => `Sync interrupted, note ${i + 1}: the network switch cabinet was unlocked.`);
    const { context, page } = await preparedBrowser(bench);
    try {
      await context.setOffline(true);
      for (const [i, target] of three.entries()) await recordOffline(bench, page, target, texts[i]!);
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
      await expect.poll(() => findingNow(bench, three[1]!.findingId), { timeout: 30_000 }).toEqual({ version: three[1]!.version + 1, observed: texts[1] });
      await expect.poll(() => bannerStatus(page)).toMatch(/^Offline — [12] changes? waiting$/);
      expect(findingNow(bench, three[0]!.findingId)).toEqual({ version: three[0]!.version + 1, observed: texts[0] });
      expect(findingNow(bench, three[2]!.findingId)).toEqual({ version: three[2]!.version, observed: "" });

      // Back online: the interrupted save is sent again with its key, and the server answers it without storing it again.
      await context.unroute("**/save.json");
      await context.setOffline(false);
      await expect.poll(() => findingNow(bench, three[2]!.findingId), { timeout: 30_000 }).toEqual({ version: three[2]!.version + 1, observed: texts[2] });
      await expect.poll(() => page.locator("#offline-banner").count(), { timeout: 30_000 }).toBe(0);
      for (const [i, target] of three.entries()) expect(revisionsSince(target)).toEqual([{ version: target.version + 1, observed: texts[i] }]);
    } finally {
      await context.close();
    }
  });
});
