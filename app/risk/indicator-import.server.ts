/**
 * Importing indicator history from CSV files, all or nothing. Two formats, told apart by the header row
 * (docs/indicators.md describes both for the people who make the files):
 *
 * 1. Deep Dive's long format: the header is exactly `ods_code,indicator,value,observed_on,source`, one
 *    observation a line. A trust or indicator Deep Dive does not know is an error.
 * 2. NHS England DSPT snapshots as published (open-cyber): columns found by name (`Code` or `ODS Code`,
 *    `Status`, optional `Date Of Publication`, optional `% of Win10 currently unsupported`), in any order,
 *    other columns ignored. The snapshots list organisations Deep Dive does not hold (closed and merged trusts,
 *    organisations that are not trusts): those rows are skipped and listed as warnings, not errors.
 *
 * Every line is checked before anything is written; a file with any error is refused as a whole, with the
 * line number and reason of each problem (the first MAX_LISTED_ERRORS, and the total). An accepted file is
 * written in one write transaction with one indicator_imports row and one audit event. Observations are
 * never changed: importing the same file again inserts nothing (the identity trust, indicator, date, source
 * and value is unique), and a file that would give a second, different value for the same trust, indicator,
 * date and source is refused.
 *
 * Lines are split first and each line parsed on its own (plain lines by splitting on commas, which is exact
 * for a CSV line without quotes; quoted lines by csv-parse), so every problem has its exact line number and a
 * 100,000-line file is checked in well under a second. A field must therefore not run over more than one line,
 * which neither format needs.
 */
