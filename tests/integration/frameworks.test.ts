/**
 * Baseline frameworks as versioned data: loading framework files (fixtures in tests/fixtures/frameworks) into real
 * SQLite databases (the tree, positions, profiles and minimums, one audit event), loading again (nothing changes),
 * the same version with other content (refused), malformed files (refused with every problem by its path, nothing
 * written), the dry run, the triggers that make a loaded version immutable, the shipped files at start-up, the CLI
 * run for real, and the pages over HTTP.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { verifyAuditChain, type Actor } from "../../app/audit/audit.server";
import { parseFrameworkFile, type frameworkFileSchema, type FrameworkProblem } from "../../app/baseline/framework-file";
import {
  ensureShippedFrameworks,
  FrameworkFileError,
  frameworkVersionView,
  FrameworkVersionChangedError,
  listFrameworkVersions,
  loadedFrameworkFile,
  loadFrameworkFile,
  shippedFrameworkFiles,
  type FrameworkLoadReport,
} from "../../app/baseline/frameworks.server";
import type { Db } from "../../app/db.server";
import { copyTemplateDatabase, useFreshDatabase } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const fixture = (name: string) => path.resolve("tests", "fixtures", "frameworks", name);
const readFixture = (name: string) => readFileSync(fixture(name), "utf8");
const CAF = readFixture("mini-caf.json");
const CAF_SHA256 = createHash("sha256").update(readFileSync(fixture("mini-caf.json"))).digest("hex");

const ACTOR: Actor = { userId: null, label: "cli:test", clientAddress: null };
const NOW = new Date("2026-12-01T09:30:00Z");

const TABLES = ["framework_versions", "framework_sections", "framework_criteria", "framework_indicators", "framework_profiles", "profile_minimums", "audit_events"] as const;

type Row = Record<string, unknown>;

/** Row counts of every table a load writes to, and the head of the audit chain. */
function stateOfClient(client: Database.Database) {
  const counts = Object.fromEntries(TABLES.map((t) => [t, (client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n])) as Record<
    (typeof TABLES)[number],
    number
  >;
  const head = (client.prepare("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1").get() as { hash: string } | undefined)?.hash ?? null;
  return { ...counts, auditHead: head };
}
const state = (db: Db) => stateOfClient(db.$client);
const stateOfFile = (file: string) => {
  const client = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return stateOfClient(client);
  } finally {
    client.close();
  }
};

const rows = (db: Db, sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as Row[];
const lastAudit = (db: Db) => db.$client.prepare("SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1").get() as Row;

/** The problems a refused load lists (and fails the test if the load was not refused). */
function problemsOf(load: () => unknown): FrameworkProblem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof FrameworkFileError) return error.problems;
    throw error;
  }
  throw new Error("the file was not refused");
}

function loaded(report: FrameworkLoadReport): FrameworkLoadReport & { id: number } {
  expect(report.status).toBe("loaded");
  return report as FrameworkLoadReport & { id: number };
}

/** A framework file as its author writes it (before defaults are filled in). */
type FileInput = z.input<typeof frameworkFileSchema>;

/** The mini CAF fixture with one change made to it (as parsed JSON), as text. */
function changedCaf(change: (file: FileInput) => void): string {
  const file = JSON.parse(CAF) as FileInput;
  change(file);
  return JSON.stringify(file, null, 2);
}

const BAD_SHAPE_PROBLEMS: FrameworkProblem[] = [
  { path: "format", message: 'format must be "deep-dive-framework/1"' },
  { path: "title", message: "title is missing" },
  { path: "sections[0].criteria[0].scale", message: "The scale must be one of caf, met" },
  { path: "sections[0].criteria[0].goodLooksLike", message: "What good looks like is empty" },
  { path: "sections[0].criteria[0]", message: 'Unrecognized key: "colour"' },
];

const DUPLICATES_PROBLEMS: FrameworkProblem[] = [
  { path: "sections[0].criteria[0].indicators[0].id", message: 'The id "C1" is used twice (also at sections[0].criteria[0].id)' },
  { path: "sections[0].criteria[0].indicators[0].level", message: "A met-scale criterion's indicators are requirements, at the achieved level" },
  { path: "sections[1].id", message: 'The id "S1" is used twice (also at sections[0].id)' },
  { path: "profiles[0].minimums.C1", message: '"C1" is rated Met or Not met, so its minimum cannot be partially_achieved' },
  { path: "profiles[0].minimums.C9", message: 'There is no criterion "C9" in this framework' },
  { path: "profiles[1].id", message: 'The profile id "p" is used twice' },
];

const WORDING_CHANGED =
  "test-caf 1.0 is already loaded and a loaded version never changes: give the file a new version " +
  "(the file differs from the loaded version at sections[0].sections[0].criteria[0].title)";

