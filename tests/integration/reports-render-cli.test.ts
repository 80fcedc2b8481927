/**
 * `npm run reports:render -- --all --out DIR`, run as an operator would (tsx, DATABASE_PATH) against copies of the
 * demo database, whose reports were published through publication (db/demo-reports.server.ts).
 *
 * - Every published version is rendered again into DIR under the server's name, byte for byte as published; RRU's
 *   version 1, superseded by a correction that changed a finding, is reported as differing, and is not a failure:
 *   exit 0.
 * - A latest version whose recorded hash is not what it renders to (stored as publication stores a version, with
 *   another hash) is reported as differing: exit 1.
 * - Wrong arguments: exit 2 with the usage.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportVersions } from "../../db/schema";
import { openDatabase, writeTransaction, type Db } from "../../app/db.server";
import { reportFileName } from "../../app/reports/filename";
import { renderReportPdf } from "../../app/reports/render.server";
import { copyTemplateDatabase, useFreshDatabase } from "../support/database";
import { runScript } from "../support/scripts";

const runCli = (databaseFile: string, args: string[]) => runScript("reports-render", databaseFile, args);

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Output folders made by the tests, removed at the end. */
const made: string[] = [];
const outputFolder = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "deep-dive-reports-"));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

interface Published {
  inspectionId: string;
  trustCode: string;
  visitDate: string;
  version: number;
  pdf: Buffer;
  sha256: string;
  /** A later version of the same report exists. */
  superseded: number;
}

/** The demo's published report versions (RJ1's two reports, RRU's two versions), with the server's file names. */
function publishedVersions(db: Db): (Published & { name: string })[] {
  const rows = db.$client
    .prepare(
      `SELECT r.inspection_id AS inspectionId, i.trust_code AS trustCode, v.visit_date AS visitDate, r.version, r.pdf, r.sha256,
              EXISTS (SELECT 1 FROM report_versions l WHERE l.inspection_id = r.inspection_id AND l.version > r.version) AS superseded
         FROM report_versions r JOIN inspections i ON i.id = r.inspection_id JOIN visits v ON v.id = i.visit_id ORDER BY i.trust_code, v.visit_date, r.version`,
    )
    .all() as Published[];
  return rows.map((r) => ({ ...r, name: reportFileName({ odsCode: r.trustCode, visitDate: r.visitDate, version: r.version, draft: false }) }));
}

/** Stores a version as publication does (rendered once, with its SHA-256), or, to fake a change, with another hash. */
async function publish(db: Db, inspectionId: string, version: number, publishedAt: string, recordedHash?: string) {
  const publishedBy = (db.$client.prepare("SELECT id FROM users WHERE email = 'lead@deepdive.test'").get() as { id: string }).id;
  const pdf = await renderReportPdf(inspectionId, { version, publishedAt, draft: false }, db);
  writeTransaction(
    (tx) =>
      tx
        .insert(reportVersions)
        .values({ id: randomUUID(), inspectionId, version, pdf, sha256: recordedHash ?? sha256(pdf), sizeBytes: pdf.length, publishedAt, publishedBy, changeNote: "Corrected" })
        .run(),
    db,
  );
}

describe("npm run reports:render -- --all --out DIR", () => {
  let file: string;
  let published: ReturnType<typeof publishedVersions>;

  beforeAll(() => {
    let db: Db;
    ({ file, db } = useFreshDatabase());
    published = publishedVersions(db);
    db.$client.close();
  });

  it("renders every published demo version again into DIR, under the server's names, byte for byte as published", async () => {
    // RJ1's two reports, and RRU's report with its correction: version 1 is superseded and its finding corrected since.
    expect(published.map((p) => [p.trustCode, p.version, p.superseded])).toEqual([
      ["RJ1", 1, 0],
      ["RJ1", 1, 0],
      ["RRU", 1, 1],
      ["RRU", 2, 0],
    ]);
    const out = path.join(outputFolder(), "out");
    const run = await runCli(file, ["--all", "--out", out]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(published.map((r) => r.name).sort());
    for (const r of published.filter((p) => !p.superseded)) {
      expect(readFileSync(path.join(out, r.name)).equals(r.pdf), r.name).toBe(true);
      expect(run.stdout).toContain(`${r.name}: matches the published SHA-256 ${r.sha256}`);
    }
    const superseded = published.find((p) => p.superseded)!;
    expect(run.stdout).toContain(`${superseded.name}: differs from the published version (superseded by version 2`);
    expect(run.stdout).toContain("Rendered 4 of 4: 3 match, 0 latest versions differ, 1 superseded version differs (expected after a correction), 0 failed.");
  }, 180_000);

  it("reports a latest version that differs from what was published, and exits 1", async () => {
    const copy = copyTemplateDatabase();
    const other = openDatabase(copy);
    const [first] = publishedVersions(other);
    try {
      // RJ1's first report gets a version 2 recorded with a hash it does not render to.
      await publish(other, first!.inspectionId, 2, "2026-02-10T09:00:00.000Z", "f".repeat(64));
      other.$client.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      other.$client.close();
    }
    const out = outputFolder();
    const run = await runCli(copy, ["--all", "--out", out]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const secondName = reportFileName({ odsCode: first!.trustCode, visitDate: first!.visitDate, version: 2, draft: false });
    expect(run.stdout).toContain(`${secondName}: DIFFERS from the published version: published ${"f".repeat(64)}`);
    // Its version 1, now superseded, still renders as published: nothing in its findings changed.
    expect(run.stdout).toContain(`${first!.name}: matches the published SHA-256 ${first!.sha256}`);
    expect(run.stdout).toContain("Rendered 5 of 5: 3 match, 1 latest version differs, 1 superseded version differs (expected after a correction), 0 failed.");
    expect(readdirSync(out)).toHaveLength(5);
  }, 180_000);

  it("refuses wrong arguments with the usage, and exits 2", async () => {
    const run = await runCli(file, ["--out", "somewhere"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Say which reports: --all");
    expect(run.stderr).toContain("Usage: npm run reports:render -- --all --out DIR");
    const unknown = await runCli(file, ["--all", "--out", "x", "--everything"]);
    expect(unknown.code).toBe(2);
  }, 60_000);
});
