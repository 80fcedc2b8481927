/**
 * Imports indicator history from a CSV file: Deep Dive's long format or an NHS England DSPT snapshot
 * (docs/indicators.md).
 *
 *   npm run indicators:import -- FILE [--dry-run]
 *
 * Progress goes to stderr every 10,000 rows ("10,000 of 100,000 rows checked", then "… observations
 * imported"); the summary to stdout. A file with any problem is refused with each problem as
 * "line N: reason" on stderr, exit status 2, and nothing changes. Uses DATABASE_PATH (default
 * ./data/deep-dive.sqlite). The import is audited as cli:<operating-system user>.
 */
import path from "node:path";
import { closeDb, getDb } from "../app/db.server";
import {
  decodeIndicatorBytes,
  importIndicatorFile,
  isRefusal,
  MAX_FILE_BYTES,
  MAX_FILE_LABEL,
  planIndicatorImport,
  type ImportSummary,
  type Progress,
} from "../app/risk/indicator-import.server";
import { ensureBuiltInIndicators } from "../app/risk/indicators.server";
import { cliActor, openImportFile, printRefusal, runImport, type ImportCli } from "./import-lib";

const USAGE =
  "Usage: npm run indicators:import -- FILE [--dry-run]\n" +
  "  FILE  a CSV file: the long format (header ods_code,indicator,value,observed_on,source)\n" +
  "        or an NHS England DSPT snapshot (columns Code or ODS Code, and Status)";

const number = (n: number) => n.toLocaleString("en-GB");
const plural = (n: number, one: string, many = `${one}s`) => `${number(n)} ${n === 1 ? one : many}`;

const CLI: ImportCli = {
  usage: USAGE,
  maxBytes: MAX_FILE_BYTES,
  maxLabel: MAX_FILE_LABEL,
  decode: decodeIndicatorBytes,
  unlisted: (unlisted, total) => `... and ${plural(unlisted, "more problem")} (${number(total)} in all)`,
};

function reportProgress(progress: Progress) {
  const what = progress.phase === "checked" ? "rows checked" : "observations imported";
  console.error(`${number(progress.done)} of ${number(progress.total)} ${what}`);
}

function describe(summary: ImportSummary, dryRun: boolean): string[] {
  const lines = [
    `Format: ${summary.format === "long" ? "Deep Dive long format" : "NHS England DSPT snapshot"}`,
    `${plural(summary.rows, "row")} in the file, ${plural(summary.observations, "observation")}.`,
    `${dryRun ? "New observations to import" : "Imported"}: ${number(summary.inserted)}`,
    `Already recorded (unchanged): ${number(summary.alreadyPresent)}`,
  ];
  if (summary.skippedUnknownTrusts > 0) {
    lines.push(`Skipped, not in the register: ${summary.skippedUnknownTrusts} (${summary.skippedTrustCodes.join(", ")})`);
  }
  lines.push("By indicator:");
  for (const c of summary.byIndicator) {
    lines.push(`  ${c.code.padEnd(26)} ${number(c.observations).padStart(9)} observations, ${number(c.added).padStart(9)} ${dryRun ? "new" : "added"}, ${c.earliest} to ${c.latest}`);
  }
  for (const note of summary.notes) lines.push(`Note: ${note}`);
  for (const earlier of summary.earlierImports) lines.push(`This file was also imported on ${earlier.importedAt} by ${earlier.importedBy}.`);
  if (summary.observations > 0 && summary.inserted === 0) {
    lines.push(dryRun ? "Every observation in the file is already recorded: an import would add nothing." : "Every observation in the file was already recorded: nothing was added.");
  }
  return lines;
}

function main(argv: string[]) {
  const input = openImportFile(argv, CLI);
  if (!input) return;
  const { file, dryRun, text } = input;
  // Like start-up: migrated, and the built-in indicators present (a database the server has never opened).
  ensureBuiltInIndicators(getDb());
  const started = Date.now();
  const actor = cliActor();
  const options = { onProgress: reportProgress };
  const result = dryRun ? planIndicatorImport(text, path.basename(file), options) : importIndicatorFile(text, path.basename(file), actor, options);
  if (isRefusal(result)) printRefusal(result, CLI);
  for (const line of describe(result, dryRun)) console.log(line);
  console.log(`${dryRun ? "Dry run: nothing was changed." : "Imported."} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  closeDb();
}

runImport(() => main(process.argv.slice(2)));