import { createHash, randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { desc, eq } from "drizzle-orm";
import { indicatorImports, trusts } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { csvProblem, decodeCsvBytes, isRefusal, readCsvUpload, refuse, type CsvFileRules, type FileProblem, type Refusal, type UploadResult } from "../files/csv-file.server";
import {
  dsptPeriodInName,
  dsptYearEnd,
  londonToday,
  normaliseDsptStatus,
  normaliseIndicatorValue,
  parseDecimal,
  parseObservationDate,
} from "./indicator-csv";
import { listIndicators, type IndicatorRecord } from "./indicators.server";

export const MAX_FILE_BYTES = 20_000_000;
export const MAX_FILE_LABEL = "20 MB";
/** At most this many problems are listed; the total is always given. */
export const MAX_LISTED_ERRORS = 100;
/** Progress is reported every this many rows (and at the end). */
export const PROGRESS_EVERY = 10_000;
export const LONG_HEADER = ["ods_code", "indicator", "value", "observed_on", "source"] as const;
export const MAX_SOURCE_LENGTH = 200;
/** The DSPT snapshot column that holds the share of Windows 10 devices not supported (2021/22 snapshot). */
export const DSPT_DEVICE_COLUMN = "% of Win10 currently unsupported";
const DSPT_DEVICE_INDICATOR = "unsupported_devices_pct";
const DSPT_STATUS_INDICATOR = "dspt_status";
/** The audit event lists at most this many skipped codes; the count is always complete. */
const MAX_AUDITED_CODES = 300;

export type IndicatorFileFormat = "long" | "dspt";

// A refused file lists at most MAX_LISTED_ERRORS problems, and says how many there are in all.
export { describeProblem, isRefusal, type FileProblem, type Refusal } from "../files/csv-file.server";

export interface Observation {
  trustCode: string;
  indicatorCode: string;
  value: string;
  numericValue: number;
  observedOn: string;
  period: string | null;
  source: string;
  line: number;
}

export interface ParsedIndicatorFile {
  format: IndicatorFileFormat;
  /** The file's name without any folder (DSPT observations name it as their source). */
  fileName: string;
  sha256: string;
  /** Data lines in the file (not the header, not blank lines). */
  rows: number;
  observations: Observation[];
  /** DSPT rows for organisations not in the register, skipped: code and line. */
  skippedUnknownTrusts: { code: string; line: number }[];
  /** How the file was read, for people: which rule set the observed-on dates, what was skipped and why. */
  notes: string[];
}

export interface Progress {
  /** "checked": rows of the file checked; "imported": observations written. */
  phase: "checked" | "imported";
  done: number;
  total: number;
}

export interface ImportOptions {
  db?: Db;
  /** The time of the import, and the day dates must not be after (default now). */
  now?: Date;
  onProgress?: (progress: Progress) => void;
  /**
   * Called last inside the import's write transaction, just before COMMIT: throwing rolls the whole import back.
   * The page's worker uses it to claim the right to commit before its time limit can stop it (see
   * app/risk/indicator-import-worker.server.ts).
   */
  beforeCommit?: () => void;
}

export interface IndicatorCounts {
  code: string;
  label: string;
  observations: number;
  /** New observations (to insert on a check; inserted on an import). */
  added: number;
  alreadyPresent: number;
  earliest: string;
  latest: string;
}

export interface ImportSummary {
  format: IndicatorFileFormat;
  fileName: string;
  sha256: string;
  rows: number;
  observations: number;
  /** New observations: to insert (a check) or inserted (an import). */
  inserted: number;
  alreadyPresent: number;
  skippedUnknownTrusts: number;
  skippedTrustCodes: string[];
  byIndicator: IndicatorCounts[];
  notes: string[];
  /** Earlier imports of exactly this file (same SHA-256). */
  earlierImports: { importedAt: string; importedBy: string }[];
}

export interface ImportResult extends ImportSummary {
  importId: string;
  importedAt: string;
}

// ── Reading the text ────────────────────────────────────────────────────────────────────────────────────

const CSV_RULES: CsvFileRules = {
  maxBytes: MAX_FILE_BYTES,
  maxLabel: MAX_FILE_LABEL,
  zipReason: "The file is a zip archive (or an Excel workbook): save it as CSV and select the CSV file",
};

/** A file's bytes as text (see decodeCsvBytes): an Excel workbook is refused like a zip archive. */
export function decodeIndicatorBytes(bytes: Uint8Array): { text: string } | Refusal {
  return decodeCsvBytes(bytes, CSV_RULES);
}

/** One line's fields: split on commas when it has no quotes (exact), csv-parse when it has. */
function splitLine(content: string): string[] | { problem: string } {
  if (!content.includes('"')) return content.split(",");
  try {
    const records = parse(content, { relax_column_count: true, skip_empty_lines: false, relax_quotes: false }) as string[][];
    return records[0] ?? [""];
  } catch (error) {
    return { problem: csvProblem(error) };
  }
}

/** A line with nothing in it, or only commas (as spreadsheets leave at the end): not a row. */
const isBlank = (content: string) => /^[\s,]*$/.test(content);

const baseName = (fileName: string) => fileName.split(/[\\/]/).pop() || fileName;

/** The snapshot date in a file name (`snapshot_2022-09-09`), checked; undefined if the name has none. */
function snapshotDateInName(fileName: string, today: string): { date: string } | { problem: string } | undefined {
  const match = /snapshot_(\d{4}-\d{2}-\d{2})/i.exec(fileName);
  if (!match) return undefined;
  const parsed = parseObservationDate(match[1]!, today);
  return parsed.ok ? { date: parsed.date } : { problem: `the file name's snapshot date: ${parsed.error}` };
}

interface Context {
  trusts: Set<string>;
  indicators: Map<string, IndicatorRecord>;
  today: string;
}

function loadContext(db: Db, now: Date): Context {
  return {
    trusts: new Set(db.select({ code: trusts.odsCode }).from(trusts).all().map((t) => t.code)),
    indicators: new Map(listIndicators(db).map((i) => [i.code, i])),
    today: londonToday(now),
  };
}

const headerName = (cell: string) => cell.trim().toLowerCase().replace(/\s+/g, " ");

/** How the file is laid out, from its header row; or why it is not a file Deep Dive reads. */
type Layout =
  | { format: "long" }
  | { format: "dspt"; code: number; status: number; published: number | null; devices: number | null; width: number };

function detectLayout(header: string[]): Layout | { problem: string } {
  const cells = header.map((c) => c.trim());
  if (cells.length === LONG_HEADER.length && cells.every((c, i) => c === LONG_HEADER[i])) return { format: "long" };
  const names = cells.map(headerName);
  const find = (...wanted: string[]) => {
    for (const w of wanted) {
      const index = names.indexOf(w);
      if (index >= 0) return index;
    }
    return -1;
  };
  const code = find("ods code", "code");
  const status = find("status");
  if (code >= 0 || status >= 0) {
    if (code < 0) return { problem: "the file has a Status column but no Code or ODS Code column, so it is not a DSPT snapshot Deep Dive can read" };
    if (status < 0) return { problem: "the file has a Code column but no Status column, so it is not a DSPT snapshot Deep Dive can read" };
    const published = find("date of publication");
    const devices = find(headerName(DSPT_DEVICE_COLUMN));
    return { format: "dspt", code, status, published: published >= 0 ? published : null, devices: devices >= 0 ? devices : null, width: cells.length };
  }
  if (names.some((n) => (LONG_HEADER as readonly string[]).includes(n))) {
    return { problem: `the header row must be exactly ${LONG_HEADER.join(",")} (found ${cells.join(",")})` };
  }
  return {
    problem: `the header row is not one Deep Dive reads: use ${LONG_HEADER.join(",")}, or an NHS England DSPT snapshot with Code (or ODS Code) and Status columns`,
  };
}

// ── Parsing and checking ────────────────────────────────────────────────────────────────────────────────

/**
 * Reads and checks the whole file against the register and the indicators in the database: the observations
 * it holds, or every problem with its line number. Changes nothing.
 */
export function parseIndicatorFile(text: string, fileName: string, options: ImportOptions = {}): ParsedIndicatorFile | Refusal {
  const db = options.db ?? getDb();
  return parseWithContext(text, fileName, loadContext(db, options.now ?? new Date()), db, options.onProgress);
}

function parseWithContext(text: string, fileName: string, context: Context, db: Db, onProgress?: (p: Progress) => void): ParsedIndicatorFile | Refusal {
  if (Buffer.byteLength(text, "utf8") > MAX_FILE_BYTES) return refuse(`The file must be smaller than ${MAX_FILE_LABEL}`);
  const name = baseName(fileName);
  const body = text.replace(/^\uFEFF/, "");
  // The SHA-256 of the text as UTF-8 without a byte order mark: the same whether it came from a form, the CLI or a file.
  const sha256 = createHash("sha256").update(body, "utf8").digest("hex");
  const lines = body.split(/\r\n|\n|\r/);

  const errors: FileProblem[] = [];
  let totalErrors = 0;
  const problem = (line: number | null, reason: string) => {
    totalErrors++;
    if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, reason });
  };

  const headerIndex = lines.findIndex((l) => !isBlank(l));
  if (headerIndex < 0) return refuse("The file is empty: it has no header row and no observations");
  const headerFields = splitLine(lines[headerIndex]!);
  if ("problem" in headerFields) return refuse(headerFields.problem, headerIndex + 1);
  const layout = detectLayout(headerFields);
  if ("problem" in layout) return refuse(layout.problem, headerIndex + 1);

  let total = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) if (!isBlank(lines[i]!)) total++;
  if (total === 0) return refuse("The file has a header row but no observations", headerIndex + 1);

  const observations: Observation[] = [];
  const skippedUnknownTrusts: { code: string; line: number }[] = [];
  const notes: string[] = [];
  const ctx: RowContext = { context, problem, observations, skippedUnknownTrusts };
  const handler = layout.format === "long" ? longRowHandler(ctx) : dsptRowHandler(ctx, layout, name, notes);

  let rows = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const content = lines[i]!;
    if (isBlank(content)) continue;
    rows++;
    const line = i + 1;
    const fields = splitLine(content);
    if ("problem" in fields) problem(line, fields.problem);
    else handler.row(fields, line);
    if (rows % PROGRESS_EVERY === 0) onProgress?.({ phase: "checked", done: rows, total });
  }
  handler.finish();
  if (rows % PROGRESS_EVERY !== 0) onProgress?.({ phase: "checked", done: rows, total });

  if (totalErrors === 0) checkAgainstHistory(db, observations, problem);
  if (totalErrors > 0) return { errors, totalErrors };
  if (observations.length === 0 && skippedUnknownTrusts.length === 0) return refuse("The file has no observations");
  return { format: layout.format, fileName: name, sha256, rows, observations, skippedUnknownTrusts, notes };
}

