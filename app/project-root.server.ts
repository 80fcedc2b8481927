/**
 * Locates the project's own files (migrations, reference data) independently of the working directory
 * and of whether the code runs from app/ (tsx, vitest) or from the server build in build/.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

export function projectRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "db", "migrations", "meta", "_journal.json"))) {
      root = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("Cannot find the project root (db/migrations) above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const projectPath = (...segments: string[]) => path.join(projectRoot(), ...segments);
