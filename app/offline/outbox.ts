/**
 * The offline outbox (issue 7), in the browser only: finding edits made with no connection are kept in IndexedDB,
 * in order, and replayed to the server when the connection is back, so that closing the browser, a laptop going to
 * sleep or a connection dropping half-way through a sync never loses a change or stores one twice.
 *
 * - One entry per save still to reach the server. Each has the version it is based on and an idempotency key made
 *   once, when the entry is created, so a replay retried after a dropped connection gets the server's first answer
 *   instead of saving again (docs/decisions/0013-findings-no-lost-update.md).
 * - Edits of a finding not sent yet collapse into its last entry (same key, same base): a morning offline is one save
 *   per finding, not one per pause in typing. Once an entry has been tried it may already have reached the server
 *   under its key, and a key must never carry different content (the server would answer the first outcome and the
 *   new text would be lost), so a later edit becomes a new entry chained after it (`after`). Its base is not known
 *   until the earlier one is saved; the save's new version becomes its base, in the same transaction as the earlier
 *   entry is removed.
 * - Replays send one entry at a time in order. Saved entries are removed. A conflict or a refused save is kept, and
 *   blocks what is chained after it, until the person deals with it on the finding's page: nothing is dropped
 *   without them seeing it. No connection stops the replay (no hammering a connection that is gone) and the entry
 *   is tried again after a back-off. An inspection no longer available to this person (404) has its entries
 *   removed, as the issue asks for someone taken off the team.
 * - The attempt is counted, durably, before the request is sent: after a crash mid-send the entry is known to have
 *   possibly reached the server, so its content is never rewritten under the same key.
 * - Writes use strict durability: an edit the page has reported as kept is on disk, not only in a cache.
 * - One replay at a time: within a page, a replay asked for while one runs waits for it and then runs once more
 *   (however many asked meanwhile); across tabs, a Web Lock, where the browser has them.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from "idb";
import { newClientKey } from "../inspections/client-key";

const DATABASE_NAME = "deep-dive-offline";
const DATABASE_VERSION = 2;
const STORE = "outbox";
/** Evidence files kept offline (version 2): sent after the finding edits, each once, by its key. */
const EVIDENCE = "evidence";
/** The Web Lock every tab takes to replay the outbox. */
export const OUTBOX_LOCK_NAME = "deep-dive-outbox";

const FIRST_BACKOFF_MS = 2_000;
const LONGEST_BACKOFF_MS = 5 * 60_000;

export type OutboxEntryState = "waiting" | "conflict" | "invalid";

/** A save of a finding that has still to reach the server. */
export interface OutboxEntry {
  /** The order entries were made in (the store's own increasing key). */
  seq: number;
  inspectionId: string;
  findingId: string;
  criterionId: number;
  /** The version the save is based on; null while it waits for the earlier entry `after` to be saved. */
  baseVersion: number | null;
  /** The seq of the earlier entry of the same finding this one waits for, or null. */
  after: number | null;
  /** Made when the entry is created and never changed: every attempt to send it uses it. */
  idempotencyKey: string;
  /** The finding form's fields as it would post them, without the ones the outbox sets (see FIELDS_NOT_KEPT). */
  fields: [string, string][];
  createdAt: string;
  /** When `fields` were last replaced by an edit. */
  updatedAt: string;
  /** How many times sending it has been tried (counted before each try). */
  attempts: number;
  /** Not to be sent before this time (after no connection), unless the person asks to sync now. */
  nextAttemptAt: string | null;
  state: OutboxEntryState;
  lastError: string | null;
}

/** An edit of a finding, as the page hands it to the outbox. */
export interface FindingEdit {
  inspectionId: string;
  findingId: string;
  criterionId: number;
  /** The version the page's form was based on (used when the finding has nothing in the outbox before it). */
  baseVersion: number;
  fields: [string, string][];
}

