/**
 * Backup and restore (issue 8; app/operations/backup.server.ts), as an operator runs them, against a real server
 * under write load: `npm run db:backup -- DEST` makes a consistent copy while inspectors save findings over HTTP (the
 * copy passes its integrity check, has every migration, an intact audit chain, and holds a moment of the live
 * database: each finding's revisions match its version); `npm run db:restore -- FILE` puts it in a new place with the
 * same rows and audit head. A backup never replaces a file; a damaged copy, or one from another release, is refused
 * and changes nothing.
 */
import { createHash, randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDatabaseFile } from "../../app/operations/backup.server";
import { copyTemplateDatabase, queryDatabase } from "../support/database";
import { signedIn } from "../support/http";
import { runScript } from "../support/scripts";
import { startServer, type RunningServer } from "../support/server";

const blank = { rating: "", overrideReason: "", observed: "", evidenceDocuments: "", evidencePeople: "", evidenceSystems: "", severity: "", recommendation: "" };
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(path.join(tmpdir(), "deep-dive-backup-"));
});
afterAll(async () => {
  await server?.stop();
});

describe("backup and restore", () => {
  it("backs up while findings are being saved, and the copy is consistent, checked and restores with the same rows", async () => {
    const [inspection] = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'");
    const targets = queryDatabase<{ criterionId: number; version: number }>(
      server.databaseFile,
      `SELECT c.id AS criterionId, f.version FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
        WHERE f.inspection_id = ? AND f.rating = 'not_assessed' AND c.records_devices = 0 AND c.scale <> 'met' ORDER BY c.position LIMIT 4`,
      inspection!.id,
    );
    const inspector = await signedIn(server.url, "inspector1@deepdive.test");
    // Four writers, each saving its own finding again and again until the backup is done.
    let writing = true;
    let acknowledged = 0;
    const writers = targets.map(async (target, w) => {
      let version = target.version;
      for (let i = 0; writing; i++) {
        const response = await inspector.post(`/inspections/${inspection!.id}/criteria/${target.criterionId}/save.json`, {
          ...blank,
          observed: `Writer ${w}, save ${i}`,
          baseVersion: String(version),
          idempotencyKey: randomUUID(),
        });
        expect(response.status).toBe(200);
        version = ((await response.json()) as { version: number }).version;
        acknowledged += 1;
      }
    });
    const backup = path.join(dir, "during-load.sqlite");
    // Let the writers get going first.
    while (acknowledged < 20) await new Promise((resolve) => setTimeout(resolve, 50));
    const before = acknowledged;
    const made = await runScript("db-backup", server.databaseFile, [backup]);
    // The writers went on while the backup ran: it blocked nobody.
    const during = acknowledged - before;
    writing = false;
    await Promise.all(writers);
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    expect(made.stdout).toContain("Backup made and checked.");
    expect(made.stdout).toContain("Integrity: ok");
    expect(made.stdout).toMatch(/Audit chain: intact, \d+ events, head [0-9a-f]{64}/);
    expect(during).toBeGreaterThan(0);

    // A moment of the live database: every finding's latest revision is its version, with nothing half-written.
    const copy = checkDatabaseFile(backup);
    expect(copy.integrity).toBe("ok");
    expect(copy.audit.intact).toBe(true);
    const mismatched = queryDatabase(
      backup,
      `SELECT f.id FROM findings f WHERE f.version > 0 AND f.version <> (SELECT max(r.version) FROM finding_revisions r WHERE r.finding_id = f.id)`,
    );
    expect(mismatched).toEqual([]);
    const live = checkDatabaseFile(server.databaseFile);
    expect(copy.rows.finding_revisions).toBeLessThanOrEqual(live.rows.finding_revisions!);
    expect(copy.rows.finding_revisions).toBeGreaterThan(0);

    // Restored into a new place: the same rows and the same audit head as the copy.
    const restored = path.join(dir, "restored", "deep-dive.sqlite");
    const put = await runScript("db-restore", restored, [backup]);
    expect(put.stderr).toBe("");
    expect(put.code).toBe(0);
    const after = checkDatabaseFile(restored);
    expect(after.rows).toEqual(copy.rows);
    expect(after.audit).toEqual(copy.audit);
    expect(existsSync(`${restored}.restoring`)).toBe(false);
  });

  it("never writes over an existing file, and refuses bad arguments", async () => {
    const existing = path.join(dir, "existing.sqlite");
    writeFileSync(existing, "not to be overwritten");
    const refused = await runScript("db-backup", server.databaseFile, [existing]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("already exists");
    expect(readFileSync(existing, "utf8")).toBe("not to be overwritten");
    expect((await runScript("db-backup", server.databaseFile, [])).code).toBe(2);
    expect((await runScript("db-backup", path.join(dir, "nothing-here.sqlite"), [path.join(dir, "x.sqlite")])).code).toBe(2);
  });

  it("refuses to restore a damaged copy or one from another release, changing nothing", async () => {
    const target = copyTemplateDatabase();
    const before = sha256(target);
    // Damaged: pages in the middle of the file overwritten.
    const damaged = path.join(dir, "damaged.sqlite");
    copyFileSync(target, damaged);
    const bytes = readFileSync(damaged);
    bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64 * 1024);
    writeFileSync(damaged, bytes);
    const first = await runScript("db-restore", target, [damaged]);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/^Not restored: /);
    expect(sha256(target)).toBe(before);

    // From another release: a migration this release has is missing from it.
    const older = path.join(dir, "older.sqlite");
    copyFileSync(target, older);
    const db = new Database(older);
    db.prepare("DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)").run();
    db.close();
    const second = await runScript("db-restore", target, [older]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("made by another release");
    expect(sha256(target)).toBe(before);
  });
});
