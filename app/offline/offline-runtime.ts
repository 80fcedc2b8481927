/**
 * The outbox in the pages (issue 7): one open outbox per page, the `send` that replays an entry to the server's JSON
 * save (/inspections/:id/criteria/:criterionId/save.json), and a window event each time the outbox changes so the
 * banner and the finding page can show what is waiting. Browser only; no React.
 */
import { countWaiting, enqueueEdit, latestFieldsFor, openOutbox, pendingFor, removeFinding, replayOutbox, type FindingEdit, type Outbox, type OutboxEntry, type ReplaySummary, type SendResult } from "./outbox";
import { preparedInspectionIds } from "./prepare";

/** Dispatched on window whenever this page changed the outbox. */
export const OUTBOX_CHANGED = "deep-dive-outbox-changed";
/** How long one replayed save may take before it counts as no connection. */
const SEND_TIMEOUT_MS = 20_000;

let opened: Promise<Outbox> | null = null;
export const outbox = (): Promise<Outbox> => (opened ??= openOutbox());

const changed = (summary?: ReplaySummary) => window.dispatchEvent(new CustomEvent(OUTBOX_CHANGED, { detail: summary ?? null }));

/** Keeps an edit made with no connection; resolves once it is on disk. */
export async function keepEdit(edit: FindingEdit): Promise<void> {
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
    if (response.status === 409) return { outcome: "conflict", currentVersion: ((await response.json()) as { currentVersion: number }).currentVersion };
    if (response.status === 400) return { outcome: "invalid", message: "The server refused the change: open the finding to see why" };
    // Signed out meanwhile (the sign-in page), or a server error: not stored; try again later.
    return { outcome: "network", message: `The server answered ${response.status}` };
  } catch (error) {
    return { outcome: "network", message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Replays the outbox now (forced: entries in their back-off too); tells the page what happened. */
export async function syncOutbox(force = false): Promise<ReplaySummary> {
  const summary = await replayOutbox(await outbox(), sendEntry, () => new Date(), { force });
  changed(summary);
  return summary;
}

/**
 * Edits the server would not take as they were (someone else saved the finding first, or a field was refused): kept
 * until the person has seen them and decides, never dropped on their own.
 */
export async function editsNeedingDecision(): Promise<OutboxEntry[]> {
  const box = await outbox();
  const all = await Promise.all(preparedInspectionIds().map((id) => pendingFor(box, id)));
  return all.flat().filter((entry) => entry.state !== "waiting");
}

/** The person has seen their kept edit of a finding and lets it go (and anything kept after it). */
export async function discardFindingEdits(findingId: string): Promise<void> {
  await removeFinding(await outbox(), findingId);
  changed();
}
