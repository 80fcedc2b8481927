/**
 * Indicator history: importing files in both formats (fixtures in tests/fixtures/indicators, the real NHS
 * England DSPT snapshots in db/reference), refusing bad files whole, re-imports that change nothing, a
 * 100,000-row file, the demo history, adding an indicator, the CLI run for real, and the pages over HTTP.
 * Real SQLite databases throughout (copies of the template, or empty ones).
 */
import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain, type Actor } from "../../app/audit/audit.server";
import { boot } from "../../app/boot.server";
import { resetConfigForTests } from "../../app/config.server";
import type { Db } from "../../app/db.server";
import {
  importIndicatorFile,
  isRefusal,
  parseIndicatorFile,
  planIndicatorImport,
  type ImportResult,
  type Progress,
  type Refusal,
} from "../../app/risk/indicator-import.server";
import { createIndicator, ensureBuiltInIndicators, IndicatorError, listIndicators } from "../../app/risk/indicators.server";
import { demoHistoryForTrust, demoSource, REAL_DSPT_SNAPSHOTS } from "../../db/demo-indicators.server";
import { DEMO_SEED } from "../../db/seed.server";
import { loadReferenceRegister } from "../../app/trusts/reference.server";
import { copyTemplateDatabase, openDatabase, useEmptyDatabase, useFreshDatabase } from "../support/database";
import { Client, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const fixture = (name: string) => path.resolve("tests", "fixtures", "indicators", name);
const readFixture = (name: string) => readFileSync(fixture(name), "utf8");
const reference = (name: string) => readFileSync(path.resolve("db", "reference", name), "utf8");
const [DSPT_2021_22, DSPT_2022_23] = REAL_DSPT_SNAPSHOTS;
const DSPT_REORDERED = "dspt_trusts_2023-24_reordered_snapshot_2024-07-15.csv";

const ACTOR: Actor = { userId: null, label: "cli:test", clientAddress: null };
const NOW = new Date("2026-11-30T10:00:00Z");

type Row = Record<string, unknown>;

/** Everything an import could touch, as counts and the head of the audit chain. */
function state(db: Db) {
  const n = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;
  return {
    observations: n("SELECT count(*) AS n FROM indicator_observations"),
    imports: n("SELECT count(*) AS n FROM indicator_imports"),
    indicators: n("SELECT count(*) AS n FROM indicators"),
    audit: n("SELECT count(*) AS n FROM audit_events"),
    auditHead: (db.$client.prepare("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1").get() as { hash: string } | undefined)?.hash ?? null,
  };
}

const rows = (db: Db, sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as Row[];
const lastAudit = (db: Db) => db.$client.prepare("SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1").get() as Row;
const observationsFrom = (db: Db, source: string) =>
  rows(db, "SELECT trust_code, indicator_code, value, numeric_value, observed_on, period, is_demo FROM indicator_observations WHERE source = ? ORDER BY trust_code, indicator_code, observed_on", source);

function imported(result: ImportResult | Refusal): ImportResult {
  if (isRefusal(result)) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result;
}
function refusal(result: object): Refusal {
  if (!isRefusal(result)) throw new Error(`accepted: ${JSON.stringify(result).slice(0, 500)}`);
  return result;
}

/** An install with the real register and the built-in indicators, and no demo data (DEMO_DATA=off). */
function useRegisterOnly() {
  const { db } = useEmptyDatabase();
  loadReferenceRegister(db);
  ensureBuiltInIndicators(db);
  return db;
}

describe("the long format", () => {
  it("imports a file with a BOM and CRLF line endings, with one import record and one audit event", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    const result = imported(importIndicatorFile(readFixture("long-valid.csv"), "long-valid.csv", ACTOR, { now: NOW }));

    expect(result).toMatchObject({ format: "long", fileName: "long-valid.csv", rows: 11, observations: 11, inserted: 11, alreadyPresent: 0, skippedUnknownTrusts: 0 });
    expect(result.byIndicator.map((c) => [c.code, c.observations, c.added])).toEqual([
      ["dspt_status", 2, 2],
      ["unsupported_devices_pct", 2, 2],
      ["critical_patches_14d_pct", 2, 2],
      ["unacked_high_alerts_48h", 1, 1],
      ["ceplus_current", 2, 2],
      ["incidents_12m", 2, 2],
    ]);

    const stored = observationsFrom(db, "Trust return March 2026");
    expect(stored).toHaveLength(10);
    expect(stored).toContainEqual({ trust_code: "RJ1", indicator_code: "critical_patches_14d_pct", value: "87.5", numeric_value: 87.5, observed_on: "2026-03-31", period: null, is_demo: 0 });
    expect(stored).toContainEqual({ trust_code: "RJ1", indicator_code: "ceplus_current", value: "1", numeric_value: 1, observed_on: "2026-03-31", period: null, is_demo: 0 });
    expect(stored).toContainEqual({ trust_code: "RRU", indicator_code: "dspt_status", value: "met", numeric_value: 1, observed_on: "2025-06-27", period: "2024/25", is_demo: 0 });
    expect(stored).toContainEqual({ trust_code: "RRU", indicator_code: "ceplus_current", value: "0", numeric_value: 0, observed_on: "2026-04-01", period: null, is_demo: 0 });
    expect(stored).toContainEqual({ trust_code: "RTD", indicator_code: "dspt_status", value: "approaching", numeric_value: 2, observed_on: "2025-06-30", period: null, is_demo: 0 });
    expect(observationsFrom(db, "Trust return, March 2026 (corrected)")).toEqual([
      { trust_code: "RTD", indicator_code: "incidents_12m", value: "12", numeric_value: 12, observed_on: "2026-03-31", period: null, is_demo: 0 },
    ]);

    const after = state(db);
    expect(after.observations).toBe(before.observations + 11);
    expect(after.imports).toBe(before.imports + 1);
    expect(after.audit).toBe(before.audit + 1);
    const record = db.$client.prepare("SELECT * FROM indicator_imports WHERE id = ?").get(result.importId) as Row;
    expect(record).toMatchObject({ file_name: "long-valid.csv", format: "long", row_count: 11, inserted_count: 11, imported_by: "cli:test", imported_at: NOW.toISOString(), sha256: result.sha256 });
    expect(rows(db, "SELECT DISTINCT import_id FROM indicator_observations WHERE source LIKE 'Trust return%'")).toEqual([{ import_id: result.importId }]);

    const event = lastAudit(db);
    expect(event).toMatchObject({ action: "indicators.imported", actor_label: "cli:test", object_type: "indicator_import", object_id: result.importId, occurred_at: NOW.toISOString() });
    expect(JSON.parse(event.summary as string)).toMatchObject({ fileName: "long-valid.csv", format: "long", rows: 11, observations: 11, inserted: 11, alreadyPresent: 0, skippedUnknownTrusts: 0 });
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it("reads the same observations with LF endings and no BOM", () => {
    useFreshDatabase();
    const crlf = parseIndicatorFile(readFixture("long-valid.csv"), "a.csv", { now: NOW });
    const lf = parseIndicatorFile(readFixture("long-valid.csv").replace(/^\uFEFF/, "").replaceAll("\r\n", "\n"), "a.csv", { now: NOW });
    if (isRefusal(crlf) || isRefusal(lf)) throw new Error("refused");
    expect(lf.observations).toEqual(crlf.observations);
  });

  it("refuses a file with bad rows, listing every problem with its line, and changes nothing", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    const text = readFixture("long-bad.csv");
    for (const result of [importIndicatorFile(text, "long-bad.csv", ACTOR, { now: NOW }), planIndicatorImport(text, "long-bad.csv", { now: NOW })]) {
      const { errors, totalErrors } = refusal(result);
      expect(totalErrors).toBe(14);
      expect(errors).toEqual([
        { line: 3, reason: 'trust "XYZ" is not in the register' },
        { line: 4, reason: 'indicator "printer_toner_pct" is not known: an admin can add it on the Indicators page' },
        { line: 5, reason: '"120" for unsupported_devices_pct is not a percentage from 0 to 100' },
        { line: 6, reason: 'the observed_on date "2026-02-30" is not a real date' },
        { line: 7, reason: 'the observed_on date "2099-01-01" is in the future' },
        { line: 8, reason: "expected 5 columns (ods_code,indicator,value,observed_on,source), found 4" },
        { line: 9, reason: '"2.5" for unacked_high_alerts_48h is not a whole number from 0 to 1000' },
        { line: 10, reason: "overdue_actions is worked out by Deep Dive from its own inspections: it cannot be imported" },
        { line: 11, reason: '"maybe" for ceplus_current is not yes or no (use 1 or 0, true or false, yes or no)' },
        { line: 11, reason: "the source is empty: say where the value comes from" },
        { line: 12, reason: "repeats line 2 (RJ1 incidents_12m on 2026-03-31 from the same source)" },
        { line: 13, reason: "gives RJ1 incidents_12m on 2026-03-31 from the same source a second value (5; line 2 gives 2)" },
        { line: 14, reason: '"Good" is not a category of dspt_status (exceeded, met, approaching, not_met, not_published)' },
        { line: 15, reason: "a closing quote is followed by something other than a comma" },
      ]);
    }
    expect(state(db)).toEqual(before);
    expect(observationsFrom(db, "Trust return March 2026")).toEqual([]); // not even the good lines 2 and 16
  });

  it("refuses empty files, unknown headers, missing columns and oversized files as a whole", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    const reasons = (text: string, name = "values.csv") => refusal(importIndicatorFile(text, name, ACTOR, { now: NOW })).errors;

    expect(reasons("")).toEqual([{ line: null, reason: "The file is empty: it has no header row and no observations" }]);
    expect(reasons("\r\n\r\n,,,\r\n")).toEqual([{ line: null, reason: "The file is empty: it has no header row and no observations" }]);
    expect(reasons("ods_code,indicator,value,observed_on,source\r\n")).toEqual([{ line: 1, reason: "The file has a header row but no observations" }]);
    expect(reasons("ods_code,indicator,value,observed_on\nRJ1,incidents_12m,1,2026-01-01\n")).toEqual([
      { line: 1, reason: "the header row must be exactly ods_code,indicator,value,observed_on,source (found ods_code,indicator,value,observed_on)" },
    ]);
    expect(reasons("trust,measure,amount\nRJ1,incidents_12m,1\n")[0]!.reason).toContain("the header row is not one Deep Dive reads");
    expect(reasons("ODS Code,Organisation Name\nRJ1,Guy's\n")).toEqual([
      { line: 1, reason: "the file has a Code column but no Status column, so it is not a DSPT snapshot Deep Dive can read" },
    ]);
    const line = "RJ1,incidents_12m,1,2026-01-01,A source long enough to make a large file quickly ...........................\n";
    const huge = `ods_code,indicator,value,observed_on,source\n${line.repeat(Math.ceil(20_000_001 / line.length))}`;
    expect(reasons(huge)).toEqual([{ line: null, reason: "The file must be smaller than 20 MB" }]);
    expect(state(db)).toEqual(before);
  });

  it("is all or nothing: one bad row among thousands of good ones imports nothing", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    const lines = ["ods_code,indicator,value,observed_on,source"];
    for (let i = 0; i < 5000; i++) lines.push(`RJ1,incidents_12m,${i % 7},${dayAfter("2000-01-01", i)},All or nothing`);
    lines.splice(4001, 0, "RJ1,incidents_12m,-1,2026-01-01,All or nothing");
    const result = refusal(importIndicatorFile(lines.join("\n"), "mostly-good.csv", ACTOR, { now: NOW }));
    expect(result).toEqual({ errors: [{ line: 4002, reason: '"-1" for incidents_12m is not a whole number from 0 to 1000' }], totalErrors: 1 });
    expect(state(db)).toEqual(before);
  });

  it("imports the same file again without adding anything, and says so", () => {
    const { db } = useFreshDatabase();
    const first = imported(importIndicatorFile(readFixture("long-valid.csv"), "long-valid.csv", ACTOR, { now: NOW }));
    const afterFirst = state(db);
    const plan = planIndicatorImport(readFixture("long-valid.csv"), "long-valid.csv", { now: NOW });
    expect(plan).toMatchObject({ inserted: 0, alreadyPresent: 11, earlierImports: [{ importedAt: NOW.toISOString(), importedBy: "cli:test" }] });

    const later = new Date("2026-11-30T11:00:00Z");
    const second = imported(importIndicatorFile(readFixture("long-valid.csv"), "renamed.csv", ACTOR, { now: later }));
    expect(second).toMatchObject({ rows: 11, observations: 11, inserted: 0, alreadyPresent: 11, sha256: first.sha256 });
    expect(second.earlierImports).toEqual([{ importedAt: NOW.toISOString(), importedBy: "cli:test" }]);
    const afterSecond = state(db);
    expect(afterSecond.observations).toBe(afterFirst.observations);
    // The attempt itself is recorded and audited, with nothing added.
    expect(afterSecond.imports).toBe(afterFirst.imports + 1);
    expect(afterSecond.audit).toBe(afterFirst.audit + 1);
    expect(JSON.parse(lastAudit(db).summary as string)).toMatchObject({ inserted: 0, alreadyPresent: 11 });
    expect(db.$client.prepare("SELECT inserted_count FROM indicator_imports WHERE id = ?").get(second.importId)).toEqual({ inserted_count: 0 });
  });

  it("refuses a different value for an observation already recorded: history is never changed", () => {
    const { db } = useFreshDatabase();
    imported(importIndicatorFile(readFixture("long-valid.csv"), "long-valid.csv", ACTOR, { now: NOW }));
    const before = state(db);
    const text = "ods_code,indicator,value,observed_on,source\nRJ1,incidents_12m,2,2026-03-31,Trust return March 2026\nRJ1,incidents_12m,2,2026-04-30,Trust return March 2026\n";
    expect(refusal(importIndicatorFile(text, "correction.csv", ACTOR, { now: NOW })).errors).toEqual([
      {
        line: 2,
        reason:
          "RJ1 incidents_12m on 2026-03-31 from this source is already recorded as 1: observations are never changed, so import a correction under a new source or date",
      },
    ]);
    expect(state(db)).toEqual(before);
    // The database refuses changes too (migration 0003).
    expect(() => db.$client.prepare("UPDATE indicator_observations SET value = '2' WHERE source = 'Trust return March 2026'").run()).toThrow(/never changed/);
  });

  it("imports a generated 100,000-row file, reporting progress every 10,000 rows", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    const codes = (rows(db, "SELECT ods_code FROM trusts ORDER BY ods_code") as { ods_code: string }[]).map((r) => r.ods_code);
    const kinds = ["unsupported_devices_pct", "critical_patches_14d_pct", "unacked_high_alerts_48h", "ceplus_current", "incidents_12m"] as const;
    const valueFor = (kind: (typeof kinds)[number], i: number) =>
      kind.endsWith("_pct") ? String(((i * 7) % 1001) / 10) : kind === "ceplus_current" ? String(i % 2) : String(i % 20);
    const lines = ["ods_code,indicator,value,observed_on,source"];
    for (let i = 0; i < 100_000; i++) {
      const k = Math.floor(i / codes.length);
      lines.push(`${codes[i % codes.length]},${kinds[k % 5]},${valueFor(kinds[k % 5]!, i)},${dayAfter("2016-01-01", Math.floor(k / 5))},Bulk feed`);
    }
    const progress: Progress[] = [];
    const result = imported(importIndicatorFile(lines.join("\r\n"), "bulk.csv", ACTOR, { now: NOW, onProgress: (p) => progress.push(p) }));

    expect(result).toMatchObject({ rows: 100_000, observations: 100_000, inserted: 100_000, alreadyPresent: 0 });
    const steps = Array.from({ length: 10 }, (_, i) => (i + 1) * 10_000);
    expect(progress).toEqual([
      ...steps.map((done) => ({ phase: "checked", done, total: 100_000 })),
      ...steps.map((done) => ({ phase: "imported", done, total: 100_000 })),
    ]);
    expect(state(db).observations).toBe(before.observations + 100_000);
    const byKind = rows(db, "SELECT indicator_code, count(*) AS n FROM indicator_observations WHERE source = 'Bulk feed' GROUP BY indicator_code");
    expect(byKind.reduce((s, r) => s + (r.n as number), 0)).toBe(100_000);
    expect(Object.fromEntries(result.byIndicator.map((c) => [c.code, c.added]))).toEqual(Object.fromEntries(byKind.map((r) => [r.indicator_code, r.n])));
    // Spot checks: the first and last lines, exactly.
    const [, first] = lines;
    const last = lines[lines.length - 1]!;
    for (const line of [first!, last]) {
      const [code, indicator, value, observedOn] = line.split(",");
      expect(db.$client.prepare("SELECT value FROM indicator_observations WHERE trust_code = ? AND indicator_code = ? AND observed_on = ? AND source = 'Bulk feed'").get(code, indicator, observedOn)).toEqual({
        value: String(Number(value)),
      });
    }
  });
});

