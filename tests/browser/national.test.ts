/**
 * The national picture in a real browser: a programme lead reaches it from the menu; the page is axe-clean with the
 * trusts-by-band table open and closed, logs no errors, draws a marker for every trust it lists as on the map, styles
 * heatmap cells from its own stylesheet, and scrolls the wide heatmap inside its own keyboard-reachable region rather
 * than the page; without JavaScript it shows the same and the table still opens (axe needs script in the page, so it
 * runs with JavaScript on, as in the other browser tests); an inspector has no link to it and gets 404.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** What the page shows, read through the accessibility tree and the DOM (no script in the page: it may have JavaScript off). */
async function checkContent(page: Page) {
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("The national picture");
  // The map: one image with a name, a marker per trust listed as on the map.
  await expect(page.getByRole("img", { name: /^Map of England with \d+ open NHS trusts/ }).count()).resolves.toBe(1);
  const markers = await page.locator("#trust-map path[data-trust]").count();
  const listed = await page.locator("#trusts-by-band tbody tr").count();
  const unplaced = await page.locator("#trusts-by-band tbody tr", { hasText: "not on the map" }).count();
  expect(markers).toBeGreaterThanOrEqual(200);
  expect(markers).toBe(listed - unplaced);
  await expect(page.locator("#trusts-by-band").isVisible()).resolves.toBe(false);
  // Heatmap cells show a code, and say the rating in words to screen readers.
  const achieved = page.locator('.app-heatmap td[data-code="A"]').first();
  await expect(achieved.locator('[aria-hidden="true"]').textContent()).resolves.toBe("A");
  await expect(achieved.locator(".govuk-visually-hidden").textContent()).resolves.toBe("Achieved");
  // The heatmap's scrolling region can be reached by keyboard.
  await expect(page.getByRole("region", { name: /^Ratings in NCSC Cyber Assessment Framework/ }).getAttribute("tabindex")).resolves.toBe("0");
  // RJ1's trend: two inspections on each of two frameworks.
  await expect(page.locator('svg[id^="trend-"] g[data-trust="RJ1"] circle').count()).resolves.toBe(4);
}

/** Opens the trusts-by-band table (a details element: no JavaScript needed). */
async function openTrustsByBand(page: Page) {
  await page.getByText(/^Show the \d+ trusts by risk band$/).click();
  await expect.poll(() => page.locator("#trusts-by-band").isVisible()).toBe(true);
}

describe("a programme lead", () => {
  it("opens the national picture from the menu: axe-clean, no errors", async () => {
    const { context, page, errors } = await freshPage(browser);
    try {
      await page.setViewportSize({ width: 1024, height: 800 });
      await signInThroughPage(page, server.url, "lead@deepdive.test");
      await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "National picture" }).click();
      await page.waitForURL(/\/national$/);
      await checkContent(page);
      await expectNoSeriousAxeViolations(page);
      await openTrustsByBand(page);
      await expectNoSeriousAxeViolations(page);

      // Heatmap cells are coloured by the page's own stylesheet.
      const achieved = page.locator('.app-heatmap td[data-code="A"]').first();
      await expect(achieved.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe("rgb(0, 112, 60)");
      // The wide heatmap scrolls inside its own region; the page itself does not scroll sideways.
      const region = page.getByRole("region", { name: /^Ratings in NCSC Cyber Assessment Framework/ });
      const { scrollWidth, clientWidth } = await region.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
      expect(scrollWidth).toBeGreaterThan(clientWidth);
      await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("sees the same without JavaScript", async () => {
    const { context, page, errors } = await freshPage(browser, { javaScriptEnabled: false });
    try {
      await page.setViewportSize({ width: 1024, height: 800 });
      await signInThroughPage(page, server.url, "lead@deepdive.test");
      await page.goto(`${server.url}/national`);
      await checkContent(page);
      await openTrustsByBand(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("an inspector", () => {
  it("has no link to it and gets 404", async () => {
    const { context, page } = await freshPage(browser);
    try {
      await signInThroughPage(page, server.url, "inspector1@deepdive.test");
      await expect(page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "National picture" }).count()).resolves.toBe(0);
      const response = await page.goto(`${server.url}/national`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
    } finally {
      await context.close();
    }
  });
});