interface RowContext {
  context: Context;
  problem: (line: number | null, reason: string) => void;
  observations: Observation[];
  skippedUnknownTrusts: { code: string; line: number }[];
}

interface RowHandler {
  row: (fields: string[], line: number) => void;
  finish: () => void;
}

const identityKey = (o: Pick<Observation, "trustCode" | "indicatorCode" | "observedOn" | "source">) =>
  `${o.trustCode}\u0000${o.indicatorCode}\u0000${o.observedOn}\u0000${o.source}`;

/** Deep Dive's long format: one observation a line, everything checked. */
function longRowHandler({ context, problem, observations }: RowContext): RowHandler {
  /** Trust, indicator, date and source → the line and value that gave it, to catch repeats in the file. */
  const seen = new Map<string, { line: number; value: string }>();
  return {
    row(fields, line) {
      if (fields.length !== LONG_HEADER.length) {
        problem(line, `expected ${LONG_HEADER.length} columns (${LONG_HEADER.join(",")}), found ${fields.length}`);
        return;
      }
      const [rawCode, rawIndicator, rawValue, rawDate, rawSource] = fields.map((f) => f.trim()) as [string, string, string, string, string];
      let ok = true;
      const fail = (reason: string) => {
        ok = false;
        problem(line, reason);
      };
      const trustCode = rawCode.toUpperCase();
      if (trustCode === "") fail("the ODS code is empty");
      else if (!context.trusts.has(trustCode)) fail(`trust ${JSON.stringify(rawCode)} is not in the register`);

      const indicator = context.indicators.get(rawIndicator) ?? context.indicators.get(rawIndicator.toLowerCase());
      let value: ReturnType<typeof normaliseIndicatorValue> | null = null;
      if (rawIndicator === "") fail("the indicator is empty");
      else if (!indicator) fail(`indicator ${JSON.stringify(rawIndicator)} is not known: an admin can add it on the Indicators page`);
      else if (indicator.origin === "computed") fail(`${indicator.code} is worked out by Deep Dive from its own inspections: it cannot be imported`);
      else {
        value = normaliseIndicatorValue(indicator, rawValue);
        if (!value.ok) fail(value.error);
      }

      const date = parseObservationDate(rawDate, context.today);
      if (!date.ok) fail(date.error.replace(/^the date/, "the observed_on date"));

      if (rawSource === "") fail("the source is empty: say where the value comes from");
      else if (rawSource.length > MAX_SOURCE_LENGTH) fail(`the source must be ${MAX_SOURCE_LENGTH} characters or fewer`);

      if (!ok || !indicator || !value?.ok || !date.ok) return;
      const observation: Observation = {
        trustCode,
        indicatorCode: indicator.code,
        value: value.value,
        numericValue: value.numericValue,
        observedOn: date.date,
        period: value.period,
        source: rawSource,
        line,
      };
      const key = identityKey(observation);
      const earlier = seen.get(key);
      if (earlier) {
        problem(
          line,
          earlier.value === observation.value
            ? `repeats line ${earlier.line} (${trustCode} ${indicator.code} on ${date.date} from the same source)`
            : `gives ${trustCode} ${indicator.code} on ${date.date} from the same source a second value (${observation.value}; line ${earlier.line} gives ${earlier.value})`,
        );
        return;
      }
      seen.set(key, { line, value: observation.value });
      observations.push(observation);
    },
    finish() {},
  };
}