describe("NHS England DSPT snapshots", () => {
  it("2021/22: statuses dated by the snapshot date in the file name, with the Windows 10 device figures; unknown organisations skipped", () => {
    const db = useRegisterOnly();
    const result = imported(importIndicatorFile(reference(DSPT_2021_22!), `db/reference/${DSPT_2021_22}`, ACTOR, { now: NOW }));
    expect(result).toMatchObject({ format: "dspt", fileName: DSPT_2021_22, rows: 215, observations: 400, inserted: 400, skippedUnknownTrusts: 15 });
    expect(result.skippedTrustCodes).toEqual(["R1C", "RA4", "RAP", "RBZ", "RNK", "RRP", "RTV", "RVJ", "RVY", "RW6", "RY2", "RY9", "RYK", "RYV", "TAF"]);
    expect(result.byIndicator.map((c) => [c.code, c.observations, c.earliest, c.latest])).toEqual([
      ["dspt_status", 200, "2022-09-09", "2022-09-09"],
      ["unsupported_devices_pct", 200, "2022-09-09", "2022-09-09"],
    ]);
    const source = `NHS England DSPT snapshot ${DSPT_2021_22}`;
    const stored = observationsFrom(db, source);
    expect(stored.filter((r) => r.trust_code === "RJ1")).toEqual([
      { trust_code: "RJ1", indicator_code: "dspt_status", value: "approaching", numeric_value: 2, observed_on: "2022-09-09", period: "2021/22", is_demo: 0 },
      { trust_code: "RJ1", indicator_code: "unsupported_devices_pct", value: "73.36116336", numeric_value: 73.36116336, observed_on: "2022-09-09", period: null, is_demo: 0 },
    ]);
    const counts = Object.fromEntries(
      rows(db, "SELECT value, count(*) AS n FROM indicator_observations WHERE source = ? AND indicator_code = 'dspt_status' GROUP BY value", source).map((r) => [r.value, r.n]),
    );
    expect(counts).toEqual({ exceeded: 15, met: 118, approaching: 62, not_met: 5 });
    expect(result.notes.join(" ")).toContain("NHS England does not document exactly what this column measures");
  });

  it("2022/23: statuses dated by their Date Of Publication; RA4's Not Published is skipped with the other closed trusts", () => {
    const db = useRegisterOnly();
    const result = imported(importIndicatorFile(reference(DSPT_2022_23!), DSPT_2022_23!, ACTOR, { now: NOW }));
    expect(result).toMatchObject({ rows: 211, observations: 200, inserted: 200, skippedUnknownTrusts: 11 });
    expect(result.skippedTrustCodes).toEqual(["R1C", "RA4", "RAP", "RNK", "RRP", "RVJ", "RY2", "RY9", "RYK", "RYV", "TAF"]);
    expect(result.byIndicator).toEqual([
      { code: "dspt_status", label: "DSPT status", observations: 200, added: 200, alreadyPresent: 0, earliest: "2023-06-05", latest: "2023-08-30" },
    ]);
    const stored = observationsFrom(db, `NHS England DSPT snapshot ${DSPT_2022_23}`);
    expect(stored.find((r) => r.trust_code === "R0A")).toMatchObject({ value: "met", observed_on: "2023-06-30", period: "2022/23" });
    expect(stored.find((r) => r.trust_code === "R0B")).toMatchObject({ value: "exceeded", numeric_value: 0, observed_on: "2023-06-15", period: "2022/23" });
    const counts = Object.fromEntries(rows(db, "SELECT value, count(*) AS n FROM indicator_observations GROUP BY value").map((r) => [r.value, r.n]));
    expect(counts).toEqual({ exceeded: 15, met: 130, approaching: 55 });
  });

  it("finds columns by name in any order, ignores extra columns, and dates each status by the documented rule", () => {
    const db = useRegisterOnly();
    const result = imported(importIndicatorFile(readFixture(DSPT_REORDERED), DSPT_REORDERED, ACTOR, { now: NOW }));
    expect(result).toMatchObject({ rows: 6, observations: 4, inserted: 4, skippedUnknownTrusts: 2, skippedTrustCodes: ["NVC01", "RNK"] });
    expect(observationsFrom(db, `NHS England DSPT snapshot ${DSPT_REORDERED}`).map((r) => [r.trust_code, r.value, r.observed_on, r.period])).toEqual([
      ["R0A", "not_published", "2024-07-15", "2023/24"], // no year in the status: the file's year; no date: the snapshot date
      ["RJ1", "exceeded", "2024-06-28", "2023/24"], // Date Of Publication
      ["RRU", "approaching", "2024-06-30", "2023/24"],
      ["RTD", "not_met", "2024-07-15", "2023/24"], // no Date Of Publication: the snapshot date in the file name
    ]);
  });

  it("without dates or a snapshot date, dates each status 30 June at the end of its DSPT year", () => {
    useRegisterOnly();
    const text = "Code,Status\nRJ1,21/22 Standards Met\nRTD,Standards Not Met\nR0A,22/23 Approaching Standards\n";
    const parsed = parseIndicatorFile(text, "dspt-export.csv", { now: NOW });
    if (isRefusal(parsed)) throw new Error(JSON.stringify(parsed));
    expect(parsed.observations.map((o) => [o.trustCode, o.value, o.period, o.observedOn])).toEqual([
      ["RJ1", "met", "2021/22", "2022-06-30"],
      ["RTD", "not_met", "2021/22", "2022-06-30"], // no year: the year most rows name (here a tie, the first)
      ["R0A", "approaching", "2022/23", "2023-06-30"],
    ]);
    const noYear = refusal(parseIndicatorFile("Code,Status\nRJ1,Standards Met\n", "dspt-export.csv", { now: NOW }));
    expect(noYear.errors[0]).toMatchObject({ line: 2, reason: expect.stringContaining("there is no date for this status") });
  });

  it("refuses bad statuses, dates and repeated trusts with their lines, and changes nothing", () => {
    const db = useRegisterOnly();
    const before = state(db);
    const text = [
      "ODS Code,Status,Date Of Publication",
      "RJ1,22/23 Standards Met,30/06/2023",
      "RTD,22/23 Standards Partly Met,30/06/2023",
      "R0A,22/23 Standards Met,31/06/2023",
      "R0B,22/23 Standards Met,01/01/2099",
      "RJ1,22/23 Standards Met,30/06/2023",
      "RRU",
    ].join("\n");
    expect(refusal(importIndicatorFile(text, "dspt.csv", ACTOR, { now: NOW })).errors).toEqual([
      { line: 3, reason: '"22/23 Standards Partly Met" is not a DSPT status (such as "22/23 Standards Met")' },
      { line: 4, reason: 'the Date Of Publication "31/06/2023" is not a real date' },
      { line: 5, reason: 'the Date Of Publication "01/01/2099" is in the future' },
      { line: 6, reason: "trust RJ1 is also on line 2" },
      { line: 7, reason: "expected 3 columns as in the header, found 1" },
    ]);
    expect(state(db)).toEqual(before);
  });

  it("are already in a demo install (loaded with the demo data): importing them again adds nothing", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    for (const file of REAL_DSPT_SNAPSHOTS) {
      expect(imported(importIndicatorFile(reference(file), file, ACTOR, { now: NOW }))).toMatchObject({ inserted: 0 });
    }
    expect(state(db).observations).toBe(before.observations);
  });
});

