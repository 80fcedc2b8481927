/**
 * Evidence files on findings (issue 5): photos, screenshots and documents the team attaches to a finding.
 *
 * - The bytes live outside the database, in the evidence folder (EVIDENCE_DIR, by default "evidence" beside the
 *   database), named by their SHA-256: <folder>/<first 2 hex digits>/<sha256>. The same bytes attached twice are
 *   kept once. A row in evidence_files says what each attachment is: finding, cleaned name, detected type, size,
 *   SHA-256, capture time, who added it and when, and who removed it and when.
 * - Only the inspection's team adds and removes files, and only while it records findings (RECORDING_STATUSES).
 *   Removing keeps the row and the bytes: the file leaves the finding, not the record.
 * - Every read checks the SHA-256 of the bytes against the row: a file changed on disk is never served.
 * - Audited (ids, SHA-256, size and type; never the file's name or the trust, as the audit trail is read by admins).
 * See docs/decisions/0014-evidence-files.md; the rules themselves are in ./evidence-rules.ts.
 */
import { createHash, randomUUID } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { NonSharedBuffer } from "node:buffer";
import path from "node:path";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { evidenceFiles, findings, inspections, users } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getConfig } from "../config.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { captureTime, checkEvidenceFile, cleanEvidenceName, MAX_EVIDENCE_BYTES, MAX_FILES_PER_FINDING, type EvidenceMediaType, type EvidenceRefusal } from "./evidence-rules";
import { RECORDING_STATUSES } from "./finding-rules";
import { isOnInspectionTeam } from "./findings.server";

/** No such file or finding, or this user may not change it: the routes answer 404. */
export class EvidenceNotFound extends Error {}

/** The file was not added (or removed), for a reason the inspector can act on; nothing was stored. */
export class EvidenceRefused extends Error {
  constructor(readonly refusal: EvidenceRefusal) {
    super(refusal);
  }
}

/** The stored bytes are missing or no longer have the SHA-256 recorded when they were added: they are not served. */
export class EvidenceIntegrityError extends Error {}

export interface EvidenceFileView {
  id: string;
  inspectionId: string;
  findingId: string;
  name: string;
  mediaType: EvidenceMediaType;
  sizeBytes: number;
  sha256: string;
  capturedAt: string;
  /** False when the browser gave no plausible capture time, so the upload time stands in for it. */
  capturedByDevice: boolean;
  uploadedAt: string;
  uploadedBy: string;
  uploadedByName: string;
  removedAt: string | null;
}

/** The evidence folder: EVIDENCE_DIR, or a folder "evidence" beside the database file. */
export function evidenceDir(): string {
  const config = getConfig();
  return path.resolve(config.EVIDENCE_DIR ?? path.join(path.dirname(path.resolve(config.DATABASE_PATH)), "evidence"));
}

/** Where the bytes with this SHA-256 are kept. */
export function evidencePath(sha256: string, dir = evidenceDir()): string {
  // The name comes from the database, never from a request; checked anyway, as it becomes a path.
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("Not a SHA-256");
  return path.join(dir, sha256.slice(0, 2), sha256);
}