/** What the server made of one entry, as `send` reports it. */
export type SendResult =
  | { outcome: "saved"; version: number }
  | { outcome: "conflict"; currentVersion: number }
  | { outcome: "invalid"; message: string }
  /** No connection, a timeout or a server error: whether it reached the server is unknown. */
  | { outcome: "network"; message?: string }
  /** 404: the inspection is no longer available to this person. */
  | { outcome: "gone" };

/** Posts one entry to the server (with its base version and key) and reports the outcome. */
export type SendEntry = (entry: OutboxEntry) => Promise<SendResult>;

export interface ReplayOptions {
  /** Send entries still in their back-off too (the "Sync now" button). */
  force?: boolean;
  /** Sends a kept evidence file; without it, files are left for a replay that has one. */
  sendEvidence?: SendEvidence;
}

export interface ReplaySummary {
  /** Requests sent. */
  sent: number;
  saved: number;
  /** Entries that met a conflict in this replay. */
  conflicts: number;
  /** Entries the server refused as invalid in this replay. */
  invalid: number;
  /** Entries still waiting to be sent when the replay ended (in back-off, or chained after another). */
  waiting: number;
  /** "network" when the replay stopped because the connection was gone. */
  stoppedBy: "network" | null;
  /** Inspections no longer available to this person, whose entries were removed. */
  clearedInspections: string[];
  /** Evidence files stored, and refused, in this replay. */
  filesStored: number;
  filesRefused: number;
}

/** An evidence file (a photo taken on site) kept with no connection, to be added to its finding once sent. */
export interface EvidenceEntry {
  seq: number;
  inspectionId: string;
  findingId: string;
  criterionId: number;
  /** The file's name on the laptop, as the upload form would send it. */
  name: string;
  file: Blob;
  sizeBytes: number;
  /** The file's last-modified time (milliseconds, as the upload form sends it), for the capture time. */
  capturedAt: string;
  /** Made once: every attempt sends it, and the server stores the file once under it. */
  clientKey: string;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  /** "refused": the server would not add it (too big, wrong type, finding full, findings submitted): kept to be read. */
  state: "waiting" | "refused";
  lastError: string | null;
}

/** A file as the page hands it to the outbox. */
export interface EvidenceToKeep {
  inspectionId: string;
  findingId: string;
  criterionId: number;
  name: string;
  file: Blob;
  capturedAt: string;
}

/** What the server made of one kept file. */
export type EvidenceSendResult = { outcome: "stored" } | { outcome: "refused"; message: string } | { outcome: "network"; message?: string } | { outcome: "gone" };

export type SendEvidence = (entry: EvidenceEntry) => Promise<EvidenceSendResult>;

interface OutboxSchema extends DBSchema {
  outbox: {
    key: number;
    value: OutboxEntry;
    indexes: { findingId: string; inspectionId: string };
  };
  evidence: {
    key: number;
    value: EvidenceEntry;
    indexes: { findingId: string; inspectionId: string };
  };
}

type WritableStore = IDBPObjectStore<OutboxSchema, ["outbox"], "outbox", "readwrite">;

/** An open outbox: its database, and the lock manager that keeps replays in different tabs apart. */
export interface Outbox {
  readonly db: IDBPDatabase<OutboxSchema>;
  readonly locks: LockManager | null;
}

/**
 * Fields the outbox does not keep from the form: it sends its own key and base version and asks for the autosave
 * answer (JSON) itself, and a replayed save is a plain save, never a merge (`intent`) or a move to the next page
 * (`then`), as with autosave.
 */
const FIELDS_NOT_KEPT = new Set(["idempotencyKey", "baseVersion", "mode", "intent", "then"]);

/**
 * Opens the outbox (creating or upgrading its database). `indexedDB` is the browser's unless given (tests pass
 * fake-indexeddb's); `locks` is the browser's Web Locks manager unless given, and none where there is none.
 */
export async function openOutbox(indexedDB: IDBFactory = globalThis.indexedDB, options: { locks?: LockManager | null } = {}): Promise<Outbox> {
  const request = indexedDB.open(DATABASE_NAME, DATABASE_VERSION);
  request.addEventListener("upgradeneeded", (event) => createSchema(request.result, event.oldVersion));
  const db = (await wrap(request)) as IDBPDatabase<OutboxSchema>;
  // A newer version of the app opened in another tab needs this connection closed to upgrade the database.
  db.addEventListener("versionchange", () => db.close());
  return { db, locks: options.locks === undefined ? (globalThis.navigator?.locks ?? null) : options.locks };
}

