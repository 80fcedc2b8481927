/**
 * Who else is working in an inspection, and on which criterion (issue 5: "Show who else is working in the same
 * inspection and on which criterion"). Each page of the workspace records where its reader is; with JavaScript a
 * heartbeat keeps that fresh while the page stays open. People not seen for PRESENCE_WINDOW_MINUTES drop off.
 *
 * Only people who may see the inspection are ever recorded (the routes check access first), and only they are shown
 * the list. One row per person per inspection, overwritten: where someone was is not a record (the audit trail has
 * the views).
 */
import { and, eq, gte, ne } from "drizzle-orm";
import { findings, frameworkCriteria, inspectionPresence, users } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import type { PresentPerson } from "./presence";

/** Someone not seen for this long is no longer shown as working in the inspection. */
export const PRESENCE_WINDOW_MINUTES = 10;

function recordPresence(tx: Tx, inspectionId: string, userId: string, criterionId: number | null, now: Date) {
  tx.insert(inspectionPresence)
    .values({ inspectionId, userId, criterionId, seenAt: now.toISOString() })
    .onConflictDoUpdate({ target: [inspectionPresence.inspectionId, inspectionPresence.userId], set: { criterionId, seenAt: now.toISOString() } })
    .run();
}

/**
 * A view of a workspace page: the audit event (inspections are confidential before publication) and where the reader
 * now is, in one transaction (one commit per page view, not two). A page fetched to keep for offline use is audited
 * as such and moves nobody's presence: nobody is reading it now.
 */
export function recordWorkspaceView(
  inspectionId: string,
  page: string,
  criterionId: number | null,
  actor: Actor,
  /** The service worker keeping the page for offline use (app/offline/offline.server.ts): audited, no presence. */
  options: { preparingOffline?: boolean } = {},
  db: Db = getDb(),
  now = new Date(),
): void {
  writeTransaction((tx) => {
    if (options.preparingOffline) {
      recordAudit(tx, actor, { action: "inspection.viewed", objectType: "inspection", objectId: inspectionId, summary: { page, preparingOffline: true } }, now);
      return;
    }
    recordAudit(tx, actor, { action: "inspection.viewed", objectType: "inspection", objectId: inspectionId, summary: { page } }, now);
    if (actor.userId) recordPresence(tx, inspectionId, actor.userId, criterionId, now);
  }, db);
}

/** The heartbeat of an open page: refreshes where the reader is, without an audit event (the view was audited). */
export function refreshPresence(inspectionId: string, userId: string, criterionId: number | null, db: Db = getDb(), now = new Date()): void {
  writeTransaction((tx) => recordPresence(tx, inspectionId, userId, criterionId, now), db);
}

/** Whether a criterion is one of the inspection's (it has a finding in it). */
export function isCriterionOf(inspectionId: string, criterionId: number, db: Db = getDb()): boolean {
  return db.select({ id: findings.id }).from(findings).where(and(eq(findings.inspectionId, inspectionId), eq(findings.criterionId, criterionId))).get() !== undefined;
}

/** The other people seen in the inspection within the window, most recently seen first. */
export function othersPresent(inspectionId: string, userId: string, db: Db = getDb(), now = new Date()): PresentPerson[] {
  const since = new Date(now.getTime() - PRESENCE_WINDOW_MINUTES * 60_000).toISOString();
  const rows = db
    .select({
      userId: inspectionPresence.userId,
      name: users.name,
      criterionId: inspectionPresence.criterionId,
      criterionCode: frameworkCriteria.code,
      criterionTitle: frameworkCriteria.title,
      seenAt: inspectionPresence.seenAt,
    })
    .from(inspectionPresence)
    .innerJoin(users, eq(users.id, inspectionPresence.userId))
    .leftJoin(frameworkCriteria, eq(frameworkCriteria.id, inspectionPresence.criterionId))
    .where(and(eq(inspectionPresence.inspectionId, inspectionId), ne(inspectionPresence.userId, userId), gte(inspectionPresence.seenAt, since)))
    .all();
  return rows
    .sort((a, b) => b.seenAt.localeCompare(a.seenAt))
    .map((r) => ({
      userId: r.userId,
      name: r.name,
      criterion: r.criterionId !== null && r.criterionCode !== null ? { id: r.criterionId, code: r.criterionCode, title: r.criterionTitle ?? "" } : null,
      minutesAgo: Math.max(0, Math.floor((now.getTime() - Date.parse(r.seenAt)) / 60_000)),
    }));
}
