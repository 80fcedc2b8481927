/**
 * Recording findings in a real browser (issue 5): an inspector records a section with the keyboard alone (Tab,
 * typing, Space, Enter and the shortcuts Alt+1…, Alt+N, Ctrl+S); the form autosaves a moment after typing stops and
 * says "Saved 10:42" (London time), and a reload shows the text; two team members editing the same finding never
 * overwrite each other, whether the second saves with the button or by autosave (both versions shown, merged,
 * saved: nothing of either is lost); without JavaScript the Save button still saves; and axe finds no serious
 * violation on the criterion page (as it is, with errors, with a conflict) or on the inspection's overview.
 *
 * The inspection is set up over HTTP as in tests/integration/inspection-pages.test.ts: a scheduled demo visit, its
 * lead starts the inspection against both frameworks and records the team's arrival.
 */
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;

function withSqlite<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(server.databaseFile);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface FindingRow {
  id: string;
  rating: string;
  observed: string;
  evidence_people: string;
  devices_sampled: number | null;
  version: number;
  updated_at: string | null;
  updated_by: string | null;
}

const userId = (email: string) => withSqlite((db) => (db.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: string }).id);
const criterionId = (code: string) => withSqlite((db) => (db.prepare("SELECT id FROM framework_criteria WHERE code = ?").get(code) as { id: number }).id);
const findingOf = (inspectionId: string, code: string) =>
  withSqlite(
    (db) =>
      db
        .prepare("SELECT f.* FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? AND c.code = ?")
        .get(inspectionId, code) as FindingRow,
  );
const revisionsOf = (findingId: string) =>
  withSqlite((db) =>
    (db.prepare("SELECT version, content, saved_by AS savedBy FROM finding_revisions WHERE finding_id = ? ORDER BY version").all(findingId) as { version: number; content: string; savedBy: string }[]).map(
      (r) => ({ ...r, content: JSON.parse(r.content) as Record<string, unknown> }),
    ),
  );

const LONDON = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const status = (page: Page) => page.locator("#autosave-status").textContent();
const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const observed = (page: Page) => page.getByLabel("What was observed");
const hiddenVersion = (page: Page) => page.locator('#finding-form input[name="baseVersion"]').inputValue();

