/**
 * The offline foundation in a real browser (issue 7, docs/decisions/0020-offline-browser-storage.md): the demo
 * inspector registers the service worker on the on-site inspection, prepares one criterion page, and with the
 * network off that page still opens (from the prepared copy) while a page they did not prepare fails as it would with
 * no worker; nothing but the built assets and the prepared addresses was written to Cache Storage. Signing out then
 * leaves the browser with no caches, no IndexedDB database and no service worker.
 *
 * It talks to the worker directly, to check its cache rules address by address; tests/browser/offline-prepare.test.ts
 * goes through the "Make available offline" button.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
import { freshPage, launchBrowser, signInThroughPage } from "../support/browser";
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

/** Posts a message to the page's service worker and waits for its answer on a MessageChannel. */
const askWorker = (page: Page, message: unknown) =>
  page.evaluate(
    (body) =>
      new Promise<unknown>((resolve, reject) => {
        const worker = navigator.serviceWorker.controller;
        if (!worker) return reject(new Error("the page is not controlled by the service worker"));
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data);
        worker.postMessage(body, [channel.port2]);
      }),
    message,
  );

/** Every address kept in Cache Storage, by cache. */
const cachedAddresses = (page: Page) =>
  page.evaluate(async () => {
    const byCache: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      byCache[name] = (await (await caches.open(name)).keys()).map((request) => {
        const url = new URL(request.url);
        return url.pathname + url.search;
      });
    }
    return byCache;
  });

/** What the site has stored in the browser. */
const storedInBrowser = (page: Page) =>
  page.evaluate(async () => ({
    caches: await caches.keys(),
    databases: (await indexedDB.databases()).map((d) => d.name),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));

describe("the service worker and sign-out", () => {
  it("serves a prepared page offline and nothing else, and sign-out clears every cache, database and worker", async () => {
    const [inspection] = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'");
    const [criterion] = queryDatabase<{ id: number }>(server.databaseFile, "SELECT criterion_id AS id FROM findings WHERE inspection_id = ? ORDER BY criterion_id LIMIT 1", inspection!.id);
    const overview = `/inspections/${inspection!.id}`;
    const criterionPage = `${overview}/criteria/${criterion!.id}`;
    // What Remix fetches for this page when navigating to it in the app (single fetch).
    const criterionData = `${criterionPage}.data`;

    const { context, page } = await freshPage(browser);
    page.setDefaultTimeout(20_000);
    try {
      await signInThroughPage(page, server.url, "inspector1@deepdive.test");
      await page.goto(server.url + criterionPage);
      const title = await page.getByRole("heading", { level: 1 }).textContent();
      expect(title).toBeTruthy();

      // Until the worker is registered (which only "Make available offline" does), nothing is stored.
      expect(await storedInBrowser(page)).toEqual({ caches: [], databases: [], workers: 0 });
      await page.evaluate(async () => {
        await navigator.serviceWorker.register("/service-worker.js");
        await navigator.serviceWorker.ready;
      });
      await page.reload();
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

      const prepared = await askWorker(page, { type: "prepare", urls: [criterionPage, criterionData] });
      expect(prepared).toEqual({ type: "prepared", stored: [criterionPage, criterionData], failed: [], failedAssets: [] });
      // Pages visited online, prepared or not, are never written to disk: only the built assets and what was prepared.
      await page.goto(`${server.url}/my-visits`);
      await page.goto(server.url + criterionPage);
      const kept = await cachedAddresses(page);
      const [preparedCache] = Object.keys(kept).filter((name) => name.startsWith("deep-dive-prepared-"));
      expect(kept[preparedCache!]!.sort()).toEqual([criterionPage, criterionData].sort());
      for (const [name, addresses] of Object.entries(kept)) {
        if (name === preparedCache) continue;
        expect(name).toMatch(/^deep-dive-assets-[0-9a-f]{12}$/);
        expect(addresses.filter((a) => !a.startsWith("/build/") && !a.startsWith("/assets/"))).toEqual([]);
      }

      await context.setOffline(true);
      await page.reload();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(title);
      await expect.poll(() => page.locator("#finding-form").count()).toBe(1);
      // The page's data as Remix asks for it, from the prepared copy too.
      expect(await page.evaluate((url) => fetch(url).then((r) => r.status), criterionData)).toBe(200);
      // A page not prepared fails as it would with no worker: the overview, and a page of another kind.
      await expect(page.goto(server.url + overview)).rejects.toThrow(/net::ERR_/);
      await expect(page.goto(`${server.url}/my-visits`)).rejects.toThrow(/net::ERR_/);
      await context.setOffline(false);

      await page.goto(server.url + criterionPage);
      await page.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const request = indexedDB.open("offline-foundation-test", 1);
            request.onupgradeneeded = () => request.result.createObjectStore("outbox", { autoIncrement: true });
            request.onsuccess = () => {
              const db = request.result;
              const tx = db.transaction("outbox", "readwrite");
              tx.objectStore("outbox").add({ note: "waiting" });
              tx.oncomplete = () => (db.close(), resolve());
              tx.onerror = () => reject(tx.error);
            };
            request.onerror = () => reject(request.error);
          }),
      );
      const before = await storedInBrowser(page);
      expect(before.caches.length).toBeGreaterThan(0);
      expect(before.databases).toEqual(["offline-foundation-test"]);
      expect(before.workers).toBe(1);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in/);
      await expect.poll(() => page.getByText("You have signed out").isVisible()).toBe(true);
      await expect.poll(() => storedInBrowser(page)).toEqual({ caches: [], databases: [], workers: 0 });
    } finally {
      await context.close();
    }
  });
});