function createSchema(db: IDBDatabase, oldVersion: number) {
  for (const [name, since] of [
    [STORE, 1],
    [EVIDENCE, 2],
  ] as const) {
    if (oldVersion >= since) continue;
    const store = db.createObjectStore(name, { keyPath: "seq", autoIncrement: true });
    store.createIndex("findingId", "findingId");
    store.createIndex("inspectionId", "inspectionId");
  }
}

const writing = (outbox: Outbox) => outbox.db.transaction(STORE, "readwrite", { durability: "strict" });
const writingFiles = (outbox: Outbox) => outbox.db.transaction(EVIDENCE, "readwrite", { durability: "strict" });
const writingBoth = (outbox: Outbox) => outbox.db.transaction([STORE, EVIDENCE], "readwrite", { durability: "strict" });

type BothStores = ReturnType<typeof writingBoth>;

/** Deletes an inspection's entries from both stores, inside the caller's transaction. */
async function deleteInspectionEntries(tx: BothStores, inspectionId: string): Promise<void> {
  for (const name of [STORE, EVIDENCE] as const) {
    const store = tx.objectStore(name);
    for (const seq of await store.index("inspectionId").getAllKeys(inspectionId)) await store.delete(seq);
  }
}

/** The last entry of a finding (the newest), if it has any. */
async function lastEntryOf(store: WritableStore, findingId: string): Promise<OutboxEntry | undefined> {
  const cursor = await store.index("findingId").openCursor(findingId, "prev");
  return cursor?.value;
}

/**
 * Keeps an edit of a finding. Its last entry, if never sent and still waiting, takes the new fields (same key, same
 * base); otherwise a new entry is made, based on `edit.baseVersion` when the finding has no entry, or chained after
 * its last one. Returns the entry that holds the edit.
 */
export async function enqueueEdit(outbox: Outbox, edit: FindingEdit, now: Date): Promise<OutboxEntry> {
  const fields = edit.fields.filter(([name]) => !FIELDS_NOT_KEPT.has(name)).map(([name, value]): [string, string] => [name, value]);
  const at = now.toISOString();
  const tx = writing(outbox);
  const last = await lastEntryOf(tx.store, edit.findingId);
  let entry: OutboxEntry;
  if (last && last.attempts === 0 && last.state === "waiting") {
    entry = { ...last, fields, updatedAt: at };
    await tx.store.put(entry);
  } else {
    const fresh: Omit<OutboxEntry, "seq"> = {
      inspectionId: edit.inspectionId,
      findingId: edit.findingId,
      criterionId: edit.criterionId,
      baseVersion: last ? null : edit.baseVersion,
      after: last ? last.seq : null,
      idempotencyKey: newClientKey(),
      fields,
      createdAt: at,
      updatedAt: at,
      attempts: 0,
      nextAttemptAt: null,
      state: "waiting",
      lastError: null,
    };
    // The store gives the entry its seq.
    const seq = await tx.store.add(fresh as OutboxEntry);
    entry = { ...fresh, seq };
  }
  await tx.done;
  return entry;
}

/** How long to wait before trying an entry again after its `attempts`-th try found no connection: 2 s, doubling, at most 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(FIRST_BACKOFF_MS * 2 ** (Math.max(attempts, 1) - 1), LONGEST_BACKOFF_MS);
}

interface ReplaysInPage {
  /** The last replay asked for in this page (they run one after another). */
  tail: Promise<unknown>;
  /** A replay asked for that has not started yet: later asks join it (a forced one makes it forced). */
  queued: { asked: { force: boolean }; promise: Promise<ReplaySummary> } | null;
}
const replaysInPage = new WeakMap<Outbox, ReplaysInPage>();

