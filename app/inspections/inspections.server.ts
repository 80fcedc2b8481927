/**
 * Inspections: created for a scheduled visit against chosen framework versions and profiles (fixed from then on),
 * with a finding for every criterion; the visit's lead records the team's arrival, the moment notice is given.
 * Audited; audit summaries carry ids, never a trust (admins read the audit trail, and an inspection before its
 * visit is as confidential as the visit).
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { findings, frameworkCriteria, frameworkProfiles, inspectionFrameworks, inspections, visits, visitTeamMembers } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";

export class InspectionError extends Error {}
export class InspectionNotFound extends Error {}

export interface FrameworkChoice {
  frameworkVersionId: number;
  profileId: number;
}

/**
 * Creates the inspection of a scheduled visit, assessed against `choices` (one profile per framework version, each
 * profile of that version), with a finding (not assessed, version 0) for every criterion. Returns its id.
 */
export function createInspection(visitId: string, choices: readonly FrameworkChoice[], actor: Actor, db: Db = getDb(), now = new Date()): string {
  if (!actor.userId) throw new Error("An inspection is created by a signed-in user");
  if (choices.length === 0) throw new InspectionError("Choose at least one framework");
  const versions = new Set(choices.map((c) => c.frameworkVersionId));
  if (versions.size !== choices.length) throw new InspectionError("Choose each framework once");
  return writeTransaction((tx) => {
    const visit = tx.select().from(visits).where(eq(visits.id, visitId)).get();
    if (!visit) throw new InspectionNotFound(visitId);
    if (visit.status !== "scheduled" && visit.status !== "completed") throw new InspectionError("Only an accepted visit can have an inspection");
    if (tx.select({ id: inspections.id }).from(inspections).where(eq(inspections.visitId, visitId)).get()) {
      throw new InspectionError("This visit already has an inspection");
    }
    for (const choice of choices) {
      const profile = tx.select().from(frameworkProfiles).where(eq(frameworkProfiles.id, choice.profileId)).get();
      if (!profile || profile.frameworkVersionId !== choice.frameworkVersionId) throw new InspectionError("Choose a profile of the framework it is for");
    }
    const id = randomUUID();
    tx.insert(inspections).values({ id, visitId, trustCode: visit.trustCode, status: "planned", createdBy: actor.userId!, createdAt: now.toISOString() }).run();
    for (const choice of choices) tx.insert(inspectionFrameworks).values({ inspectionId: id, ...choice }).run();
    const criteria = tx
      .select({ id: frameworkCriteria.id })
      .from(frameworkCriteria)
      .where(inArray(frameworkCriteria.frameworkVersionId, [...versions]))
      .all();
    for (const criterion of criteria) tx.insert(findings).values({ id: randomUUID(), inspectionId: id, criterionId: criterion.id }).run();
    recordAudit(tx, actor, {
      action: "inspection.created",
      objectType: "inspection",
      objectId: id,
      summary: { visitId, frameworks: choices, findings: criteria.length },
    }, now);
    return id;
  }, db);
}

/** The visit's lead records the team's arrival: the inspection is on site, and notice was given at this moment. */
export function recordArrival(inspectionId: string, actor: Actor, db: Db = getDb(), now = new Date()): void {
  writeTransaction((tx) => {
    const inspection = tx.select().from(inspections).where(eq(inspections.id, inspectionId)).get();
    if (!inspection) throw new InspectionNotFound(inspectionId);
    const lead = inspection.visitId
      ? tx
          .select({ id: visitTeamMembers.inspectorId })
          .from(visitTeamMembers)
          .where(and(eq(visitTeamMembers.visitId, inspection.visitId), eq(visitTeamMembers.role, "lead")))
          .get()
      : undefined;
    if (!lead || lead.id !== actor.userId) throw new InspectionError("Only the visit's lead inspector records the arrival");
    if (inspection.status !== "planned") throw new InspectionError("The arrival is already recorded");
    const visit = inspection.visitId ? tx.select({ status: visits.status }).from(visits).where(eq(visits.id, inspection.visitId)).get() : undefined;
    if (visit?.status !== "scheduled") throw new InspectionError("The visit is not scheduled: it may have been cancelled");
    const at = now.toISOString();
    tx.update(inspections)
      .set({ status: "on_site", arrivedAt: at, arrivedBy: actor.userId, version: inspection.version + 1 })
      .where(eq(inspections.id, inspectionId))
      .run();
    recordAudit(tx, actor, { action: "inspection.arrived", objectType: "inspection", objectId: inspectionId, summary: { arrivedAt: at } }, now);
  }, db);
}