/**
 * An NHS England DSPT snapshot. The date each status was observed on is, in order of preference: the row's
 * Date Of Publication; else the snapshot date in the file name (`snapshot_YYYY-MM-DD`); else the end of the
 * DSPT year the status names (30 June after it: 2021/22 → 2022-06-30). A status without a year ("Not
 * Published", "#N/A") takes the year most rows of the file name, else the year in the file name.
 */
function dsptRowHandler(
  { context, problem, observations, skippedUnknownTrusts }: RowContext,
  layout: Extract<Layout, { format: "dspt" }>,
  fileName: string,
  notes: string[],
): RowHandler {
  const source = `NHS England DSPT snapshot ${fileName}`;
  const statusIndicator = context.indicators.get(DSPT_STATUS_INDICATOR);
  const deviceIndicator = layout.devices !== null ? context.indicators.get(DSPT_DEVICE_INDICATOR) : undefined;
  const snapshot = snapshotDateInName(fileName, context.today);
  const seen = new Map<string, number>();
  const periods = new Map<string, number>();
  /** Observations waiting for the file's year (their status named none) or for a date from it. */
  const pending: { status: Observation; device: Observation | null; hasDate: boolean }[] = [];
  let devicesMissing = 0;
  let publicationDates = 0;
  const width = Math.max(layout.code, layout.status, layout.published ?? 0, layout.devices ?? 0) + 1;

  if (!statusIndicator) problem(null, "the dspt_status indicator is missing from the database");

  return {
    row(fields, line) {
      if (fields.length < width) {
        problem(line, `expected ${layout.width} columns as in the header, found ${fields.length}`);
        return;
      }
      const rawCode = fields[layout.code]!.trim();
      const trustCode = rawCode.toUpperCase();
      if (trustCode === "") {
        problem(line, "the Code is empty");
        return;
      }
      const earlier = seen.get(trustCode);
      if (earlier !== undefined) {
        problem(line, `trust ${trustCode} is also on line ${earlier}`);
        return;
      }
      seen.set(trustCode, line);
      if (!context.trusts.has(trustCode)) {
        skippedUnknownTrusts.push({ code: trustCode, line });
        return;
      }
      const status = normaliseDsptStatus(fields[layout.status]!);
      if (!status.ok) {
        problem(line, status.error);
        return;
      }
      if (status.period) periods.set(status.period, (periods.get(status.period) ?? 0) + 1);

      let observedOn = "";
      const rawPublished = layout.published !== null ? fields[layout.published]!.trim() : "";
      if (rawPublished !== "") {
        const date = parseObservationDate(rawPublished, context.today);
        if (!date.ok) {
          problem(line, date.error.replace(/^the date/, "the Date Of Publication"));
          return;
        }
        observedOn = date.date;
        publicationDates++;
      } else if (snapshot && "date" in snapshot) {
        observedOn = snapshot.date;
      }

      let device: Observation | null = null;
      if (deviceIndicator && layout.devices !== null) {
        const raw = fields[layout.devices]!.trim();
        if (parseDecimal(raw) === null) devicesMissing++;
        else {
          const value = normaliseIndicatorValue(deviceIndicator, raw);
          if (!value.ok) {
            problem(line, `${DSPT_DEVICE_COLUMN}: ${value.error}`);
            return;
          }
          device = { trustCode, indicatorCode: deviceIndicator.code, value: value.value, numericValue: value.numericValue, observedOn, period: null, source, line };
        }
      }
      if (!statusIndicator) return;
      const observation: Observation = {
        trustCode,
        indicatorCode: statusIndicator.code,
        value: status.value,
        numericValue: statusIndicator.categories?.indexOf(status.value) ?? 0,
        observedOn,
        period: status.period,
        source,
        line,
      };
      if (observation.period && observation.observedOn) {
        observations.push(observation);
        if (device) observations.push(device);
      } else {
        pending.push({ status: observation, device, hasDate: observedOn !== "" });
      }
    },
    finish() {
      const named = [...periods.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      const filePeriod = named ?? dsptPeriodInName(fileName);
      const needsSnapshot = pending.some((p) => !p.hasDate);
      if (needsSnapshot && snapshot && "problem" in snapshot) problem(null, snapshot.problem);
      for (const { status, device, hasDate } of pending) {
        status.period ??= filePeriod;
        if (!hasDate) {
          const end = status.period ? dsptYearEnd(status.period) : null;
          if (!end) {
            problem(
              status.line,
              "there is no date for this status: the row has no Date Of Publication, the file name has no snapshot_YYYY-MM-DD date and the status names no DSPT year",
            );
            continue;
          }
          status.observedOn = end > context.today ? context.today : end;
          if (device) device.observedOn = status.observedOn;
        }
        observations.push(status);
        if (device) observations.push(device);
      }
      observations.sort((a, b) => a.line - b.line || (a.indicatorCode === DSPT_STATUS_INDICATOR ? -1 : 1));

      const statuses = observations.filter((o) => o.indicatorCode === DSPT_STATUS_INDICATOR).length;
      if (publicationDates > 0) notes.push(`${publicationDates} of ${statuses} statuses are dated by their Date Of Publication.`);
      if (statuses > publicationDates) {
        notes.push(
          snapshot && "date" in snapshot
            ? `${statuses - publicationDates} statuses are dated ${snapshot.date}, the snapshot date in the file name.`
            : `${statuses - publicationDates} statuses are dated 30 June at the end of their DSPT year.`,
        );
      }
      if (layout.devices !== null) {
        const devices = observations.length - statuses;
        notes.push(
          `${devices} values of "${DSPT_DEVICE_COLUMN}" are imported as ${DSPT_DEVICE_INDICATOR}${devicesMissing ? ` (${devicesMissing} rows had no number)` : ""}. ` +
            "NHS England does not document exactly what this column measures: it is read as the share of the trust's active Windows 10 devices on a version no longer supported.",
        );
      }
      if (skippedUnknownTrusts.length > 0) {
        notes.push(
          `${skippedUnknownTrusts.length} organisations in the file are not in the register (closed or merged trusts, or not trusts) and were skipped: ${skippedUnknownTrusts.map((s) => s.code).join(", ")}.`,
        );
      }
    },
  };
}

/**
 * Observations are never changed: a value for a trust, indicator, date and source that is already recorded
 * with a different value is an error (import a correction with its own source or date). The same value is
 * simply already present.
 */
function checkAgainstHistory(db: Db, observations: Observation[], problem: (line: number, reason: string) => void) {
  const existing = existingValues(db, observations);
  for (const o of observations) {
    const recorded = existing.get(identityKey(o));
    if (recorded !== undefined && !recorded.includes(o.value)) {
      problem(
        o.line,
        `${o.trustCode} ${o.indicatorCode} on ${o.observedOn} from this source is already recorded as ${recorded.join(", ")}: observations are never changed, so import a correction under a new source or date`,
      );
    }
  }
}

/** The values already recorded for the sources in the file, by trust, indicator, date and source. */
function existingValues(db: Db, observations: Observation[]): Map<string, string[]> {
  const sources = [...new Set(observations.map((o) => o.source))];
  const rows = db.$client
    .prepare(
      "SELECT trust_code AS trustCode, indicator_code AS indicatorCode, observed_on AS observedOn, source, value FROM indicator_observations WHERE source IN (SELECT value FROM json_each(?))",
    )
    .all(JSON.stringify(sources)) as (Pick<Observation, "trustCode" | "indicatorCode" | "observedOn" | "source" | "value">)[];
  const map = new Map<string, string[]>();
  for (const row of rows) {
    const key = identityKey(row);
    const list = map.get(key);
    if (list) list.push(row.value);
    else map.set(key, [row.value]);
  }
  return map;
}

// ── Summaries, the dry run and the import ───────────────────────────────────────────────────────────────

function earlierImportsOf(db: Db, sha256: string) {
  return db
    .select({ importedAt: indicatorImports.importedAt, importedBy: indicatorImports.importedBy })
    .from(indicatorImports)
    .where(eq(indicatorImports.sha256, sha256))
    .orderBy(desc(indicatorImports.importedAt))
    .all();
}

function summarise(
  parsed: ParsedIndicatorFile,
  isNew: (o: Observation) => boolean,
  context: Context,
  earlierImports: ImportSummary["earlierImports"],
): ImportSummary {
  const by = new Map<string, IndicatorCounts>();
  let inserted = 0;
  for (const o of parsed.observations) {
    let counts = by.get(o.indicatorCode);
    if (!counts) {
      counts = { code: o.indicatorCode, label: context.indicators.get(o.indicatorCode)?.label ?? o.indicatorCode, observations: 0, added: 0, alreadyPresent: 0, earliest: o.observedOn, latest: o.observedOn };
      by.set(o.indicatorCode, counts);
    }
    counts.observations++;
    if (isNew(o)) {
      counts.added++;
      inserted++;
    } else counts.alreadyPresent++;
    if (o.observedOn < counts.earliest) counts.earliest = o.observedOn;
    if (o.observedOn > counts.latest) counts.latest = o.observedOn;
  }
  const order = [...context.indicators.keys()];
  return {
    format: parsed.format,
    fileName: parsed.fileName,
    sha256: parsed.sha256,
    rows: parsed.rows,
    observations: parsed.observations.length,
    inserted,
    alreadyPresent: parsed.observations.length - inserted,
    skippedUnknownTrusts: parsed.skippedUnknownTrusts.length,
    skippedTrustCodes: parsed.skippedUnknownTrusts.map((s) => s.code).sort(),
    byIndicator: [...by.values()].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code)),
    notes: parsed.notes,
    earlierImports,
  };
}

