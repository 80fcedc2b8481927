/**
 * Selection rounds in a real browser: a programme lead opens, draws, overrides, closes and verifies a round
 * through the pages (with and without JavaScript), with axe on every kind of round page; a trust user gets 404
 * on every selection and risk address, and sees exactly the same portal page whether or not their trust is picked.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOTP_SECRET } from "../../app/auth/mfa";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { addTrustUserForUnscheduledTrust } from "../support/database";
import { signedIn } from "../support/http";
import { unusedCode } from "../support/second-factor";
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

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();

async function fillDate(page: Page, legend: string, [day, month, year]: [string, string, string]) {
  const group = page.getByRole("group", { name: legend });
  await group.getByLabel("Day").fill(day);
  await group.getByLabel("Month").fill(month);
  await group.getByLabel("Year").fill(year);
}

/** Opens a round through the pages, from the list; returns its id. */
async function openRoundThroughPages(page: Page, name: string, capacity = "30"): Promise<string> {
  await page.goto(`${server.url}/selection`);
  await page.getByRole("button", { name: "Open a round" }).click();
  await page.waitForURL(/\/selection\/new$/);
  await page.getByLabel("Name of the round").fill(name);
  await fillDate(page, "Start of the period", ["1", "4", "2027"]);
  await fillDate(page, "End of the period", ["30", "6", "2027"]);
  await page.getByLabel("Capacity").fill(capacity);
  await page.getByLabel("Minimum months since the last inspection").fill("12");
  await page.getByRole("button", { name: "Open the round" }).click();
  await page.waitForURL(/\/selection\/[0-9a-f-]{36}\?done=opened$/);
  return /\/selection\/([0-9a-f-]{36})/.exec(page.url())![1]!;
}