describe("loading a framework file", () => {
  it("loads the version, its tree of sections, criteria, indicators, profiles and minimums, with one audit event", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    const report = loaded(loadFrameworkFile(readFileSync(fixture("mini-caf.json")), "some/folder/mini-caf.json", ACTOR, db, { now: NOW }));
    expect(report).toEqual({
      status: "loaded",
      id: report.id,
      framework: "test-caf",
      version: "1.0",
      title: "Test Cyber Assessment Framework 1.0",
      fileName: "mini-caf.json",
      sha256: CAF_SHA256,
      sections: 5,
      criteria: 5,
      indicators: 6,
      profiles: 2,
      minimums: 8,
      profileCodes: ["baseline", "enhanced"],
      loadedAt: NOW.toISOString(),
      loadedBy: "cli:test",
    });

    expect(state(db)).toMatchObject({
      framework_versions: before.framework_versions + 1,
      framework_sections: before.framework_sections + 5,
      framework_criteria: before.framework_criteria + 5,
      framework_indicators: before.framework_indicators + 6,
      framework_profiles: before.framework_profiles + 2,
      profile_minimums: before.profile_minimums + 8,
      audit_events: before.audit_events + 1,
    });
    expect(rows(db, "SELECT framework, version, title, source, file_sha256, loaded_by, loaded_at FROM framework_versions WHERE id = ?", report.id)).toEqual([
      {
        framework: "test-caf",
        version: "1.0",
        title: "Test Cyber Assessment Framework 1.0",
        source: "Written for Deep Dive's tests, in the shape of the NCSC Cyber Assessment Framework.",
        file_sha256: CAF_SHA256,
        loaded_by: "cli:test",
        loaded_at: NOW.toISOString(),
      },
    ]);
    // The tree: each section under its parent, positions in file order across the version (depth first).
    expect(
      rows(
        db,
        `SELECT s.code, p.code AS parent, s.position, s.title, s.description FROM framework_sections s
           LEFT JOIN framework_sections p ON p.id = s.parent_id WHERE s.framework_version_id = ? ORDER BY s.position`,
        report.id,
      ),
    ).toEqual([
      { code: "A", parent: null, position: 1, title: "Managing security risk", description: "Appropriate organisational structures, policies and processes are in place." },
      { code: "A1", parent: "A", position: 2, title: "Governance", description: "" },
      { code: "A2", parent: "A", position: 3, title: "Risk management", description: "" },
      { code: "B", parent: null, position: 4, title: "Protecting against cyber attack", description: "" },
      { code: "B4", parent: "B", position: 5, title: "System security", description: "Systems are protected from cyber attack." },
    ]);
    expect(
      rows(
        db,
        `SELECT c.code, s.code AS section, c.position, c.scale, c.records_devices FROM framework_criteria c
           JOIN framework_sections s ON s.id = c.section_id WHERE c.framework_version_id = ? ORDER BY c.position`,
        report.id,
      ),
    ).toEqual([
      { code: "A1.a", section: "A1", position: 1, scale: "caf", records_devices: 0 },
      { code: "A1.b", section: "A1", position: 2, scale: "caf", records_devices: 0 },
      { code: "A2.a", section: "A2", position: 3, scale: "caf", records_devices: 0 },
      { code: "B0.a", section: "B", position: 4, scale: "caf", records_devices: 0 },
      { code: "B4.d", section: "B4", position: 5, scale: "caf", records_devices: 1 },
    ]);
    expect(rows(db, "SELECT title, good_looks_like, evidence FROM framework_criteria WHERE framework_version_id = ? AND code = 'B0.a'", report.id)).toEqual([
      {
        title: "Protective measures overview",
        good_looks_like: "Proportionate protective measures are in place.",
        evidence: "A summary of protective measures.\n\nAn inventory of the controls that implement them.",
      },
    ]);
    expect(
      rows(
        db,
        `SELECT c.code AS criterion, i.code, i.level, i.position, i.text FROM framework_indicators i
           JOIN framework_criteria c ON c.id = i.criterion_id WHERE c.framework_version_id = ? ORDER BY c.position, i.position`,
        report.id,
      ),
    ).toEqual([
      { criterion: "A1.a", code: "A1.a.NA1", level: "not_achieved", position: 1, text: "The security of network and information systems is not discussed by the board." },
      { criterion: "A1.a", code: "A1.a.A1", level: "achieved", position: 2, text: "The board sets and reviews the direction for security." },
      { criterion: "A1.a", code: "A1.a.PA1", level: "partially_achieved", position: 3, text: "Security is discussed by the board, but only after incidents." },
      { criterion: "A1.b", code: "A1.b.A1", level: "achieved", position: 1, text: "Key roles are filled by people with the right skills." },
      { criterion: "B4.d", code: "B4.d.A1", level: "achieved", position: 1, text: "Critical patches are applied within 14 days." },
      { criterion: "B4.d", code: "B4.d.NA1", level: "not_achieved", position: 2, text: "Unsupported software runs on essential systems." },
    ]);
    expect(rows(db, "SELECT code, name, version, description, created_by, created_at FROM framework_profiles WHERE framework_version_id = ? ORDER BY id", report.id)).toEqual([
      { code: "baseline", name: "Baseline", version: 1, description: "The minimum expected of every trust.", created_by: "cli:test", created_at: NOW.toISOString() },
      { code: "enhanced", name: "Enhanced", version: 1, description: "", created_by: "cli:test", created_at: NOW.toISOString() },
    ]);
    expect(
      rows(
        db,
        `SELECT p.code AS profile, c.code AS criterion, m.minimum FROM profile_minimums m
           JOIN framework_profiles p ON p.id = m.profile_id JOIN framework_criteria c ON c.id = m.criterion_id
           WHERE p.framework_version_id = ? ORDER BY p.code, c.position`,
        report.id,
      ),
    ).toEqual([
      { profile: "baseline", criterion: "A1.a", minimum: "achieved" },
      { profile: "baseline", criterion: "A2.a", minimum: "partially_achieved" },
      { profile: "baseline", criterion: "B4.d", minimum: "partially_achieved" },
      { profile: "enhanced", criterion: "A1.a", minimum: "achieved" },
      { profile: "enhanced", criterion: "A1.b", minimum: "achieved" },
      { profile: "enhanced", criterion: "A2.a", minimum: "achieved" },
      { profile: "enhanced", criterion: "B0.a", minimum: "not_achieved" },
      { profile: "enhanced", criterion: "B4.d", minimum: "achieved" },
    ]);

    const event = lastAudit(db);
    expect(event).toMatchObject({ action: "framework.loaded", actor_label: "cli:test", object_type: "framework_version", object_id: String(report.id), occurred_at: NOW.toISOString() });
    expect(JSON.parse(event.summary as string)).toEqual({
      framework: "test-caf",
      version: "1.0",
      title: "Test Cyber Assessment Framework 1.0",
      fileName: "mini-caf.json",
      sha256: CAF_SHA256,
      sections: 5,
      criteria: 5,
      indicators: 6,
      profiles: ["baseline", "enhanced"],
      minimums: 8,
    });
    expect(verifyAuditChain(db).ok).toBe(true);

    // What was stored is exactly what the file says.
    expect(loadedFrameworkFile(report.id, db)).toEqual(parseFrameworkFile(CAF));
  });

  it("reads a loaded version back as a tree with its profiles, and lists it", () => {
    const { db } = useFreshDatabase();
    const report = loaded(loadFrameworkFile(CAF, "mini-caf.json", ACTOR, db, { now: NOW }));
    const view = frameworkVersionView(report.id, db)!;
    expect(view.version).toMatchObject({ id: report.id, framework: "test-caf", version: "1.0", sections: 5, criteria: 5, indicators: 6, loadedBy: "cli:test" });
    expect(view.sections.map((s) => [s.code, s.criteria.map((c) => c.code), s.sections.map((c) => c.code)])).toEqual([
      ["A", [], ["A1", "A2"]],
      ["B", ["B0.a"], ["B4"]],
    ]);
    const a1 = view.sections[0]!.sections[0]!;
    expect(a1.criteria.map((c) => c.code)).toEqual(["A1.a", "A1.b"]);
    expect(a1.criteria[0]!.indicators.map((i) => `${i.level}:${i.code}`)).toEqual(["not_achieved:A1.a.NA1", "achieved:A1.a.A1", "partially_achieved:A1.a.PA1"]);
    expect(view.sections[1]!.sections[0]!.criteria[0]).toMatchObject({ code: "B4.d", scale: "caf", recordsDevices: true, title: "Vulnerability management" });
    expect(view.criteria.map((c) => c.code)).toEqual(["A1.a", "A1.b", "A2.a", "B0.a", "B4.d"]);
    expect(view.profiles.map((p) => [p.code, p.version, p.minimums])).toEqual([
      ["baseline", 1, { "A1.a": "achieved", "A2.a": "partially_achieved", "B4.d": "partially_achieved" }],
      ["enhanced", 1, { "A1.a": "achieved", "A1.b": "achieved", "A2.a": "achieved", "B0.a": "not_achieved", "B4.d": "achieved" }],
    ]);
    expect(frameworkVersionView(999_999, db)).toBeNull();
    expect(frameworkVersionView("abc", db)).toBeNull();
    expect(frameworkVersionView("1; DROP TABLE users", db)).toBeNull();

    expect(listFrameworkVersions(db).find((v) => v.id === report.id)).toEqual({
      id: report.id,
      framework: "test-caf",
      version: "1.0",
      title: "Test Cyber Assessment Framework 1.0",
      source: "Written for Deep Dive's tests, in the shape of the NCSC Cyber Assessment Framework.",
      sha256: CAF_SHA256,
      loadedAt: NOW.toISOString(),
      loadedBy: "cli:test",
      sections: 5,
      criteria: 5,
      indicators: 6,
      profiles: [
        { id: view.profiles[0]!.id, code: "baseline", name: "Baseline", version: 1, minimums: 3 },
        { id: view.profiles[1]!.id, code: "enhanced", name: "Enhanced", version: 1, minimums: 5 },
      ],
    });
  });

  it("loads met-scale criteria that record devices", () => {
    const { db } = useFreshDatabase();
    const report = loaded(loadFrameworkFile(readFileSync(fixture("mini-ce.json")), "mini-ce.json", ACTOR, db));
    expect(report).toMatchObject({ framework: "test-ce", version: "2", sections: 1, criteria: 2, indicators: 1, profiles: 1, minimums: 2 });
    expect(rows(db, "SELECT code, scale, records_devices, position FROM framework_criteria WHERE framework_version_id = ? ORDER BY position", report.id)).toEqual([
      { code: "CE.malware", scale: "met", records_devices: 1, position: 1 },
      { code: "CE.patching", scale: "met", records_devices: 0, position: 2 },
    ]);
  });

  it("changes nothing when the same version is loaded again with the same content, however the file is laid out", () => {
    const { db } = useFreshDatabase();
    const first = loaded(loadFrameworkFile(CAF, "mini-caf.json", ACTOR, db, { now: NOW }));
    const before = state(db);
    const later = { now: new Date("2026-12-02T10:00:00Z") };
    const other: Actor = { userId: null, label: "cli:someone-else", clientAddress: null };

    const again = loadFrameworkFile(CAF, "again.json", other, db, later);
    expect(again).toMatchObject({ status: "already-loaded", id: first.id, sha256: CAF_SHA256, loadedAt: NOW.toISOString(), loadedBy: "cli:test", criteria: 5 });
    expect(loadFrameworkFile(CAF, "again.json", other, db, { ...later, dryRun: true })).toMatchObject({ status: "already-loaded", id: first.id });

    // A byte order mark, CRLF line endings, other indentation and the minimums in another order: the same content.
    const reordered = changedCaf((f) => {
      const profile = f.profiles![1]!;
      profile.minimums = Object.fromEntries(Object.entries(profile.minimums).reverse());
    });
    const relaidOut = Buffer.from(`\uFEFF${reordered.replaceAll("\n", "\r\n")}`, "utf8");
    const same = loadFrameworkFile(relaidOut, "relaid.json", other, db, later);
    expect(same).toMatchObject({ status: "already-loaded", id: first.id });
    expect(same.sha256).not.toBe(CAF_SHA256);
    // The byte order mark is not part of the content: with it, the file has the same SHA-256 as without.
    const withBom = loadFrameworkFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(fixture("mini-caf.json"))]), "bom.json", other, db, later);
    expect(withBom).toMatchObject({ status: "already-loaded", sha256: CAF_SHA256 });

    expect(state(db)).toEqual(before);
  });

  it("refuses the same version with changed content, saying where it differs, and changes nothing", () => {
    const { db } = useFreshDatabase();
    const first = loaded(loadFrameworkFile(CAF, "mini-caf.json", ACTOR, db, { now: NOW }));
    const before = state(db);
    const reworded = CAF.replace('"title": "Board direction"', '"title": "Board leadership"');
    expect(reworded).not.toBe(CAF);

    for (const options of [{}, { dryRun: true }]) {
      expect(problemsOf(() => loadFrameworkFile(reworded, "reworded.json", ACTOR, db, options))).toEqual([{ path: "version", message: WORDING_CHANGED }]);
    }
    expect(() => loadFrameworkFile(reworded, "reworded.json", ACTOR, db)).toThrow(FrameworkVersionChangedError);

    const a1 = (f: FileInput) => f.sections[0]!.sections![0]!;
    const changes: [string, (f: FileInput) => void][] = [
      ["profiles[0].minimums.A2.a", (f) => (f.profiles![0]!.minimums["A2.a"] = "achieved")],
      ["profiles[1].minimums.A1.a", (f) => delete f.profiles![1]!.minimums["A1.a"]],
      ["sections[0].sections[0].criteria[1].indicators[1]", (f) => a1(f).criteria![1]!.indicators!.push({ id: "A1.b.A2", level: "achieved", text: "More." })],
      ["sections[1].sections[0].criteria[0].recordsDevices", (f) => (f.sections[1]!.sections![0]!.criteria![0]!.recordsDevices = false)],
      ["sections[0].sections[0].criteria[0].indicators[0].level", (f) => (a1(f).criteria![0]!.indicators![0]!.level = "partially_achieved")],
      ["source", (f) => (f.source = "Another source.")],
      ["profiles[2]", (f) => f.profiles!.push({ id: "extra", name: "Extra", minimums: {} })],
    ];
    for (const [where, change] of changes) {
      const problems = problemsOf(() => loadFrameworkFile(changedCaf(change), "changed.json", ACTOR, db));
      expect(problems).toEqual([{ path: "version", message: WORDING_CHANGED.replace("sections[0].sections[0].criteria[0].title", where) }]);
    }
    expect(state(db)).toEqual(before);
    expect(loadedFrameworkFile(first.id, db)).toEqual(parseFrameworkFile(CAF));

    // With a new version, the new wording loads alongside the old.
    const next = loaded(loadFrameworkFile(reworded.replace('"version": "1.0"', '"version": "1.1"'), "v1.1.json", ACTOR, db));
    expect(next.id).not.toBe(first.id);
    expect(rows(db, "SELECT v.version, c.title FROM framework_criteria c JOIN framework_versions v ON v.id = c.framework_version_id WHERE v.framework = 'test-caf' AND c.code = 'A1.a' ORDER BY version")).toEqual([
      { version: "1.0", title: "Board direction" },
      { version: "1.1", title: "Board leadership" },
    ]);
  });

  it("refuses malformed files with every problem by its path, writing nothing", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    const refusal = (input: string | Uint8Array) => problemsOf(() => loadFrameworkFile(input, "bad.json", ACTOR, db));

    const notJson = refusal('{ "format": "deep-dive-framework/1", ');
    expect(notJson).toHaveLength(1);
    expect(notJson[0]!.path).toBe("");
    expect(notJson[0]!.message).toMatch(/^Not JSON: /);
    expect(refusal("[1, 2, 3]")).toEqual([{ path: "", message: expect.any(String) as string }]);
    expect(refusal(readFixture("bad-shape.json"))).toEqual(BAD_SHAPE_PROBLEMS);
    expect(refusal(readFileSync(fixture("bad-duplicates.json")))).toEqual(DUPLICATES_PROBLEMS);
    // A criterion's id used again in another section of an otherwise good file.
    expect(refusal(changedCaf((f) => (f.sections[1]!.criteria![0]!.id = "A1.b")))).toEqual([
      { path: "sections[1].criteria[0].id", message: 'The id "A1.b" is used twice (also at sections[0].sections[0].criteria[1].id)' },
      { path: "profiles[1].minimums.B0.a", message: 'There is no criterion "B0.a" in this framework' },
    ]);
    expect(refusal(changedCaf((f) => (f.sections[0]!.sections![1]!.criteria = [])))).toEqual([
      { path: "sections[0].sections[1]", message: 'The section "A2" has no criteria and no sections' },
      { path: "profiles[0].minimums.A2.a", message: 'There is no criterion "A2.a" in this framework' },
      { path: "profiles[1].minimums.A2.a", message: 'There is no criterion "A2.a" in this framework' },
    ]);

    expect(refusal("")).toEqual([{ path: "", message: "The file is empty" }]);
    expect(refusal(new Uint8Array())).toEqual([{ path: "", message: "The file is empty" }]);
    expect(refusal(Buffer.from(CAF.replace("Board direction", "Board direction é"), "latin1"))).toEqual([
      { path: "", message: "The file is not UTF-8 text: a framework file is JSON saved as UTF-8" },
    ]);
    expect(refusal(Buffer.from(`\uFEFF${CAF}`, "utf16le"))).toEqual([{ path: "", message: "The file is saved as UTF-16: a framework file is JSON saved as UTF-8" }]);
    expect(refusal(Buffer.from([0x7b, 0x00, 0x7d]))).toEqual([{ path: "", message: "The file is not a framework file (it contains binary data)" }]);
    expect(refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toEqual([
      { path: "", message: "The file is a zip archive: unzip it and select the framework file (.json) inside" },
    ]);
    const huge = changedCaf((f) => (f.source = "x".repeat(2_000_001)));
    expect(refusal(huge)).toEqual([{ path: "", message: "The file must be smaller than 2 MB" }]);
    expect(refusal(Buffer.from(huge, "utf8"))).toEqual([{ path: "", message: "The file must be smaller than 2 MB" }]);

    expect(state(db)).toEqual(before);
    expect(rows(db, "SELECT count(*) AS n FROM framework_versions WHERE framework = 'test-bad'")).toEqual([{ n: 0 }]);
  });

  it("a dry run checks the whole file and says what would be loaded, writing nothing", () => {
    const { db } = useFreshDatabase();
    const before = state(db);
    const dry = loadFrameworkFile(readFileSync(fixture("mini-ce.json")), "mini-ce.json", ACTOR, db, { dryRun: true, now: NOW });
    expect(dry).toMatchObject({ status: "would-load", id: null, framework: "test-ce", version: "2", sections: 1, criteria: 2, indicators: 1, profiles: 1, minimums: 2, loadedAt: null, loadedBy: null });
    expect(problemsOf(() => loadFrameworkFile(readFixture("bad-duplicates.json"), "bad.json", ACTOR, db, { dryRun: true }))).toEqual(DUPLICATES_PROBLEMS);
    expect(state(db)).toEqual(before);
    expect(loadFrameworkFile(readFileSync(fixture("mini-ce.json")), "mini-ce.json", ACTOR, db, { now: NOW }).status).toBe("loaded");
  });

  it("the database refuses to change or delete any row of a loaded version", () => {
    const { db } = useFreshDatabase();
    const { id } = loaded(loadFrameworkFile(CAF, "mini-caf.json", ACTOR, db));
    const before = state(db);
    const criteria = `SELECT id FROM framework_criteria WHERE framework_version_id = ${id}`;
    const profiles = `SELECT id FROM framework_profiles WHERE framework_version_id = ${id}`;
    const attempts: [string, RegExp][] = [
      [`UPDATE framework_versions SET title = 'Edited' WHERE id = ${id}`, /framework versions never change: load a new version/],
      [`DELETE FROM framework_versions WHERE id = ${id}`, /framework versions are never deleted/],
      [`UPDATE framework_sections SET title = 'Edited' WHERE framework_version_id = ${id}`, /framework sections never change/],
      [`DELETE FROM framework_sections WHERE framework_version_id = ${id}`, /framework sections are never deleted/],
      [`UPDATE framework_criteria SET good_looks_like = 'Edited' WHERE framework_version_id = ${id}`, /framework criteria never change/],
      [`DELETE FROM framework_criteria WHERE framework_version_id = ${id}`, /framework criteria are never deleted/],
      [`UPDATE framework_indicators SET text = 'Edited' WHERE criterion_id IN (${criteria})`, /framework indicators never change/],
      [`DELETE FROM framework_indicators WHERE criterion_id IN (${criteria})`, /framework indicators are never deleted/],
      [`UPDATE framework_profiles SET name = 'Edited' WHERE framework_version_id = ${id}`, /framework profiles never change/],
      [`DELETE FROM framework_profiles WHERE framework_version_id = ${id}`, /framework profiles are never deleted/],
      [`UPDATE profile_minimums SET minimum = 'not_achieved' WHERE profile_id IN (${profiles})`, /profile minimums never change/],
      [`DELETE FROM profile_minimums WHERE profile_id IN (${profiles})`, /profile minimums are never deleted/],
    ];
    for (const [sql, refusal] of attempts) expect(() => db.$client.prepare(sql).run(), sql).toThrow(refusal);
    expect(state(db)).toEqual(before);
    expect(loadedFrameworkFile(id, db)).toEqual(parseFrameworkFile(CAF));
  });
});

