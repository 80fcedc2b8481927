/**
 * A fresh copy of the template database for one test file, made the application's database
 * (DATABASE_PATH) so that app modules under test use it exactly as they do in production.
 */
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { inject } from "vitest";
import { resetConfigForTests } from "../../app/config.server";
import { closeDb, getDb, openDatabase } from "../../app/db.server";

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
