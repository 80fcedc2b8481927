/**
 * Baseline frameworks as versioned data: loading a framework file (the format is app/baseline/framework-file.ts,
 * described in docs/frameworks.md) into the database as one framework version, all or nothing, and reading the
 * loaded versions for the pages.
 *
 * A loaded version never changes (migration 0006 makes the database refuse UPDATE and DELETE on every framework
 * table). Loading is therefore idempotent and strict: a file whose framework and version are already loaded with
 * the same content changes nothing ("already loaded"), and one whose content differs is refused, because new
 * wording or new minimums are a new version. "The same content" is decided on what was loaded, not on the bytes:
 * a file with the same SHA-256 is the same, and so is a file laid out differently (line endings, indentation, the
 * order of a profile's minimums) whose every field is the same.
 *
 * Positions are 1-based and in file order. Sections and criteria are numbered across the whole version, depth
 * first (a section, its own criteria, then its sections), so ORDER BY position lists them as the file does;
 * indicators are numbered within their criterion.
 *
 * The files shipped in db/frameworks are loaded at start-up (ensureShippedFrameworks), as the system.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { frameworkCriteria, frameworkIndicators, frameworkProfiles, frameworkSections, frameworkVersions, profileMinimums } from "../../db/schema";
import { recordAudit, SYSTEM_ACTOR, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { projectPath } from "../project-root.server";
import {
  criteriaOf,
  FRAMEWORK_FORMAT,
  FrameworkFileError,
  parseFrameworkFile,
  type FrameworkFile,
  type FrameworkProblem,
  type IndicatorLevel,
  type Scale,
  type SectionOutput,
} from "./framework-file";

export { FrameworkFileError, type FrameworkProblem } from "./framework-file";

export const MAX_FRAMEWORK_FILE_BYTES = 2_000_000;
export const MAX_FRAMEWORK_FILE_LABEL = "2 MB";
/** Where the framework files shipped with Deep Dive are, from the project root. */
export const SHIPPED_FRAMEWORKS_FOLDER = path.join("db", "frameworks");
/** The profile version a framework file's profiles are stored as. */
const FILE_PROFILE_VERSION = 1;

export type Minimum = IndicatorLevel;

/**
 * A file refused because its framework and version are already loaded with other content. Start-up reports it for
 * a shipped file as a warning; anywhere else it is a refusal like any other.
 */
export class FrameworkVersionChangedError extends FrameworkFileError {
  constructor(
    readonly framework: string,
    readonly version: string,
    /** Where the file first differs from the loaded version, as a path in the file (`sections[0].title`). */
    readonly differsAt: string,
  ) {
    super([
      {
        path: "version",
        message:
          `${framework} ${version} is already loaded and a loaded version never changes: give the file a new version ` +
          `(the file differs from the loaded version at ${differsAt || "the top level"})`,
      },
    ]);
    this.name = "FrameworkVersionChangedError";
  }
}

/** "sections[0].id: The section's id is missing", or the message alone for a problem with the whole file. */
export function describeFrameworkProblem(problem: FrameworkProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

// ── Reading the file ────────────────────────────────────────────────────────────────────────────────────────

const refuse = (message: string): never => {
  throw new FrameworkFileError([{ path: "", message }]);
};

/**
 * A framework file's bytes (or text) as text: UTF-8, with or without a byte order mark (which is dropped), at most
 * MAX_FRAMEWORK_FILE_BYTES. Throws FrameworkFileError for a file that is too big, empty, zipped, binary or not UTF-8.
 */
export function decodeFrameworkFile(input: Uint8Array | string): string {
  if (typeof input === "string") {
    if (Buffer.byteLength(input, "utf8") > MAX_FRAMEWORK_FILE_BYTES) refuse(`The file must be smaller than ${MAX_FRAMEWORK_FILE_LABEL}`);
    if (input.trim() === "") refuse("The file is empty");
    return input.replace(/^\uFEFF/, "");
  }
  if (input.byteLength > MAX_FRAMEWORK_FILE_BYTES) refuse(`The file must be smaller than ${MAX_FRAMEWORK_FILE_LABEL}`);
  if (input.byteLength === 0) refuse("The file is empty");
  if (input[0] === 0x50 && input[1] === 0x4b && input[2] === 0x03 && input[3] === 0x04) {
    refuse("The file is a zip archive: unzip it and select the framework file (.json) inside");
  }
  if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
    refuse("The file is saved as UTF-16: a framework file is JSON saved as UTF-8");
  }
  if (input.includes(0)) refuse("The file is not a framework file (it contains binary data)");
  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    refuse("The file is not UTF-8 text: a framework file is JSON saved as UTF-8");
  }
  if (text.trim() === "") refuse("The file is empty");
  return text;
}

