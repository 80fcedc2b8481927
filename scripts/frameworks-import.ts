/**
 * Loads a baseline framework file (docs/frameworks.md) into the database as a new framework version.
 *
 *   npm run frameworks:import -- FILE [--dry-run]
 *
 * Prints what was loaded (or, with --dry-run, what would be) to stdout. A file that is refused (any problem in it,
 * or a version already loaded with other content) is listed problem by problem as "path: message" on stderr, with
 * exit status 2, and nothing changes. Loading a version already loaded with the same content changes nothing and
 * exits 0. Uses DATABASE_PATH (default ./data/deep-dive.sqlite). The load is audited as cli:<operating-system user>.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import {
  describeFrameworkProblem,
  FrameworkFileError,
  loadFrameworkFile,
  MAX_FRAMEWORK_FILE_BYTES,
  MAX_FRAMEWORK_FILE_LABEL,
  type FrameworkLoadReport,
} from "../app/baseline/frameworks.server";
import { getConfig } from "../app/config.server";
import { closeDb, getDb } from "../app/db.server";
import { cliActor, fail, runImport } from "./import-lib";

const USAGE =
  "Usage: npm run frameworks:import -- FILE [--dry-run]\n" +
  "  FILE  a framework file: JSON in the format deep-dive-framework/1 (docs/frameworks.md)";

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

function refused(problems: { path: string; message: string }[]): never {
  console.error("The file was refused: nothing was changed.");
  for (const problem of problems) console.error(describeFrameworkProblem(problem));
  closeDb();
  process.exit(2);
}

function describe(report: FrameworkLoadReport): string[] {
  const lines = [
    `Framework: ${report.framework} ${report.version}, ${report.title}`,
    `${plural(report.sections, "section")}, ${plural(report.criteria, "criterion", "criteria")}, ${plural(report.indicators, "indicator")} of good practice, ` +
      `${plural(report.profiles, "profile")}${report.profileCodes.length > 0 ? ` (${report.profileCodes.join(", ")})` : ""} with ${plural(report.minimums, "minimum")}.`,
    `SHA-256: ${report.sha256}`,
  ];
  switch (report.status) {
    case "would-load":
      lines.push("Dry run: nothing was changed. Loading the file would add this version.");
      break;
    case "loaded":
      lines.push(`Loaded as framework version ${report.id}.`);
      break;
    case "already-loaded":
      lines.push(`Already loaded (framework version ${report.id}, on ${report.loadedAt} by ${report.loadedBy}): nothing was changed.`);
      break;
  }
  return lines;
}

function main(argv: string[]) {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const dryRun = argv.includes("--dry-run");
  const unknown = argv.filter((a) => a.startsWith("-") && a !== "--dry-run");
  const files = argv.filter((a) => !a.startsWith("-"));
  if (unknown.length > 0) fail(`Unknown option ${unknown.join(", ")}\n${USAGE}`, 1);
  if (files.length !== 1) fail(USAGE, 1);
  const file = files[0]!;
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    fail(`Cannot read ${file}: no such file`, 1);
  }
  if (size > MAX_FRAMEWORK_FILE_BYTES) refused([{ path: "", message: `The file must be smaller than ${MAX_FRAMEWORK_FILE_LABEL}` }]);

  console.log(`Database: ${getConfig().DATABASE_PATH}`);
  console.log(`File: ${file}`);
  let report: FrameworkLoadReport;
  try {
    report = loadFrameworkFile(readFileSync(file), path.basename(file), cliActor(), getDb(), { dryRun });
  } catch (error) {
    if (error instanceof FrameworkFileError) refused(error.problems);
    throw error;
  }
  for (const line of describe(report)) console.log(line);
  closeDb();
}

runImport(() => main(process.argv.slice(2)));
