/**
 * A fresh copy of the template database for one test file, made the application's database
 * (DATABASE_PATH) so that app modules under test use it exactly as they do in production; and the users a test
 * acts as or adds (trust users, to see a trust's portal).
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { inject } from "vitest";
import type { Actor } from "../../app/audit/audit.server";
import { createUser } from "../../app/auth/users.server";
import { resetConfigForTests } from "../../app/config.server";
import { closeDb, getDb, openDatabase, type Db } from "../../app/db.server";
import { DEMO_PASSWORD } from "../../db/seed.server";

export function copyTemplateDatabase(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "deep-dive-db-"));
  const file = path.join(dir, "deep-dive.sqlite");
  copyFileSync(inject("templateDatabase"), file);
  return file;
}

/** Points the app at a new copy of the template database and returns its client. */
export function useFreshDatabase(env: Record<string, string> = {}) {
  const file = copyTemplateDatabase();
  closeDb();
  process.env.DATABASE_PATH = file;
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  resetConfigForTests();
  return { file, db: getDb() };
}

/** A database with only the schema: no register, no accounts. */
export function useEmptyDatabase() {
  const dir = mkdtempSync(path.join(tmpdir(), "deep-dive-db-"));
  const file = path.join(dir, "empty.sqlite");
  closeDb();
  process.env.DATABASE_PATH = file;
  resetConfigForTests();
  return { file, db: getDb() };
}

/** Runs one query on the database file, read-only (a server may have it open), and returns its rows. */
export function queryDatabase<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export { openDatabase };

/**
 * Adds a trust user (demo password) for an open trust that has no visit and is in no selection round still in
 * progress, so a test can schedule that trust and compare what its user sees before and after. Returns the
 * user's email and the trust's code.
 */
export function addTrustUserForUnscheduledTrust(file: string, email: string): { email: string; trustCode: string } {
  const db = new Database(file, { fileMustExist: true });
  try {
    const { code } = db
      .prepare(
        `SELECT t.ods_code AS code FROM trusts t WHERE t.closed_on IS NULL AND t.latitude IS NOT NULL
           AND t.ods_code NOT IN (SELECT p.trust_code FROM selection_picks p JOIN selection_rounds r ON r.id = p.round_id WHERE r.status <> 'closed')
           AND t.ods_code NOT IN (SELECT trust_code FROM visits)
         ORDER BY t.ods_code LIMIT 1`,
      )
      .get() as { code: string };
    // The demo users' hash is of the published demo password, so the new user signs in like them.
    const { hash } = db.prepare("SELECT password_hash AS hash FROM users WHERE email = 'trust.rj1@deepdive.test'").get() as { hash: string };
    db.prepare("INSERT INTO users (id, email, name, role, trust_code, password_hash, is_demo) VALUES (?, ?, ?, 'trust_user', ?, ?, 1)").run(
      randomUUID(),
      email,
      `Test user (${code})`,
      code,
      hash,
    );
    return { email, trustCode: code };
  } finally {
    db.close();
  }
}

/** A user (by id) as the actor the domain functions audit, labelled with their email as a signed-in user is. */
export const actorOf = (db: Db, userId: string): Actor => ({
  userId,
  label: (db.$client.prepare("SELECT email FROM users WHERE id = ?").get(userId) as { email: string }).email,
  clientAddress: "192.0.2.30",
});

/** A trust user of `trustCode` (the demo password), made as an admin makes one, through the account functions. */
export async function trustUserOf(db: Db, trustCode: string, email: string): Promise<string> {
  const admin = (db.$client.prepare("SELECT id FROM users WHERE email = 'admin@deepdive.test'").get() as { id: string }).id;
  return createUser({ email, name: `Test user at ${trustCode}`, role: "trust_user", trustCode, password: DEMO_PASSWORD, isDemo: true }, actorOf(db, admin), db);
}