/** The SHA-256 of the text as UTF-8 without a byte order mark: the same from a form, the CLI or a shipped file. */
const sha256Of = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

// ── Loading ─────────────────────────────────────────────────────────────────────────────────────────────────

export type FrameworkLoadStatus = "loaded" | "already-loaded" | "would-load";

export interface FrameworkCounts {
  sections: number;
  criteria: number;
  indicators: number;
  profiles: number;
  minimums: number;
}

export interface FrameworkLoadReport extends FrameworkCounts {
  /** loaded: written now; already-loaded: the same content was loaded before, nothing changed; would-load: a dry run. */
  status: FrameworkLoadStatus;
  /** The framework version's id (null for a dry run of a version not loaded). */
  id: number | null;
  framework: string;
  version: string;
  title: string;
  fileName: string;
  sha256: string;
  /** The profiles' ids in the file, in file order. */
  profileCodes: string[];
  /** When and by whom the version was loaded (now for `loaded`; null for `would-load`). */
  loadedAt: string | null;
  loadedBy: string | null;
}

export interface LoadOptions {
  /** Check everything and say what would happen, changing nothing. */
  dryRun?: boolean;
  now?: Date;
}

function countsOf(file: FrameworkFile): FrameworkCounts {
  let sections = 0;
  const walk = (list: SectionOutput[]) => {
    for (const s of list) {
      sections++;
      walk(s.sections);
    }
  };
  walk(file.sections);
  const criteria = criteriaOf(file);
  return {
    sections,
    criteria: criteria.length,
    indicators: criteria.reduce((n, { criterion }) => n + criterion.indicators.length, 0),
    profiles: file.profiles.length,
    minimums: file.profiles.reduce((n, p) => n + Object.keys(p.minimums).length, 0),
  };
}

const loadedVersion = (db: Db, framework: string, version: string) =>
  db
    .select()
    .from(frameworkVersions)
    .where(and(eq(frameworkVersions.framework, framework), eq(frameworkVersions.version, version)))
    .get();

/**
 * Whether the file's framework and version are loaded: no (undefined), or the row, when its content is the file's.
 * Throws FrameworkVersionChangedError when the loaded version's content differs from the file's.
 */
function alreadyLoaded(db: Db, file: FrameworkFile, sha256: string) {
  const row = loadedVersion(db, file.framework, file.version);
  if (!row || row.fileSha256 === sha256) return row;
  const loaded = loadedFrameworkFile(row.id, db)!;
  const differsAt = firstDifference(file, loaded);
  if (differsAt !== null) throw new FrameworkVersionChangedError(file.framework, file.version, differsAt);
  return row;
}

/**
 * Loads a framework file as a new framework version: the file is read (UTF-8, at most 2 MB) and checked in full,
 * then in one write transaction the version, its sections (a tree), criteria, indicators, profiles (each as
 * version 1, its code the profile's id in the file) and their minimums are inserted, with one audit event
 * `framework.loaded`. A version already loaded with the same content changes nothing (status already-loaded).
 * With dryRun, nothing is written (status would-load, or already-loaded).
 *
 * Throws FrameworkFileError listing every problem with its path in the file, and FrameworkVersionChangedError (a
 * FrameworkFileError) when the version is already loaded with different content. Nothing is written then.
 */
