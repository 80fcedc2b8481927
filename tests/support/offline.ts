/**
 * For the browser tests of working offline (issue 7): one server and one Chromium for a test file, the demo's
 * inspection on site, findings to record on, and an inspector's browser with the inspection prepared for offline use.
 * Each test file gets its own server (and database copy), so files can run side by side.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { queryDatabase } from "./database";
import { freshPage, launchBrowser, signInThroughPage } from "./browser";
import { startServer, type RunningServer } from "./server";

export interface Target {
  criterionId: number;
  findingId: string;
  version: number;
}

export interface OfflineBench {
  server: RunningServer;
  browser: Browser;
  /** The inspection on site's page: /inspections/<id>. */
  overview: string;
}

/** Starts the server and Chromium before the file's tests, and stops them after; its fields are set in beforeAll. */
export function offlineBench(): OfflineBench {
  const bench = {} as OfflineBench;
  beforeAll(async () => {
    [bench.server, bench.browser] = await Promise.all([startServer(), launchBrowser()]);
    const [inspection] = queryDatabase<{ id: string }>(bench.server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'");
    bench.overview = `/inspections/${inspection!.id}`;
  });
  afterAll(async () => {
    await bench.browser?.close();
    await bench.server?.stop();
  });
  return bench;
}

/** CAF outcomes not assessed and with nothing written yet (free text only), `count` of them from `offset` in order. */
export function targets(bench: OfflineBench, offset: number, count: number): Target[] {
  const rows = queryDatabase<Target>(
    bench.server.databaseFile,
    `SELECT c.id AS criterionId, f.id AS findingId, f.version FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
      WHERE f.inspection_id = ? AND f.rating = 'not_assessed' AND f.observed = '' AND c.records_devices = 0 AND c.scale <> 'met' ORDER BY c.position LIMIT ? OFFSET ?`,
    bench.overview.split("/").at(-1),
    count,
    offset,
  );
  expect(rows).toHaveLength(count);
  return rows;
}

export const findingNow = (bench: OfflineBench, id: string) =>
  queryDatabase<{ version: number; observed: string }>(bench.server.databaseFile, "SELECT version, observed FROM findings WHERE id = ?", id)[0]!;

/** `email` (inspector1 unless named) in a fresh profile, with the inspection at `at` (the one on site unless named) prepared. */
export async function preparedBrowser(bench: OfflineBench, email = "inspector1@deepdive.test", at = bench.overview): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await freshPage(bench.browser);
  page.setDefaultTimeout(20_000);
  await signInThroughPage(page, bench.server.url, email);
  await page.goto(bench.server.url + at);
  await page.locator("#offline").getByRole("button", { name: "Make available offline" }).click();
  await expect.poll(() => page.locator("#offline").getByRole("status").textContent(), { timeout: 60_000 }).toMatch(/^Prepared for offline use/);
  return { context, page };
}

/** Records `text` on a criterion's page with no connection, and waits until the page says it is kept. */
export async function recordOffline(bench: OfflineBench, page: Page, target: Target, text: string) {
  await page.goto(`${bench.server.url}${bench.overview}/criteria/${target.criterionId}`);
  await page.locator("#finding-form textarea[name='observed']").fill(text);
  await expect.poll(() => page.locator("#finding-form").textContent()).toContain("Kept on this laptop");
}

export const bannerStatus = (page: Page) => page.locator("#offline-banner").getByRole("status").textContent();