/** The dry run ("Check the file"): what an import would add, per indicator, or every problem. Changes nothing. */
export function planIndicatorImport(text: string, fileName: string, options: ImportOptions = {}): ImportSummary | Refusal {
  const db = options.db ?? getDb();
  const context = loadContext(db, options.now ?? new Date());
  const parsed = parseWithContext(text, fileName, context, db, options.onProgress);
  if (isRefusal(parsed)) return parsed;
  const existing = existingValues(db, parsed.observations);
  return summarise(parsed, (o) => !existing.get(identityKey(o))?.includes(o.value), context, earlierImportsOf(db, parsed.sha256));
}

const INSERT_OBSERVATION = `INSERT INTO indicator_observations
  (trust_code, indicator_code, value, numeric_value, observed_on, period, source, import_id, is_demo)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (trust_code, indicator_code, observed_on, source, value) DO NOTHING`;

/** Inserts observations with one prepared statement (inside the caller's transaction): which ones were new. */
export function insertObservations(
  db: Db,
  observations: readonly Omit<Observation, "line">[],
  importId: string,
  isDemo: boolean,
  onInserted?: (done: number) => void,
): boolean[] {
  const statement = db.$client.prepare(INSERT_OBSERVATION);
  const demo = isDemo ? 1 : 0;
  const added: boolean[] = new Array<boolean>(observations.length);
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    added[i] = statement.run(o.trustCode, o.indicatorCode, o.value, o.numericValue, o.observedOn, o.period, o.source, importId, demo).changes > 0;
    if (onInserted && (i + 1) % PROGRESS_EVERY === 0) onInserted(i + 1);
  }
  return added;
}