const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Makes a rename or a new file in `folder` durable (a no-op where directories cannot be opened, as on Windows). */
function syncFolder(folder: string) {
  let fd: number | undefined;
  try {
    fd = openSync(folder, "r");
    fsyncSync(fd);
  } catch {
    // Not supported here: the file itself was synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes bytes under their SHA-256, durably: into a temporary file in the same folder, synced, then renamed over the
 * name (atomic), so the name never holds half a file. Bytes already there with the right SHA-256 are kept as they
 * are; a file there with the wrong bytes (damaged, or changed by hand) is replaced by the right ones.
 */
function writeContentAddressed(sha256: string, bytes: Uint8Array) {
  const target = evidencePath(sha256);
  if (existsSync(target) && sha256Of(readFileSync(target)) === sha256) return;
  const folder = path.dirname(target);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporary = path.join(folder, `.${sha256}.${randomUUID()}.tmp`);
  try {
    const fd = openSync(temporary, "wx", 0o600);
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(folder);
}

function toView(row: typeof evidenceFiles.$inferSelect, uploadedByName: string): EvidenceFileView {
  return {
    id: row.id,
    inspectionId: row.inspectionId,
    findingId: row.findingId,
    name: row.originalName,
    mediaType: row.mediaType as EvidenceMediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    capturedAt: row.capturedAt,
    // captureTime gives the upload time itself when the browser's time is not believed.
    capturedByDevice: row.capturedAt !== row.uploadedAt,
    uploadedAt: row.uploadedAt,
    uploadedBy: row.uploadedBy,
    uploadedByName,
    removedAt: row.removedAt,
  };
}

/**
 * Whether this user may add or remove the evidence of a finding of this inspection now: EvidenceNotFound when they
 * are not on its team (the route answers 404), EvidenceRefused("closed") when the team no longer records findings.
 */
function assertTeamRecording(db: Db | Tx, inspectionId: string, userId: string | null) {
  if (!userId || !isOnInspectionTeam(db, inspectionId, userId)) throw new EvidenceNotFound(inspectionId);
  const inspection = db.select({ status: inspections.status }).from(inspections).where(eq(inspections.id, inspectionId)).get();
  if (!inspection || !(RECORDING_STATUSES as readonly string[]).includes(inspection.status)) throw new EvidenceRefused("closed");
}

const activeCount = (db: Db | Tx, findingId: string) =>
  db.select({ n: count() }).from(evidenceFiles).where(and(eq(evidenceFiles.findingId, findingId), isNull(evidenceFiles.removedAt))).get()?.n ?? 0;

function checkRoom(db: Db | Tx, findingId: string) {
  if (activeCount(db, findingId) >= MAX_FILES_PER_FINDING) throw new EvidenceRefused("too-many");
}

export interface EvidenceUpload {
  /** The name the browser sent (cleaned before it is stored). */
  name: string;
  bytes: Uint8Array;
  /** The hidden capture-time field (File.lastModified in milliseconds), if the browser filled it. */
  capturedAt?: string | null;
  /** The key the offline outbox made for this file: the same key again is the same file (never stored twice). */
  clientKey?: string | null;
}

/** The file this person already stored on the finding under `clientKey`, if any. */
function storedUnderKey(db: Db | Tx, findingId: string, clientKey: string | null | undefined, userId: string | null): EvidenceFileView | undefined {
  if (!clientKey || !userId) return undefined;
  const row = db
    .select({ id: evidenceFiles.id })
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.findingId, findingId), eq(evidenceFiles.clientKey, clientKey), eq(evidenceFiles.uploadedBy, userId)))
    .get();
  return row ? evidenceFile(row.id, db) : undefined;
}

/**
 * Adds a file to a finding for a member of the inspection's team while findings are recorded. Everything is checked
 * before anything is written (who, when, how many files, type, size); then the bytes are written under their SHA-256
 * and the row and its audit event are inserted in one transaction, which checks who and when again. Throws
 * EvidenceNotFound (no such finding, not on the team) or EvidenceRefused (nothing stored). An upload with a client key
 * this person already stored on the finding (an offline outbox retrying after a dropped answer) gets that file back,
 * whatever has happened since: it was stored once, and is not stored again.
 */
