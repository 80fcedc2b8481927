/**
 * The second factor in a real browser, as people do it: a demo programme lead types the code the demo shows (with
 * and without JavaScript); a new inspector scans or types the key, confirms it with a code, saves the recovery codes
 * and carries on; each page without serious axe violations.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../app/auth/mfa";
import { DEMO_PASSWORD } from "../../db/seed.server";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser } from "../support/browser";
import { signedIn } from "../support/http";
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

async function passwordStep(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("signing in with a second factor", () => {
  // axe runs as a script in the page, so it checks the pages with JavaScript on; without it, the same pages must work.
  for (const javaScriptEnabled of [true, false]) {
    it(`takes a demo account through the code the demo shows${javaScriptEnabled ? "" : ", without JavaScript"}`, async () => {
      const { context, page, errors } = await freshPage(browser, { javaScriptEnabled });
      const email = javaScriptEnabled ? "lead@deepdive.test" : "inspector3@deepdive.test";
      try {
        await passwordStep(page, email);
        await page.waitForURL(/\/sign-in\/code$/);
        await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Enter the code from your authenticator app");
        if (javaScriptEnabled) await expectNoSeriousAxeViolations(page);
        // A wrong code first: the error is shown at the field and in the summary.
        await page.getByLabel("Code from your authenticator app").fill("000000");
        await page.getByRole("button", { name: "Continue" }).click();
        await expect.poll(() => page.locator(".govuk-error-summary").textContent()).toContain("Enter the code your authenticator app shows now");
        if (javaScriptEnabled) await expectNoSeriousAxeViolations(page);
        const shown = await page.locator(".app-demo-code").textContent();
        expect(shown).toMatch(/^\d{6}$/);
        await page.getByLabel("Code from your authenticator app").fill(shown!);
        await page.getByRole("button", { name: "Continue" }).click();
        await page.waitForURL(new RegExp(javaScriptEnabled ? "/trusts$" : "/my-visits$"));
        await page.getByRole("link", { name: "Your account" }).click();
        await page.waitForURL(/\/account$/);
        await expect(page.locator(".govuk-summary-list").textContent()).resolves.toContain("Authenticator app, set up");
        if (javaScriptEnabled) await expectNoSeriousAxeViolations(page);
        expect(errors.filter((e) => !/status of 400 \(Bad Request\)/.test(e))).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it("has a new inspector set it up with the QR code or the typed key, then shows the recovery codes once", async () => {
    const admin = await signedIn(server.url, "admin@deepdive.test");
    const created = await admin.post("/admin/users/new", {
      name: "Kemi Firstday",
      email: "kemi.firstday@cqc.example",
      role: "inspector",
      trustCode: "",
      password: "a sound long passphrase",
    });
    expect(created.status).toBe(302);
    const { context, page, errors } = await freshPage(browser);
    try {
      await passwordStep(page, "kemi.firstday@cqc.example", "a sound long passphrase");
      await page.waitForURL(/\/sign-in\/set-up$/);
      const qr = page.getByRole("img", { name: /QR code to add Deep Dive/ });
      await qr.waitFor({ state: "visible" });
      const box = await qr.locator("svg").boundingBox();
      expect(box!.width).toBeGreaterThanOrEqual(150);
      await expectNoSeriousAxeViolations(page);
      const key = (await page.locator("#secret").textContent())!.replaceAll(" ", "");
      expect(key).toMatch(/^[A-Z2-7]{32}$/);
      await page.getByLabel("Code from your authenticator app").fill(totpCode(key, new Date()));
      await page.getByRole("button", { name: "Set up and sign in" }).click();
      await expect.poll(() => page.locator(".govuk-panel__title").textContent()).toBe("Your second factor is set up");
      await expect(page.locator("#recovery-codes li").count()).resolves.toBe(10);
      await expectNoSeriousAxeViolations(page);
      await page.getByRole("link", { name: "I have saved my recovery codes – continue" }).click();
      await page.waitForURL(/\/my-visits$/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