/**
 * Sends the outbox's waiting entries to the server in order, one at a time, through `send`, and records each
 * outcome (see the module comment). `clock` gives the time for back-offs. Never two at once: in this page a call
 * made while a replay runs waits for it and then replays once more (calls made meanwhile share that one); across
 * tabs, the Web Lock.
 */
export function replayOutbox(outbox: Outbox, send: SendEntry, clock: () => Date, options: ReplayOptions = {}): Promise<ReplaySummary> {
  const page = replaysInPage.get(outbox) ?? { tail: Promise.resolve(), queued: null };
  replaysInPage.set(outbox, page);
  if (page.queued) {
    page.queued.asked.force ||= options.force === true;
    return page.queued.promise;
  }
  const asked = { force: options.force === true };
  const promise = page.tail.then(async () => {
    page.queued = null;
    const replay = () => replayNow(outbox, send, clock, asked.force, options.sendEvidence);
    return outbox.locks ? await outbox.locks.request(OUTBOX_LOCK_NAME, replay) : replay();
  });
  page.queued = { asked, promise };
  page.tail = promise.catch(() => undefined);
  return promise;
}

const emptySummary = (): ReplaySummary => ({ sent: 0, saved: 0, conflicts: 0, invalid: 0, waiting: 0, stoppedBy: null, clearedInspections: [], filesStored: 0, filesRefused: 0 });

async function replayNow(outbox: Outbox, send: SendEntry, clock: () => Date, force: boolean, sendEvidence?: SendEvidence): Promise<ReplaySummary> {
  const summary = emptySummary();
  for (;;) {
    const entry = await takeNextToSend(outbox, clock(), force);
    if (!entry) break;
    summary.sent += 1;
    let result: SendResult;
    try {
      result = await send(entry);
    } catch (error) {
      // Whether the request reached the server is unknown: kept, as for no connection.
      result = { outcome: "network", message: error instanceof Error ? error.message : String(error) };
    }
    await recordOutcome(outbox, entry, result, clock(), summary);
    if (result.outcome === "network") {
      summary.stoppedBy = "network";
      break;
    }
  }
  // Then the evidence files, in the order they were kept, the same way.
  while (sendEvidence && summary.stoppedBy === null) {
    const entry = await takeNextFile(outbox, clock(), force);
    if (!entry) break;
    summary.sent += 1;
    let result: EvidenceSendResult;
    try {
      result = await sendEvidence(entry);
    } catch (error) {
      result = { outcome: "network", message: error instanceof Error ? error.message : String(error) };
    }
    await recordFileOutcome(outbox, entry, result, clock(), summary);
    if (result.outcome === "network") summary.stoppedBy = "network";
  }
  summary.waiting =
    (await outbox.db.getAll(STORE)).filter((entry) => entry.state === "waiting").length + (await outbox.db.getAll(EVIDENCE)).filter((entry) => entry.state === "waiting").length;
  return summary;
}

/** The first kept file ready to send, with its attempt counted durably first (as for an edit). */
async function takeNextFile(outbox: Outbox, now: Date, force: boolean): Promise<EvidenceEntry | undefined> {
  const tx = writingFiles(outbox);
  let taken: EvidenceEntry | undefined;
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    const entry = cursor.value;
    if (entry.state === "waiting" && (force || entry.nextAttemptAt === null || Date.parse(entry.nextAttemptAt) <= now.getTime())) {
      taken = { ...entry, attempts: entry.attempts + 1 };
      await cursor.update(taken);
      break;
    }
  }
  await tx.done;
  return taken;
}

async function recordFileOutcome(outbox: Outbox, sent: EvidenceEntry, result: EvidenceSendResult, now: Date, summary: ReplaySummary) {
  const tx = writingBoth(outbox);
  const files = tx.objectStore(EVIDENCE);
  const entry = await files.get(sent.seq);
  switch (result.outcome) {
    case "stored":
      summary.filesStored += 1;
      await files.delete(sent.seq);
      break;
    case "refused":
      summary.filesRefused += 1;
      if (entry) await files.put({ ...entry, state: "refused", nextAttemptAt: null, lastError: result.message });
      break;
    case "network":
      if (entry) await files.put({ ...entry, nextAttemptAt: new Date(now.getTime() + backoffMs(entry.attempts)).toISOString(), lastError: result.message ?? "No connection to the server" });
      break;
    case "gone":
      await deleteInspectionEntries(tx, sent.inspectionId);
      if (!summary.clearedInspections.includes(sent.inspectionId)) summary.clearedInspections.push(sent.inspectionId);
      break;
  }
  await tx.done;
}

