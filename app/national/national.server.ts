/**
 * The national picture's queries: inspections by status, every open trust with its location and risk band, and the
 * findings of every inspection whose findings are final (approved, factual accuracy check, published) with the
 * minimums of the profile each was assessed against. What is made of them is worked out by the pure functions in
 * this folder (status-counts.ts, trust-map.ts, ratings.ts). Reads only; the page audits each view, as the risk
 * pages do.
 */
import { and, eq, inArray } from "drizzle-orm";
import {
  findings,
  frameworkCriteria,
  frameworkProfiles,
  frameworkSections,
  frameworkVersions,
  INSPECTION_STATUSES,
  inspectionFrameworks,
  inspections,
  profileMinimums,
  trusts,
  visits,
  type InspectionStatus,
} from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { currentRanking } from "../risk/ranking.server";
import { todayInLondon } from "../trusts/register.server";
import { frameworkPictures, RATED_STATUSES, type FrameworkPicture, type RatedFinding, type RatedInspection } from "./ratings";
import { countByStatus, type StatusCount } from "./status-counts";
import { buildTrustMap, type TrustMap } from "./trust-map";

export interface NationalPicture {
  /** The day (in England) the risk bands are as of. */
  asOf: string;
  modelVersion: { id: number; name: string };
  statusCounts: StatusCount<InspectionStatus>[];
  totalInspections: number;
  map: TrustMap;
  frameworks: FrameworkPicture[];
}

/** Every inspection's status (one row each). */
function statusRows(db: Db) {
  return db.select({ status: inspections.status }).from(inspections).all();
}

/** Latitude and longitude of every trust in the register, by ODS code. */
function locations(db: Db) {
  const rows = db.select({ code: trusts.odsCode, latitude: trusts.latitude, longitude: trusts.longitude }).from(trusts).all();
  return new Map(rows.map((r) => [r.code, r]));
}

/** Inspections whose findings are final, once per framework version each was assessed against, with its profile. */
function ratedInspections(db: Db): RatedInspection[] {
  return db
    .select({
      inspectionId: inspections.id,
      trustCode: inspections.trustCode,
      trustName: trusts.name,
      visitDate: visits.visitDate,
      approvedAt: inspections.approvedAt,
      createdAt: inspections.createdAt,
      frameworkVersionId: inspectionFrameworks.frameworkVersionId,
      profileName: frameworkProfiles.name,
      profileVersion: frameworkProfiles.version,
    })
    .from(inspections)
    .innerJoin(trusts, eq(trusts.odsCode, inspections.trustCode))
    .innerJoin(inspectionFrameworks, eq(inspectionFrameworks.inspectionId, inspections.id))
    .innerJoin(frameworkProfiles, eq(frameworkProfiles.id, inspectionFrameworks.profileId))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .where(inArray(inspections.status, [...RATED_STATUSES]))
    .all()
    .map((r) => ({
      inspectionId: r.inspectionId,
      trustCode: r.trustCode,
      trustName: r.trustName,
      // An approved inspection always has an approval time; the day it was started is a last resort.
      date: r.visitDate ?? todayInLondon(new Date(r.approvedAt ?? r.createdAt)),
      approvedAt: r.approvedAt,
      frameworkVersionId: r.frameworkVersionId,
      profileName: `${r.profileName} (version ${r.profileVersion})`,
    }));
}

/** The findings of those inspections, each with its minimum in the profile its inspection chose for its framework. */
function ratedFindings(db: Db): RatedFinding[] {
  return db
    .select({ inspectionId: findings.inspectionId, criterionId: findings.criterionId, rating: findings.rating, minimum: profileMinimums.minimum })
    .from(findings)
    .innerJoin(inspections, eq(inspections.id, findings.inspectionId))
    .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, findings.criterionId))
    .innerJoin(
      inspectionFrameworks,
      and(eq(inspectionFrameworks.inspectionId, findings.inspectionId), eq(inspectionFrameworks.frameworkVersionId, frameworkCriteria.frameworkVersionId)),
    )
    .leftJoin(profileMinimums, and(eq(profileMinimums.profileId, inspectionFrameworks.profileId), eq(profileMinimums.criterionId, findings.criterionId)))
    .where(inArray(inspections.status, [...RATED_STATUSES]))
    .all();
}

/** The framework versions, sections and criteria that rated inspections were assessed against. */
function frameworksOf(db: Db, versionIds: number[]) {
  if (versionIds.length === 0) return { frameworks: [], sections: [], criteria: [] };
  return {
    frameworks: db
      .select({ id: frameworkVersions.id, title: frameworkVersions.title })
      .from(frameworkVersions)
      .where(inArray(frameworkVersions.id, versionIds))
      .orderBy(frameworkVersions.id)
      .all(),
    sections: db
      .select({
        id: frameworkSections.id,
        frameworkVersionId: frameworkSections.frameworkVersionId,
        parentId: frameworkSections.parentId,
        code: frameworkSections.code,
        title: frameworkSections.title,
      })
      .from(frameworkSections)
      .where(inArray(frameworkSections.frameworkVersionId, versionIds))
      .all(),
    criteria: db
      .select({
        id: frameworkCriteria.id,
        frameworkVersionId: frameworkCriteria.frameworkVersionId,
        sectionId: frameworkCriteria.sectionId,
        code: frameworkCriteria.code,
        title: frameworkCriteria.title,
        scale: frameworkCriteria.scale,
        position: frameworkCriteria.position,
      })
      .from(frameworkCriteria)
      .where(inArray(frameworkCriteria.frameworkVersionId, versionIds))
      .all(),
  };
}

/**
 * The national picture as of today: the risk ranking under the current model, then the rest read in one read
 * transaction, so the counts, the heatmap and the trends describe the same moment.
 */
export function nationalPicture(asOf: string = todayInLondon(), db: Db = getDb()): NationalPicture {
  const ranking = currentRanking(asOf, db);
  return db.$client.transaction(() => {
    const where = locations(db);
    const map = buildTrustMap(
      ranking.rows.map((r) => ({
        trustCode: r.trustCode,
        name: r.name,
        regionName: r.regionName,
        band: r.band,
        latitude: where.get(r.trustCode)?.latitude ?? null,
        longitude: where.get(r.trustCode)?.longitude ?? null,
      })),
    );
    const { counts, total } = countByStatus(INSPECTION_STATUSES, statusRows(db));
    const rated = ratedInspections(db);
    const { frameworks, sections, criteria } = frameworksOf(db, [...new Set(rated.map((i) => i.frameworkVersionId))]);
    return {
      asOf,
      modelVersion: ranking.modelVersion,
      statusCounts: counts,
      totalInspections: total,
      map,
      frameworks: frameworkPictures({ frameworks, sections, criteria, inspections: rated, findings: ratedFindings(db) }),
    };
  })();
}

/** A view of the national picture, in the audit trail (it shows every trust's risk band and inspected trusts' ratings). */
export function recordNationalPictureViewed(actor: Actor, picture: Pick<NationalPicture, "asOf" | "modelVersion">, db: Db = getDb()) {
  writeTransaction(
    (tx) =>
      recordAudit(tx, actor, {
        action: "national.viewed",
        objectType: "national-picture",
        objectId: null,
        summary: { asOf: picture.asOf, modelVersion: picture.modelVersion.id },
      }),
    db,
  );
}