describe("the shipped frameworks at start-up (ensureShippedFrameworks)", () => {
  /** A folder standing in for db/frameworks, with the given fixtures in it. */
  function shippedFolder(...names: string[]): string {
    const folder = mkdtempSync(path.join(tmpdir(), "deep-dive-frameworks-"));
    for (const name of names) copyFileSync(fixture(name), path.join(folder, name));
    return folder;
  }

  it("loads each shipped file not yet loaded, as the system, once", () => {
    const { db } = useFreshDatabase();
    const folder = shippedFolder("mini-ce.json", "mini-caf.json");
    writeFileSync(path.join(folder, "README.md"), "Not a framework file.");
    const before = state(db);

    const first = ensureShippedFrameworks(db, folder);
    expect(first.loaded.map((r) => [r.fileName, r.framework, r.version, r.status])).toEqual([
      ["mini-caf.json", "test-caf", "1.0", "loaded"],
      ["mini-ce.json", "test-ce", "2", "loaded"],
    ]);
    expect(first.warnings).toEqual([]);
    expect(first.messages).toEqual([
      "Loaded the framework test-caf 1.0 (Test Cyber Assessment Framework 1.0): 5 criteria, 2 profiles.",
      "Loaded the framework test-ce 2 (Test Cyber Essentials Plus 2): 2 criteria, 1 profile.",
    ]);
    expect(rows(db, "SELECT framework, loaded_by FROM framework_versions WHERE framework LIKE 'test-%' ORDER BY framework")).toEqual([
      { framework: "test-caf", loaded_by: "system" },
      { framework: "test-ce", loaded_by: "system" },
    ]);
    expect(rows(db, "SELECT actor_label, action FROM audit_events ORDER BY seq DESC LIMIT 2")).toEqual([
      { actor_label: "system", action: "framework.loaded" },
      { actor_label: "system", action: "framework.loaded" },
    ]);
    const afterFirst = state(db);
    expect(afterFirst.framework_versions).toBe(before.framework_versions + 2);

    expect(ensureShippedFrameworks(db, folder)).toEqual({ loaded: [], warnings: [], messages: [] });
    expect(state(db)).toEqual(afterFirst);
  });

  it("reports a shipped file whose version is loaded with other content as a warning, and loads the others", () => {
    const { db } = useFreshDatabase();
    const folder = shippedFolder("mini-caf.json");
    ensureShippedFrameworks(db, folder);
    writeFileSync(path.join(folder, "mini-caf.json"), CAF.replace('"title": "Board direction"', '"title": "Board leadership"'));
    copyFileSync(fixture("mini-ce.json"), path.join(folder, "mini-ce.json"));
    const before = state(db);

    const report = ensureShippedFrameworks(db, folder);
    expect(report.loaded.map((r) => r.framework)).toEqual(["test-ce"]);
    const warning =
      `Warning: ${path.join(folder, "mini-caf.json")} was not loaded: test-caf 1.0 is already loaded with other content ` +
      "(it differs at sections[0].sections[0].criteria[0].title), and a loaded version never changes. Give the file a new version.";
    expect(report.warnings).toEqual([warning]);
    expect(report.messages.at(-1)).toBe(warning);
    expect(state(db).framework_versions).toBe(before.framework_versions + 1);
    expect(rows(db, "SELECT c.title FROM framework_criteria c JOIN framework_versions v ON v.id = c.framework_version_id WHERE v.framework = 'test-caf' AND c.code = 'A1.a'")).toEqual([
      { title: "Board direction" },
    ]);
  });

  it("start-up has loaded CAF 3.2 and Cyber Essentials Plus 3.1 from db/frameworks, exactly as the files say", () => {
    const { db } = useFreshDatabase();
    expect(shippedFrameworkFiles().map((f) => path.relative(process.cwd(), f))).toEqual([
      path.join("db", "frameworks", "caf-3.2.json"),
      path.join("db", "frameworks", "cyber-essentials-plus-3.1.json"),
    ]);
    const shipped = rows(
      db,
      `SELECT v.id, v.framework, v.version, v.loaded_by, (SELECT count(*) FROM framework_criteria c WHERE c.framework_version_id = v.id) AS criteria
         FROM framework_versions v ORDER BY v.id`,
    );
    // In a freshly booted demo database, CAF 3.2 is framework version 1.
    expect(shipped).toEqual([
      { id: 1, framework: "caf", version: "3.2", loaded_by: "system", criteria: 39 },
      { id: 2, framework: "cyber-essentials-plus", version: "3.1", loaded_by: "system", criteria: 10 },
    ]);
    expect(rows(db, "SELECT object_id, actor_label FROM audit_events WHERE action = 'framework.loaded' ORDER BY seq")).toEqual([
      { object_id: "1", actor_label: "system" },
      { object_id: "2", actor_label: "system" },
    ]);
    for (const [id, file] of [
      [1, "caf-3.2.json"],
      [2, "cyber-essentials-plus-3.1.json"],
    ] as const) {
      expect(loadedFrameworkFile(id, db)).toEqual(parseFrameworkFile(readFileSync(path.resolve("db", "frameworks", file), "utf8").replace(/^\uFEFF/, "")));
    }
    // Every later start-up finds them loaded and changes nothing.
    const before = state(db);
    expect(ensureShippedFrameworks(db)).toEqual({ loaded: [], warnings: [], messages: [] });
    expect(state(db)).toEqual(before);
  });

  it("stops start-up for a shipped file that is not a valid framework file, naming it and its problems", () => {
    const { db } = useFreshDatabase();
    const folder = shippedFolder("bad-duplicates.json");
    const before = state(db);
    expect(() => ensureShippedFrameworks(db, folder)).toThrow(
      `The shipped framework file ${path.join(folder, "bad-duplicates.json")} is refused: sections[0].criteria[0].indicators[0].id: The id "C1" is used twice`,
    );
    expect(state(db)).toEqual(before);
    expect(ensureShippedFrameworks(db, path.join(folder, "no-such-folder"))).toEqual({ loaded: [], warnings: [], messages: [] });
  });
});