/** Keeps an evidence file taken with no connection; resolves once it is on disk. */
export async function enqueueEvidence(outbox: Outbox, kept: EvidenceToKeep, now: Date): Promise<EvidenceEntry> {
  const entry: Omit<EvidenceEntry, "seq"> = {
    ...kept,
    sizeBytes: kept.file.size,
    clientKey: newClientKey(),
    createdAt: now.toISOString(),
    attempts: 0,
    nextAttemptAt: null,
    state: "waiting",
    lastError: null,
  };
  const tx = writingFiles(outbox);
  const seq = await tx.store.add(entry as EvidenceEntry);
  await tx.done;
  return { ...entry, seq };
}

/** The files kept for a finding, in order (waiting and refused). */
export function filesOf(outbox: Outbox, findingId: string): Promise<EvidenceEntry[]> {
  return outbox.db.getAllFromIndex(EVIDENCE, "findingId", findingId);
}

/** Every kept file, in order. */
export function allFiles(outbox: Outbox): Promise<EvidenceEntry[]> {
  return outbox.db.getAll(EVIDENCE);
}

/** An inspection's kept files, in order. */
export function filesOfInspection(outbox: Outbox, inspectionId: string): Promise<EvidenceEntry[]> {
  return outbox.db.getAllFromIndex(EVIDENCE, "inspectionId", inspectionId);
}

/** Removes one kept file, once the person has read why it was refused. */
export async function removeFile(outbox: Outbox, seq: number): Promise<void> {
  const tx = writingFiles(outbox);
  await tx.store.delete(seq);
  await tx.done;
}

/**
 * The first entry ready to send (waiting, not chained after another, its back-off over unless forced), with its
 * attempt counted, in one durable transaction: from here on enqueueEdit will not rewrite it.
 */
async function takeNextToSend(outbox: Outbox, now: Date, force: boolean): Promise<OutboxEntry | undefined> {
  const tx = writing(outbox);
  const entries = await tx.store.getAll();
  const ready = entries.find(
    (entry) =>
      entry.state === "waiting" &&
      entry.after === null &&
      (force || entry.nextAttemptAt === null || Date.parse(entry.nextAttemptAt) <= now.getTime()),
  );
  let taken: OutboxEntry | undefined;
  if (ready) {
    taken = { ...ready, attempts: ready.attempts + 1 };
    await tx.store.put(taken);
  }
  await tx.done;
  return taken;
}

/** Records what the server made of `sent`, in one durable transaction. */
async function recordOutcome(outbox: Outbox, sent: OutboxEntry, result: SendResult, now: Date, summary: ReplaySummary) {
  const tx = writingBoth(outbox);
  const store = tx.objectStore(STORE);
  // As it is now: cleared meanwhile (sign-out, another inspection's 404), it stays cleared.
  const entry = await store.get(sent.seq);
  switch (result.outcome) {
    case "saved": {
      summary.saved += 1;
      await store.delete(sent.seq);
      for (const next of await store.index("findingId").getAll(sent.findingId)) {
        if (next.after === sent.seq) await store.put({ ...next, baseVersion: result.version, after: null });
      }
      break;
    }
    case "conflict":
      summary.conflicts += 1;
      if (entry) {
        const lastError = `Someone else saved this finding first: it is now at version ${result.currentVersion}`;
        await store.put({ ...entry, state: "conflict", nextAttemptAt: null, lastError });
      }
      break;
    case "invalid":
      summary.invalid += 1;
      if (entry) await store.put({ ...entry, state: "invalid", nextAttemptAt: null, lastError: result.message });
      break;
    case "network":
      if (entry) {
        const nextAttemptAt = new Date(now.getTime() + backoffMs(entry.attempts)).toISOString();
        await store.put({ ...entry, nextAttemptAt, lastError: result.message ?? "No connection to the server" });
      }
      break;
    case "gone":
      await deleteInspectionEntries(tx, sent.inspectionId);
      if (!summary.clearedInspections.includes(sent.inspectionId)) summary.clearedInspections.push(sent.inspectionId);
      break;
  }
  await tx.done;
}

