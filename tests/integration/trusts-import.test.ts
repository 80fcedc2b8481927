/**
 * The ODS etr import against real SQLite databases (a copy of the template register, or an empty one),
 * with fixture files in the published layout (tests/fixtures/ods/README.md), and the CLI run for real.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { verifyAuditChain, type Actor } from "../../app/audit/audit.server";
import type { Db } from "../../app/db.server";
import { applyOdsImport, decodeOdsBytes, isRefusal, parseOdsFile, planOdsImport, type ImportResult, type Refusal } from "../../app/trusts/ods-import.server";
import { copyTemplateDatabase, openDatabase, useEmptyDatabase, useFreshDatabase } from "../support/database";

const fixture = (name: string) => path.resolve("tests", "fixtures", "ods", name);
const readFixture = (name: string) => readFileSync(fixture(name), "utf8");

const ACTOR: Actor = { userId: null, label: "cli:test", clientAddress: null };
const NOW = new Date("2026-11-30T10:00:00Z");

type Row = Record<string, unknown>;

/** Everything an import could touch, in full. */
function snapshot(db: Db) {
  const all = (sql: string) => db.$client.prepare(sql).all() as Row[];
  return {
    trusts: all("SELECT * FROM trusts ORDER BY ods_code"),
    traumaCentres: all("SELECT * FROM major_trauma_centres ORDER BY id"),
    settings: all("SELECT * FROM settings ORDER BY key"),
    audit: all("SELECT seq, action, hash FROM audit_events ORDER BY seq"),
  };
}