describe("npm run frameworks:import (the CLI, run for real)", () => {
  const run = promisify(execFile);
  const tsx = path.resolve("node_modules", ".bin", "tsx");
  const cli = (databaseFile: string, ...args: string[]) =>
    run(tsx, ["scripts/frameworks-import.ts", ...args], { env: { ...process.env, DATABASE_PATH: databaseFile }, encoding: "utf8" }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it("checks with --dry-run, changing nothing; loads; then loading again changes nothing", async () => {
    const file = copyTemplateDatabase();
    const before = stateOfFile(file);
    const dry = await cli(file, fixture("mini-caf.json"), "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stderr).toBe("");
    expect(dry.stdout).toContain("Framework: test-caf 1.0, Test Cyber Assessment Framework 1.0");
    expect(dry.stdout).toContain("5 sections, 5 criteria, 6 indicators of good practice, 2 profiles (baseline, enhanced) with 8 minimums.");
    expect(dry.stdout).toContain(`SHA-256: ${CAF_SHA256}`);
    expect(dry.stdout).toContain("Dry run: nothing was changed. Loading the file would add this version.");
    expect(stateOfFile(file)).toEqual(before);

    const real = await cli(file, fixture("mini-caf.json"));
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/Loaded as framework version \d+\./);
    const after = stateOfFile(file);
    expect(after).toMatchObject({ framework_versions: before.framework_versions + 1, framework_criteria: before.framework_criteria + 5, audit_events: before.audit_events + 1 });
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT actor_label FROM audit_events ORDER BY seq DESC LIMIT 1").get()).toEqual({ actor_label: expect.stringMatching(/^cli:/) as string });
    db.close();

    const again = await cli(file, fixture("mini-caf.json"));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Already loaded \(framework version \d+, on .+ by cli:.+\): nothing was changed\./);
    expect(stateOfFile(file)).toEqual(after);
  });

  it("refuses a bad file: every problem with its path on stderr, exit status 2, nothing changed", async () => {
    const file = copyTemplateDatabase();
    const before = stateOfFile(file);
    const bad = await cli(file, fixture("bad-duplicates.json"));
    expect(bad.code).toBe(2);
    expect(bad.stdout).not.toContain("Loaded");
    expect(bad.stderr.trim().split("\n")).toEqual(["The file was refused: nothing was changed.", ...DUPLICATES_PROBLEMS.map((p) => `${p.path}: ${p.message}`)]);

    const shape = await cli(file, fixture("bad-shape.json"), "--dry-run");
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain("sections[0].criteria[0].scale: The scale must be one of caf, met");

    const folder = mkdtempSync(path.join(tmpdir(), "deep-dive-frameworks-"));
    const notJson = path.join(folder, "not.json");
    writeFileSync(notJson, "this is not JSON");
    const garbage = await cli(file, notJson);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/^The file was refused: nothing was changed\.\nNot JSON: /);
    expect(stateOfFile(file)).toEqual(before);

    await cli(file, fixture("mini-caf.json"));
    const loadedState = stateOfFile(file);
    const reworded = path.join(folder, "reworded.json");
    writeFileSync(reworded, CAF.replace('"title": "Board direction"', '"title": "Board leadership"'));
    const changed = await cli(file, reworded);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain(`version: ${WORDING_CHANGED}`);
    expect(stateOfFile(file)).toEqual(loadedState);

    const usage = await cli(file);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("Usage: npm run frameworks:import -- FILE [--dry-run]");
    const missing = await cli(file, "no-such-file.json");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Cannot read no-such-file.json: no such file");
  });
});

