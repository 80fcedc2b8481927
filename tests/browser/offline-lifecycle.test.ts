/**
 * Working offline (issue 7) in a real browser, around the recording itself (offline-outbox.test.ts): each test
 * prepares the demo's inspection on site (or a new one) in a fresh browser profile, turns the network off, and then:
 * - on a section page, a criterion's Save keeps its form, a reload with no connection puts it back, and it is sent
 *   when the connection is back;
 * - the findings are submitted while a change waits on the laptop: at the next contact the inspection's pages are
 *   forgotten, and the change is kept, marked as not saved, with its text, for its author;
 * - signing out with changes waiting warns first, then clears the outbox, the caches and the worker.
 */
import { describe, expect, it } from "vitest";
import { openDatabase, queryDatabase } from "../support/database";
import { onSiteInspection, recordAndSubmit } from "../support/inspections";
import { expectNoSeriousAxeViolations } from "../support/browser";
import { bannerStatus, findingNow, offlineBench, preparedBrowser, recordOffline, targets } from "../support/offline";

const bench = offlineBench();


describe("working offline: section pages, submission and sign-out", () => {
  it("keeps a criterion saved on the section page with no connection, through a reload, and sends it when the connection is back", async () => {
    const [target] = targets(bench, 11, 1);
    const { sectionId, code } = queryDatabase<{ sectionId: number; code: string }>(bench.server.databaseFile, "SELECT section_id AS sectionId, code FROM framework_criteria WHERE id = ?", target!.criterionId)[0]!;
    const text = "Written on the section page in the plant room: the generator test log is signed weekly.";
    const { context, page } = await preparedBrowser(bench);
    try {
      await context.setOffline(true);
      await page.goto(`${bench.server.url}${bench.overview}/sections/${sectionId}`);
      const form = page.locator(`#finding-form-${target!.criterionId}`);
      await form.locator("textarea[name='observed']").fill(text);
      await form.getByRole("button", { name: `Save ${code}`, exact: true }).click();
      await expect.poll(() => page.locator(`#kept-status-${target!.criterionId}`).textContent()).toMatch(/^Kept on this laptop \d\d:\d\d/);
      await expect.poll(() => bannerStatus(page)).toBe("Offline — 1 change waiting");
      await page.reload();
      await expect.poll(() => form.locator("textarea[name='observed']").inputValue()).toBe(text);
      expect(findingNow(bench, target!.findingId)).toEqual({ version: target!.version, observed: "" });
      await context.setOffline(false);
      await expect.poll(() => findingNow(bench, target!.findingId), { timeout: 30_000 }).toEqual({ version: target!.version + 1, observed: text });
      await expect.poll(() => page.locator("#offline-banner").count(), { timeout: 30_000 }).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("forgets an inspection whose findings were submitted while a change waited, and keeps that change, marked not saved, for its author", async () => {
    const db = openDatabase(bench.server.databaseFile);
    try {
      // A new inspection on site, Cyber Essentials Plus only, whose lead prepares it.
      const onSite = onSiteInspection(db, { cepOnly: true });
      const leadEmail = (db.$client.prepare("SELECT email FROM users WHERE id = ?").get(onSite.leadId) as { email: string }).email;
      const path = `/inspections/${onSite.inspectionId}`;
      const [first] = queryDatabase<{ criterionId: number }>(bench.server.databaseFile, "SELECT criterion_id AS criterionId FROM findings WHERE id = ?", onSite.rows[0]!.id);
      const text = "Seen at the last minute in the comms room: an unpatched switch, firmware from 2019.";
      const { context, page } = await preparedBrowser(bench, leadEmail, path);
      try {
        await context.setOffline(true);
        await page.goto(`${bench.server.url}${path}/criteria/${first!.criterionId}`);
        await page.locator("#finding-form textarea[name='observed']").fill(text);
        await expect.poll(() => page.locator("#finding-form").textContent()).toContain("Kept on this laptop");
        // Meanwhile the findings are completed and submitted.
        recordAndSubmit(db, onSite, () => ({ chosenRating: "not_applicable", observed: "Recorded before submission." }));
        await context.setOffline(false);
        const banner = page.locator("#offline-banner");
        await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toContain("The inspection's findings were submitted before this change was sent: it was not saved");
        await banner.getByText("Your change", { exact: true }).click();
        expect(await banner.textContent()).toContain(text);
        expect(queryDatabase(bench.server.databaseFile, "SELECT observed FROM findings WHERE id = ?", onSite.rows[0]!.id)).toEqual([{ observed: "Recorded before submission." }]);
        // The inspection's pages are no longer kept, nor the record that they were.
        await expect
          .poll(() =>
            page.evaluate(async (prefix) => {
              const kept: string[] = [];
              for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) kept.push(new URL(request.url).pathname);
              return { pages: kept.filter((p) => p.startsWith(prefix)).length, prepared: localStorage.getItem("deep-dive-offline-prepared") };
            }, path),
          { timeout: 60_000 })
          .toEqual({ pages: 0, prepared: "{}" });
        await expectNoSeriousAxeViolations(page);
        await banner.getByRole("button", { name: "I have what I need: remove my change" }).click();
        await expect.poll(() => banner.count()).toBe(0);
      } finally {
        await context.close();
      }
    } finally {
      db.$client.close();
    }
  });

  it("warns before signing out with changes waiting, and signing out clears the outbox, the caches and the worker", async () => {
    const [target] = targets(bench, 10, 1);
    const { context, page } = await preparedBrowser(bench);
    try {
      await context.setOffline(true);
      await recordOffline(bench, page, target!, "Kept on the laptop, then signed out before it was sent.");
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
      expect(page.url()).toContain(bench.overview);
      await expectNoSeriousAxeViolations(page);
      await warning.getByRole("button", { name: "Sign out anyway" }).click();
      await page.waitForURL(/\/sign-in/);
      await expect.poll(() => stored()).toEqual({ caches: 0, databases: [], workers: 0 });
      expect(findingNow(bench, target!.findingId)).toEqual({ version: target!.version, observed: "" });
    } finally {
      await context.close();
    }
  });
});