export function loadFrameworkFile(
  input: Uint8Array | string,
  fileName: string,
  actor: Actor,
  db: Db = getDb(),
  options: LoadOptions = {},
): FrameworkLoadReport {
  const text = decodeFrameworkFile(input);
  const file = parseFrameworkFile(text);
  const sha256 = sha256Of(text);
  const name = path.basename(fileName.replaceAll("\\", "/")) || fileName;
  const counts = countsOf(file);
  const report = (status: FrameworkLoadStatus, row: { id: number; loadedAt: string; loadedBy: string } | null): FrameworkLoadReport => ({
    status,
    id: row?.id ?? null,
    framework: file.framework,
    version: file.version,
    title: file.title,
    fileName: name,
    sha256,
    ...counts,
    profileCodes: file.profiles.map((p) => p.id),
    loadedAt: row?.loadedAt ?? null,
    loadedBy: row?.loadedBy ?? null,
  });

  if (options.dryRun) {
    const row = alreadyLoaded(db, file, sha256);
    return row ? report("already-loaded", row) : report("would-load", null);
  }

  const loadedAt = (options.now ?? new Date()).toISOString();
  return writeTransaction((tx) => {
    // Checked again under the write lock, so two loads of the same version cannot both insert it.
    const existing = alreadyLoaded(db, file, sha256);
    if (existing) return report("already-loaded", existing);

    const versionId = tx
      .insert(frameworkVersions)
      .values({ framework: file.framework, version: file.version, title: file.title, source: file.source, fileSha256: sha256, loadedBy: actor.label, loadedAt })
      .returning({ id: frameworkVersions.id })
      .get().id;

    const criterionIds = new Map<string, number>();
    let sectionPosition = 0;
    let criterionPosition = 0;
    const insertSections = (sections: SectionOutput[], parentId: number | null) => {
      for (const section of sections) {
        const sectionId = tx
          .insert(frameworkSections)
          .values({ frameworkVersionId: versionId, parentId, code: section.id, title: section.title, description: section.description, position: ++sectionPosition })
          .returning({ id: frameworkSections.id })
          .get().id;
        for (const c of section.criteria) {
          const criterionId = tx
            .insert(frameworkCriteria)
            .values({
              frameworkVersionId: versionId,
              sectionId,
              code: c.id,
              title: c.title,
              scale: c.scale,
              goodLooksLike: c.goodLooksLike,
              evidence: c.evidence,
              recordsDevices: c.recordsDevices,
              position: ++criterionPosition,
            })
            .returning({ id: frameworkCriteria.id })
            .get().id;
          criterionIds.set(c.id, criterionId);
          c.indicators.forEach((indicator, i) => {
            tx.insert(frameworkIndicators).values({ criterionId, code: indicator.id, level: indicator.level, text: indicator.text, position: i + 1 }).run();
          });
        }
        insertSections(section.sections, sectionId);
      }
    };
    insertSections(file.sections, null);

    for (const profile of file.profiles) {
      const profileId = tx
        .insert(frameworkProfiles)
        .values({
          frameworkVersionId: versionId,
          code: profile.id,
          name: profile.name,
          version: FILE_PROFILE_VERSION,
          description: profile.description,
          createdBy: actor.label,
          createdAt: loadedAt,
        })
        .returning({ id: frameworkProfiles.id })
        .get().id;
      for (const [criterionCode, minimum] of Object.entries(profile.minimums)) {
        tx.insert(profileMinimums).values({ profileId, criterionId: criterionIds.get(criterionCode)!, minimum }).run();
      }
    }

    recordAudit(
      tx,
      actor,
      {
        action: "framework.loaded",
        objectType: "framework_version",
        objectId: String(versionId),
        summary: { framework: file.framework, version: file.version, title: file.title, fileName: name, sha256, ...counts, profiles: file.profiles.map((p) => p.id) },
      },
      new Date(loadedAt),
    );
    return report("loaded", { id: versionId, loadedAt, loadedBy: actor.label });
  }, db);
}

// ── The shipped frameworks ──────────────────────────────────────────────────────────────────────────────────

export interface ShippedFrameworksReport {
  /** The versions loaded now. */
  loaded: FrameworkLoadReport[];
  /** Shipped files whose version is loaded with other content: not loaded, and said so. */
  warnings: string[];
  /** What start-up prints: one line a version loaded, then the warnings. */
  messages: string[];
}

/** The framework files in the folder (*.json), in name order; none if the folder does not exist. */
export function shippedFrameworkFiles(folder = projectPath(SHIPPED_FRAMEWORKS_FOLDER)): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.toLowerCase().endsWith(".json"))
    .sort()
    .map((f) => path.join(folder, f));
}

/**
 * Loads each framework file shipped in db/frameworks whose framework and version are not loaded yet, as the system
 * (start-up calls it). A shipped file whose version is loaded with different content is not loaded and is reported
 * as a warning; a shipped file that is not a valid framework file stops start-up (the release is broken).
 */
