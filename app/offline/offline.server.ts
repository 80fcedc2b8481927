/**
 * The server's side of working offline (docs/decisions/0020-offline-browser-storage.md): an audit event each time a
 * member of the team prepares an inspection for offline use, with how much was prepared (counts, never content), and
 * telling the service worker's preparation fetches apart from a person reading the pages.
 */
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import type { OfflinePlan } from "./offline-plan";

/** Records the preparation and returns its time (ISO 8601), which the page shows as "prepared at". */
export function recordOfflinePrepared(inspectionId: string, plan: OfflinePlan, actor: Actor, db: Db = getDb(), now = new Date()): string {
  writeTransaction(
    (tx) => recordAudit(tx, actor, { action: "inspection.offline_prepared", objectType: "inspection", objectId: inspectionId, summary: { pages: plan.pages.length, data: plan.data.length } }, now),
    db,
  );
  return now.toISOString();
}

/**
 * Whether a request is the service worker fetching a page to keep for offline use (it sends this header). Such a
 * fetch is still audited as a view of the page, marked as preparation, but it does not move the inspector's
 * presence: "also working in this inspection" would otherwise show them jumping through every criterion.
 */
export function isOfflinePreparation(request: Request): boolean {
  return request.headers.get("Deep-Dive-Offline-Prepare") === "1";
}
