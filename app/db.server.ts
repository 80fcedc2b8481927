/**
 * The one database client. SQLite in WAL mode with synchronous=FULL (see docs/decisions/0002),
 * a busy timeout so concurrent writers wait rather than fail, and foreign keys enforced.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "../db/schema";
import { getConfig } from "./config.server";
import { projectPath } from "./project-root.server";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** What a write transaction callback receives. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export function openDatabase(file: string): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // Keeps the write-ahead log bounded: SQLite checkpoints it every 1,000 pages (its default), and after a checkpoint
  // truncates a log that grew under a burst of writes back to 64 MiB at most.
  sqlite.pragma("journal_size_limit = 67108864");
  return drizzle(sqlite, { schema }) as Db;
}

export const migrationsFolder = () => projectPath("db", "migrations");

export function migrateDatabase(db: Db) {
  migrate(db, { migrationsFolder: migrationsFolder() });
}

/** Whether every migration in the project has been applied to this database. */
export function migrationStatus(db: Db): { current: boolean; applied: number; expected: number } {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  const expected = journal.entries.length;
  const lastWhen = Math.max(0, ...journal.entries.map((e) => e.when));
  let applied = 0;
  let lastApplied = 0;
  try {
    const row = db.$client
      .prepare("SELECT count(*) AS n, max(created_at) AS last FROM __drizzle_migrations")
      .get() as { n: number; last: number | null };
    applied = row.n;
    lastApplied = Number(row.last ?? 0);
  } catch {
    applied = 0;
  }
  return { current: applied === expected && lastApplied === lastWhen, applied, expected };
}

let instance: Db | undefined;

/** The application's database, opened (and migrated) on first use. */
export function getDb(): Db {
  if (!instance) {
    instance = openDatabase(getConfig().DATABASE_PATH);
    migrateDatabase(instance);
  }
  return instance;
}

export function closeDb() {
  instance?.$client.close();
  instance = undefined;
}

/** How many busy timeouts in all a writer keeps trying to take the write lock before it gives up. */
export const WRITE_LOCK_ATTEMPTS = 6;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` (a synchronous transaction cannot await). */
const sleepSync = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

const isBusy = (error: unknown) => typeof error === "object" && error !== null && /^SQLITE_BUSY/.test(String((error as { code?: unknown }).code));

/**
 * Runs fn in a synchronous BEGIN IMMEDIATE transaction: the write lock is taken up front, so two writers
 * never deadlock on a lock upgrade, and a thrown error rolls everything back. fn must not be async.
 *
 * SQLite's busy handler is not a fair queue: with many processes writing at once, one writer can be passed over
 * for longer than busy_timeout. So when BEGIN itself reports SQLITE_BUSY (before fn has run, so nothing is lost
 * or repeated), the writer waits a short random time and tries again, up to WRITE_LOCK_ATTEMPTS busy timeouts in
 * all. Only then is SQLITE_BUSY thrown.
 */
export function writeTransaction<T>(fn: (tx: Tx) => T, db: Db = getDb()): T {
  const busyTimeout = Number(db.$client.pragma("busy_timeout", { simple: true })) || 0;
  const deadline = Date.now() + busyTimeout * WRITE_LOCK_ATTEMPTS;
  for (;;) {
    let began = false;
    try {
      return db.transaction(
        (tx) => {
          began = true;
          const result = fn(tx);
          if (result instanceof Promise) throw new Error("writeTransaction callbacks must be synchronous");
          return result;
        },
        { behavior: "immediate" },
      );
    } catch (error) {
      if (began || !isBusy(error) || Date.now() >= deadline) throw error;
      sleepSync(10 + Math.floor(Math.random() * 40));
    }
  }
}
