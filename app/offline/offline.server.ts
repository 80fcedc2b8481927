/**
 * The server's side of working offline (docs/decisions/0020-offline-browser-storage.md): an audit event each time a
 * member of the team prepares an inspection for offline use, with how much was prepared (counts, never content).
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
