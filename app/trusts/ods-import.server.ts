/**
 * Refreshing the trust register from the NHS Digital ODS etr.csv file, exactly as it is published: no header
 * row, 27 quoted columns, one trust a line, dates yyyymmdd. Every line is validated first; a malformed file
 * is refused as a whole, with the line number and reason of each problem, and nothing changes. An import
 * adds new trusts, refreshes the ODS columns of known ones (keeping the enrichment), records closures, and
 * never deletes a trust. It runs in one write transaction with one audit event.
 */
import { createHash } from "node:crypto";
import { TZDate } from "@date-fns/tz";
import { parse } from "csv-parse/sync";
import { format } from "date-fns";
import { desc, eq } from "drizzle-orm";
import { auditEvents, trusts } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { csvProblem, decodeCsvBytes, isRefusal, readCsvUpload, refuse, type CsvFileRules, type FileProblem, type Refusal, type UploadResult } from "../files/csv-file.server";
import { displayName, ENGLISH_REGIONS, parseOdsRow, type OdsTrust } from "./ods";
import { diffRegister, type ParsedOdsFile, type RegisterDiff, type RegisterRow } from "./register-diff";

export const MAX_FILE_BYTES = 5_000_000;
export const MAX_FILE_LABEL = "5 MB";
/** At most this many problems are listed; the total is always given. */
export const MAX_LISTED_ERRORS = 50;
/** The audit event lists at most this many codes per kind of change; the counts are always complete. */
const MAX_AUDITED_CODES = 300;

// A refused file lists at most MAX_LISTED_ERRORS problems ("Line 3: expected 27 columns, found 26"), and says how many there are in all.
export { describeProblem, isRefusal, type FileProblem, type Refusal } from "../files/csv-file.server";

export interface ParsedFile extends ParsedOdsFile {
  /** Lines holding a trust (English or not). */
  rows: number;
  sha256: string;
}

export interface Plan {
  diff: RegisterDiff;
  rows: number;
  sha256: string;
}

export type PlanResult = Refusal | Plan;

const CSV_RULES: CsvFileRules = {
  maxBytes: MAX_FILE_BYTES,
  maxLabel: MAX_FILE_LABEL,
  zipReason: "The file is a zip archive: unzip etr.zip and use the etr.csv file inside it",
};

/** A file's bytes as text (see decodeCsvBytes): etr.zip must be unzipped first. */
export function decodeOdsBytes(bytes: Uint8Array): { text: string } | Refusal {
  return decodeCsvBytes(bytes, CSV_RULES);
}

const looksLikeHeader = (columns: readonly string[]) => /organi[sz]ation\s*code/i.test(columns[0] ?? "");

/**
 * Parses and validates the whole file. Each line is one record (the published format has no line breaks
 * inside fields), so every problem is reported with its exact line number. BOM, CRLF and LF are accepted;
 * blank lines are ignored.
 */
export function parseOdsFile(text: string): ParsedFile | Refusal {
  if (Buffer.byteLength(text, "utf8") > MAX_FILE_BYTES) return refuse(`The file must be smaller than ${MAX_FILE_LABEL}`);
  const errors: FileProblem[] = [];
  let totalErrors = 0;
  const problem = (line: number, reason: string) => {
    totalErrors++;
    if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, reason });
  };

  const result: ParsedOdsFile = { trusts: [], outsideEngland: [] };
  const seen = new Map<string, number>();
  let rows = 0;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === "") return;
    let records: string[][];
    try {
      records = parse(content, { relax_column_count: true, skip_empty_lines: false }) as string[][];
    } catch (error) {
      problem(line, csvProblem(error));
      return;
    }
    const columns = records[0] ?? [];
    if (rows === 0 && looksLikeHeader(columns)) {
      problem(line, "this is a header row, but the published etr.csv file has none: use the file as downloaded from NHS Digital");
      return;
    }
    const parsed = parseOdsRow(columns);
    if (parsed.kind === "error") {
      problem(line, parsed.reason);
      return;
    }
    rows++;
    const code = parsed.kind === "trust" ? parsed.trust.odsCode : parsed.odsCode;
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      problem(line, `trust ${code} is also on line ${earlier}`);
      return;
    }
    seen.set(code, line);
    if (parsed.kind === "trust") result.trusts.push(parsed.trust);
    else result.outsideEngland.push(parsed.odsCode);
  });

  if (totalErrors > 0) return { errors, totalErrors };
  if (rows === 0) return refuse("The file is empty: it has no trusts");
  return { ...result, rows, sha256: createHash("sha256").update(text, "utf8").digest("hex") };
}