describe("the demo history", () => {
  it("holds the real snapshots (not demo) and five years of monthly synthetic history for every open trust (demo)", () => {
    const { db } = useFreshDatabase();
    // Not demo: the real snapshots, and the action indicators Deep Dive computes from the published demo reports'
    // actions (for RJ1 and RRU only, the trusts with published actions).
    const computed = rows(db, "SELECT DISTINCT trust_code FROM indicator_observations WHERE is_demo = 0 AND import_id LIKE 'deep-dive-actions-%' ORDER BY 1");
    expect(computed).toEqual([{ trust_code: "RJ1" }, { trust_code: "RRU" }]);
    const real = rows(db, "SELECT source, indicator_code, count(*) AS n FROM indicator_observations WHERE is_demo = 0 AND import_id NOT LIKE 'deep-dive-actions-%' GROUP BY 1, 2 ORDER BY 1, 2");
    expect(real).toEqual([
      { source: `NHS England DSPT snapshot ${DSPT_2021_22}`, indicator_code: "dspt_status", n: 200 },
      { source: `NHS England DSPT snapshot ${DSPT_2021_22}`, indicator_code: "unsupported_devices_pct", n: 200 },
      { source: `NHS England DSPT snapshot ${DSPT_2022_23}`, indicator_code: "dspt_status", n: 200 },
    ]);
    const source = demoSource(DEMO_SEED);
    expect(rows(db, "SELECT DISTINCT source FROM indicator_observations WHERE is_demo = 1")).toEqual([{ source }]);

    const months = rows(db, "SELECT DISTINCT observed_on FROM indicator_observations WHERE is_demo = 1 AND indicator_code = 'incidents_12m' ORDER BY 1").map((r) => r.observed_on);
    expect(months).toHaveLength(60);
    expect([months[0], months[59]]).toEqual(["2021-12-01", "2026-11-01"]);

    const perTrust = rows(
      db,
      `SELECT t.ods_code AS code, count(o.id) AS n FROM trusts t LEFT JOIN indicator_observations o
         ON o.trust_code = t.ods_code AND o.is_demo = 1 AND o.indicator_code != 'dspt_status'
       WHERE t.closed_on IS NULL GROUP BY t.ods_code`,
    );
    expect(perTrust).toHaveLength(202);
    const expected = (code: string) => (code === "G6V2S" ? 25 : code === "K0N6A" ? 6 : 60) * 5; // opened 2024-11 and 2026-06
    for (const { code, n } of perTrust) expect(n, String(code)).toBe(expected(code as string));

    const dspt = rows(db, "SELECT period, value, count(*) AS n FROM indicator_observations WHERE is_demo = 1 AND indicator_code = 'dspt_status' GROUP BY 1, 2");
    expect(new Set(dspt.map((r) => r.period))).toEqual(new Set(["2023/24", "2024/25", "2025/26"]));
    const met2425 = dspt.filter((r) => r.period === "2024/25" && r.value === "met").reduce((s, r) => s + (r.n as number), 0);
    expect(met2425).toBeGreaterThan(100); // most trusts still meet the standards, as in 2022/23 (138 of 211)

    const audit = rows(db, "SELECT action, actor_label FROM audit_events WHERE action LIKE 'indicators.%' AND action <> 'indicators.computed' ORDER BY seq");
    expect(audit).toEqual([
      { action: "indicators.imported", actor_label: "system" },
      { action: "indicators.imported", actor_label: "system" },
      { action: "indicators.demo-seeded", actor_label: "system" },
    ]);
  });

  it("is calibrated: median unsupported share near 0.86% in September 2022, and weaker trusts are worse on every indicator", () => {
    const { db } = useFreshDatabase();
    const devices = rows(db, "SELECT numeric_value AS v FROM indicator_observations WHERE is_demo = 1 AND indicator_code = 'unsupported_devices_pct' AND observed_on = '2022-09-01' ORDER BY v").map((r) => r.v as number);
    const median = devices[Math.floor(devices.length / 2)]!;
    expect(median).toBeGreaterThan(0.4);
    expect(median).toBeLessThan(1.8);

    // Trusts NHS England rated "approaching" in 2022/23 against those rated "exceeded".
    const mean = (indicator: string, status: string) =>
      (
        db.$client
          .prepare(
            `SELECT avg(o.numeric_value) AS m FROM indicator_observations o JOIN indicator_observations s
               ON s.trust_code = o.trust_code AND s.indicator_code = 'dspt_status' AND s.period = '2022/23' AND s.is_demo = 0 AND s.value = ?
             WHERE o.is_demo = 1 AND o.indicator_code = ?`,
          )
          .get(status, indicator) as { m: number }
      ).m;
    expect(mean("unacked_high_alerts_48h", "approaching")).toBeGreaterThan(mean("unacked_high_alerts_48h", "exceeded"));
    expect(mean("incidents_12m", "approaching")).toBeGreaterThan(mean("incidents_12m", "exceeded"));
    expect(mean("critical_patches_14d_pct", "approaching")).toBeLessThan(mean("critical_patches_14d_pct", "exceeded"));
    expect(mean("ceplus_current", "approaching")).toBeLessThan(mean("ceplus_current", "exceeded"));
  });

  it("is deterministic: the same seed gives the same history", () => {
    const { db } = useFreshDatabase();
    // RJ1's real facts, as the generator reads them: approaching in 2021/22 and 2022/23, 73.4% of Windows 10 unsupported.
    const facts = () => ({ code: "RJ1", openedOn: "1993-04-01", statuses: ["approaching" as const, "approaching" as const], devicePct: 73.36116336 });
    const once = demoHistoryForTrust(facts(), DEMO_SEED);
    expect(demoHistoryForTrust(facts(), DEMO_SEED)).toEqual(once);
    expect(demoHistoryForTrust(facts(), DEMO_SEED + 1)).not.toEqual(once);
    const stored = rows(
      db,
      "SELECT indicator_code AS indicatorCode, value, observed_on AS observedOn FROM indicator_observations WHERE is_demo = 1 AND trust_code = 'RJ1' ORDER BY indicator_code, observed_on",
    );
    const generated = once.map((o) => ({ indicatorCode: o.indicatorCode, value: o.value, observedOn: o.observedOn }));
    generated.sort((a, b) => a.indicatorCode.localeCompare(b.indicatorCode) || a.observedOn.localeCompare(b.observedOn));
    expect(stored).toEqual(generated);
  });

  it("is not loaded with DEMO_DATA=off: the install starts with the built-in indicators and no history", async () => {
    const previous = process.env.DEMO_DATA;
    const { db } = useEmptyDatabase();
    process.env.DEMO_DATA = "off";
    resetConfigForTests();
    try {
      await boot();
      expect(state(db)).toMatchObject({ observations: 0, imports: 0, indicators: 10 });
      await boot(); // every start ensures the built-ins; nothing doubles
      expect(state(db).indicators).toBe(10);
      expect(listIndicators(db).map((i) => i.code).slice(0, 3)).toEqual(["dspt_status", "unsupported_devices_pct", "critical_patches_14d_pct"]);
    } finally {
      process.env.DEMO_DATA = previous;
      resetConfigForTests();
    }
  });
});