/**
 * Imports the file: checks it all, then in one write transaction records the import (indicator_imports, with
 * the file's SHA-256), inserts the observations that are not already there, and writes one audit event
 * `indicators.imported` with the counts. Progress is reported every PROGRESS_EVERY rows checked and
 * observations written. A file with any problem changes nothing.
 */
export function importIndicatorFile(text: string, fileName: string, actor: Actor, options: ImportOptions = {}): ImportResult | Refusal {
  const db = options.db ?? getDb();
  const now = options.now ?? new Date();
  const context = loadContext(db, now);
  const parsed = parseWithContext(text, fileName, context, db, options.onProgress);
  if (isRefusal(parsed)) return parsed;
  const importId = randomUUID();
  const importedAt = now.toISOString();
  const total = parsed.observations.length;

  const summary = writeTransaction((tx) => {
    const earlierImports = earlierImportsOf(db, parsed.sha256);
    tx.insert(indicatorImports)
      .values({ id: importId, fileName: parsed.fileName, sha256: parsed.sha256, format: parsed.format, rowCount: parsed.rows, insertedCount: 0, importedBy: actor.label, importedAt })
      .run();
    const added = insertObservations(db, parsed.observations, importId, false, (done) => options.onProgress?.({ phase: "imported", done, total }));
    if (total % PROGRESS_EVERY !== 0) options.onProgress?.({ phase: "imported", done: total, total });
    const fresh = new Set(parsed.observations.filter((_, i) => added[i]));
    const summary = summarise(parsed, (o) => fresh.has(o), context, earlierImports);
    tx.update(indicatorImports).set({ insertedCount: summary.inserted }).where(eq(indicatorImports.id, importId)).run();
    recordAudit(
      tx,
      actor,
      {
        action: "indicators.imported",
        objectType: "indicator_import",
        objectId: importId,
        summary: {
          fileName: parsed.fileName,
          format: parsed.format,
          sha256: parsed.sha256,
          rows: parsed.rows,
          observations: total,
          inserted: summary.inserted,
          alreadyPresent: summary.alreadyPresent,
          skippedUnknownTrusts: summary.skippedUnknownTrusts,
          skippedTrustCodes: summary.skippedTrustCodes.slice(0, MAX_AUDITED_CODES),
          byIndicator: Object.fromEntries(summary.byIndicator.map((c) => [c.code, { observations: c.observations, inserted: c.added }])),
        },
      },
      now,
    );
    options.beforeCommit?.();
    return summary;
  }, db);
  return { ...summary, importId, importedAt };
}

export interface ImportRecord {
  id: string;
  fileName: string;
  format: "long" | "dspt" | "demo";
  rowCount: number;
  insertedCount: number;
  importedBy: string;
  importedAt: string;
}

/** The latest imports, newest first. */
export function recentIndicatorImports(limit = 10, db: Db = getDb()): ImportRecord[] {
  return db.select().from(indicatorImports).orderBy(desc(indicatorImports.importedAt)).limit(limit).all().map((r) => ({ ...r }));
}

// ── The upload form ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Reads the import form (multipart): only the fields `intent` and `file`, the file at most MAX_FILE_BYTES.
 * Anything other than intent=import is a check (dry run).
 */
export function readIndicatorUpload(request: Request): Promise<UploadResult> {
  return readCsvUpload(request, { ...CSV_RULES, missingReason: "Select a CSV file of indicator values", fallbackName: "upload.csv" });
}
