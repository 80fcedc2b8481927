/**
 * Backups of the database (issue 8): an online, consistent copy made while the app runs, checked before anyone relies
 * on it, and a restore that puts only a checked copy in place. See docs/decisions/0021-backup-and-restore.md.
 *
 * - The copy is `VACUUM INTO`: one read transaction, so in WAL mode it is a snapshot of one moment while writers go on
 *   (they are never blocked by it, nor it by them), written compact into a new file, never over an existing one.
 * - Every copy is checked as it would be before a restore: `PRAGMA integrity_check`, every migration of this release
 *   applied, the audit chain intact; with the row count of every table and the audit chain's head, so a restore can be
 *   compared with what was backed up.
 * - A restore checks the copy the same way, then writes it beside the database and renames it into place (an atomic
 *   step on one file system), after removing the old database's WAL and shared-memory files. The server must be
 *   stopped: a running server keeps the old file open.
 * Evidence files live in their own folder (ADR 0014) and are backed up with it, by the host's file backup.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "../../db/schema";
import { verifyAuditChain } from "../audit/audit.server";
import { migrationStatus, type Db } from "../db.server";

/** What a checked copy holds. */
export interface BackupCheck {
  file: string;
  bytes: number;
  /** "ok", or SQLite's first complaints. */
  integrity: string;
  migrations: { applied: number; expected: number; current: boolean };
  audit: { intact: boolean; events: number; headHash: string | null; problem: string | null };
  /** Rows in each table of ours (not SQLite's own), by name. */
  rows: Record<string, number>;
}

export class BackupError extends Error {}

/** Whether a check found nothing wrong. */
export const checkPassed = (check: BackupCheck) => check.integrity === "ok" && check.migrations.current && check.audit.intact;

/** The problems a check found, in plain words, for the command's output. */
export function checkProblems(check: BackupCheck): string[] {
  const problems: string[] = [];
  if (check.integrity !== "ok") problems.push(`integrity check: ${check.integrity}`);
  if (!check.migrations.current) problems.push(`made by another release: ${check.migrations.applied} of this release's ${check.migrations.expected} migrations applied`);
  if (!check.audit.intact) problems.push(`audit chain broken: ${check.audit.problem ?? "unknown"}`);
  return problems;
}

/** A check as the commands print it. */
export function describeCheck(check: BackupCheck): string[] {
  return [
    `File: ${check.file} (${check.bytes.toLocaleString("en-GB")} bytes)`,
    `Integrity: ${check.integrity}`,
    `Migrations: ${check.migrations.applied} of ${check.migrations.expected}`,
    `Audit chain: ${check.audit.intact ? `intact, ${check.audit.events} events, head ${check.audit.headHash}` : `BROKEN (${check.audit.problem})`}`,
    `Rows: ${Object.entries(check.rows)
      .filter(([, n]) => n > 0)
      .map(([table, n]) => `${table} ${n}`)
      .join(", ")}`,
  ];
}

/** Checks a database file without changing it (opened read-only). */
export function checkDatabaseFile(file: string): BackupCheck {
  if (!existsSync(file)) throw new BackupError(`No file at ${file}`);
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const complaints = (sqlite.pragma("integrity_check(10)") as { integrity_check: string }[]).map((r) => r.integrity_check);
    const integrity = complaints.join("; ");
    const db = drizzle(sqlite, { schema }) as Db;
    const migrations = migrationStatus(db);
    const tables = (sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const rows = Object.fromEntries(tables.map((name) => [name, (sqlite!.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }).n]));
    let audit: BackupCheck["audit"];
    try {
      const verdict = verifyAuditChain(db);
      audit = verdict.ok
        ? { intact: true, events: verdict.checked, headHash: verdict.headHash, problem: null }
        : { intact: false, events: verdict.checked, headHash: null, problem: `event ${verdict.brokenAt}: ${verdict.reason}` };
    } catch (error) {
      audit = { intact: false, events: 0, headHash: null, problem: error instanceof Error ? error.message : String(error) };
    }
    return { file, bytes: statSync(file).size, integrity, migrations, audit, rows };
  } catch (error) {
    // Not a database, or one too damaged to read: a failed check, not a crash.
    return failed(file, `not a readable database (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    sqlite?.close();
  }
}

const failed = (file: string, integrity: string): BackupCheck => ({
  file,
  bytes: existsSync(file) ? statSync(file).size : 0,
  integrity,
  migrations: { applied: 0, expected: 0, current: false },
  audit: { intact: false, events: 0, headHash: null, problem: "not checked" },
  rows: {},
});

/**
 * Copies the database `source` (a connection to the live file: it may be written to meanwhile) into `destination`, a
 * new file, and checks the copy. Throws BackupError when the destination exists or the copy fails its check (the
 * failed copy is removed, so nothing half-made looks like a backup).
 */
export function backupDatabase(source: Database.Database, destination: string): BackupCheck {
  const target = path.resolve(destination);
  if (existsSync(target)) throw new BackupError(`${target} already exists: a backup never replaces a file`);
  source.prepare("VACUUM INTO ?").run(target);
  const check = checkDatabaseFile(target);
  if (!checkPassed(check)) {
    rmSync(target, { force: true });
    throw new BackupError(`The copy failed its check and was removed: ${checkProblems(check).join("; ")}`);
  }
  return check;
}

/**
 * Puts the checked copy `backup` in place of the database `target` (the server stopped). Throws BackupError, changing
 * nothing, when the copy fails its check.
 */
export function restoreDatabase(backup: string, target: string): BackupCheck {
  const check = checkDatabaseFile(backup);
  if (!checkPassed(check)) throw new BackupError(`Not restored: ${checkProblems(check).join("; ")}`);
  const destination = path.resolve(target);
  mkdirSync(path.dirname(destination), { recursive: true });
  const incoming = `${destination}.restoring`;
  copyFileSync(backup, incoming);
  const fd = openSync(incoming, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The old database's write-ahead log belongs to the old file: left beside the new one it would be replayed into it.
  for (const suffix of ["-wal", "-shm"]) rmSync(`${destination}${suffix}`, { force: true });
  renameSync(incoming, destination);
  return { ...checkDatabaseFile(destination) };
}