describe("adding an indicator", () => {
  const admin: Actor = { userId: null, label: "admin@deepdive.test", clientAddress: "127.0.0.1" };
  const fieldErrors = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof IndicatorError) return error.fieldErrors;
      throw error;
    }
    throw new Error("accepted");
  };

  it("adds a checked, audited indicator whose values can then be imported", () => {
    const { db } = useFreshDatabase();
    const created = createIndicator(
      { code: "backup_restore_test", label: "Backup restore test result", description: "Last full restore test", valueType: "category", categories: "Passed\r\nPartly passed\r\nFailed\r\n" },
      admin,
    );
    expect(created).toMatchObject({ code: "backup_restore_test", valueType: "category", categories: ["passed", "partly_passed", "failed"], isBuiltIn: false, origin: "imported", higherIsWorse: true });
    expect(lastAudit(db)).toMatchObject({ action: "indicator.created", object_id: "backup_restore_test", actor_label: "admin@deepdive.test" });

    const text = "ods_code,indicator,value,observed_on,source\nRJ1,backup_restore_test,Partly passed,2026-10-01,Trust return October 2026\n";
    expect(imported(importIndicatorFile(text, "backups.csv", ACTOR, { now: NOW }))).toMatchObject({ inserted: 1 });
    expect(observationsFrom(db, "Trust return October 2026")).toEqual([
      { trust_code: "RJ1", indicator_code: "backup_restore_test", value: "partly_passed", numeric_value: 1, observed_on: "2026-10-01", period: null, is_demo: 0 },
    ]);

    const count = createIndicator({ code: "legacy_servers", label: "Legacy servers", valueType: "count", minValue: "", maxValue: "5000", unit: "servers", higherIsWorse: "yes" }, admin);
    expect(count).toMatchObject({ minValue: 0, maxValue: 5000, unit: "servers", higherIsWorse: true });
    const pct = createIndicator({ code: "mfa_coverage_pct", label: "MFA coverage", valueType: "percentage", higherIsWorse: "no" }, admin);
    expect(pct).toMatchObject({ minValue: 0, maxValue: 100, unit: "%", higherIsWorse: false });
  });

  it("refuses bad input field by field, a taken code, and any change to a built-in indicator", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    expect(fieldErrors(() => createIndicator({}, admin))).toEqual({ code: "Enter a code", label: "Enter a name", valueType: "Select the kind of value" });
    expect(fieldErrors(() => createIndicator({ code: "Bad Code", label: "x", valueType: "count", maxValue: "10", higherIsWorse: "yes" }, admin)).code).toMatch(/^Code must start with a lower-case letter/);
    expect(fieldErrors(() => createIndicator({ code: "one_category", label: "x", valueType: "category", categories: "only" }, admin))).toEqual({
      categories: "Enter at least 2 categories, one a line, best first",
    });
    expect(fieldErrors(() => createIndicator({ code: "dup_category", label: "x", valueType: "category", categories: "Good\ngood" }, admin))).toEqual({ categories: "Each category must be different" });
    expect(fieldErrors(() => createIndicator({ code: "a_count", label: "x", valueType: "count", minValue: "5", maxValue: "2.5" }, admin))).toEqual({
      maxValue: "The highest count must be a whole number up to 1,000,000,000",
      higherIsWorse: "Select which way means more risk",
    });
    expect(fieldErrors(() => createIndicator({ code: "a_pct", label: "x", valueType: "percentage", minValue: "50", maxValue: "150", higherIsWorse: "no" }, admin))).toEqual({
      maxValue: "The highest percentage must be from 0 to 100",
    });
    expect(fieldErrors(() => createIndicator({ code: "dspt_status", label: "DSPT", valueType: "category", categories: "a\nb" }, admin)).code).toContain("built-in indicators cannot be changed");
    expect(state(db)).toEqual(before);

    createIndicator({ code: "legacy_servers", label: "Legacy servers", valueType: "count", maxValue: "5000", higherIsWorse: "yes" }, admin);
    expect(fieldErrors(() => createIndicator({ code: "legacy_servers", label: "Again", valueType: "boolean", higherIsWorse: "yes" }, admin)).code).toContain("already exists");
    expect(state(db).indicators).toBe(before.indicators + 1);
    expect(state(db).audit).toBe(before.audit + 1);
  });
});