export function ensureShippedFrameworks(db: Db = getDb(), folder = projectPath(SHIPPED_FRAMEWORKS_FOLDER)): ShippedFrameworksReport {
  const loaded: FrameworkLoadReport[] = [];
  const warnings: string[] = [];
  for (const file of shippedFrameworkFiles(folder)) {
    const relative = path.relative(projectPath(), file);
    const shown = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
    try {
      const result = loadFrameworkFile(readFileSync(file), path.basename(file), SYSTEM_ACTOR, db);
      if (result.status === "loaded") loaded.push(result);
    } catch (error) {
      if (error instanceof FrameworkVersionChangedError) {
        warnings.push(
          `Warning: ${shown} was not loaded: ${error.framework} ${error.version} is already loaded with other content ` +
            `(it differs at ${error.differsAt || "the top level"}), and a loaded version never changes. Give the file a new version.`,
        );
      } else if (error instanceof FrameworkFileError) {
        throw new Error(`The shipped framework file ${shown} is refused: ${error.problems.map(describeFrameworkProblem).join("; ")}`);
      } else throw error;
    }
  }
  const messages = [
    ...loaded.map((r) => `Loaded the framework ${r.framework} ${r.version} (${r.title}): ${r.criteria} criteria, ${r.profiles} ${r.profiles === 1 ? "profile" : "profiles"}.`),
    ...warnings,
  ];
  return { loaded, warnings, messages };
}

// ── Reading loaded versions ─────────────────────────────────────────────────────────────────────────────────

export interface ProfileSummary {
  id: number;
  code: string;
  name: string;
  version: number;
  /** How many criteria have a minimum. */
  minimums: number;
}

export interface FrameworkVersionSummary {
  id: number;
  framework: string;
  version: string;
  title: string;
  source: string;
  sha256: string;
  loadedAt: string;
  loadedBy: string;
  sections: number;
  criteria: number;
  indicators: number;
  profiles: ProfileSummary[];
}

const countBy = <K extends string | number>(rows: { key: K; n: number }[]) => new Map(rows.map((r) => [r.key, r.n]));

/** Orders versions as people expect: "3.10" after "3.9". */
const versionOrder = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** Every loaded framework version, by framework, newest version first, with its counts and profiles. */
export function listFrameworkVersions(db: Db = getDb()): FrameworkVersionSummary[] {
  const versions = db.select().from(frameworkVersions).all();
  const sections = countBy(
    db.select({ key: frameworkSections.frameworkVersionId, n: count() }).from(frameworkSections).groupBy(frameworkSections.frameworkVersionId).all(),
  );
  const criteria = countBy(
    db.select({ key: frameworkCriteria.frameworkVersionId, n: count() }).from(frameworkCriteria).groupBy(frameworkCriteria.frameworkVersionId).all(),
  );
  const indicators = countBy(
    db
      .select({ key: frameworkCriteria.frameworkVersionId, n: count() })
      .from(frameworkIndicators)
      .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, frameworkIndicators.criterionId))
      .groupBy(frameworkCriteria.frameworkVersionId)
      .all(),
  );
  const minimums = countBy(db.select({ key: profileMinimums.profileId, n: count() }).from(profileMinimums).groupBy(profileMinimums.profileId).all());
  const profiles = db.select().from(frameworkProfiles).orderBy(asc(frameworkProfiles.id)).all();
  return versions
    .map((v) => ({
      id: v.id,
      framework: v.framework,
      version: v.version,
      title: v.title,
      source: v.source,
      sha256: v.fileSha256,
      loadedAt: v.loadedAt,
      loadedBy: v.loadedBy,
      sections: sections.get(v.id) ?? 0,
      criteria: criteria.get(v.id) ?? 0,
      indicators: indicators.get(v.id) ?? 0,
      profiles: profiles
        .filter((p) => p.frameworkVersionId === v.id)
        .map((p) => ({ id: p.id, code: p.code, name: p.name, version: p.version, minimums: minimums.get(p.id) ?? 0 })),
    }))
    .sort((a, b) => a.framework.localeCompare(b.framework, "en") || versionOrder(b.version, a.version));
}

export interface IndicatorView {
  code: string;
  level: IndicatorLevel;
  text: string;
}

export interface CriterionView {
  id: number;
  code: string;
  title: string;
  scale: Scale;
  goodLooksLike: string;
  evidence: string;
  recordsDevices: boolean;
  /** In file order. */
  indicators: IndicatorView[];
}

export interface SectionView {
  id: number;
  code: string;
  title: string;
  description: string;
  criteria: CriterionView[];
  sections: SectionView[];
}

export interface ProfileView {
  id: number;
  code: string;
  name: string;
  version: number;
  description: string;
  createdAt: string;
  createdBy: string;
  /**
   * Loaded with the framework file (version 1, stored with the framework version, by whoever loaded it), rather
   * than defined later by a programme lead (app/baseline/profiles.server.ts).
   */
  fromFile: boolean;
  /** The minimum by criterion code; a criterion without one is absent. */
  minimums: Record<string, Minimum>;
}