describe("the pages, over HTTP", () => {
  let server: RunningServer;
  let admin: Client;
  let lead: Client;
  let inspector: Client;
  let trustUser: Client;
  beforeAll(async () => {
    server = await startServer();
    [admin, lead, inspector, trustUser] = await Promise.all([
      signedIn(server.url, "admin@deepdive.test"),
      signedIn(server.url, "lead@deepdive.test"),
      signedIn(server.url, "inspector1@deepdive.test"),
      signedIn(server.url, "trust.rj1@deepdive.test"),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const upload = (client: Client, name: string, content: string | Buffer) => {
    const form = new FormData();
    form.set("file", new Blob([typeof content === "string" ? content : new Uint8Array(content)], { type: "application/json" }), name);
    return client.request("/admin/frameworks", { method: "POST", body: form });
  };
  const query = <T>(sql: string, ...params: unknown[]) => {
    const db = new Database(server.databaseFile, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  const versionId = () => query<{ id: number }>("SELECT id FROM framework_versions WHERE framework = 'test-caf' AND version = '1.0'")[0]?.id;

  it("an admin loads a framework file, sees it listed, and loading it again changes nothing", async () => {
    const page = await admin.get("/admin/frameworks");
    expect(page.status).toBe(200);
    const html = await readPage(page);
    expect(html).toContain("<title>Baseline frameworks – Deep Dive</title>");
    expect(html).toContain("Loaded framework versions");
    expect(html).toContain("docs/frameworks.md");
    expect(html).toContain('accept=".json,application/json"');
    expect(html).not.toContain("Test Cyber Assessment Framework 1.0");

    const before = stateOfFile(server.databaseFile);
    const done = await upload(admin, "mini-caf.json", readFileSync(fixture("mini-caf.json")));
    expect(done.status).toBe(200);
    const doneHtml = await readPage(done);
    expect(doneHtml).toContain("Test Cyber Assessment Framework 1.0 (test-caf 1.0) loaded from mini-caf.json");
    expect(doneHtml).toContain("5 sections, 5 criteria and 6 indicators of good practice; 2 profiles with 8 minimums.");
    const id = versionId()!;
    expect(doneHtml).toContain(`href="/frameworks/${id}"`);
    expect(stateOfFile(server.databaseFile)).toMatchObject({ framework_versions: before.framework_versions + 1, profile_minimums: before.profile_minimums + 8 });
    expect(query("SELECT actor_label, object_id FROM audit_events WHERE action = 'framework.loaded' ORDER BY seq DESC LIMIT 1")).toEqual([
      { actor_label: "admin@deepdive.test", object_id: String(id) },
    ]);

    const listed = await readPage(await admin.get("/admin/frameworks"));
    expect(listed).toMatch(new RegExp(`<a class="govuk-link"[^>]* href="/frameworks/${id}"[^>]*>Test Cyber Assessment Framework 1.0</a>`));
    expect(listed).toContain("Baseline (version 1)");

    const afterLoad = stateOfFile(server.databaseFile);
    const again = await upload(admin, "copy.json", CAF);
    expect(again.status).toBe(200);
    const againHtml = await readPage(again);
    expect(againHtml).toContain("test-caf 1.0 is already loaded: nothing was changed");
    expect(againHtml).toContain("copy.json holds the same content as the version loaded");
    expect(stateOfFile(server.databaseFile)).toEqual(afterLoad);
  });

  it("a refused file lists every problem with its path, and nothing changes", async () => {
    const before = stateOfFile(server.databaseFile);
    const bad = await upload(admin, "bad-duplicates.json", readFixture("bad-duplicates.json"));
    expect(bad.status).toBe(400);
    const html = await readPage(bad);
    expect(html).toContain("There is a problem");
    expect(html).toContain("bad-duplicates.json was not loaded and nothing was changed");
    for (const p of DUPLICATES_PROBLEMS) expect(html).toContain(`<a href="#file">${p.path}: ${p.message}</a>`);
    expect(html).toContain("The selected file has 6 problems: correct the file and select it again");

    const garbage = await readPage(await upload(admin, "notes.json", "not JSON at all"));
    expect(garbage).toMatch(/<a href="#file">Not JSON: [^<]+<\/a>/);

    const reworded = await upload(admin, "reworded.json", CAF.replace('"title": "Board direction"', '"title": "Board leadership"'));
    expect(reworded.status).toBe(400);
    expect(await readPage(reworded)).toContain(`<a href="#file">version: ${WORDING_CHANGED}</a>`);

    const latin1 = await readPage(await upload(admin, "latin1.json", Buffer.from(CAF.replace("Board direction", "Board direction é"), "latin1")));
    expect(latin1).toContain("The selected file is not UTF-8 text: a framework file is JSON saved as UTF-8");

    const empty = await admin.request("/admin/frameworks", { method: "POST", body: new FormData() });
    expect(empty.status).toBe(400);
    expect(await readPage(empty)).toContain('<a href="#file">Select a framework file (.json)</a>');

    const huge = await upload(admin, "huge.json", "x".repeat(2_000_001));
    expect(huge.status).toBe(400);
    expect(await readPage(huge)).toContain("The selected file must be smaller than 2 MB");

    expect(stateOfFile(server.databaseFile)).toEqual(before);
  });

  it("everyone but admins gets 404 for the admin page, and cannot load a file", async () => {
    const before = stateOfFile(server.databaseFile).framework_versions;
    for (const client of [lead, inspector, trustUser]) {
      expect((await client.get("/admin/frameworks")).status).toBe(404);
      expect((await upload(client, "mini-ce.json", readFixture("mini-ce.json"))).status).toBe(404);
    }
    const anonymous = new Client(server.url);
    const redirected = await anonymous.get("/admin/frameworks");
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toBe("/sign-in?redirectTo=%2Fadmin%2Fframeworks");
    expect(stateOfFile(server.databaseFile).framework_versions).toBe(before);
    expect(query("SELECT count(*) AS n FROM framework_versions WHERE framework = 'test-ce'")).toEqual([{ n: 0 }]);
  });

  it("staff see the frameworks and a version's tree and profiles; trust users get 404", async () => {
    if (!versionId()) expect((await upload(admin, "mini-caf.json", CAF)).status).toBe(200);
    const id = versionId()!;
    for (const client of [admin, lead, inspector]) {
      const list = await client.get("/frameworks");
      expect(list.status).toBe(200);
      const listHtml = await readPage(list);
      expect(listHtml).toContain("<title>Baseline frameworks – Deep Dive</title>");
      expect(listHtml).toMatch(new RegExp(`<a class="govuk-link"[^>]* href="/frameworks/${id}"[^>]*>Test Cyber Assessment Framework 1.0</a>`));
      expect(listHtml).toContain("Enhanced (version 1): minimums for 5 criteria");

      const page = await client.get(`/frameworks/${id}`);
      expect(page.status).toBe(200);
      const html = await readPage(page);
      expect(html).toContain("<title>Test Cyber Assessment Framework 1.0 – Baseline frameworks – Deep Dive</title>");
      expect(html).toContain('<h2 class="govuk-heading-l" id="section-A"><span class="govuk-caption-m">A</span>Managing security risk</h2>');
      expect(html).toContain('<h3 class="govuk-heading-m" id="section-A1"><span class="govuk-caption-m">A1</span>Governance</h3>');
      expect(html).toContain('<h4 class="govuk-heading-s" id="criterion-A1.a">A1.a Board direction</h4>');
      // A criterion directly in a top-level section is one level below it.
      expect(html).toContain('<h3 class="govuk-heading-s" id="criterion-B0.a">B0.a Protective measures overview</h3>');
      expect(html).toContain("The board owns security of the network and information systems.");
      expect(html).toContain("Board minutes; the risk register; the security policy signed by the board.");
      expect(html).toContain("Indicators: Partially achieved");
      expect(html).toContain("Security is discussed by the board, but only after incidents.");
      expect(html).toContain("Findings record how many devices were sampled and how many failed");
      expect(html).toContain("Minimum rating by criterion");
      expect(html).toMatch(/A2\.a Risk management process<\/a><\/th><td class="govuk-table__cell">Partially achieved<\/td><td class="govuk-table__cell">Achieved<\/td>/);
      expect(html).toMatch(/A1\.b Roles and responsibilities<\/a><\/th><td class="govuk-table__cell">No minimum<\/td><td class="govuk-table__cell">Achieved<\/td>/);
      expect((await client.get("/frameworks/999999")).status).toBe(404);
      expect((await client.get("/frameworks/not-a-number")).status).toBe(404);
    }
    expect((await trustUser.get("/frameworks")).status).toBe(404);
    expect((await trustUser.get(`/frameworks/${id}`)).status).toBe(404);
    const anonymous = new Client(server.url);
    expect((await anonymous.get(`/frameworks/${id}`)).status).toBe(302);
  });
});
