/**
 * The finding form in a real browser (issue 5): the rating derived from the indicators shown live as they are ticked
 * (a polite live region), the rating radios following it unless the inspector overrides it (and then the reason is
 * marked as needed, and the server refuses the save without one); and a whole section recorded on the section page
 * with the keyboard alone (Tab, Shift+Tab, Space, typing, Enter; no mouse), each criterion saved on its own and on
 * the server, what was typed in another criterion's form kept across a save, and axe-core clean.
 *
 * The shipped CAF has no indicators, so a small framework with CAF-scale indicators (and a Cyber Essentials-style
 * requirement) is loaded here, and an inspection against it is made through the domain functions for a trust
 * nobody has visited (a visit inserted here, with its team), so nothing depends on the demo inspections.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../app/audit/audit.server";
import { loadFrameworkFile } from "../../app/baseline/frameworks.server";
import { openDatabase, type Db } from "../../app/db.server";
import { createInspection, recordArrival } from "../../app/inspections/inspections.server";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
let db: Db;

const FRAMEWORK = "sections-browser-test";
const caf = (id: string, title: string, indicators: [string, "achieved" | "partially_achieved" | "not_achieved", string][]) => ({
  id,
  title,
  goodLooksLike: `What good looks like for ${title.toLowerCase()}.`,
  evidence: `The evidence to seek for ${title.toLowerCase()}.`,
  indicators: indicators.map(([code, level, text]) => ({ id: code, level, text })),
});
const FILE = JSON.stringify({
  format: "deep-dive-framework/1",
  framework: FRAMEWORK,
  version: "1",
  title: "Browser test framework",
  source: "Written for Deep Dive's browser tests.",
  sections: [
    {
      id: "G",
      title: "Governance",
      criteria: [
        caf("G1", "Board ownership", [
          ["G1-A1", "achieved", "A named executive director is accountable for cyber risk."],
          ["G1-A2", "achieved", "The board discusses cyber risk at least twice a year."],
          ["G1-P1", "partially_achieved", "An accountable executive is named but the board is not briefed."],
          ["G1-N1", "not_achieved", "No one at board level is accountable for cyber risk."],
        ]),
      ],
    },
    {
      id: "R",
      title: "Risk",
      criteria: [
        caf("R1", "Risk register", [
          ["R1-A1", "achieved", "Cyber risks are on the corporate risk register."],
          ["R1-A2", "achieved", "Each cyber risk has an owner and a review date."],
          ["R1-N1", "not_achieved", "Cyber risks are not recorded anywhere."],
        ]),
        caf("R2", "Risk appetite", [
          ["R2-A1", "achieved", "The board has set a cyber risk appetite and uses it."],
          ["R2-P1", "partially_achieved", "A risk appetite exists but decisions do not refer to it."],
          ["R2-N1", "not_achieved", "There is no cyber risk appetite."],
        ]),
      ],
    },
    {
      id: "T",
      title: "Technical controls",
      criteria: [
        {
          ...caf("T1", "Firewalls", [
            ["T1-1", "achieved", "Inbound connections are blocked unless approved."],
            ["T1-2", "achieved", "No firewall still has its default administrator password."],
          ]),
          scale: "met",
        },
      ],
    },
  ],
  profiles: [{ id: "standard", name: "Standard", description: "What the test expects.", minimums: { G1: "partially_achieved", R1: "achieved", R2: "achieved", T1: "achieved" } }],
});

const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;
const criterionId = (code: string) =>
  one<{ id: number }>("SELECT c.id FROM framework_criteria c JOIN framework_versions v ON v.id = c.framework_version_id WHERE v.framework = ? AND c.code = ?", FRAMEWORK, code).id;
const sectionId = (code: string) =>
  one<{ id: number }>("SELECT s.id FROM framework_sections s JOIN framework_versions v ON v.id = s.framework_version_id WHERE v.framework = ? AND s.code = ?", FRAMEWORK, code).id;
const findingOf = (inspectionId: string, code: string) =>
  one<{ rating: string; derived_rating: string | null; override_reason: string; observed: string; version: number; updated_by: string }>(
    "SELECT * FROM findings WHERE inspection_id = ? AND criterion_id = ?",
    inspectionId,
    criterionId(code),
  );
const userId = (email: string) => one<{ id: string }>("SELECT id FROM users WHERE email = ?", email).id;

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`, as a person would. */
async function tabTo(page: Page, selector: string, key: "Tab" | "Shift+Tab" = "Tab") {
  for (let i = 0; i < 250; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${selector}`);
}

/** Waits until the form's autosave has nothing left to do: its hidden version is the finding's version on the server. */
async function settled(page: Page, inspectionId: string, code: string) {
  await expect
    .poll(async () => (await page.locator('#finding-form input[name="baseVersion"]').inputValue()) === String(findingOf(inspectionId, code).version), { timeout: 10_000 })
    .toBe(true);
  await expect.poll(() => page.locator("#autosave-status").textContent(), { timeout: 10_000 }).toMatch(/^Saved \d\d:\d\d$/);
}

const checked = (page: Page, selector: string) => page.locator(`${selector} input[name="rating"]:checked`).getAttribute("value");

describe("the finding form in a browser: the derived rating live, and a section recorded with the keyboard", () => {
  let inspectionId = "";
  const member = "inspector9@deepdive.test";
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    db = openDatabase(server.databaseFile);
    const admin: Actor = { userId: userId("admin@deepdive.test"), label: "admin@deepdive.test", clientAddress: null };
    loadFrameworkFile(FILE, "sections-browser-test.json", admin, db);
    const trust = one<{ code: string }>(
      `SELECT ods_code AS code FROM trusts WHERE closed_on IS NULL
         AND ods_code NOT IN (SELECT trust_code FROM visits) AND ods_code NOT IN (SELECT trust_code FROM inspections)
       ORDER BY ods_code LIMIT 1`,
    ).code;
    const lead: Actor = { userId: userId("inspector8@deepdive.test"), label: "inspector8@deepdive.test", clientAddress: null };
    const roundId = randomUUID();
    db.$client
      .prepare(
        `INSERT INTO selection_rounds (id, name, period_start, period_end, capacity, min_months_since_inspection, validation_share, seed, commitment, status, created_by)
         VALUES (?, 'Browser sections test', '2026-01-01', '2026-12-31', 1, 0, 0, ?, ?, 'closed', ?)`,
      )
      .run(roundId, randomBytes(32).toString("hex"), randomBytes(32).toString("hex"), userId("lead@deepdive.test"));
    const visitId = randomUUID();
    db.$client.prepare("INSERT INTO visits (id, round_id, trust_code, visit_date, status) VALUES (?, ?, ?, '2026-03-10', 'scheduled')").run(visitId, roundId, trust);
    db.$client.prepare("INSERT INTO visit_team_members (visit_id, inspector_id, role) VALUES (?, ?, 'lead'), (?, ?, 'member')").run(visitId, lead.userId, visitId, userId(member));
    const version = one<{ versionId: number; profileId: number }>(
      "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = ?",
      FRAMEWORK,
    );
    inspectionId = createInspection(visitId, [{ frameworkVersionId: version.versionId, profileId: version.profileId }], lead, db);
    recordArrival(inspectionId, lead, db);
    ({ context, page, errors } = await freshPage(browser));
    await signInThroughPage(page, server.url, member);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    db?.$client.close();
    await server?.stop();
  });

  it("shows the rating the indicators give as they are ticked; the rating follows it unless overridden, and an override needs a reason", async () => {
    await page.goto(`${server.url}/inspections/${inspectionId}/criteria/${criterionId("G1")}`);
    const live = page.locator("#derived-rating");
    await expect(live.getAttribute("aria-live")).resolves.toBe("polite");
    await expect.poll(() => live.textContent()).toContain("Derived from the indicators: nothing yet");
    // Once the page's script runs, the hint says the rating follows the indicators.
    await expect.poll(() => page.locator("#rating-hint").textContent()).toContain("The rating follows the indicators as you tick them");
    await expect(checked(page, "#finding-form")).resolves.toBe("");

    const indicator = (code: string) => page.locator(`#finding-form input[name="indicator"][value="${code}"]`);
    await indicator("G1-A1").check();
    await expect.poll(() => live.textContent()).toContain("nothing yet");
    await indicator("G1-A2").check();
    await expect.poll(() => live.textContent()).toBe("Derived from the indicators: Achieved");
    await expect(checked(page, "#finding-form")).resolves.toBe("achieved");
    await indicator("G1-N1").check();
    await expect.poll(() => live.textContent()).toBe("Derived from the indicators: Not achieved");
    await expect(checked(page, "#finding-form")).resolves.toBe("not_achieved");
    await indicator("G1-N1").uncheck();
    await expect.poll(() => live.textContent()).toBe("Derived from the indicators: Achieved");
    await expect(checked(page, "#finding-form")).resolves.toBe("achieved");
    // Autosaved as the indicators give it: not an override.
    await expect.poll(() => page.locator("#autosave-status").textContent(), { timeout: 10_000 }).toMatch(/^Saved \d\d:\d\d$/);
    await expect.poll(() => findingOf(inspectionId, "G1"), { timeout: 10_000 }).toMatchObject({ rating: "achieved", derived_rating: "achieved", override_reason: "" });
    await settled(page, inspectionId, "G1");
    const followed = findingOf(inspectionId, "G1");

    // Choosing another rating overrides the indicators: the radios no longer follow them, and a reason is needed.
    await page.getByLabel("Partially achieved", { exact: true }).check();
    const reason = page.getByLabel("Reason for a rating other than the one the answers give");
    await expect.poll(() => page.locator("#overrideReason-hint").textContent()).toContain("Needed: the indicators give Achieved and you chose Partially achieved");
    await expect(reason.getAttribute("aria-required")).resolves.toBe("true");
    await indicator("G1-N1").check();
    await expect.poll(() => live.textContent()).toBe("Derived from the indicators: Not achieved");
    await expect(checked(page, "#finding-form")).resolves.toBe("partially_achieved");
    await expect.poll(() => page.locator("#overrideReason-hint").textContent()).toContain("Needed: the indicators give Not achieved and you chose Partially achieved");
    // Without a reason the server refuses it (the autosave says so), and nothing is saved.
    await expect.poll(() => page.locator("#autosave-status").textContent(), { timeout: 10_000 }).toContain("Not saved");
    await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain("The indicators give Not achieved: give a reason to rate it differently");
    expect(findingOf(inspectionId, "G1")).toEqual(followed);
    await reason.fill("The named executive left last month; an interim is in post and briefs the board.");
    await expect.poll(() => page.locator("#autosave-status").textContent(), { timeout: 10_000 }).toMatch(/^Saved \d\d:\d\d$/);
    await expect.poll(() => findingOf(inspectionId, "G1"), { timeout: 10_000 }).toMatchObject({
      rating: "partially_achieved",
      derived_rating: "not_achieved",
      override_reason: "The named executive left last month; an interim is in post and briefs the board.",
    });

    // "As the answers give it" gives up the override: the rating follows the indicators again (so the check moves
    // straight on to the rating they give, which is why this is a click and not a check).
    await page.getByLabel("As the answers give it").click();
    await expect(checked(page, "#finding-form")).resolves.toBe("not_achieved");
    await expect.poll(() => page.locator("#overrideReason-hint").textContent()).toContain("Only needed when you override");
    await expect(reason.getAttribute("aria-required")).resolves.toBeNull();
    // Saved as the indicators give it; the reason, no longer needed, is not kept.
    await expect.poll(() => findingOf(inspectionId, "G1"), { timeout: 10_000 }).toMatchObject({ rating: "not_achieved", derived_rating: "not_achieved", override_reason: "" });
    await settled(page, inspectionId, "G1");

    // A Cyber Essentials-style requirement: Met and Not met answers, the rating Met or Not met.
    await page.goto(`${server.url}/inspections/${inspectionId}/criteria/${criterionId("T1")}`);
    await expect.poll(() => page.locator("#derived-rating").textContent()).toContain("Derived from the requirements: nothing yet");
    await page.locator("#met-T1-1-met").check();
    await page.locator("#met-T1-2-met").check();
    await expect.poll(() => page.locator("#derived-rating").textContent()).toBe("Derived from the requirements: Met");
    await expect(checked(page, "#finding-form")).resolves.toBe("achieved");
    await page.locator("#met-T1-2-not_met").check();
    await expect.poll(() => page.locator("#derived-rating").textContent()).toBe("Derived from the requirements: Not met");
    await expect(checked(page, "#finding-form")).resolves.toBe("not_achieved");
    await expectNoSeriousAxeViolations(page);
    await expect.poll(() => findingOf(inspectionId, "T1"), { timeout: 10_000 }).toMatchObject({ rating: "not_achieved", derived_rating: "not_achieved" });
    await settled(page, inspectionId, "T1");
    expect(errors.filter((e) => !e.includes("status of 400 ("))).toEqual([]);
  });

  it("records a whole section with the keyboard alone, each criterion saved on its own, and passes axe", async () => {
    errors.length = 0;
    const [r1, r2] = [criterionId("R1"), criterionId("R2")];
    await page.goto(`${server.url}/inspections/${inspectionId}/sections/${sectionId("R")}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("R Risk");
    // Wait for the page's script (the hint changes when it runs), then check the page as it first is.
    await expect.poll(() => page.locator(`#c${r1}-rating-hint`).textContent()).toContain("follows the indicators");
    await expectNoSeriousAxeViolations(page);

    // R1: tick both achieved indicators (Space), say what was seen.
    await tabTo(page, `#c${r1}-indicator`);
    await page.keyboard.press("Space");
    await tabTo(page, `[id="c${r1}-indicator-R1-A2"]`);
    await page.keyboard.press("Space");
    await expect.poll(() => page.locator(`#c${r1}-derived-rating`).textContent()).toBe("Derived from the indicators: Achieved");
    await expect(checked(page, `#finding-form-${r1}`)).resolves.toBe("achieved");
    await tabTo(page, `#c${r1}-observed`);
    await page.keyboard.type("Eleven cyber risks on the corporate register, each with an owner.");
    // A note in R2 before R1 is saved: saving R1 must not lose it.
    await tabTo(page, `#c${r2}-observed`);
    await page.keyboard.type("Appetite statement seen");
    // Back to R1's Save button, and Enter.
    await tabTo(page, `#finding-form-${r1} button[name="then"]`, "Shift+Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toContain(`?saved=${r1}#criterion-${r2}`);
    await expect.poll(() => page.locator(".govuk-notification-banner").textContent()).toContain("R1 saved at");
    expect(findingOf(inspectionId, "R1")).toMatchObject({
      rating: "achieved",
      derived_rating: "achieved",
      observed: "Eleven cyber risks on the corporate register, each with an owner.",
      version: 1,
      updated_by: userId(member),
    });
    // The page goes on at R2 (its heading has the focus), and R2's form still holds the note.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`criterion-${r2}`);
    await expect(page.locator(`#c${r2}-observed`).inputValue()).resolves.toBe("Appetite statement seen");
    expect(findingOf(inspectionId, "R2").version).toBe(0);

    // R2: the partially achieved indicator, more text, Save.
    await tabTo(page, `[id="c${r2}-indicator-R2-P1"]`);
    await page.keyboard.press("Space");
    await expect.poll(() => page.locator(`#c${r2}-derived-rating`).textContent()).toBe("Derived from the indicators: Partially achieved");
    await tabTo(page, `#c${r2}-observed`);
    await page.keyboard.press("End");
    await page.keyboard.type(", but no decision refers to it.");
    await tabTo(page, `#finding-form-${r2} button[name="then"]`);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toContain(`?saved=${r2}#criterion-${r2}`);
    await expect.poll(() => page.locator(".govuk-notification-banner").textContent()).toContain("R2 saved at");
    expect(findingOf(inspectionId, "R2")).toMatchObject({
      rating: "partially_achieved",
      derived_rating: "partially_achieved",
      observed: "Appetite statement seen, but no decision refers to it.",
      version: 1,
      updated_by: userId(member),
    });
    expect(findingOf(inspectionId, "R1").version).toBe(1);
    // The section as saved: progress, both ratings, and still no serious accessibility problem.
    await expect(page.locator(".govuk-summary-list").first().textContent()).resolves.toContain("2 of 2 criteria assessed, 1 gap against the profile");
    await expectNoSeriousAxeViolations(page);
    expect(errors).toEqual([]);
  });
});