export interface FrameworkVersionView {
  version: Omit<FrameworkVersionSummary, "profiles">;
  /** The top-level sections, each with its criteria and its sections, in file order. */
  sections: SectionView[];
  /** Every criterion in file order (depth first), for tables such as the profiles' minimums. */
  criteria: { code: string; title: string; scale: Scale }[];
  /**
   * In the order they were stored: the file's profiles in file order (each at version 1), then the versions
   * programme leads defined later.
   */
  profiles: ProfileView[];
}

/**
 * A loaded version's sections, criteria and indicators. They never change once loaded (the tables refuse UPDATE and
 * DELETE), so they are read once per database connection and kept: every inspection page needs them.
 */
const rowsCache = new WeakMap<object, Map<number, ReturnType<typeof readVersionRows>>>();

function readVersionRows(db: Db, versionId: number) {
  const sectionRows = db.select().from(frameworkSections).where(eq(frameworkSections.frameworkVersionId, versionId)).orderBy(asc(frameworkSections.position)).all();
  const criterionRows = db.select().from(frameworkCriteria).where(eq(frameworkCriteria.frameworkVersionId, versionId)).orderBy(asc(frameworkCriteria.position)).all();
  const criterionIdList = criterionRows.map((c) => c.id);
  const indicatorRows =
    criterionIdList.length === 0
      ? []
      : db.select().from(frameworkIndicators).where(inArray(frameworkIndicators.criterionId, criterionIdList)).orderBy(asc(frameworkIndicators.criterionId), asc(frameworkIndicators.position)).all();
  return { sectionRows, criterionRows, indicatorRows };
}

function versionRows(db: Db, versionId: number) {
  let byVersion = rowsCache.get(db.$client);
  if (!byVersion) rowsCache.set(db.$client, (byVersion = new Map()));
  let rows = byVersion.get(versionId);
  if (!rows) byVersion.set(versionId, (rows = readVersionRows(db, versionId)));
  return rows;
}

/** One loaded version as a tree (sections, their sections and criteria, with indicators) and its profiles; null if there is none. */
export function frameworkVersionView(id: number | string, db: Db = getDb()): FrameworkVersionView | null {
  const versionId = typeof id === "number" ? id : /^[1-9]\d{0,15}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(versionId)) return null;
  const v = db.select().from(frameworkVersions).where(eq(frameworkVersions.id, versionId)).get();
  if (!v) return null;

  const { sectionRows, criterionRows, indicatorRows } = versionRows(db, versionId);
  const profileRows = db
    .select()
    .from(frameworkProfiles)
    .where(eq(frameworkProfiles.frameworkVersionId, versionId))
    .orderBy(asc(frameworkProfiles.id))
    .all();
  const minimumRows =
    profileRows.length === 0
      ? []
      : db.select().from(profileMinimums).where(inArray(profileMinimums.profileId, profileRows.map((p) => p.id))).all();

  const indicatorsOf = new Map<number, IndicatorView[]>();
  for (const i of indicatorRows) {
    const list = indicatorsOf.get(i.criterionId) ?? [];
    list.push({ code: i.code, level: i.level, text: i.text });
    indicatorsOf.set(i.criterionId, list);
  }
  const sectionsById = new Map<number, SectionView>();
  for (const s of sectionRows) sectionsById.set(s.id, { id: s.id, code: s.code, title: s.title, description: s.description, criteria: [], sections: [] });
  const roots: SectionView[] = [];
  for (const s of sectionRows) {
    const view = sectionsById.get(s.id)!;
    const parent = s.parentId === null ? undefined : sectionsById.get(s.parentId);
    (parent ? parent.sections : roots).push(view);
  }
  const codeOf = new Map<number, string>();
  for (const c of criterionRows) {
    codeOf.set(c.id, c.code);
    sectionsById.get(c.sectionId)?.criteria.push({
      id: c.id,
      code: c.code,
      title: c.title,
      scale: c.scale,
      goodLooksLike: c.goodLooksLike,
      evidence: c.evidence,
      recordsDevices: c.recordsDevices,
      indicators: indicatorsOf.get(c.id) ?? [],
    });
  }
  // Positions are depth first with a section's own criteria before its sections: the tree's criteria in that order.
  const criteria: FrameworkVersionView["criteria"] = [];
  const walk = (list: SectionView[]) => {
    for (const s of list) {
      for (const c of s.criteria) criteria.push({ code: c.code, title: c.title, scale: c.scale });
      walk(s.sections);
    }
  };
  walk(roots);

  const position = new Map(criteria.map((c, i) => [c.code, i]));
  const profiles: ProfileView[] = profileRows.map((p) => {
    const minimums = minimumRows
      .filter((m) => m.profileId === p.id)
      .map((m) => [codeOf.get(m.criterionId)!, m.minimum] as const)
      .sort((a, b) => (position.get(a[0]) ?? 0) - (position.get(b[0]) ?? 0));
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      version: p.version,
      description: p.description,
      createdAt: p.createdAt,
      createdBy: p.createdBy,
      // The file's profiles are inserted in the transaction that loads the version, with its time and loader; a
      // profile defined later is a programme lead's (never the loader: leads do not load files), at a later time.
      fromFile: p.version === FILE_PROFILE_VERSION && p.createdAt === v.loadedAt && p.createdBy === v.loadedBy,
      minimums: Object.fromEntries(minimums) as Record<string, Minimum>,
    };
  });

  return {
    version: {
      id: v.id,
      framework: v.framework,
      version: v.version,
      title: v.title,
      source: v.source,
      sha256: v.fileSha256,
      loadedAt: v.loadedAt,
      loadedBy: v.loadedBy,
      sections: sectionRows.length,
      criteria: criterionRows.length,
      indicators: indicatorRows.length,
    },
    sections: roots,
    criteria,
    profiles,
  };
}

