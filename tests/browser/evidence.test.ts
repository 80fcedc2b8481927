/**
 * Evidence files in a real browser: with JavaScript, the upload form sends the file's last-modified time as its
 * capture time (shown in London time); without JavaScript the same form still uploads (the capture time is then the
 * upload time) and the Remove button still removes; a refused file is reported at the file field; the page logs no
 * error, and axe finds no serious violation with files listed or with a refusal.
 *
 * The inspection is set up over HTTP as in tests/integration/evidence.test.ts.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, freshPage, launchBrowser, signInThroughPage } from "../support/browser";
import { signedIn } from "../support/http";
import { png } from "../support/png";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;

const one = <T>(query: string, ...params: unknown[]): T => {
  const db = new Database(server.databaseFile);
  try {
    return db.prepare(query).get(...params) as T;
  } finally {
    db.close();
  }
};

describe("evidence files in the browser", () => {
  let member = "";
  let criterionUrl = "";
  let findingId = "";
  const files = mkdtempSync(path.join(tmpdir(), "deep-dive-evidence-"));

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const visit = one<{ id: string; lead: string; member: string }>(
      `SELECT v.id,
              (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'lead') AS lead,
              (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'member' ORDER BY u.email LIMIT 1) AS member
         FROM visits v
        WHERE v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
          AND (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) = 2
        ORDER BY v.visit_date, v.trust_code LIMIT 1`,
    );
    member = visit.member;
    const lead = await signedIn(server.url, visit.lead);
    const cep = one<{ versionId: number; profileId: number }>(
      "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = 'cyber-essentials-plus' AND p.code = 'all-met'",
    );
    const created = await lead.post(`/inspections/new?visit=${visit.id}`, { [`profile-${cep.versionId}`]: String(cep.profileId) });
    const inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect((await lead.post(`/inspections/${inspectionId}`, { intent: "arrive" })).status).toBe(302);
    const finding = one<{ id: string; criterionId: number }>("SELECT id, criterion_id AS criterionId FROM findings WHERE inspection_id = ? ORDER BY criterion_id LIMIT 1", inspectionId);
    findingId = finding.id;
    criterionUrl = `${server.url}/inspections/${inspectionId}/criteria/${finding.criterionId}`;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(files, { recursive: true, force: true });
  });

  it("with JavaScript, the file's last-modified time is its capture time; a refusal is shown at the field", async () => {
    const photo = path.join(files, "Patch cabinet.png");
    writeFileSync(photo, png(10, 200, 10));
    // Taken on 14 March 2026 at 14:05 UTC (GMT then: 2:05pm in London).
    const taken = new Date("2026-03-14T14:05:00Z");
    utimesSync(photo, taken, taken);
    const { context, page, errors } = await freshPage(browser);
    try {
      await signInThroughPage(page, server.url, member);
      await page.goto(criterionUrl);
      await page.getByLabel("Add an evidence file").setInputFiles(photo);
      await page.getByRole("button", { name: "Upload the file" }).click();
      await page.waitForURL((url) => url.searchParams.get("evidence") === "uploaded");
      const section = page.locator("#evidence");
      await expect(section.textContent()).resolves.toContain("Evidence file added");
      await expect(section.getByRole("link", { name: "Patch cabinet.png" }).getAttribute("href")).resolves.toMatch(/\/evidence\/[0-9a-f-]{36}$/);
      await expect(section.textContent()).resolves.toContain("14 March 2026, 2:05pm");
      const row = one<{ capturedAt: string }>("SELECT captured_at AS capturedAt FROM evidence_files WHERE finding_id = ? AND original_name = 'Patch cabinet.png'", findingId);
      expect(row.capturedAt).toBe("2026-03-14T14:05:00.000Z");
      await expectNoSeriousAxeViolations(page);

      // A web page saved as .png is refused, at the file field.
      const disguised = path.join(files, "invoice.png");
      writeFileSync(disguised, "<html><body onload=alert(1)>Pay now</body></html>");
      await page.getByLabel("Add an evidence file").setInputFiles(disguised);
      await page.getByRole("button", { name: "Upload the file" }).click();
      await page.waitForURL((url) => url.searchParams.get("evidence") === "markup");
      await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain("The selected file is a web page or markup");
      await expect(page.locator("#evidence-file-error").textContent()).resolves.toContain("The selected file is a web page or markup");
      await expectNoSeriousAxeViolations(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("without JavaScript, the form still uploads (captured when uploaded) and Remove still removes", async () => {
    const scan = path.join(files, "policy.pdf");
    writeFileSync(scan, "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
    utimesSync(scan, new Date("2025-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z"));
    const { context, page } = await freshPage(browser, { javaScriptEnabled: false });
    try {
      await signInThroughPage(page, server.url, member);
      await page.goto(criterionUrl);
      await page.getByLabel("Add an evidence file").setInputFiles(scan);
      await page.getByRole("button", { name: "Upload the file" }).click();
      await page.waitForURL((url) => url.searchParams.get("evidence") === "uploaded");
      const row = one<{ id: string; capturedAt: string; uploadedAt: string; mediaType: string }>(
        "SELECT id, captured_at AS capturedAt, uploaded_at AS uploadedAt, media_type AS mediaType FROM evidence_files WHERE finding_id = ? AND original_name = 'policy.pdf'",
        findingId,
      );
      expect(row.mediaType).toBe("application/pdf");
      expect(row.capturedAt).toBe(row.uploadedAt);
      await expect(page.locator("#evidence").textContent()).resolves.toContain("when uploaded (the device gave no time)");

      await page.getByRole("button", { name: "Remove policy.pdf" }).click();
      await page.waitForURL((url) => url.searchParams.get("evidence") === "removed");
      await expect(page.locator("#evidence").textContent()).resolves.toContain("Evidence file removed");
      await expect(page.locator("#evidence").getByRole("link", { name: "policy.pdf" }).count()).resolves.toBe(0);
      expect(one<{ removedAt: string | null }>("SELECT removed_at AS removedAt FROM evidence_files WHERE id = ?", row.id).removedAt).not.toBeNull();
    } finally {
      await context.close();
    }
  });
});