const trustRow = (db: Db, code: string) => db.$client.prepare("SELECT * FROM trusts WHERE ods_code = ?").get(code) as Row | undefined;
const lastAudit = (db: Db) => db.$client.prepare("SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1").get() as Row;
const auditCount = (db: Db) => (db.$client.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n;

function imported(result: Refusal | ImportResult): ImportResult {
  if (isRefusal(result)) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result;
}

describe("importing the ODS etr file", () => {
  it("(a) fills an empty register from the published file", () => {
    const { db } = useEmptyDatabase();
    const result = imported(applyOdsImport(readFixture("etr-register.csv"), ACTOR, { now: NOW }));

    expect(result.rows).toBe(202);
    expect(result.diff.added).toHaveLength(202);
    expect(result.diff.changed).toHaveLength(0);
    const rows = snapshot(db).trusts;
    expect(rows).toHaveLength(202);

    expect(trustRow(db, "RJ1")).toMatchObject({
      ods_name: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
      name: "Guy's and St Thomas' NHS Foundation Trust",
      region_code: "Y56",
      region_name: "London",
      icb_code: "QKK",
      address_lines: "ST THOMAS' HOSPITAL, WESTMINSTER BRIDGE ROAD, LONDON",
      postcode: "SE1 7EH",
      opened_on: "1993-04-01",
      closed_on: null,
      broad_type: "unknown",
      is_ambulance: 0,
      epr_supplier: null,
      source: "ODS etr import 2026-11-30",
      created_at: NOW.toISOString(),
    });
    // Ambulance trusts are recognised from the name: England has ten.
    const ambulance = rows.filter((r) => r.is_ambulance === 1);
    expect(ambulance).toHaveLength(10);
    expect(new Set(ambulance.map((r) => r.broad_type))).toEqual(new Set(["ambulance"]));
    expect(rows.filter((r) => r.broad_type === "ambulance")).toHaveLength(10);

    const event = lastAudit(db);
    expect(event).toMatchObject({ action: "trusts.ods-imported", actor_label: "cli:test", object_type: "register" });
    expect(JSON.parse(event.summary as string)).toMatchObject({ added: 202, renamed: 0, closed: 0, updated: 0, unchanged: 0, rows: 202 });
    expect(auditCount(db)).toBe(1);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it("(b) refreshes the reference register: rename, closure and other updates, keeping the enrichment", () => {
    const { db } = useFreshDatabase();
    const before = snapshot(db);
    const tahBefore = trustRow(db, "TAH")!;
    const rbdBefore = trustRow(db, "RBD")!;
    const rgtBefore = trustRow(db, "RGT")!;
    expect(rbdBefore.closed_on).toBeNull();

    const result = imported(applyOdsImport(readFixture("etr-refresh.csv"), ACTOR, { now: NOW }));
    const { diff } = result;
    expect(diff.added.map((t) => t.odsCode)).toEqual(["R1X"]);
    expect(diff.renamed.map((c) => c.odsCode)).toEqual(["TAH"]);
    expect(diff.closed.map((c) => c.odsCode)).toEqual(["RBD"]);
    expect(diff.updated.map((c) => c.odsCode)).toEqual(["RGT"]);
    expect(diff.updated[0]!.otherChanges.map((c) => c.field)).toEqual(["icbCode", "postcode"]);
    expect(diff.unchanged).toBe(198);
    expect(diff.notInFile.map((t) => t.odsCode)).toEqual(["K0N6A"]);

    const enrichment = (r: Row) => ({
      broad_type: r.broad_type,
      trust_type: r.trust_type,
      is_ambulance: r.is_ambulance,
      epr_supplier: r.epr_supplier,
      latitude: r.latitude,
      longitude: r.longitude,
      source: r.source,
      created_at: r.created_at,
    });

    const tah = trustRow(db, "TAH")!;
    expect(tah).toMatchObject({
      ods_name: "SHEFFIELD HEALTH PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST",
      name: "Sheffield Health Partnership University NHS Foundation Trust",
      closed_on: null,
      updated_at: NOW.toISOString(),
    });
    expect(enrichment(tah)).toEqual(enrichment(tahBefore));
    expect(tah.trust_type).toBe("Mental Health and Community (Combined)");

    const rbd = trustRow(db, "RBD")!;
    expect(rbd).toMatchObject({ closed_on: "2026-03-31", name: rbdBefore.name, ods_name: rbdBefore.ods_name, updated_at: NOW.toISOString() });
    expect(enrichment(rbd)).toEqual(enrichment(rbdBefore));
    expect(rbd.epr_supplier).not.toBeNull();

    const rgt = trustRow(db, "RGT")!;
    expect(rgt).toMatchObject({ postcode: "CB2 0AY", icb_code: "QUE", name: rgtBefore.name });
    expect(enrichment(rgt)).toEqual(enrichment(rgtBefore));

    // The new trust: an ambulance trust by its name, otherwise not enriched yet.
    expect(trustRow(db, "R1X")).toMatchObject({
      name: "Northern Counties Ambulance Service NHS Trust",
      region_name: "North East and Yorkshire",
      broad_type: "ambulance",
      is_ambulance: 1,
      trust_type: null,
      source: "ODS etr import 2026-11-30",
    });

    // The trust missing from the file is kept as it was; nothing else moved.
    const after = snapshot(db);
    expect(trustRow(db, "K0N6A")).toEqual(before.trusts.find((r) => r.ods_code === "K0N6A"));
    const untouched = (rows: Row[]) => rows.filter((r) => !["TAH", "RBD", "RGT", "R1X"].includes(r.ods_code as string));
    expect(untouched(after.trusts)).toEqual(untouched(before.trusts));
    expect(after.trusts).toHaveLength(before.trusts.length + 1);
    expect(after.traumaCentres).toEqual(before.traumaCentres);
    expect(after.traumaCentres.some((c) => c.trust_code === "RGT")).toBe(true);

    // One audit event, in the chain, with the counts and the codes.
    expect(after.audit).toHaveLength(before.audit.length + 1);
    const event = lastAudit(db);
    expect(event).toMatchObject({ action: "trusts.ods-imported", actor_label: "cli:test", occurred_at: NOW.toISOString() });
    expect(JSON.parse(event.summary as string)).toEqual({
      sha256: result.sha256,
      rows: 204,
      added: 1,
      renamed: 1,
      closed: 1,
      updated: 1,
      unchanged: 198,
      skippedOutsideEngland: 2,
      notInFile: 1,
      addedCodes: ["R1X"],
      renamedCodes: ["TAH"],
      closedCodes: ["RBD"],
      updatedCodes: ["RGT"],
    });
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it("(c) skips and counts trusts outside England (Welsh national grouping)", () => {
    const { db } = useFreshDatabase();
    const result = imported(applyOdsImport(readFixture("etr-refresh.csv"), ACTOR));
    expect(result.diff.skippedOutsideEngland).toEqual(["RQF", "RT4"]);
    expect(trustRow(db, "RQF")).toBeUndefined();
    expect(trustRow(db, "RT4")).toBeUndefined();
    expect(JSON.parse(lastAudit(db).summary as string).skippedOutsideEngland).toBe(2);

    const { db: empty } = useEmptyDatabase();
    imported(applyOdsImport(readFixture("etr-refresh.csv"), ACTOR));
    expect(snapshot(empty).trusts.map((r) => r.ods_code)).not.toContain("RQF");
    expect(snapshot(empty).trusts).toHaveLength(202);
  });

  it("(d) refuses a malformed file with the line number of every problem, and changes nothing", () => {
    const { db } = useFreshDatabase();
    const before = snapshot(db);
    const text = readFixture("etr-malformed.csv");

    for (const result of [applyOdsImport(text, ACTOR), planOdsImport(text)]) {
      expect(isRefusal(result)).toBe(true);
      if (!isRefusal(result)) return;
      expect(result.totalErrors).toBe(5);
      expect(result.errors).toEqual([
        { line: 3, reason: "expected 27 columns, found 26" },
        { line: 5, reason: 'trust RBD has open date "20230231", not a date in the form yyyymmdd' },
        { line: 6, reason: "trust R0A is also on line 1" },
        { line: 7, reason: "a closing quote is followed by something other than a comma" },
        { line: 8, reason: '"R$U" is not an ODS organisation code' },
      ]);
    }
    expect(snapshot(db)).toEqual(before);
    expect(auditCount(db)).toBe(before.audit.length);
  });

  it("(d) refuses empty, oversized, zipped, header-first and unclosed-quote files, changing nothing", () => {
    const { db } = useFreshDatabase();
    const before = snapshot(db);
    const good = readFixture("etr-register.csv");
    const firstLine = good.split("\r\n")[0]!;

    const reasons = (text: string) => {
      const result = applyOdsImport(text, ACTOR);
      if (!isRefusal(result)) throw new Error("accepted");
      return result.errors;
    };
    expect(reasons("")).toEqual([{ line: null, reason: "The file is empty: it has no trusts" }]);
    expect(reasons("\r\n\r\n")).toEqual([{ line: null, reason: "The file is empty: it has no trusts" }]);
    expect(reasons(`${firstLine}\n`.repeat(Math.ceil(5_000_001 / (firstLine.length + 1))))).toEqual([
      { line: null, reason: "The file must be smaller than 5 MB" },
    ]);
    const header = readFileSync(path.resolve("db", "reference", "trusts.csv"), "utf8");
    const headerErrors = reasons(header);
    expect(headerErrors[0]).toMatchObject({ line: 1, reason: expect.stringContaining("header row") });
    expect(headerErrors[1]).toEqual({ line: 2, reason: "expected 27 columns, found 38" });
    expect(headerErrors).toHaveLength(50); // the list is capped; the total is not
    expect(parseOdsFile(header)).toMatchObject({ totalErrors: 203 });
    expect(reasons(`${firstLine}\r\n"RJ1","GUY'S AND ST THOMAS' NHS FOUNDATION TRUST\r\n`)).toEqual([
      { line: 2, reason: "a quoted field is not closed (a field must not run over more than one line)" },
    ]);
    expect(reasons(`${firstLine}\r\n"RJ1","GUY'S AND ST THOMAS' NHS FOUNDATION TRUST,"Y56"\r\n`)).toEqual([
      { line: 2, reason: "a closing quote is followed by something other than a comma" },
    ]);

    expect(decodeOdsBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toMatchObject({
      errors: [{ line: null, reason: expect.stringContaining("zip archive") }],
    });
    expect(decodeOdsBytes(new Uint8Array(5_000_001))).toMatchObject({ errors: [{ reason: "The file must be smaller than 5 MB" }] });
    expect(snapshot(db)).toEqual(before);
  });

  it("accepts a BOM, LF or CRLF line endings, blank lines and Windows-1252 text", () => {
    useEmptyDatabase();
    const crlf = readFixture("etr-register.csv");
    const lf = `\uFEFF${crlf.replaceAll("\r\n", "\n")}\n\n`;
    const parsedCrlf = parseOdsFile(crlf);
    const parsedLf = parseOdsFile(lf);
    if (isRefusal(parsedCrlf) || isRefusal(parsedLf)) throw new Error("refused");
    expect(parsedLf.trusts).toEqual(parsedCrlf.trusts);
    expect(parsedLf.rows).toBe(202);

    const firstLine = crlf.split("\r\n")[0]!;
    const rest = firstLine.slice(firstLine.indexOf('","Y56"'));
    const latin = new Uint8Array([...Buffer.from('"RJ1","CAF'), 0xc9, ...Buffer.from(`${rest}\r\n`)]);
    const decoded = decodeOdsBytes(latin);
    expect(isRefusal(decoded)).toBe(false);
    if (isRefusal(decoded)) return;
    expect(decoded.text).toContain('"CAFÉ"');
    expect(parseOdsFile(decoded.text)).toMatchObject({ rows: 1, trusts: [{ odsCode: "RJ1", odsName: "CAFÉ" }] });
  });

  it("(e) importing the same file twice: the second import changes nothing", () => {
    const { db } = useFreshDatabase();
    imported(applyOdsImport(readFixture("etr-refresh.csv"), ACTOR, { now: NOW }));
    const afterFirst = snapshot(db);

    const second = imported(applyOdsImport(readFixture("etr-refresh.csv"), ACTOR, { now: new Date("2026-12-01T09:00:00Z") }));
    expect(second.diff.added).toEqual([]);
    expect(second.diff.changed).toEqual([]);
    expect(second.diff.unchanged).toBe(202);
    const afterSecond = snapshot(db);
    expect(afterSecond.trusts).toEqual(afterFirst.trusts); // not even updated_at moves
    expect(afterSecond.traumaCentres).toEqual(afterFirst.traumaCentres);
    // The attempt itself is audited, with nothing changed.
    expect(afterSecond.audit).toHaveLength(afterFirst.audit.length + 1);
    expect(JSON.parse(lastAudit(db).summary as string)).toMatchObject({ added: 0, renamed: 0, closed: 0, updated: 0, unchanged: 202 });

    // And the reference register is already what the unchanged file says.
    const { db: fresh } = useFreshDatabase();
    const plan = planOdsImport(readFixture("etr-register.csv"));
    if (isRefusal(plan)) throw new Error("refused");
    expect(plan.diff.changed).toEqual([]);
    expect(plan.diff.added).toEqual([]);
    expect(plan.diff.unchanged).toBe(202);
    expect(snapshot(fresh).trusts).toHaveLength(202);
  });

  it("(f) a dry run reports the difference and changes nothing", () => {
    const { db } = useFreshDatabase();
    const before = snapshot(db);
    const plan = planOdsImport(readFixture("etr-refresh.csv"));
    if (isRefusal(plan)) throw new Error("refused");
    expect(plan.diff.added).toHaveLength(1);
    expect(plan.diff.renamed).toHaveLength(1);
    expect(plan.diff.closed).toHaveLength(1);
    expect(snapshot(db)).toEqual(before);
  });
});

describe("npm run trusts:import (the CLI, run for real)", () => {
  const run = promisify(execFile);
  const tsx = path.resolve("node_modules", ".bin", "tsx");
  const cli = (databaseFile: string, ...args: string[]) =>
    run(tsx, ["scripts/trusts-import.ts", ...args], { env: { ...process.env, DATABASE_PATH: databaseFile }, encoding: "utf8" }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  const contents = (file: string) => {
    const db = openDatabase(file);
    try {
      return snapshot(db);
    } finally {
      db.$client.close();
    }
  };

  it("dry run prints the difference in plain English and changes nothing; then imports", async () => {
    const file = copyTemplateDatabase();
    const before = contents(file);

    const dry = await cli(file, fixture("etr-refresh.csv"), "--dry-run");
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("204 trusts in the file.");
    expect(dry.stdout).toContain("To add: 1\n  R1X  Northern Counties Ambulance Service NHS Trust (North East and Yorkshire)");
    expect(dry.stdout).toContain(
      "To rename: 1\n  TAH  SHEFFIELD HEALTH & SOCIAL CARE NHS FOUNDATION TRUST → SHEFFIELD HEALTH PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST",
    );
    expect(dry.stdout).toContain("To mark as closed: 1\n  RBD  Dorset County Hospital NHS Foundation Trust: closed on 31 March 2026");
    expect(dry.stdout).toContain("  RGT  Cambridge University Hospitals NHS Foundation Trust: ICB code");
    expect(dry.stdout).toContain("postcode CB2 0QQ → CB2 0AY");
    expect(dry.stdout).toContain("Unchanged: 198");
    expect(dry.stdout).toContain("Skipped, outside England: 2 (RQF, RT4)");
    expect(dry.stdout).toContain("In the register but not in the file (kept, not deleted): 1\n  K0N6A  The Online NHS Trust (open)");
    expect(dry.stdout.trimEnd().endsWith("Dry run: nothing was changed.")).toBe(true);
    expect(contents(file)).toEqual(before);

    const real = await cli(file, fixture("etr-refresh.csv"));
    expect(real.code).toBe(0);
    expect(real.stdout).toContain("Renamed: 1");
    expect(real.stdout.trimEnd().endsWith("Imported.")).toBe(true);
    const after = contents(file);
    expect(after.audit).toHaveLength(before.audit.length + 1);
    const db = openDatabase(file);
    try {
      expect(db.$client.prepare("SELECT name, closed_on FROM trusts WHERE ods_code = 'RBD'").get()).toMatchObject({ closed_on: "2026-03-31" });
      expect(db.$client.prepare("SELECT actor_label, actor_user_id, action FROM audit_events ORDER BY seq DESC LIMIT 1").get()).toEqual({
        actor_label: `cli:${os.userInfo().username}`,
        actor_user_id: null,
        action: "trusts.ods-imported",
      });
    } finally {
      db.$client.close();
    }
  });

  it("refuses a malformed file: each problem as `line N: reason`, exit status 2, nothing changed", async () => {
    const file = copyTemplateDatabase();
    const before = contents(file);
    const result = await cli(file, fixture("etr-malformed.csv"));
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain("Imported.");
    expect(result.stderr).toContain("nothing was changed");
    expect(result.stderr).toContain("line 3: expected 27 columns, found 26");
    expect(result.stderr).toContain('line 5: trust RBD has open date "20230231", not a date in the form yyyymmdd');
    expect(result.stderr).toContain("line 6: trust R0A is also on line 1");
    expect(contents(file)).toEqual(before);
  });

  it("explains how to use it when the file is missing", async () => {
    const file = copyTemplateDatabase();
    const result = await cli(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Usage: npm run trusts:import -- FILE [--dry-run]");
    const missing = await cli(file, "no-such-file.csv", "--dry-run");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such file");
  });
});