/**
 * A loaded version as the framework file that would load it (the profiles it was loaded with, not the versions
 * programme leads defined later): what a new file for the same version is compared with. Null if there is no such
 * version.
 */
export function loadedFrameworkFile(id: number, db: Db = getDb()): FrameworkFile | null {
  const view = frameworkVersionView(id, db);
  if (!view) return null;
  const toSection = (s: SectionView): SectionOutput => ({
    id: s.code,
    title: s.title,
    description: s.description,
    sections: s.sections.map(toSection),
    criteria: s.criteria.map((c) => ({
      id: c.code,
      title: c.title,
      scale: c.scale,
      goodLooksLike: c.goodLooksLike,
      evidence: c.evidence,
      recordsDevices: c.recordsDevices,
      indicators: c.indicators.map((i) => ({ id: i.code, level: i.level, text: i.text })),
    })),
  });
  return {
    format: FRAMEWORK_FORMAT,
    framework: view.version.framework,
    version: view.version.version,
    title: view.version.title,
    source: view.version.source,
    sections: view.sections.map(toSection),
    profiles: view.profiles
      .filter((p) => p.fromFile)
      .map((p) => ({ id: p.code, name: p.name, description: p.description, minimums: { ...p.minimums } })),
  };
}

/**
 * The path of the first place two framework files (as parsed) differ, like `sections[0].criteria[1].title`; null if
 * they are the same. Arrays compare in order; objects by key, whatever the keys' order (a profile's minimums).
 */
export function firstDifference(a: unknown, b: unknown, at = ""): string | null {
  if (Object.is(a, b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    for (const key of keys) {
      const d = firstDifference(x[key], y[key], at ? `${at}.${key}` : key);
      if (d !== null) return d;
    }
    return null;
  }
  return at;
}

// ── The upload form ─────────────────────────────────────────────────────────────────────────────────────────

export type FrameworkUpload = { fileName: string; bytes: Uint8Array } | { fileName: string | null; problems: FrameworkProblem[] };

/**
 * Reads the load form (multipart): only the field `file`, at most MAX_FRAMEWORK_FILE_BYTES. The bytes are read by
 * loadFrameworkFile.
 */
export async function readFrameworkUpload(request: Request): Promise<FrameworkUpload> {
  const refused = (message: string, fileName: string | null = null): FrameworkUpload => ({ fileName, problems: [{ path: "", message }] });
  const tooBig = () => refused(`The selected file must be smaller than ${MAX_FRAMEWORK_FILE_LABEL}`);
  const missing = () => refused("Select a framework file (.json)");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_FRAMEWORK_FILE_BYTES + 100_000) return tooBig();
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_FRAMEWORK_FILE_BYTES, filter: ({ name }) => name === "file" }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooBig();
    return missing();
  }
  const file = form.get("file");
  if (!(file instanceof File) || (file.size === 0 && !file.name)) return missing();
  return { fileName: file.name || "framework.json", bytes: new Uint8Array(await file.arrayBuffer()) };
}
