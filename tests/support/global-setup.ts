/**
 * Runs once before all test files: builds a template database (migrated, reference register loaded,
 * demo data seeded) that each test copies, so no test pays for start-up or shares state with another.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "deep-dive-tests-"));
  const template = path.join(dir, "template.sqlite");
  process.env.DATABASE_PATH = template;
  process.env.DEMO_DATA = "on";
  const { boot } = await import("../../app/boot.server");
  const { closeDb } = await import("../../app/db.server");
  await boot();
  // Fold the WAL into the main file so a plain file copy is a complete database.
  const { getDb } = await import("../../app/db.server");
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
