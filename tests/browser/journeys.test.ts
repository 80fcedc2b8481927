/** What people do, in a real browser: sign in as each role, reach only what they may, sign out. */
import type { Browser } from "playwright-core";
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

describe("each demo role signs in and lands on its home", () => {
  const roles = [
    { email: "admin@deepdive.test", home: "/admin/users", heading: "Users" },
    { email: "lead@deepdive.test", home: "/trusts", heading: "NHS trusts" },
    { email: "inspector1@deepdive.test", home: "/my-visits", heading: "My visits" },
    { email: "trust.rj1@deepdive.test", home: "/portal", heading: "Guy's and St Thomas' NHS Foundation Trust" },
    { email: "trust.rru@deepdive.test", home: "/portal", heading: "London Ambulance Service NHS Trust" },
    { email: "trust.rtd@deepdive.test", home: "/portal", heading: "The Newcastle upon Tyne Hospitals NHS Foundation Trust" },
  ];

  it.each(roles)("$email → $home", async ({ email, home, heading }) => {
    const { context, page, errors } = await freshPage(browser);
    try {
      await signInThroughPage(page, server.url, email);
      expect(new URL(page.url()).pathname).toBe(home);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(heading);
      await expect(page.getByRole("banner").textContent()).resolves.toContain("Deep Dive");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("a trust user", () => {
  it("gets 404 on staff pages, and sees no staff navigation", async () => {
    const { context, page } = await freshPage(browser);
    try {
      await signInThroughPage(page, server.url, "trust.rj1@deepdive.test");
      const nav = await page.getByRole("navigation", { name: "Menu" }).textContent();
      expect(nav).not.toContain("Trusts");
      for (const path of ["/trusts", "/trusts/RJ1", "/admin/users", "/admin/audit", "/admin/trusts/import"]) {
        const response = await page.goto(server.url + path);
        expect(response?.status(), path).toBe(404);
        await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
      }
    } finally {
      await context.close();
    }
  });
});

describe("signing out", () => {
  it("ends the session: back to sign in, and the pages are closed again", async () => {
    const { context, page } = await freshPage(browser);
    try {
      await signInThroughPage(page, server.url, "lead@deepdive.test");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in/);
      await expect.poll(() => page.getByText("You have signed out").isVisible()).toBe(true);
      await page.goto(`${server.url}/trusts`);
      expect(new URL(page.url()).pathname).toBe("/sign-in");
    } finally {
      await context.close();
    }
  });

  it("works with JavaScript off, as does signing in", async () => {
    const { context, page } = await freshPage(browser, { javaScriptEnabled: false });
    try {
      await signInThroughPage(page, server.url, "inspector2@deepdive.test");
      expect(new URL(page.url()).pathname).toBe("/my-visits");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in/);
      await page.goto(`${server.url}/trusts`);
      expect(new URL(page.url()).pathname).toBe("/sign-in");
    } finally {
      await context.close();
    }
  });
});

describe("accessibility (axe-core): no serious or critical violations", () => {
  const pages: { who: string | null; paths: string[] }[] = [
    { who: null, paths: ["/sign-in", "/no-such-page"] },
    { who: "lead@deepdive.test", paths: ["/trusts", "/trusts?q=ambulance&ambulance=yes", "/trusts/RJ1"] },
    { who: "admin@deepdive.test", paths: ["/admin/users", "/admin/users/new", "/admin/audit", "/admin/trusts/import"] },
    { who: "trust.rj1@deepdive.test", paths: ["/portal"] },
  ];

  it.each(pages)("pages for $who", async ({ who, paths }) => {
    const { context, page } = await freshPage(browser);
    try {
      if (who) await signInThroughPage(page, server.url, who);
      for (const path of paths) {
        await page.goto(server.url + path);
        await expectNoSeriousAxeViolations(page);
      }
    } finally {
      await context.close();
    }
  });

  it("the sign-in page with errors", async () => {
    const { context, page } = await freshPage(browser);
    try {
      await page.goto(`${server.url}/sign-in`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => page.getByText("There is a problem").isVisible()).toBe(true);
      await expectNoSeriousAxeViolations(page);
    } finally {
      await context.close();
    }
  });
});
