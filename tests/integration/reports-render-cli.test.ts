/**
 * `npm run reports:render -- --all --out DIR`, run as an operator would (tsx, DATABASE_PATH) against copies of the
 * demo database in which report versions were published the way publication stores them: rendered with
 * renderReportPdf and inserted with their SHA-256 through drizzle in a write transaction.
 *
 * - Every published version is rendered again into DIR under the server's name, byte for byte as published: exit 0.
 * - A latest version whose recorded hash is not what it renders to is reported as differing: exit 1.
 * - A superseded version that differs (a correction changed its findings since) is reported, and is not a failure.
 * - Wrong arguments: exit 2 with the usage.
 */
import { spawn } from "node:child_process";
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

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(databaseFile: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), [path.resolve("scripts", "reports-render.ts"), ...args], {
      env: { ...process.env, DATABASE_PATH: databaseFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

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

interface Demo {
  inspectionId: string;
  trustCode: string;
  visitDate: string;
}

/** The demo's approved inspections, and the programme lead (who publishes). */
function demo(db: Db): { inspections: Demo[]; publisher: string } {
  const inspections = db.$client
    .prepare("SELECT i.id AS inspectionId, i.trust_code AS trustCode, v.visit_date AS visitDate FROM inspections i JOIN visits v ON v.id = i.visit_id WHERE i.status = 'approved' ORDER BY i.trust_code, v.visit_date")
    .all() as Demo[];
  const publisher = (db.$client.prepare("SELECT id FROM users WHERE email = 'lead@deepdive.test'").get() as { id: string }).id;
  return { inspections, publisher };
}

/** Publishes a version as publication does: rendered once, stored with its SHA-256 (or, to fake a change, another hash). */
async function publish(db: Db, inspectionId: string, version: number, publishedAt: string, publishedBy: string, recordedHash?: string) {
  const pdf = await renderReportPdf(inspectionId, { version, publishedAt, draft: false }, db);
  writeTransaction(
    (tx) =>
      tx
        .insert(reportVersions)
        .values({ id: randomUUID(), inspectionId, version, pdf, sha256: recordedHash ?? sha256(pdf), sizeBytes: pdf.length, publishedAt, publishedBy, changeNote: version === 1 ? "" : "Corrected" })
        .run(),
    db,
  );
  return pdf;
}

describe("npm run reports:render -- --all --out DIR", () => {
  let file: string;
  let db: Db;
  let rendered: { name: string; pdf: Buffer }[] = [];

  beforeAll(async () => {
    ({ file, db } = useFreshDatabase());
    const { inspections, publisher } = demo(db);
    expect(inspections.length).toBeGreaterThanOrEqual(2);
    rendered = [];
    for (const [i, inspection] of inspections.entries()) {
      const publishedAt = `2026-0${i + 1}-15T09:30:00.000Z`;
      const pdf = await publish(db, inspection.inspectionId, 1, publishedAt, publisher);
      rendered.push({ name: reportFileName({ odsCode: inspection.trustCode, visitDate: inspection.visitDate, version: 1, draft: false }), pdf });
    }
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
  }, 180_000);

  it("renders every published version again into DIR, under the server's names, byte for byte as published", async () => {
    const out = path.join(outputFolder(), "out");
    const run = await runCli(file, ["--all", "--out", out]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(rendered.map((r) => r.name).sort());
    for (const r of rendered) {
      expect(readFileSync(path.join(out, r.name)).equals(r.pdf), r.name).toBe(true);
      expect(run.stdout).toContain(`${r.name}: matches the published SHA-256 ${sha256(r.pdf)}`);
    }
    expect(run.stdout).toContain(`Rendered ${rendered.length} of ${rendered.length}: ${rendered.length} match, 0 latest versions differ, 0 superseded versions differ`);
  }, 180_000);

  it("reports a latest version that differs from what was published, and exits 1; a superseded one that differs is not a failure", async () => {
    const copy = copyTemplateDatabase();
    const other = openDatabase(copy);
    try {
      const { inspections, publisher } = demo(other);
      const [first, second] = inspections as [Demo, Demo];
      // The first report: version 1 recorded with a hash it does not render to, then corrected as version 2.
      await publish(other, first.inspectionId, 1, "2026-02-01T09:00:00.000Z", publisher, "0".repeat(64));
      await publish(other, first.inspectionId, 2, "2026-02-10T09:00:00.000Z", publisher);
      // The second: its only (latest) version recorded with the wrong hash.
      await publish(other, second.inspectionId, 1, "2026-02-01T09:00:00.000Z", publisher, "f".repeat(64));
      other.$client.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      other.$client.close();
    }
    const out = outputFolder();
    const run = await runCli(copy, ["--all", "--out", out]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/-v1\.pdf: differs from the published version \(superseded by version 2/);
    expect(run.stdout).toMatch(/-v2\.pdf: matches the published SHA-256/);
    expect(run.stdout).toMatch(new RegExp(`-v1\\.pdf: DIFFERS from the published version: published ${"f".repeat(64)}`));
    expect(run.stdout).toContain("Rendered 3 of 3: 1 matches, 1 latest version differs, 1 superseded version differs (expected after a correction), 0 failed.");
    expect(readdirSync(out)).toHaveLength(3);
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
