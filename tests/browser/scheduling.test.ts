/**
 * Scheduling in a real browser: a programme lead plans a drawn round's visits, sees them as a table and as a month
 * calendar, accepts them, and changes one (a change that breaks a rule is refused with the rule explained; a valid
 * one is checked, then saved), with and without JavaScript and with axe on every kind of scheduling page; an
 * inspector on the visit sees it in My visits, one who is not gets 404; and a trust user's portal reads exactly the
 * same before and after their trust is scheduled, while the visit's and the schedule's addresses are 404 for them.
 */
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays } from "../../app/scheduling/working-days";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { addTrustUserForUnscheduledTrust } from "../support/database";
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

function withSqlite<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(server.databaseFile);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface VisitRow {
  id: string;
  trust_code: string;
  visit_date: string;
  status: string;
  version: number;
}
interface TeamMember {
  id: string;
  email: string;
  name: string;
  role: "lead" | "member";
}

const visitsOf = (roundId: string) =>
  withSqlite((db) => db.prepare("SELECT id, trust_code, visit_date, status, version FROM visits WHERE round_id = ? ORDER BY visit_date, trust_code").all(roundId) as VisitRow[]);
const visitById = (id: string) => withSqlite((db) => db.prepare("SELECT id, trust_code, visit_date, status, version FROM visits WHERE id = ?").get(id) as VisitRow);
const teamOf = (visitId: string) =>
  withSqlite(
    (db) =>
      db
        .prepare("SELECT u.id, u.email, u.name, m.role FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = ? ORDER BY m.role, u.id")
        .all(visitId) as TeamMember[],
  );

/** The quarter after every round there is (the demo's and this file's), so a new round competes with no other visits. */
function nextFreePeriod(): { start: string; end: string } {
  const lastEnd = withSqlite((db) => (db.prepare("SELECT max(period_end) AS d FROM selection_rounds").get() as { d: string }).d);
  const start = addCalendarDays(lastEnd, 1);
  return { start, end: addCalendarDays(start, 90) };
}

/** The boxes of a GOV.UK date input for a yyyy-mm-dd date. */
const dateBoxes = (iso: string): [string, string, string] => {
  const [y, m, d] = iso.split("-");
  return [String(Number(d)), String(Number(m)), y!];
};
const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();

/** A Saturday inside the period, near `date`. */
function saturdayNear(date: string, period: { start: string; end: string }): string {
  const after = addCalendarDays(date, 6 - weekday(date));
  return after <= period.end ? after : addCalendarDays(date, -(weekday(date) + 1));
}

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const banner = (page: Page) => page.locator(".govuk-notification-banner").textContent();
const errorSummary = (page: Page) => page.locator(".govuk-error-summary").textContent();
const visitsTable = (page: Page) => page.locator("table", { has: page.locator("caption", { hasText: "Visits, by date" }) });
/** Messages a browser logs for a page answered with an error status on purpose; anything else logged is a fault. */
const unexpected = (errors: string[], ...statuses: number[]) => errors.filter((e) => !statuses.some((s) => e.includes(`status of ${s} (`)));

async function fillDate(page: Page, legend: string, [day, month, year]: [string, string, string]) {
  const group = page.getByRole("group", { name: legend });
  await group.getByLabel("Day").fill(day);
  await group.getByLabel("Month").fill(month);
  await group.getByLabel("Year").fill(year);
}

/** Opens a round through the pages for the given period and draws it; returns its id. */
async function openAndDrawThroughPages(page: Page, name: string, period: { start: string; end: string }, capacity: string): Promise<string> {
  await page.goto(`${server.url}/selection/new`);
  await page.getByLabel("Name of the round").fill(name);
  await fillDate(page, "Start of the period", dateBoxes(period.start));
  await fillDate(page, "End of the period", dateBoxes(period.end));
  await page.getByLabel("Capacity").fill(capacity);
  await page.getByLabel("Minimum months since the last inspection").fill("0");
  await page.getByRole("button", { name: "Open the round" }).click();
  await page.waitForURL(/\/selection\/[0-9a-f-]{36}\?done=opened$/);
  const id = /\/selection\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  await expect.poll(() => heading(page)).toBe(name);
  await page.getByRole("button", { name: "Draw" }).click();
  await page.waitForURL(/\?done=drawn$/);
  await expect.poll(() => page.getByText("Round drawn").isVisible()).toBe(true);
  return id;
}

