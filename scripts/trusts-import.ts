/**
 * Refreshes the trust register from the NHS Digital ODS etr.csv file.
 *
 *   npm run trusts:import -- path/to/etr.csv [--dry-run]
 *
 * Prints what the file changes (or would change, with --dry-run). A malformed file is refused with each
 * problem as "line N: reason", exit status 2, and nothing changes. Uses DATABASE_PATH (default
 * ./data/deep-dive.sqlite). The import is audited as cli:<operating-system user>.
 */
import { closeDb, getDb } from "../app/db.server";
import {
  applyOdsImport,
  decodeOdsBytes,
  isRefusal,
  MAX_FILE_BYTES,
  MAX_FILE_LABEL,
  planOdsImport,
} from "../app/trusts/ods-import.server";
import { displayName, ENGLISH_REGIONS } from "../app/trusts/ods";
import { ODS_FIELD_LABELS, type FieldChange, type RegisterDiff } from "../app/trusts/register-diff";
import { formatCalendarDate } from "../app/ui/dates";
import { cliActor, openImportFile, printRefusal, runImport, type ImportCli } from "./import-lib";

const USAGE = "Usage: npm run trusts:import -- FILE [--dry-run]\n  FILE  the ODS etr.csv file (unzipped from etr.zip), as published: no header row, 27 columns";

const CLI: ImportCli = {
  usage: USAGE,
  maxBytes: MAX_FILE_BYTES,
  maxLabel: MAX_FILE_LABEL,
  decode: decodeOdsBytes,
  unlisted: (unlisted) => `... and ${unlisted} more problems`,
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
function value(change: FieldChange, v: string | null): string {
  if (v === null) return "none";
  if (change.field === "regionCode") return `${ENGLISH_REGIONS[v] ?? v} (${v})`;
  if (change.field === "openedOn" || change.field === "closedOn") return formatCalendarDate(v);
  return v;
}

/** The difference in plain English, one line each. */
function describeDiff(diff: RegisterDiff, rows: number, dryRun: boolean): string[] {
  const would = (done: string, planned: string) => (dryRun ? planned : done);
  const lines = [`${plural(rows, "trust")} in the file.`];
  lines.push(`${would("Added", "To add")}: ${diff.added.length}`);
  for (const t of diff.added) {
    lines.push(`  ${t.odsCode}  ${displayName(t.odsName)} (${ENGLISH_REGIONS[t.regionCode]})${t.closedOn ? `, closed on ${formatCalendarDate(t.closedOn)}` : ""}`);
  }
  lines.push(`${would("Renamed", "To rename")}: ${diff.renamed.length}`);
  for (const c of diff.renamed) lines.push(`  ${c.odsCode}  ${c.before.odsName} → ${c.after.odsName}`);
  lines.push(`${would("Closed", "To mark as closed")}: ${diff.closed.length}`);
  for (const c of diff.closed) {
    const was = c.before.closedOn ? ` (was ${formatCalendarDate(c.before.closedOn)})` : "";
    lines.push(`  ${c.odsCode}  ${c.name}: closed on ${formatCalendarDate(c.after.closedOn)}${was}`);
  }
  lines.push(`${would("Other updates", "Other updates to make")}: ${diff.updated.length}`);
  for (const c of diff.updated) {
    const changes = c.otherChanges.map((ch) => `${ODS_FIELD_LABELS[ch.field]} ${value(ch, ch.from)} → ${value(ch, ch.to)}`);
    lines.push(`  ${c.odsCode}  ${c.name}: ${changes.join("; ")}`);
  }
  lines.push(`Unchanged: ${diff.unchanged}`);
  lines.push(
    `Skipped, outside England: ${diff.skippedOutsideEngland.length}${diff.skippedOutsideEngland.length ? ` (${diff.skippedOutsideEngland.join(", ")})` : ""}`,
  );
  lines.push(`In the register but not in the file (kept, not deleted): ${diff.notInFile.length}`);
  for (const t of diff.notInFile) {
    const status = t.closedOn ? `closed on ${formatCalendarDate(t.closedOn)}` : "open";
    lines.push(`  ${t.odsCode}  ${t.name} (${status}${t.reason === "outside-england" ? "; the file lists it outside England" : ""})`);
  }
  return lines;
}

function main(argv: string[]) {
  const input = openImportFile(argv, CLI);
  if (!input) return;
  const { dryRun, text } = input;
  getDb();
  const actor = cliActor();
  const result = dryRun ? planOdsImport(text) : applyOdsImport(text, actor);
  if (isRefusal(result)) printRefusal(result, CLI);
  for (const line of describeDiff(result.diff, result.rows, dryRun)) console.log(line);
  console.log(dryRun ? "Dry run: nothing was changed." : "Imported.");
  closeDb();
}

runImport(() => main(process.argv.slice(2)));
