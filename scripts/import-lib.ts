/**
 * What the import scripts (scripts/indicators-import.ts, scripts/trusts-import.ts) share: their arguments
 * (FILE [--dry-run], or --help), reading and decoding the file, refusing it, and stopping with an exit status:
 * 0 done, 1 a wrong call or a failure, 2 the file was refused (nothing changed).
 */
import { readFileSync, statSync } from "node:fs";
import os from "node:os";
import type { Actor } from "../app/audit/audit.server";
import { getConfig } from "../app/config.server";
import { closeDb } from "../app/db.server";
import { isRefusal, type Refusal } from "../app/files/csv-file.server";

export interface ImportCli {
  usage: string;
  maxBytes: number;
  maxLabel: string;
  /** The file's bytes as text, or why it is refused. */
  decode: (bytes: Uint8Array) => { text: string } | Refusal;
  /** The last line of a refusal that does not list every problem: `unlisted` of `total` are not listed. */
  unlisted: (unlisted: number, total: number) => string;
}

/** Prints the message to stderr, closes the database and exits with the status. */
export function fail(message: string, status: number): never {
  console.error(message);
  closeDb();
  process.exit(status);
}

/** Prints each problem to stderr as "line N: reason", closes the database and exits with status 2. */
export function printRefusal(refusal: Refusal, cli: ImportCli): never {
  console.error("The file was refused: nothing was changed.");
  for (const problem of refusal.errors) console.error(problem.line === null ? problem.reason : `line ${problem.line}: ${problem.reason}`);
  if (refusal.totalErrors > refusal.errors.length) console.error(cli.unlisted(refusal.totalErrors - refusal.errors.length, refusal.totalErrors));
  closeDb();
  process.exit(2);
}

/**
 * Reads the arguments and the file they name, and prints the database and the file (stdout). Returns null after
 * printing the usage for --help; exits with status 1 for wrong arguments or a file that cannot be read, and with
 * status 2 for a file that is too big or not text.
 */
export function openImportFile(argv: string[], cli: ImportCli): { file: string; dryRun: boolean; text: string } | null {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(cli.usage);
    return null;
  }
  const dryRun = argv.includes("--dry-run");
  const unknown = argv.filter((a) => a.startsWith("-") && a !== "--dry-run");
  const files = argv.filter((a) => !a.startsWith("-"));
  if (unknown.length > 0) fail(`Unknown option ${unknown.join(", ")}\n${cli.usage}`, 1);
  if (files.length !== 1) fail(cli.usage, 1);
  const file = files[0]!;

  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    fail(`Cannot read ${file}: no such file`, 1);
  }
  if (size > cli.maxBytes) printRefusal({ errors: [{ line: null, reason: `The file must be smaller than ${cli.maxLabel}` }], totalErrors: 1 }, cli);
  const decoded = cli.decode(readFileSync(file));
  if (isRefusal(decoded)) printRefusal(decoded, cli);

  console.log(`Database: ${getConfig().DATABASE_PATH}`);
  console.log(`File: ${file}`);
  return { file, dryRun, text: decoded.text };
}

/** The import is audited as cli:<operating-system user>. */
export function cliActor(): Actor {
  return { userId: null, label: `cli:${os.userInfo().username}`, clientAddress: null };
}

/** Runs the import; anything it throws is "The import failed: …" on stderr, exit status 1. */
export function runImport(main: () => void) {
  try {
    main();
  } catch (error) {
    fail(`The import failed: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
}