describe("a programme lead runs a round through the pages", () => {
  it("opens, draws, overrides with a reason, closes and verifies it, with no serious axe violations", async () => {
    const { context, page, errors } = await freshPage(browser);
    try {
      await signInThroughPage(page, server.url, "lead@deepdive.test");
      await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Selection rounds" }).click();
      await expect.poll(() => heading(page)).toBe("Selection rounds");
      await expectNoSeriousAxeViolations(page);

      // The form's errors first.
      await page.goto(`${server.url}/selection/new`);
      await expectNoSeriousAxeViolations(page);
      await page.getByRole("button", { name: "Open the round" }).click();
      await expect.poll(() => page.getByText("There is a problem").isVisible()).toBe(true);
      await expectNoSeriousAxeViolations(page);

      const id = await openRoundThroughPages(page, "Browser round");
      await expect.poll(() => heading(page)).toBe("Browser round");
      const commitment = await page.locator("#commitment").textContent();
      expect(commitment).toMatch(/^[0-9a-f]{64}$/);
      await expect(page.getByText("Secret until the round closes", { exact: true }).isVisible()).resolves.toBe(true);
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("button", { name: "Draw" }).click();
      await expect.poll(() => page.getByText("Round drawn").isVisible()).toBe(true);
      const rows = page.locator("table").first().locator("tbody tr");
      await expect.poll(() => rows.count()).toBeGreaterThan(0);
      expect(await rows.count()).toBeLessThanOrEqual(Math.max(30, await page.locator("td", { hasText: /^Mandatory$/ }).count()));
      await expectNoSeriousAxeViolations(page);

      // Remove the first drawn pick: its "Remove" link chooses it in the form; the reason is required.
      const drawnRow = rows.filter({ has: page.locator("td", { hasText: /^Drawn$/ }) }).first();
      const removedName = (await drawnRow.locator("th a").textContent())!;
      await drawnRow.getByRole("link", { name: /^Remove/ }).click();
      await expect.poll(() => page.getByLabel("Trust to remove").inputValue()).not.toBe("");
      await page.getByRole("button", { name: "Remove the trust" }).click();
      await expect.poll(() => page.getByText("There is a problem").isVisible()).toBe(true);
      await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain("Enter the reason");
      await expectNoSeriousAxeViolations(page);
      await page.getByLabel("Why remove it").fill("Under investigation by the ICO this quarter");
      await page.getByRole("button", { name: "Remove the trust" }).click();
      await expect.poll(() => page.getByText("Trust removed from the round").isVisible()).toBe(true);

      await page.getByLabel("Trust to add").selectOption({ index: 1 });
      const addedName = (await page.getByLabel("Trust to add").locator("option:checked").textContent())!.replace(/ \([A-Z0-9]+\)$/, "");
      await page.getByLabel("Why add it").fill("Serious incident reported to NHS England");
      await page.getByRole("button", { name: "Add the trust" }).click();
      await expect.poll(() => page.getByText("Trust added to the round").isVisible()).toBe(true);

      const overrides = page.locator("table", { has: page.locator("caption", { hasText: "Overrides" }) });
      await expect(overrides.textContent()).resolves.toContain("Under investigation by the ICO this quarter");
      await expect(overrides.textContent()).resolves.toContain("Serious incident reported to NHS England");
      await expect(overrides.textContent()).resolves.toContain(removedName);
      await expect(overrides.textContent()).resolves.toContain(addedName);
      await expectNoSeriousAxeViolations(page);

      await expect(page.getByText("Closing the round reveals its seed").isVisible()).resolves.toBe(true);
      await page.getByLabel("Your code from your authenticator app").fill(await unusedCode(server.url, "lead@deepdive.test", DEMO_TOTP_SECRET));
      await page.getByRole("button", { name: "Close the round and reveal the seed" }).click();
      await expect.poll(() => page.getByText("Round closed").isVisible()).toBe(true);
      const seed = await page.locator("#seed").textContent();
      expect(seed).toMatch(/^[0-9a-f]{64}$/);
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("link", { name: "Verify this round" }).click();
      await page.waitForURL(new RegExp(`/selection/${id}/verify$`));
      await expect.poll(() => heading(page)).toBe("Verify the draw");
      await expect(page.getByText("The draw is verified").isVisible()).resolves.toBe(true);
      await expect(page.locator("#commitment-check").textContent()).resolves.toContain("matches the commitment");
      await expect(page.locator("#draw-check").textContent()).resolves.toMatch(/^The draw reproduced every pick: all \d+ of them, in the same order\.$/);
      await expectNoSeriousAxeViolations(page);
      // The two forms submitted with errors on purpose answer 400, which the browser logs; nothing else may.
      expect(errors.filter((e) => !/status of 400 \(Bad Request\)/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("works without JavaScript: open, draw, remove with a reason, close", async () => {
    const { context, page } = await freshPage(browser, { javaScriptEnabled: false });
    try {
      await signInThroughPage(page, server.url, "lead@deepdive.test");
      await openRoundThroughPages(page, "No-script round");
      await page.getByRole("button", { name: "Draw" }).click();
      await page.waitForURL(/done=drawn$/);
      await page.getByLabel("Trust to remove").selectOption({ index: 1 });
      await page.getByLabel("Why remove it").fill("Merging with a neighbouring trust");
      await page.getByRole("button", { name: "Remove the trust" }).click();
      await page.waitForURL(/done=removed$/);
      await expect(page.getByText("Merging with a neighbouring trust").isVisible()).resolves.toBe(true);
      await page.getByLabel("Your code from your authenticator app").fill(await unusedCode(server.url, "lead@deepdive.test", DEMO_TOTP_SECRET));
      await page.getByRole("button", { name: "Close the round and reveal the seed" }).click();
      await page.waitForURL(/done=closed$/);
      expect(await page.locator("#seed").textContent()).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await context.close();
    }
  });
});

describe("a trust user", () => {
  const normalise = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');

  it("gets 404 on every selection and risk address, and an identical portal page whether or not their trust is picked", async () => {
    // A round that is drawn (not closed) and has the trust user's trust in it by the end. (RJ1, the demo trust
    // user's, is already in the demo's round in progress, so a trust in no round gets a user of its own.)
    const { email, trustCode } = addTrustUserForUnscheduledTrust(server.databaseFile, "trust.selection@deepdive.test");
    const lead = await signedIn(server.url, "lead@deepdive.test");
    const opened = await lead.post("/selection/new", {
      name: "Portal check",
      periodStartDay: "1",
      periodStartMonth: "7",
      periodStartYear: "2027",
      periodEndDay: "30",
      periodEndMonth: "9",
      periodEndYear: "2027",
      capacity: "5",
      minMonthsSinceInspection: "0",
    });
    const id = /\/selection\/([0-9a-f-]{36})/.exec(opened.headers.get("location") ?? "")![1]!;

    const { context, page } = await freshPage(browser);
    try {
      await signInThroughPage(page, server.url, email);
      const before = normalise(await (await page.goto(`${server.url}/portal`))!.text());

      expect((await lead.post(`/selection/${id}`, { intent: "draw" })).status).toBe(302);
      const round = await (await lead.get(`/selection/${id}`)).text();
      if (!round.includes(`(${trustCode})</th>`)) {
        const added = await lead.post(`/selection/${id}`, { intent: "add", addTrustCode: trustCode, addReason: "Portal check" });
        expect(added.status).toBe(302);
      }
      expect(await (await lead.get(`/selection/${id}`)).text()).toContain(`(${trustCode})</th>`);

      const after = normalise(await (await page.goto(`${server.url}/portal`))!.text());
      expect(after).toBe(before);

      const addresses = ["/selection", "/selection/new", `/selection/${id}`, `/selection/${id}/verify`, `/selection/${id}/snapshot`, "/risk", `/risk/trusts/${trustCode}`, "/risk/models"];
      for (const address of addresses) {
        const response = await page.goto(server.url + address);
        expect(response?.status(), address).toBe(404);
        // The snapshot is a file, not a page: its 404 is a plain "Not found".
        if (!address.endsWith("/snapshot")) await expect(heading(page), address).resolves.toBe("Page not found");
        const text = await page.content();
        expect(text, address).not.toContain(id);
        expect(text, address).not.toMatch(/selection round|risk score/i);
      }
      const nav = await page.getByRole("navigation", { name: "Menu" }).textContent();
      expect(nav).not.toMatch(/Selection|Risk/);
    } finally {
      await context.close();
    }
  });
});
