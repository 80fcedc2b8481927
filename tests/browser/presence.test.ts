/**
 * Presence in a real browser: with JavaScript, an open criterion page learns who else has arrived through its
 * heartbeat, without a reload and without reloading its own data (an unsaved edit stays in the form).
 */
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;

function get<T>(sql: string, ...params: unknown[]): T {
  const db = new Database(server.databaseFile, { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("who else is here, live", () => {
  it("shows a colleague who opens the same criterion, through the heartbeat, keeping unsaved typing", async () => {
    const visit = get<{ id: string; lead: string; member: string; memberName: string }>(
      `SELECT v.id, lu.email AS lead, mu.email AS member, mu.name AS memberName FROM visits v
       JOIN visit_team_members l ON l.visit_id = v.id AND l.role = 'lead' JOIN users lu ON lu.id = l.inspector_id
       JOIN visit_team_members m ON m.visit_id = v.id AND m.role = 'member' JOIN users mu ON mu.id = m.inspector_id
       WHERE v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
       ORDER BY v.visit_date, v.id LIMIT 1`,
    );
    const profile = get<{ id: number; framework_version_id: number }>("SELECT id, framework_version_id FROM framework_profiles ORDER BY id LIMIT 1");
    const programmeLead = await signedIn(server.url, "lead@deepdive.test");
    const started = await programmeLead.post(`/inspections/new?visit=${visit.id}`, { [`profile-${profile.framework_version_id}`]: String(profile.id) });
    const inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(started.headers.get("location") ?? "")![1]!;
    const lead = await signedIn(server.url, visit.lead);
    expect((await lead.post(`/inspections/${inspectionId}`, { intent: "arrive" })).status).toBeLessThan(400);
    const criterion = get<{ id: number }>("SELECT min(criterion_id) AS id FROM findings WHERE inspection_id = ?", inspectionId).id;

    const { context, page, errors } = await freshPage(browser);
    try {
      await signInThroughPage(page, server.url, visit.lead);
      await page.goto(`${server.url}/inspections/${inspectionId}/criteria/${criterion}`);
      await expect.poll(() => page.getByTestId("presence").textContent()).toContain("No one else is working in this inspection just now.");
      // Typing the autosave has not sent yet must survive the heartbeat's answer.
      await page.getByLabel("What was observed").pressSequentially("Patch report reviewed with the", { delay: 5 });

      // The member opens the same criterion (a page view records where they are).
      const member = await signedIn(server.url, visit.member);
      expect((await member.get(`/inspections/${inspectionId}/criteria/${criterion}`)).status).toBe(200);

      // The next heartbeat (sent at once when the tab becomes visible again) brings the news.
      await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
      await expect.poll(() => page.getByTestId("presence").textContent(), { timeout: 10_000 }).toContain(`${visit.memberName} is also working on this criterion.`);
      expect(await page.getByLabel("What was observed").inputValue()).toContain("Patch report reviewed with the");
      await expectNoSeriousAxeViolations(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