/** The ODS columns of every trust in the register. */
export function readRegister(db: Db | Tx): RegisterRow[] {
  return db
    .select({
      odsCode: trusts.odsCode,
      odsName: trusts.odsName,
      name: trusts.name,
      regionCode: trusts.regionCode,
      icbCode: trusts.icbCode,
      addressLines: trusts.addressLines,
      postcode: trusts.postcode,
      openedOn: trusts.openedOn,
      closedOn: trusts.closedOn,
    })
    .from(trusts)
    .all();
}

/** The dry run: what an import of this file would change. Changes nothing. */
export function planOdsImport(text: string, db: Db = getDb()): PlanResult {
  const parsed = parseOdsFile(text);
  if (isRefusal(parsed)) return parsed;
  return { diff: diffRegister(readRegister(db), parsed), rows: parsed.rows, sha256: parsed.sha256 };
}

export interface ImportResult extends Plan {
  importedAt: string;
}

const londonDate = (now: Date) => format(new TZDate(now.getTime(), "Europe/London"), "yyyy-MM-dd");
const capped = (codes: string[]) => (codes.length > MAX_AUDITED_CODES ? [...codes.slice(0, MAX_AUDITED_CODES), "…"] : codes);

function newTrust(t: OdsTrust, source: string, now: string) {
  const ambulance = /\bAMBULANCE\b/i.test(t.odsName);
  return {
    ...t,
    name: displayName(t.odsName),
    regionName: ENGLISH_REGIONS[t.regionCode]!,
    broadType: ambulance ? ("ambulance" as const) : ("unknown" as const),
    isAmbulance: ambulance,
    source,
    createdAt: now,
  };
}

/**
 * Imports the file in one write transaction: the difference is worked out again inside it, against the
 * register as it is at that moment, then applied, with one audit event `trusts.ods-imported`. A malformed
 * file changes nothing and writes nothing.
 */
export function applyOdsImport(text: string, actor: Actor, options: { db?: Db; now?: Date } = {}): Refusal | ImportResult {
  const parsed = parseOdsFile(text);
  if (isRefusal(parsed)) return parsed;
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const source = `ODS etr import ${londonDate(now)}`;

  const diff = writeTransaction((tx) => {
    const diff = diffRegister(readRegister(tx), parsed);
    for (const t of diff.added) tx.insert(trusts).values(newTrust(t, source, nowIso)).run();
    for (const change of diff.changed) {
      const after = change.after;
      tx.update(trusts)
        .set({
          odsName: after.odsName,
          ...(change.renamed ? { name: displayName(after.odsName) } : {}),
          regionCode: after.regionCode,
          regionName: ENGLISH_REGIONS[after.regionCode]!,
          icbCode: after.icbCode,
          addressLines: after.addressLines,
          postcode: after.postcode,
          openedOn: after.openedOn,
          closedOn: after.closedOn,
          updatedAt: nowIso,
        })
        .where(eq(trusts.odsCode, change.odsCode))
        .run();
    }
    recordAudit(
      tx,
      actor,
      {
        action: "trusts.ods-imported",
        objectType: "register",
        objectId: "ods-etr",
        summary: {
          sha256: parsed.sha256,
          rows: parsed.rows,
          added: diff.added.length,
          renamed: diff.renamed.length,
          closed: diff.closed.length,
          updated: diff.updated.length,
          unchanged: diff.unchanged,
          skippedOutsideEngland: diff.skippedOutsideEngland.length,
          notInFile: diff.notInFile.length,
          addedCodes: capped(diff.added.map((t) => t.odsCode)),
          renamedCodes: capped(diff.renamed.map((c) => c.odsCode)),
          closedCodes: capped(diff.closed.map((c) => c.odsCode)),
          updatedCodes: capped(diff.updated.map((c) => c.odsCode)),
        },
      },
      now,
    );
    return diff;
  }, options.db ?? getDb());

  return { diff, rows: parsed.rows, sha256: parsed.sha256, importedAt: nowIso };
}

/** When the register was last imported from an ODS file, and by whom (from the audit trail). */
export function lastOdsImport(db: Db = getDb()): { occurredAt: string; actorLabel: string } | null {
  return (
    db
      .select({ occurredAt: auditEvents.occurredAt, actorLabel: auditEvents.actorLabel })
      .from(auditEvents)
      .where(eq(auditEvents.action, "trusts.ods-imported"))
      .orderBy(desc(auditEvents.seq))
      .limit(1)
      .get() ?? null
  );
}

/**
 * Reads the import form (multipart): only the fields `intent` and `file`, the file at most MAX_FILE_BYTES.
 * Anything other than intent=import is a dry run.
 */
export function readOdsUpload(request: Request): Promise<UploadResult> {
  return readCsvUpload(request, { ...CSV_RULES, missingReason: "Select an ODS etr.csv file" });
}