describe("npm run indicators:import (the CLI, run for real)", () => {
  const run = promisify(execFile);
  const tsx = path.resolve("node_modules", ".bin", "tsx");
  const cli = (databaseFile: string, ...args: string[]) =>
    run(tsx, ["scripts/indicators-import.ts", ...args], { env: { ...process.env, DATABASE_PATH: databaseFile }, encoding: "utf8" }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  const stateOf = (file: string) => {
    const db = openDatabase(file);
    try {
      return state(db);
    } finally {
      db.$client.close();
    }
  };

  it("checks with --dry-run, changing nothing; imports; then a second import adds nothing", async () => {
    const file = copyTemplateDatabase();
    const before = stateOf(file);
    const dry = await cli(file, fixture("long-valid.csv"), "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stderr).toBe("11 of 11 rows checked\n");
    expect(dry.stdout).toContain("11 rows in the file, 11 observations.");
    expect(dry.stdout).toContain("New observations to import: 11");
    expect(dry.stdout).toMatch(/dspt_status\s+2 observations,\s+2 new, 2025-06-27 to 2025-06-30/);
    expect(dry.stdout).toContain("Dry run: nothing was changed.");
    expect(stateOf(file)).toEqual(before);

    const real = await cli(file, fixture("long-valid.csv"));
    expect(real.code).toBe(0);
    expect(real.stderr).toBe("11 of 11 rows checked\n11 of 11 observations imported\n");
    expect(real.stdout).toContain("Imported: 11");
    expect(real.stdout).toMatch(/Imported\. \(\d+\.\d s\)/);
    expect(stateOf(file)).toMatchObject({ observations: before.observations + 11, imports: before.imports + 1, audit: before.audit + 1 });

    const again = await cli(file, fixture("long-valid.csv"));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Imported: 0");
    expect(again.stdout).toContain("Every observation in the file was already recorded: nothing was added.");
    expect(stateOf(file).observations).toBe(before.observations + 11);
  });

  it("prints progress every 10,000 rows", async () => {
    const file = copyTemplateDatabase();
    const csv = path.join(tmpdir(), `indicators-${process.pid}-25k.csv`);
    const lines = ["ods_code,indicator,value,observed_on,source"];
    for (let i = 0; i < 25_000; i++) lines.push(`RJ1,incidents_12m,${i % 9},${dayAfter("2000-01-01", Math.floor(i / 10))},CLI progress ${i % 10}`);
    writeFileSync(csv, lines.join("\n"));
    const result = await cli(file, csv);
    rmSync(csv, { force: true });
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual([
      "10,000 of 25,000 rows checked",
      "20,000 of 25,000 rows checked",
      "25,000 of 25,000 rows checked",
      "10,000 of 25,000 observations imported",
      "20,000 of 25,000 observations imported",
      "25,000 of 25,000 observations imported",
    ]);
    expect(result.stdout).toContain("Imported: 25,000");
  });

  it("refuses a bad file: each problem as `line N: reason`, exit status 2, nothing changed", async () => {
    const file = copyTemplateDatabase();
    const before = stateOf(file);
    const result = await cli(file, fixture("long-bad.csv"));
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain("Imported");
    expect(result.stderr).toContain("The file was refused: nothing was changed.");
    expect(result.stderr).toContain('line 3: trust "XYZ" is not in the register');
    expect(result.stderr).toContain('line 7: the observed_on date "2099-01-01" is in the future');
    expect(result.stderr).toContain("line 15: a closing quote is followed by something other than a comma");
    expect(stateOf(file)).toEqual(before);

    const usage = await cli(file);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("Usage: npm run indicators:import -- FILE [--dry-run]");
    const missing = await cli(file, "no-such-file.csv");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such file");
  });
});

describe("the pages, over HTTP", () => {
  let server: RunningServer;
  let lead: Client;
  let admin: Client;
  beforeAll(async () => {
    server = await startServer();
    [lead, admin] = await Promise.all([signedIn(server.url, "lead@deepdive.test"), signedIn(server.url, "admin@deepdive.test")]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const upload = (client: Client, intent: "check" | "import", name: string, content: string) => {
    const form = new FormData();
    form.set("intent", intent);
    form.set("file", new Blob([content], { type: "text/csv" }), name);
    return client.request("/indicators/import", { method: "POST", body: form });
  };
  /** The page's text as a person reads it: React puts <!-- --> between adjacent pieces of text. */
  const read = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");
  const count = (sql: string) => {
    const db = new Database(server.databaseFile, { readonly: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it("a programme lead checks a file, then imports it", async () => {
    const page = await lead.get("/indicators/import");
    expect(page.status).toBe(200);
    const html = await read(page);
    expect(html).toContain("<title>Import indicator values – Deep Dive</title>");
    expect(html).toContain('<label class="govuk-label govuk-label--m" for="file">');
    expect(html).toContain("Recent imports");
    expect(html).toContain(DSPT_2022_23);

    const before = count("SELECT count(*) AS n FROM indicator_observations");
    const checked = await upload(lead, "check", "long-valid.csv", readFixture("long-valid.csv"));
    expect(checked.status).toBe(200);
    const checkedHtml = await read(checked);
    expect(checkedHtml).toContain("What importing long-valid.csv would add");
    expect(checkedHtml).toContain("This was a check: nothing has been changed.");
    expect(checkedHtml).toContain('unsupported_devices_pct</span></th><td class="govuk-table__cell govuk-table__cell--numeric">2</td>');
    expect(count("SELECT count(*) AS n FROM indicator_observations")).toBe(before);

    const done = await upload(lead, "import", "long-valid.csv", readFixture("long-valid.csv"));
    expect(done.status).toBe(200);
    expect(await read(done)).toContain("11 new observations imported from long-valid.csv");
    expect(count("SELECT count(*) AS n FROM indicator_observations")).toBe(before + 11);
    expect(count("SELECT count(*) AS n FROM audit_events WHERE action = 'indicators.imported' AND actor_label = 'lead@deepdive.test'")).toBe(1);

    const again = await upload(lead, "import", "long-valid.csv", readFixture("long-valid.csv"));
    expect(await read(again)).toContain("Nothing new in long-valid.csv: every observation was already recorded");
    expect(count("SELECT count(*) AS n FROM indicator_observations")).toBe(before + 11);
  });

  it("a bad file is refused with its problems by line, and nothing changes", async () => {
    const before = count("SELECT count(*) AS n FROM indicator_observations");
    const response = await upload(lead, "import", "long-bad.csv", readFixture("long-bad.csv"));
    expect(response.status).toBe(400);
    const html = await read(response);
    expect(html).toContain("There is a problem");
    expect(html).toContain("long-bad.csv was not imported and nothing was changed");
    expect(html).toContain("Line 3: trust &quot;XYZ&quot; is not in the register");
    expect(html).toContain("Line 15: a closing quote is followed by something other than a comma");
    expect(html).toContain("The selected file has 14 problems");
    expect(count("SELECT count(*) AS n FROM indicator_observations")).toBe(before);

    const empty = await lead.request("/indicators/import", { method: "POST", body: new FormData() });
    expect(empty.status).toBe(400);
    expect(await read(empty)).toContain("Select a CSV file of indicator values");
  });

  it("inspectors and trust users get 404 for the upload page", async () => {
    for (const email of ["inspector1@deepdive.test", "trust.rj1@deepdive.test"]) {
      const client = await signedIn(server.url, email);
      expect((await client.get("/indicators/import")).status).toBe(404);
      expect((await upload(client, "import", "long-valid.csv", readFixture("long-valid.csv"))).status).toBe(404);
    }
  });

  it("an admin adds an indicator; a programme lead may not", async () => {
    const page = await admin.get("/admin/indicators");
    expect(page.status).toBe(200);
    const html = await read(page);
    expect(html).toContain("<title>Indicators – Deep Dive</title>");
    expect(html).toContain("<code>dspt_status</code>");
    expect(html).toContain("exceeded, met, approaching, not_met, not_published (best first)");

    const invalid = await admin.post("/admin/indicators", { code: "X", label: "", valueType: "count" });
    expect(invalid.status).toBe(400);
    const invalidHtml = await read(invalid);
    expect(invalidHtml).toContain('<a href="#code">Code must start with a lower-case letter');
    expect(invalidHtml).toContain('<a href="#label">Enter a name</a>');
    expect(invalidHtml).toContain('<a href="#maxValue">Enter the highest count a trust could plausibly have</a>');

    const added = await admin.post("/admin/indicators", {
      code: "phishing_click_pct",
      label: "Phishing simulation click rate",
      description: "Share of staff who clicked in the last simulation",
      valueType: "percentage",
      categories: "",
      minValue: "",
      maxValue: "",
      unit: "",
      higherIsWorse: "yes",
    });
    expect(added.status).toBe(302);
    expect(added.headers.get("location")).toBe("/admin/indicators?added=phishing_click_pct");
    const after = await read(await admin.get("/admin/indicators?added=phishing_click_pct"));
    expect(after).toContain("Indicator Phishing simulation click rate (phishing_click_pct) added");
    expect(after).toContain("<code>phishing_click_pct</code>");
    expect(count("SELECT count(*) AS n FROM audit_events WHERE action = 'indicator.created' AND object_id = 'phishing_click_pct'")).toBe(1);

    const refused = await lead.post("/admin/indicators", { code: "lead_indicator", label: "No", valueType: "boolean", higherIsWorse: "yes" });
    expect(refused.status).toBe(404);
    expect(count("SELECT count(*) AS n FROM indicators WHERE code = 'lead_indicator'")).toBe(0);

    const imported = await upload(lead, "import", "phishing.csv", "ods_code,indicator,value,observed_on,source\nRJ1,phishing_click_pct,12.5,2026-10-31,Phishing campaign October 2026\n");
    expect(await read(imported)).toContain("1 new observation imported from phishing.csv");
  });
});

/** yyyy-mm-dd, `days` after `start`. */
function dayAfter(start: string, days: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