export function storeEvidence(findingId: string, upload: EvidenceUpload, actor: Actor, db: Db = getDb(), now = new Date()): EvidenceFileView {
  const finding = db.select({ id: findings.id, inspectionId: findings.inspectionId }).from(findings).where(eq(findings.id, findingId)).get();
  if (!finding) throw new EvidenceNotFound(findingId);
  if (!isOnInspectionTeam(db, finding.inspectionId, actor.userId ?? "")) throw new EvidenceNotFound(finding.inspectionId);
  const clientKey = upload.clientKey ? upload.clientKey.slice(0, 100) : null;
  const already = storedUnderKey(db, finding.id, clientKey, actor.userId);
  if (already) return already;
  assertTeamRecording(db, finding.inspectionId, actor.userId);
  checkRoom(db, finding.id);
  const checked = checkEvidenceFile(upload);
  if (!checked.ok) throw new EvidenceRefused(checked.refusal);
  const sha256 = sha256Of(upload.bytes);
  const { capturedAt, from } = captureTime(upload.capturedAt, now);
  // Before the transaction (no file I/O while holding the write lock). Should the transaction then refuse (the
  // inspection submitted meanwhile), the bytes stay unreferenced: harmless, and kept once however often they come.
  writeContentAddressed(sha256, upload.bytes);
  return writeTransaction((tx) => {
    // A retry that arrived while the first was being written: the first stands.
    const stored = storedUnderKey(tx, finding.id, clientKey, actor.userId);
    if (stored) return stored;
    assertTeamRecording(tx, finding.inspectionId, actor.userId);
    checkRoom(tx, finding.id);
    const row: typeof evidenceFiles.$inferInsert = {
      id: randomUUID(),
      inspectionId: finding.inspectionId,
      findingId: finding.id,
      originalName: cleanEvidenceName(upload.name),
      mediaType: checked.mediaType,
      sizeBytes: upload.bytes.length,
      sha256,
      capturedAt,
      uploadedBy: actor.userId!,
      uploadedAt: now.toISOString(),
      clientKey,
    };
    tx.insert(evidenceFiles).values(row).run();
    recordAudit(
      tx,
      actor,
      {
        action: "evidence.uploaded",
        objectType: "evidence_file",
        objectId: row.id,
        summary: { inspectionId: finding.inspectionId, findingId: finding.id, sha256, sizeBytes: row.sizeBytes, mediaType: row.mediaType, capturedFrom: from },
      },
      now,
    );
    return evidenceFile(row.id!, tx)!;
  }, db);
}

/**
 * Takes a file off its finding (team only, while recording): the row is marked removed, with who and when, and the
 * row and the bytes are kept. Removing a removed file again changes nothing. Throws EvidenceNotFound or
 * EvidenceRefused("closed").
 */
export function removeEvidence(fileId: string, actor: Actor, db: Db = getDb(), now = new Date()): void {
  writeTransaction((tx) => {
    const row = tx.select().from(evidenceFiles).where(eq(evidenceFiles.id, fileId)).get();
    if (!row) throw new EvidenceNotFound(fileId);
    assertTeamRecording(tx, row.inspectionId, actor.userId);
    if (row.removedAt) return;
    const at = now.toISOString();
    tx.update(evidenceFiles).set({ removedAt: at, removedBy: actor.userId }).where(eq(evidenceFiles.id, fileId)).run();
    recordAudit(tx, actor, { action: "evidence.removed", objectType: "evidence_file", objectId: fileId, summary: { inspectionId: row.inspectionId, findingId: row.findingId, sha256: row.sha256 } }, now);
  }, db);
}

/** One file (removed or not), or undefined. */
export function evidenceFile(fileId: string, db: Db | Tx = getDb()): EvidenceFileView | undefined {
  const row = db
    .select({ file: evidenceFiles, uploadedByName: users.name })
    .from(evidenceFiles)
    .innerJoin(users, eq(users.id, evidenceFiles.uploadedBy))
    .where(eq(evidenceFiles.id, fileId))
    .get();
  return row ? toView(row.file, row.uploadedByName) : undefined;
}

/** A finding's files, oldest first, without those removed. */
export function listEvidence(findingId: string, db: Db = getDb()): EvidenceFileView[] {
  return db
    .select({ file: evidenceFiles, uploadedByName: users.name })
    .from(evidenceFiles)
    .innerJoin(users, eq(users.id, evidenceFiles.uploadedBy))
    .where(and(eq(evidenceFiles.findingId, findingId), isNull(evidenceFiles.removedAt)))
    .orderBy(asc(evidenceFiles.uploadedAt), asc(evidenceFiles.id))
    .all()
    .map((r) => toView(r.file, r.uploadedByName));
}

/** The criterion of a finding of this inspection (the page to go back to), or undefined. */
export function findingCriterion(inspectionId: string, findingId: string, db: Db = getDb()): number | undefined {
  return db
    .select({ criterionId: findings.criterionId })
    .from(findings)
    .where(and(eq(findings.id, findingId), eq(findings.inspectionId, inspectionId)))
    .get()?.criterionId;
}

