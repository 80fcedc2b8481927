/**
 * The outbox in the pages (issue 7): one open outbox per page, the `send` that replays an entry to the server's JSON
 * save (/inspections/:id/criteria/:criterionId/save.json), and a window event each time the outbox changes so the
 * banner and the finding page can show what is waiting. Browser only; no React.
 */
import {
  allEntries,
  allFiles,
  filesOfInspection,
  enqueueEvidence,
  filesOf,
  removeFile,
  type EvidenceEntry,
  type EvidenceSendResult,
  type EvidenceToKeep,
  clearInspection,
  countWaiting,
  enqueueEdit,
  entriesOf,
  latestFieldsFor,
  openOutbox,
  pendingFor,
  refuseInspection,
  removeFinding,
  replayOutbox,
  type FindingEdit,
  type Outbox,
  type OutboxEntry,
  type ReplaySummary,
  type SendResult,
} from "./outbox";
import { forgetPrepared, preparedInspectionIds } from "./prepare";

/** Why a kept change cannot be saved once the inspection's findings were submitted. */
export const FINDINGS_CLOSED = "The inspection's findings were submitted before this change was sent: it was not saved";

/** Why a kept file cannot be added once the inspection's findings were submitted. */
export const FILES_CLOSED = "The inspection's findings were submitted before this file was sent: it was not added";

/** Dispatched on window whenever this page changed the outbox. */
export const OUTBOX_CHANGED = "deep-dive-outbox-changed";
/** How long one replayed save may take before it counts as no connection. */
const SEND_TIMEOUT_MS = 20_000;

let opened: Promise<Outbox> | null = null;
export const outbox = (): Promise<Outbox> => (opened ??= openOutbox());

const changed = (summary?: ReplaySummary) => window.dispatchEvent(new CustomEvent(OUTBOX_CHANGED, { detail: summary ?? null }));

/** Set once this browser has kept an edit: pages then look at the outbox even after its inspection was forgotten. */
const OUTBOX_USED_KEY = "deep-dive-offline-outbox-used";
export const outboxUsed = (): boolean => localStorage.getItem(OUTBOX_USED_KEY) !== null;

/** Keeps an edit made with no connection; resolves once it is on disk. */
export async function keepEdit(edit: FindingEdit): Promise<void> {
  localStorage.setItem(OUTBOX_USED_KEY, "1");
  await enqueueEdit(await outbox(), edit, new Date());
  changed();
}

/** The newest fields waiting for a finding, to show in its form after a reload. */
export async function waitingFields(findingId: string): Promise<[string, string][] | null> {
  return latestFieldsFor(await outbox(), findingId);
}

export async function waitingCount(): Promise<number> {
  return countWaiting(await outbox());
}