describe("a programme lead plans, accepts and changes a round's visits, and the teams see them", () => {
  // Set by the first journey, for the second: the visit that was changed, and its round.
  let roundId = "";
  let changedVisit: VisitRow | undefined;
  let trustName = "";

  it("plans with teams of 2, sees the table and the month calendar, accepts, and changes a visit, with no serious axe violations", async () => {
    const { context, page, errors } = await freshPage(browser);
    try {
      const period = nextFreePeriod();
      await signInThroughPage(page, server.url, "lead@deepdive.test");
      roundId = await openAndDrawThroughPages(page, "Scheduling in the browser", period, "4");

      await page.getByRole("link", { name: "Plan and see the visits for this round" }).click();
      await page.waitForURL(new RegExp(`/selection/${roundId}/schedule$`));
      await expect.poll(() => heading(page)).toBe("Visits");
      await expect(page.getByText("Not planned", { exact: true }).isVisible()).resolves.toBe(true);
      await expect(page.getByText("No visits planned yet.").isVisible()).resolves.toBe(true);
      await expect(page.getByRole("heading", { name: "Trusts without a visit" }).isVisible()).resolves.toBe(true);
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("group", { name: "People in each team" }).getByLabel("2 (a lead and a member)").check();
      await page.getByRole("button", { name: "Plan visits" }).click();
      await page.waitForURL(/\/schedule\?done=planned$/);
      await expect.poll(() => banner(page)).toContain("Visits planned. They are proposals");
      const planned = visitsOf(roundId);
      expect(planned.length).toBeGreaterThan(0);
      expect(planned.every((v) => v.status === "proposed" && v.visit_date >= period.start && v.visit_date <= period.end)).toBe(true);
      const rows = visitsTable(page).locator("tbody tr");
      await expect.poll(() => rows.count()).toBe(planned.length);
      for (const v of planned) {
        const row = rows.filter({ has: page.locator(`a[href="/visits/${v.id}"]`) });
        await expect(row.locator("th").textContent()).resolves.toContain(`(${v.trust_code})`);
        await expect(row.getByText("Proposed", { exact: true }).isVisible()).resolves.toBe(true);
        await expect(row.getByText("Keeps every rule").isVisible()).resolves.toBe(true);
        // Two people: a lead and a member.
        await expect(row.locator("td").nth(1).locator("li").count()).resolves.toBe(2);
      }
      await expect(page.getByText("Proposed: not yet accepted").isVisible()).resolves.toBe(true);
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("link", { name: "Month calendar" }).click();
      await page.waitForURL(/\/schedule\?view=calendar$/);
      await expect.poll(() => page.locator("table.app-month-calendar").count()).toBeGreaterThan(0);
      await expect(page.getByRole("navigation", { name: "Show the visits as" }).locator("[aria-current=page]").textContent()).resolves.toBe("Month calendar");
      for (const v of planned) {
        const item = page.locator("table.app-month-calendar li", { has: page.locator(`a[href="/visits/${v.id}"]`) });
        await expect(item.textContent()).resolves.toContain("(proposed)");
      }
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("link", { name: "Table", exact: true }).click();
      await page.waitForURL(/\/schedule\?view=table$/);
      await expect.poll(() => rows.count()).toBe(planned.length);
      await page.getByRole("button", { name: "Accept the schedule" }).click();
      await page.waitForURL(/\/schedule\?done=accepted$/);
      await expect.poll(() => banner(page)).toContain("Schedule accepted");
      await expect(page.getByText("Accepted", { exact: true }).isVisible()).resolves.toBe(true);
      expect(visitsOf(roundId).every((v) => v.status === "scheduled")).toBe(true);
      await expect(page.getByRole("button", { name: "Accept the schedule" }).count()).resolves.toBe(0);

      // The first visit: view it, back, then change it.
      const visit = visitsOf(roundId)[0]!;
      const team = teamOf(visit.id);
      const [teamLead, teamMember] = [team.find((m) => m.role === "lead")!, team.find((m) => m.role === "member")!];
      const row = rows.filter({ has: page.locator(`a[href="/visits/${visit.id}"]`) });
      trustName = (await row.locator("th").textContent())!.replace(/ \([A-Z0-9]+\).*$/, "");
      await row.getByRole("link", { name: `View the visit to ${trustName}` }).click();
      await page.waitForURL(new RegExp(`/visits/${visit.id}$`));
      await expect.poll(() => heading(page)).toBe(trustName);
      const summary = page.locator(".govuk-summary-list");
      await expect(summary.textContent()).resolves.toContain(`${teamLead.name} (lead)`);
      await expect(summary.textContent()).resolves.toContain("Scheduled");
      await expect(summary.textContent()).resolves.toContain("Why this date and team");
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("link", { name: "Back to the round's visits" }).click();
      await page.waitForURL(new RegExp(`/selection/${roundId}/schedule$`));
      await expect.poll(() => rows.count()).toBe(planned.length);
      await row.getByRole("link", { name: `Change the visit to ${trustName}` }).click();
      await page.waitForURL(new RegExp(`/visits/${visit.id}/change$`));
      await expect.poll(() => heading(page)).toBe("Change the visit");
      await expect(page.getByRole("group", { name: "Date of the visit" }).getByLabel("Day").inputValue()).resolves.toBe(dateBoxes(visit.visit_date)[0]);
      await expect(page.getByLabel("Lead inspector").inputValue()).resolves.toBe(teamLead.id);
      await expect(page.getByLabel("Team member", { exact: true }).inputValue()).resolves.toBe(teamMember.id);
      await expectNoSeriousAxeViolations(page);

      // A Saturday: refused, with the rule explained, and nothing saved.
      const saturday = saturdayNear(visit.visit_date, period);
      await fillDate(page, "Date of the visit", dateBoxes(saturday));
      await page.getByLabel("Reason for the change").fill("Trying a weekend");
      await page.getByRole("button", { name: "Save the change" }).click();
      await expect.poll(() => page.getByText("There is a problem").isVisible()).toBe(true);
      await expect(errorSummary(page)).resolves.toContain("This change would break the rules below, so it was not saved.");
      await expect(errorSummary(page)).resolves.toContain("is a Saturday, not a working day");
      await expect(page.locator("#breaches").textContent()).resolves.toContain("not a working day");
      expect(visitById(visit.id)).toEqual(visit);
      await expectNoSeriousAxeViolations(page);

      // The same day with lead and member swapped: checked first, and nothing saved by the check.
      await fillDate(page, "Date of the visit", dateBoxes(visit.visit_date));
      await page.getByLabel("Lead inspector").selectOption(teamMember.id);
      await page.getByLabel("Team member", { exact: true }).selectOption(teamLead.id);
      await page.getByLabel("Reason for the change").fill("Swap the lead and the member");
      await page.getByRole("button", { name: "Check the rules without saving" }).click();
      await expect.poll(() => page.locator("#check-result").textContent()).toBe("This change keeps every rule. It has not been saved yet.");
      await expect(page.getByText("There is a problem").count()).resolves.toBe(0);
      expect(visitById(visit.id)).toEqual(visit);

      await page.getByRole("button", { name: "Save the change" }).click();
      await page.waitForURL(new RegExp(`/visits/${visit.id}/change\\?done=changed$`));
      await expect.poll(() => banner(page)).toContain("Visit changed");
      await expect(page.locator("main").textContent()).resolves.toContain(`${teamMember.name} (lead)`);
      changedVisit = visitById(visit.id);
      expect(changedVisit).toEqual({ ...visit, version: visit.version + 1 });
      expect(teamOf(visit.id).find((m) => m.role === "lead")!.id).toBe(teamMember.id);
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("link", { name: "Back to the visit" }).click();
      await page.waitForURL(new RegExp(`/visits/${visit.id}$`));
      await expect.poll(() => summary.textContent()).toContain(`${teamMember.name} (lead)`);
      await expect(summary.textContent()).resolves.toContain("Changed by hand: Swap the lead and the member");
      // The refused save answers 400, which the browser logs; nothing else may be logged.
      expect(unexpected(errors, 400)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("an inspector on the changed visit sees it in My visits and opens it; one not on it does not, and gets 404 at its address", async () => {
    expect(changedVisit, "the first journey changed a visit").toBeDefined();
    const visit = changedVisit!;
    const team = teamOf(visit.id);
    const newLead = team.find((m) => m.role === "lead")!;

    const teamIds = new Set(team.map((m) => m.id));
    const outsiderEmail = withSqlite(
      (db) =>
        (db.prepare("SELECT u.id, u.email FROM users u JOIN inspector_profiles p ON p.user_id = u.id WHERE u.role = 'inspector' ORDER BY u.email").all() as { id: string; email: string }[]).find(
          (u) => !teamIds.has(u.id),
        )!.email,
    );
    const [onTeam, outsider] = await Promise.all([freshPage(browser), freshPage(browser)]);
    try {
      // Both sign in at once: a sign-in is a deliberately slow password hash.
      await Promise.all([signInThroughPage(onTeam.page, server.url, newLead.email), signInThroughPage(outsider.page, server.url, outsiderEmail)]);

      {
        const { page, errors } = onTeam;
        expect(new URL(page.url()).pathname).toBe("/my-visits");
        await expect.poll(() => heading(page)).toBe("My visits");
        const link = page.locator(`a[href="/visits/${visit.id}"]`);
        await expect(link.count()).resolves.toBe(1);
        const row = page.locator("tr", { has: link });
        await expect(row.textContent()).resolves.toContain(`${trustName} (${visit.trust_code})`);
        await expect(row.textContent()).resolves.toContain(`Lead: ${newLead.name}`);
        await expectNoSeriousAxeViolations(page);

        await link.click();
        await page.waitForURL(new RegExp(`/visits/${visit.id}$`));
        await expect.poll(() => heading(page)).toBe(trustName);
        await expect(page.locator(".govuk-summary-list").textContent()).resolves.toContain(`${newLead.name} (lead)`);
        // What only programme leads see is not there.
        await expect(page.getByText("Why this date and team").count()).resolves.toBe(0);
        await expect(page.getByRole("button", { name: "Change the date or team" }).count()).resolves.toBe(0);
        await expect(page.getByRole("link", { name: "Back to my visits" }).isVisible()).resolves.toBe(true);
        await expectNoSeriousAxeViolations(page);

        // Their own profile, linked from My visits.
        await page.getByRole("link", { name: "Back to my visits" }).click();
        await page.waitForURL(/\/my-visits$/);
        await page.getByRole("link", { name: "Your profile, leave and conflicts of interest" }).click();
        await page.waitForURL(new RegExp(`/inspectors/${newLead.id}$`));
        await expect.poll(() => heading(page)).toBe(newLead.name);
        await expectNoSeriousAxeViolations(page);
        expect(errors).toEqual([]);
      }

      {
        const { page, errors } = outsider;
        expect(new URL(page.url()).pathname).toBe("/my-visits");
        await expect.poll(() => heading(page)).toBe("My visits");
        await expect(page.locator(`a[href="/visits/${visit.id}"]`).count()).resolves.toBe(0);
        expect(await page.content()).not.toContain(visit.id);

        for (const address of [`/visits/${visit.id}`, `/visits/${visit.id}/change`, `/selection/${roundId}/schedule`]) {
          const response = await page.goto(server.url + address);
          expect(response?.status(), address).toBe(404);
          await expect(heading(page), address).resolves.toBe("Page not found");
          const html = await page.content();
          expect(html, address).not.toContain(trustName);
          expect(html, address).not.toContain(visit.visit_date);
        }
        // The 404s asked for on purpose may be logged by the browser; nothing else may be.
        expect(unexpected(errors, 404)).toEqual([]);
      }
    } finally {
      await Promise.all([onTeam.context.close(), outsider.context.close()]);
    }
  });
});

describe("without JavaScript", () => {
  it("a programme lead opens and draws a round, plans teams of 3, accepts, and changes a visit", async () => {
    const { context, page, errors } = await freshPage(browser, { javaScriptEnabled: false });
    try {
      const period = nextFreePeriod();
      await signInThroughPage(page, server.url, "lead@deepdive.test");
      const id = await openAndDrawThroughPages(page, "No-script scheduling", period, "3");
      await page.getByRole("link", { name: "Plan and see the visits for this round" }).click();
      await page.waitForURL(new RegExp(`/selection/${id}/schedule$`));

      await page.getByLabel("3 (a lead and two members)").check();
      await page.getByRole("button", { name: "Plan visits" }).click();
      await page.waitForURL(/\/schedule\?done=planned$/);
      expect(await banner(page)).toContain("Visits planned");
      const planned = visitsOf(id);
      expect(planned.length).toBeGreaterThan(0);
      expect(planned.every((v) => v.status === "proposed")).toBe(true);
      const rows = visitsTable(page).locator("tbody tr");
      expect(await rows.count()).toBe(planned.length);
      for (const v of planned) expect(await rows.filter({ has: page.locator(`a[href="/visits/${v.id}"]`) }).locator("td").nth(1).locator("li").count()).toBe(3);

      await page.getByRole("link", { name: "Month calendar" }).click();
      await page.waitForURL(/\?view=calendar$/);
      for (const v of planned) expect(await page.locator(`table.app-month-calendar a[href="/visits/${v.id}"]`).count()).toBe(1);

      // Accepted from the calendar view: the actions are on both.
      await page.getByRole("button", { name: "Accept the schedule" }).click();
      await page.waitForURL(/\/schedule\?done=accepted$/);
      expect(await banner(page)).toContain("Schedule accepted");
      expect(visitsOf(id).every((v) => v.status === "scheduled")).toBe(true);

      const visit = visitsOf(id)[0]!;
      const team = teamOf(visit.id);
      const teamLead = team.find((m) => m.role === "lead")!;
      await page.locator(`a[href="/visits/${visit.id}/change"]`).click();
      await page.waitForURL(new RegExp(`/visits/${visit.id}/change$`));
      const [first, second] = [await page.getByLabel("Team member", { exact: true }).inputValue(), await page.getByLabel("Second team member (optional)").inputValue()];
      expect(new Set([teamLead.id, first, second])).toEqual(new Set(team.map((m) => m.id)));

      await fillDate(page, "Date of the visit", dateBoxes(saturdayNear(visit.visit_date, period)));
      await page.getByLabel("Reason for the change").fill("Trying a weekend");
      const refused = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/visits/${visit.id}/change`));
      await page.getByRole("button", { name: "Save the change" }).click();
      expect((await refused).status()).toBe(400);
      await page.waitForSelector(".govuk-error-summary");
      expect(await errorSummary(page)).toContain("not a working day");
      expect(visitById(visit.id)).toEqual(visit);

      // The form keeps what was typed; put the date back and swap the lead with the first member.
      expect(await page.getByLabel("Reason for the change").inputValue()).toBe("Trying a weekend");
      await fillDate(page, "Date of the visit", dateBoxes(visit.visit_date));
      await page.getByLabel("Lead inspector").selectOption(first);
      await page.getByLabel("Team member", { exact: true }).selectOption(teamLead.id);
      expect(await page.getByLabel("Second team member (optional)").inputValue()).toBe(second);
      await page.getByRole("button", { name: "Check the rules without saving" }).click();
      await page.waitForSelector("#check-result");
      expect(await page.locator("#check-result").textContent()).toContain("This change keeps every rule");
      await page.getByLabel("Reason for the change").fill("Swap the lead");
      await page.getByRole("button", { name: "Save the change" }).click();
      await page.waitForURL(/\/change\?done=changed$/);
      expect(await banner(page)).toContain("Visit changed");
      expect(visitById(visit.id).version).toBe(visit.version + 1);
      expect(teamOf(visit.id).find((m) => m.role === "lead")!.id).toBe(first);
      expect(unexpected(errors, 400)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("a trust user whose trust gets scheduled", () => {
  it("reads the same portal before and after, and gets 404 at the visit's and the schedule's addresses", async () => {
    const { trustCode } = addTrustUserForUnscheduledTrust(server.databaseFile, "trust.browser@deepdive.test");

    const { context, page, errors } = await freshPage(browser);
    try {
      // Both sign in at once: a sign-in is a deliberately slow password hash.
      const [lead] = await Promise.all([signedIn(server.url, "lead@deepdive.test"), signInThroughPage(page, server.url, "trust.browser@deepdive.test")]);
      expect(new URL(page.url()).pathname).toBe("/portal");
      await expect.poll(() => page.locator("main .govuk-caption-l").textContent()).toBe(trustCode);
      const before = { text: await page.locator("main").innerText(), title: await page.title(), nav: await page.getByRole("navigation", { name: "Menu" }).innerText() };
      const noSuchVisit = await page.goto(`${server.url}/visits/00000000-0000-4000-8000-000000000000`);
      expect(noSuchVisit?.status()).toBe(404);
      const notFoundText = await page.locator("main").innerText();

      // The lead schedules the trust: a round with it (added by hand if the draw missed it), planned and accepted.
      const { start, end } = nextFreePeriod();
      const [[startDay, startMonth, startYear], [endDay, endMonth, endYear]] = [dateBoxes(start), dateBoxes(end)];
      const opened = await lead.post("/selection/new", {
        name: "Surprise in the browser",
        ...{ periodStartDay: startDay, periodStartMonth: startMonth, periodStartYear: startYear },
        ...{ periodEndDay: endDay, periodEndMonth: endMonth, periodEndYear: endYear },
        capacity: "2",
        minMonthsSinceInspection: "0",
      });
      const roundId = /^\/selection\/([0-9a-f-]{36})/.exec(opened.headers.get("location") ?? "")![1]!;
      expect((await lead.post(`/selection/${roundId}`, { intent: "draw" })).status).toBe(302);
      const picked = withSqlite((db) => db.prepare("SELECT 1 FROM selection_picks WHERE round_id = ? AND trust_code = ?").get(roundId, trustCode));
      if (!picked) expect((await lead.post(`/selection/${roundId}`, { intent: "add", addTrustCode: trustCode, addReason: "Surprise check" })).status).toBe(302);
      expect((await lead.post(`/selection/${roundId}/schedule`, { intent: "plan", teamSize: "2" })).status).toBe(302);
      expect((await lead.post(`/selection/${roundId}/schedule`, { intent: "accept" })).status).toBe(302);
      const visit = visitsOf(roundId).find((v) => v.trust_code === trustCode);
      expect(visit?.status).toBe("scheduled");

      await page.goto(`${server.url}/portal`);
      await expect.poll(() => page.locator("main .govuk-caption-l").textContent()).toBe(trustCode);
      const after = { text: await page.locator("main").innerText(), title: await page.title(), nav: await page.getByRole("navigation", { name: "Menu" }).innerText() };
      expect(after).toEqual(before);

      for (const address of [`/visits/${visit!.id}`, `/visits/${visit!.id}/change`, `/selection/${roundId}/schedule`, `/selection/${roundId}/schedule?view=calendar`]) {
        const response = await page.goto(server.url + address);
        expect(response?.status(), address).toBe(404);
        await expect(heading(page), address).resolves.toBe("Page not found");
        // Exactly what an address with no visit behind it shows.
        expect(await page.locator("main").innerText(), address).toBe(notFoundText);
        expect(await page.content(), address).not.toContain(visit!.visit_date);
      }
      expect(unexpected(errors, 404)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