/**
 * The bytes of a file to download, after checking their SHA-256 against the row; audited as a download. The caller
 * has checked that the user may see the file's inspection. Throws EvidenceNotFound for no such file (or one
 * removed), and EvidenceIntegrityError (audited too) when the bytes are missing or not the ones added.
 */
export function readEvidence(fileId: string, actor: Actor, db: Db = getDb(), now = new Date()): { file: EvidenceFileView; bytes: NonSharedBuffer } {
  const file = evidenceFile(fileId, db);
  if (!file || file.removedAt) throw new EvidenceNotFound(fileId);
  let bytes: NonSharedBuffer | undefined;
  try {
    bytes = readFileSync(evidencePath(file.sha256));
  } catch {
    bytes = undefined;
  }
  const found = bytes ? sha256Of(bytes) : null;
  const audit = (action: string, summary: Record<string, unknown>) =>
    writeTransaction(
      (tx) => recordAudit(tx, actor, { action, objectType: "evidence_file", objectId: file.id, summary: { inspectionId: file.inspectionId, findingId: file.findingId, ...summary } }, now),
      db,
    );
  if (!bytes || found !== file.sha256) {
    audit("evidence.integrity_failed", { expected: file.sha256, found: found ?? "missing" });
    throw new EvidenceIntegrityError(fileId);
  }
  audit("evidence.downloaded", { sha256: file.sha256 });
  return { file, bytes };
}

// ── The form ──────────────────────────────────────────────────────────────────────────────────────────────

const FORM_FIELDS = ["intent", "findingId", "fileId", "capturedAt", "clientKey"] as const;
type FormField = (typeof FORM_FIELDS)[number];
const MAX_FIELD_BYTES = 1000;
/**
 * However big the file, the request is read to its end (up to this much), so that the browser, still sending, gets
 * the answer "too big" rather than a broken connection; past it, reading stops.
 */
const MAX_REQUEST_BYTES = 5 * MAX_EVIDENCE_BYTES;

class RequestTooLarge extends Error {}

export interface EvidenceForm {
  fields: Partial<Record<FormField, string>>;
  /** The file part (name as sent, possibly ""), or null when the form had none. */
  file: { name: string; bytes: Uint8Array } | null;
  /** The file was too big: its bytes were not kept. */
  tooBig: boolean;
}

/**
 * Reads the evidence form: multipart (an upload: the fields, then the one file `file`) or URL-encoded (a removal).
 * Only the known fields are kept, each at most 1,000 bytes; one file, at most MAX_EVIDENCE_BYTES, is held in memory;
 * every other part is read and dropped.
 */
export async function readEvidenceForm(request: Request): Promise<EvidenceForm> {
  const form: EvidenceForm = { fields: {}, file: null, tooBig: false };
  if (!/^multipart\/form-data\b/i.test(request.headers.get("Content-Type") ?? "")) {
    const body = await request.formData();
    for (const name of FORM_FIELDS) {
      const value = body.get(name);
      if (typeof value === "string" && value.length <= MAX_FIELD_BYTES) form.fields[name] = value;
    }
    return form;
  }
  let total = 0;
  // Every part is read to its end, even one not kept: the parser would otherwise hold it all in memory.
  const handler: UploadHandler = async ({ name, filename, data }) => {
    const isFile = typeof filename === "string";
    const keep = isFile ? name === "file" && form.file === null && !form.tooBig : (FORM_FIELDS as readonly string[]).includes(name);
    const limit = isFile ? MAX_EVIDENCE_BYTES : MAX_FIELD_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      total += chunk.byteLength;
      if (total > MAX_REQUEST_BYTES) throw new RequestTooLarge();
      if (keep && size <= limit) chunks.push(chunk);
    }
    if (!keep) return undefined;
    if (isFile) {
      if (size > limit) form.tooBig = true;
      else form.file = { name: filename, bytes: Buffer.concat(chunks) };
    } else if (size <= limit) {
      form.fields[name as FormField] = Buffer.concat(chunks).toString("utf8");
    }
    return undefined;
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof RequestTooLarge) form.tooBig = true;
    // A malformed body: whatever was read stands; with no file, the upload is refused as "select a file".
  }
  return form;
}