/** An inspection's entries, in order. */
export function pendingFor(outbox: Outbox, inspectionId: string): Promise<OutboxEntry[]> {
  return outbox.db.getAllFromIndex(STORE, "inspectionId", inspectionId);
}

/** The newest fields kept for a finding (what the page shows instead of the server's), or null when it has none. */
export async function latestFieldsFor(outbox: Outbox, findingId: string): Promise<[string, string][] | null> {
  const cursor = await outbox.db.transaction(STORE).store.index("findingId").openCursor(findingId, "prev");
  return cursor?.value.fields ?? null;
}

/** A finding's entries, in order. */
export function entriesOf(outbox: Outbox, findingId: string): Promise<OutboxEntry[]> {
  return outbox.db.getAllFromIndex(STORE, "findingId", findingId);
}

/** Every entry, in order. */
export function allEntries(outbox: Outbox): Promise<OutboxEntry[]> {
  return outbox.db.getAll(STORE);
}

/**
 * Marks an inspection's entries as refused with `reason` (its findings are no longer being recorded): they are not
 * sent again, and stay for the person to read until they remove them, as for any refused save.
 */
export async function refuseInspection(outbox: Outbox, inspectionId: string, reason: string): Promise<number> {
  const tx = writingBoth(outbox);
  let refused = 0;
  const edits = tx.objectStore(STORE);
  for (const entry of await edits.index("inspectionId").getAll(inspectionId)) {
    if (entry.state !== "waiting") continue;
    await edits.put({ ...entry, state: "invalid", nextAttemptAt: null, lastError: reason });
    refused += 1;
  }
  const files = tx.objectStore(EVIDENCE);
  for (const entry of await files.index("inspectionId").getAll(inspectionId)) {
    if (entry.state !== "waiting") continue;
    await files.put({ ...entry, state: "refused", nextAttemptAt: null, lastError: reason });
    refused += 1;
  }
  await tx.done;
  return refused;
}

/**
 * The changes not on the server yet, of one inspection or all: every entry, whatever its state (a conflict or a
 * refused save is waiting too, for the person).
 */
export async function countWaiting(outbox: Outbox, inspectionId?: string): Promise<number> {
  const counts = await Promise.all(
    ([STORE, EVIDENCE] as const).map((name) => (inspectionId === undefined ? outbox.db.count(name) : outbox.db.countFromIndex(name, "inspectionId", inspectionId))),
  );
  return counts[0]! + counts[1]!;
}

/**
 * Removes a finding's entries, once the person has dealt with its conflict or refused save on the finding's page
 * (which shows its newest fields, so nothing they typed goes unseen) and saved their decision there.
 */
export async function removeFinding(outbox: Outbox, findingId: string): Promise<void> {
  const tx = writing(outbox);
  for (const seq of await tx.store.index("findingId").getAllKeys(findingId)) await tx.store.delete(seq);
  await tx.done;
}

/** Removes an inspection's entries (submitted, or no longer available to this person). */
export async function clearInspection(outbox: Outbox, inspectionId: string): Promise<void> {
  const tx = writingBoth(outbox);
  await deleteInspectionEntries(tx, inspectionId);
  await tx.done;
}

/** Removes every entry and kept file (sign-out). */
export async function clearAll(outbox: Outbox): Promise<void> {
  const tx = writingBoth(outbox);
  await Promise.all([tx.objectStore(STORE).clear(), tx.objectStore(EVIDENCE).clear()]);
  await tx.done;
}
