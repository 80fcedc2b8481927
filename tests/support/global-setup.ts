/**
 * Runs once before all test files: builds a template database (migrated, reference register loaded,
 * demo data seeded) that each test copies, so no test pays for start-up or shares state with another.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "deep-dive-tests-"));
  const template = path.join(dir, "template.sqlite");
  // Everything the tests and what they start (servers, CLIs, Chromium) put in the temporary folder goes inside this
  // run's folder, which is removed at the end: each file's database copies, evidence folders, browser profiles.
  const scratch = path.join(dir, "tmp");
  mkdirSync(scratch);
  process.env.TMPDIR = scratch;
  process.env.DATABASE_PATH = template;
  process.env.DEMO_DATA = "on";
  const { boot } = await import("../../app/boot.server");
  const { closeDb, getDb } = await import("../../app/db.server");
  await boot();
  // The demo accounts share one hash of the demo password. Tests sign in several hundred times, and at the
  // production cost (N=2^17, about half a second of a core each) that was a fifth of the suite's CPU on two
  // cores. Their hash is made again at a low cost: sign-in still goes through the same verifyPassword, which
  // reads the parameters from the stored hash; accounts a test creates keep the production cost, and
  // password.test.ts checks the production parameters.
  const { hashPassword } = await import("../../app/auth/password.server");
  const { DEMO_PASSWORD } = await import("../../db/seed.server");
  const cheapDemoHash = await hashPassword(DEMO_PASSWORD, { N: 2 ** 12, r: 8, p: 1 });
  getDb().$client.prepare("UPDATE users SET password_hash = ? WHERE is_demo = 1").run(cheapDemoHash);
  // Fold the WAL into the main file so a plain file copy is a complete database.
  getDb().$client.pragma("wal_checkpoint(TRUNCATE)");
  closeDb();
  project.provide("templateDatabase", template);
  project.provide("serverBuilt", existsSync(path.resolve("build", "index.js")));
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    serverBuilt: boolean;
  }
}