/** Presses Tab until the focused element matches `selector` (keyboard only, as a person would). */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 150; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Another page in a signed-in context, with what it logs as errors collected. */
async function pageIn(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

/** Messages a browser logs for a page answered with an error status on purpose; anything else logged is a fault. */
const unexpected = (errors: string[], ...statuses: number[]) => errors.filter((e) => !statuses.some((s) => e.includes(`status of ${s} (`)));

describe("recording findings in the browser: keyboard, autosave, conflicts, no JavaScript", () => {
  let inspectionId = "";
  let lead = "";
  let member = "";
  // Signed in once each (signing in is slow on purpose); each test opens its own pages.
  let memberContext: BrowserContext;
  let leadContext: BrowserContext;
  const url = (code: string) => `${server.url}/inspections/${inspectionId}/criteria/${criterionId(code)}`;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const visit = withSqlite(
      (db) =>
        db
          .prepare(
            `SELECT v.id,
                    (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'lead') AS lead,
                    (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'member' ORDER BY u.email LIMIT 1) AS member
             FROM visits v WHERE v.status = 'scheduled' AND v.trust_code <> 'RJ1' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
             ORDER BY v.visit_date, v.trust_code`,
          )
          .all() as { id: string; lead: string | null; member: string | null }[],
    ).find((v) => v.lead && v.member)!;
    lead = visit.lead!;
    member = visit.member!;
    const client = await signedIn(server.url, lead);
    const formHtml = await readPage(await client.get(`/inspections/new?visit=${visit.id}`));
    // The first profile offered for each framework (the integration test checks which they are).
    const fields: Record<string, string> = {};
    for (const [, name, options] of formHtml.matchAll(/<select[^>]*name="(profile-\d+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      fields[name!] = [...options!.matchAll(/<option[^>]*value="([^"]*)"/g)].map((m) => m[1]!).find((v) => v !== "")!;
    }
    expect(Object.keys(fields)).toHaveLength(2);
    const created = await client.post(`/inspections/new?visit=${visit.id}`, fields);
    expect(created.status).toBe(302);
    inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(created.headers.get("location") ?? "")![1]!;
    expect((await client.post(`/inspections/${inspectionId}`, { intent: "arrive" })).status).toBe(302);
    const [m, l] = await Promise.all([freshPage(browser), freshPage(browser)]);
    await Promise.all([signInThroughPage(m.page, server.url, member), signInThroughPage(l.page, server.url, lead)]);
    await Promise.all([m.page.close(), l.page.close()]);
    [memberContext, leadContext] = [m.context, l.context];
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("an inspector records three criteria with the keyboard alone (Alt+1…, typing, Alt+N, Ctrl+S, Space, Enter), and they are stored", async () => {
    const { page, errors } = await pageIn(memberContext);
    try {
      await page.goto(url("A2.a"));
      const codes: string[] = [];
      const texts = ["Risk register reviewed quarterly.", "Board minutes show cyber risk discussed twice a year.", "Third-party risk assessed at contract award only."];
      // Alt+1 Achieved, Alt+2 Partially achieved, Alt+3 Not achieved.
      const ratings = ["achieved", "partially_achieved", "not_achieved"];
      for (let i = 0; i < 3; i++) {
        const code = ((await heading(page)) ?? "").split(" ")[0]!;
        codes.push(code);
        if (i === 0) {
          // The shortcuts are listed on the page: open the details with Space.
          await tabTo(page, "#keyboard-shortcuts summary");
          await page.keyboard.press("Space");
          await expect.poll(() => page.locator("#keyboard-shortcuts").getAttribute("open")).not.toBeNull();
          await expect(page.locator("#keyboard-shortcuts").textContent()).resolves.toContain("Go to the next criterion");
        }
        await page.keyboard.press(`Alt+${i + 1}`);
        await expect.poll(() => page.locator(`input[name="rating"][value="${ratings[i]}"]`).isChecked()).toBe(true);
        await tabTo(page, "textarea#observed");
        await page.keyboard.type(texts[i]!);
        if (i < 2) {
          // Alt+N while typing: the changes are saved first, then the next criterion opens.
          const here = page.url();
          await page.keyboard.press("Alt+N");
          await expect.poll(() => page.url()).not.toBe(here);
          await expect.poll(() => heading(page)).not.toContain(code);
        } else {
          // Ctrl+S saves now, and the page stays; then Tab to Save and Enter.
          await page.keyboard.press("Control+S");
          await expect.poll(() => status(page)).toMatch(/^Saved \d\d:\d\d$/);
          await expect(observed(page).inputValue()).resolves.toBe(texts[i]);
          await page.keyboard.type(" Reviewed again.");
          await tabTo(page, 'button[name="then"][value="stay"]');
          await page.keyboard.press("Enter");
          await expect.poll(() => page.url()).toContain("?saved=this");
          await expect.poll(() => page.locator(".govuk-notification-banner").textContent()).toContain("Saved at");
        }
      }
      expect(new Set(codes).size).toBe(3);
      for (const [i, code] of codes.entries()) {
        expect(findingOf(inspectionId, code)).toMatchObject({
          rating: ratings[i],
          observed: i === 2 ? `${texts[i]} Reviewed again.` : texts[i],
          updated_by: userId(member),
        });
      }
      // Alt+P goes back, with nothing unsaved to hold it.
      await page.keyboard.press("Alt+P");
      await expect.poll(() => heading(page)).toContain(codes[1]!);
      await expect.poll(() => observed(page).inputValue()).toBe(texts[1]);
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("autosaves a moment after typing stops, shows Saved with the London time, and a reload shows the text", async () => {
    const { page, errors } = await pageIn(memberContext);
    try {
      const code = "B2.a";
      await page.goto(url(code));
      await expect.poll(() => page.getByText("Your changes are saved automatically").isVisible()).toBe(true);
      await expect(status(page)).resolves.toBe("");
      await expectNoSeriousAxeViolations(page);
      const text = "Patching within 14 days for critical vulnerabilities; two servers behind.";
      await observed(page).click();
      await page.keyboard.type(text);
      await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/^Saved \d\d:\d\d$/);
      const row = findingOf(inspectionId, code);
      expect(row).toMatchObject({ observed: text, version: 1, updated_by: userId(member) });
      expect(await status(page)).toBe(`Saved ${LONDON.format(new Date(row.updated_at!))}`);
      // The form now stands on the saved version, with a key no save has used.
      await expect(hiddenVersion(page)).resolves.toBe("1");

      // More typing: saved again, on the version before, and the page was never reloaded (the field keeps focus).
      await page.keyboard.type(" Fixed by Friday.");
      await expect.poll(() => findingOf(inspectionId, code).version, { timeout: 10_000 }).toBe(2);
      await expect.poll(() => hiddenVersion(page)).toBe("2");
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("observed");
      expect(revisionsOf(row.id).map((r) => r.content.observed)).toEqual([text, `${text} Fixed by Friday.`]);

      await page.reload();
      await expect.poll(() => observed(page).inputValue()).toBe(`${text} Fixed by Friday.`);
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("two team members on one finding: B's save meets A's autosave, B sees both, merges and saves; A's later autosave meets B's", async () => {
    const a = await pageIn(leadContext);
    const b = await pageIn(memberContext);
    try {
      const code = "B1.a";
      const finding = findingOf(inspectionId, code);
      await Promise.all([a.page.goto(url(code)), b.page.goto(url(code))]);

      const textA = "Information security policy approved by the board in March.";
      await observed(a.page).fill(textA);
      await expect.poll(() => status(a.page), { timeout: 10_000 }).toMatch(/^Saved \d\d:\d\d$/);
      expect(findingOf(inspectionId, code)).toMatchObject({ observed: textA, version: 1, updated_by: userId(lead) });

      // B, still on version 0, types and saves at once.
      const textB = "Policy not yet communicated to ward staff.";
      await observed(b.page).fill(textB);
      await b.page.getByLabel("People spoken to").fill("Ward manager, ward 4");
      await b.page.getByRole("button", { name: "Save", exact: true }).click();
      const conflict = b.page.locator("#conflict");
      await expect.poll(() => conflict.isVisible()).toBe(true);
      await expect(conflict.textContent()).resolves.toContain("Someone else saved this finding while you were working");
      const observedRow = conflict.locator("tr", { has: b.page.locator("th", { hasText: "What was observed" }) }).locator("td");
      await expect(observedRow.allTextContents()).resolves.toEqual([textA, textB]);
      expect(findingOf(inspectionId, code)).toMatchObject({ observed: textA, version: 1 });
      await expectNoSeriousAxeViolations(b.page);

      await b.page.getByRole("button", { name: "Merge the text" }).click();
      await expect.poll(() => observed(b.page).inputValue()).toBe(`${textA}\n\n${textB}`);
      await expect(b.page.getByLabel("People spoken to").inputValue()).resolves.toBe("Ward manager, ward 4");
      expect(findingOf(inspectionId, code).version).toBe(1);
      await b.page.getByRole("button", { name: "Save", exact: true }).click();
      await expect.poll(() => b.page.url()).toContain("?saved=this");
      const merged = findingOf(inspectionId, code);
      expect(merged).toMatchObject({ observed: `${textA}\n\n${textB}`, evidence_people: "Ward manager, ward 4", version: 2, updated_by: userId(member) });

      // A, still on version 1, goes on typing: the autosave meets B's save, stops, and shows both versions.
      await observed(a.page).press("End");
      await a.page.keyboard.type(" Reviewed annually.");
      await expect.poll(() => status(a.page), { timeout: 10_000 }).toContain("someone else saved this finding");
      await expect.poll(() => a.page.locator("#conflict").isVisible()).toBe(true);
      const rowA = a.page.locator("#conflict tr", { has: a.page.locator("th", { hasText: "What was observed" }) }).locator("td");
      await expect(rowA.allTextContents()).resolves.toEqual([`${textA}\n\n${textB}`, `${textA} Reviewed annually.`]);
      // What A typed stays in the form, and the form stands on B's version for A's choice.
      await expect(observed(a.page).inputValue()).resolves.toBe(`${textA} Reviewed annually.`);
      await expect(hiddenVersion(a.page)).resolves.toBe("2");
      expect(findingOf(inspectionId, code)).toEqual(merged);
      // Every save is kept, so nothing of A's or B's is lost.
      expect(revisionsOf(finding.id).map((r) => [r.version, r.content.observed, r.savedBy])).toEqual([
        [1, textA, userId(lead)],
        [2, `${textA}\n\n${textB}`, userId(member)],
      ]);
      expect(unexpected(a.errors, 409)).toEqual([]);
      expect(unexpected(b.errors, 409)).toEqual([]);
    } finally {
      await a.page.close();
      await b.page.close();
    }
  });

  it("without JavaScript the Save button still saves; errors and the overview pass axe", async () => {
    const { context, page } = await freshPage(browser, { javaScriptEnabled: false });
    const js = await pageIn(memberContext);
    try {
      const code = "B2.c";
      await signInThroughPage(page, server.url, member);
      await page.goto(url(code));
      await page.getByLabel("Achieved", { exact: true }).check();
      await observed(page).fill("Multi-factor authentication on all remote access.");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.waitForURL(/\?saved=this$/);
      await expect(page.locator(".govuk-notification-banner").textContent()).resolves.toContain("Saved at");
      await expect(status(page)).resolves.toBe("");
      expect(findingOf(inspectionId, code)).toMatchObject({ rating: "achieved", observed: "Multi-factor authentication on all remote access.", version: 1, updated_by: userId(member) });

      // With errors (more devices failing than sampled): shown as the Save button shows them, with JavaScript on.
      await js.page.goto(url("CEP-T1"));
      await js.page.getByLabel("Devices sampled").fill("10");
      await js.page.getByLabel("Devices failing").fill("12");
      await expect.poll(() => js.page.locator(".govuk-error-summary").textContent(), { timeout: 10_000 }).toContain("Devices failing cannot be more than devices sampled");
      await expect(status(js.page)).resolves.toContain("Not saved");
      expect(findingOf(inspectionId, "CEP-T1").version).toBe(0);
      await expectNoSeriousAxeViolations(js.page);

      await js.page.goto(`${server.url}/inspections/${inspectionId}`);
      await expect.poll(() => heading(js.page)).toBeTruthy();
      await expectNoSeriousAxeViolations(js.page);
      expect(unexpected(js.errors, 400)).toEqual([]);
    } finally {
      await context.close();
      await js.page.close();
    }
  });
});