/** Posts one entry to the server's JSON save with its base version and key; reports what became of it. */
export async function sendEntry(entry: OutboxEntry): Promise<SendResult> {
  const body = new FormData();
  for (const [name, value] of entry.fields) body.append(name, value);
  body.set("baseVersion", String(entry.baseVersion));
  body.set("idempotencyKey", entry.idempotencyKey);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
  try {
    const response = await fetch(`/inspections/${encodeURIComponent(entry.inspectionId)}/criteria/${entry.criterionId}/save.json`, {
      method: "POST",
      body,
      credentials: "same-origin",
      signal: controller.signal,
    });
    // Sent to sign in (the session ended): not stored; it is sent again after signing in.
    if (response.redirected) return { outcome: "network", message: "Signed out" };
    if (response.status === 404) return { outcome: "gone" };
    if (response.status === 200) return { outcome: "saved", version: ((await response.json()) as { version: number }).version };
    if (response.status === 409) {
      const answer = (await response.json()) as { outcome: "conflict"; currentVersion: number } | { outcome: "closed" };
      return answer.outcome === "closed" ? { outcome: "invalid", message: FINDINGS_CLOSED } : { outcome: "conflict", currentVersion: answer.currentVersion };
    }
    if (response.status === 400) return { outcome: "invalid", message: "The server refused the change: open the finding to see why" };
    // Signed out meanwhile (the sign-in page), or a server error: not stored; try again later.
    return { outcome: "network", message: `The server answered ${response.status}` };
  } catch (error) {
    return { outcome: "network", message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** The criteria of an inspection with something kept on this laptop for them (edits or files, waiting or refused). */
export async function criteriaWithKeptChanges(inspectionId: string): Promise<Set<number>> {
  const box = await outbox();
  const [edits, files] = await Promise.all([pendingFor(box, inspectionId), filesOfInspection(box, inspectionId)]);
  return new Set([...edits, ...files].map((entry) => entry.criterionId));
}

/** Keeps an evidence file chosen with no connection; resolves once it is on disk. */
export async function keepEvidence(kept: EvidenceToKeep): Promise<void> {
  localStorage.setItem(OUTBOX_USED_KEY, "1");
  await enqueueEvidence(await outbox(), kept, new Date());
  changed();
}

/** The files kept on this laptop for a finding (waiting to be sent, or refused). */
export async function keptFilesOf(findingId: string): Promise<EvidenceEntry[]> {
  return filesOf(await outbox(), findingId);
}

/** Kept files the server would not add: kept until the person has read why. */
export async function filesNeedingDecision(): Promise<EvidenceEntry[]> {
  return (await allFiles(await outbox())).filter((entry) => entry.state === "refused");
}

export async function discardFile(seq: number): Promise<void> {
  await removeFile(await outbox(), seq);
  changed();
}

/** Posts one kept file to the server's JSON upload with its key, as the page's upload form would; reports the outcome. */
export async function sendEvidenceEntry(entry: EvidenceEntry): Promise<EvidenceSendResult> {
  const body = new FormData();
  // The order the page's form uses: the fields before the file.
  body.append("intent", "upload");
  body.append("findingId", entry.findingId);
  body.append("capturedAt", entry.capturedAt);
  body.append("clientKey", entry.clientKey);
  body.append("file", entry.file, entry.name);
  const controller = new AbortController();
  // A large photo on a slow connection takes longer than an edit.
  const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS * 6);
  try {
    const response = await fetch(`/inspections/${encodeURIComponent(entry.inspectionId)}/evidence.json`, { method: "POST", body, credentials: "same-origin", signal: controller.signal });
    if (response.redirected) return { outcome: "network", message: "Signed out" };
    if (response.status === 404) return { outcome: "gone" };
    if (response.status === 200) return { outcome: "stored" };
    if (response.status === 409) return { outcome: "refused", message: FILES_CLOSED };
    if (response.status === 400) return { outcome: "refused", message: ((await response.json()) as { message: string }).message };
    return { outcome: "network", message: `The server answered ${response.status}` };
  } catch (error) {
    return { outcome: "network", message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Replays the outbox now (forced: entries in their back-off too); tells the page what happened. */
export async function syncOutbox(force = false): Promise<ReplaySummary> {
  const summary = await replayOutbox(await outbox(), sendEntry, () => new Date(), { force, sendEvidence: sendEvidenceEntry });
  changed(summary);
  return summary;
}

/**
 * Edits the server would not take as they were (someone else saved the finding first, a field was refused, or the
 * findings were submitted first): kept until the person has seen them and decides, never dropped on their own.
 */
export async function editsNeedingDecision(): Promise<OutboxEntry[]> {
  return (await allEntries(await outbox())).filter((entry) => entry.state !== "waiting");
}

/**
 * A finding's change the server would not take, as the finding's page sends it again to show the conflict screen (or
 * what was refused): the version the refused entry was based on, and the newest fields kept for the finding (a later
 * edit chained after it included). Null when the finding has none.
 */
export async function keptEditOf(findingId: string): Promise<{ baseVersion: number; fields: [string, string][] } | null> {
  const entries = await entriesOf(await outbox(), findingId);
  const refused = entries.find((entry) => entry.state !== "waiting");
  if (!refused || refused.baseVersion === null) return null;
  return { baseVersion: refused.baseVersion, fields: entries[entries.length - 1]!.fields };
}

/**
 * At each contact with the server, asks whether each inspection this browser prepared may still be kept: one whose
 * team the person has left (404) is forgotten with its waiting changes, as the issue asks; one whose findings were
 * submitted is forgotten but its changes never sent stay, marked as not saved, for their author to read (a review may
 * return the findings to the team). No connection: nothing changes.
 */
export async function checkPreparedInspections(): Promise<void> {
  for (const inspectionId of preparedInspectionIds()) {
    let response: Response;
    try {
      response = await fetch(`/inspections/${encodeURIComponent(inspectionId)}/offline-status.json`, { credentials: "same-origin", cache: "no-store" });
    } catch {
      return;
    }
    if (response.redirected) return;
    if (response.status === 404) {
      await clearInspection(await outbox(), inspectionId);
      await forgetPrepared(inspectionId);
      changed();
    } else if (response.ok && ((await response.json()) as { recording: boolean }).recording === false) {
      await refuseInspection(await outbox(), inspectionId, FINDINGS_CLOSED);
      await forgetPrepared(inspectionId);
      changed();
    }
  }
}

/** The person has seen their kept edit of a finding and lets it go (and anything kept after it). */
export async function discardFindingEdits(findingId: string): Promise<void> {
  await removeFinding(await outbox(), findingId);
  changed();
}
