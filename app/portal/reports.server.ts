/**
 * What a trust user sees of its reports: the published versions (to download, each exactly as stored at publication),
 * and, during its factual accuracy check, the draft report, a DRAFT PDF made on request (never stored) and its own
 * comments with CQC's answers.
 *
 * Every query takes the trust from the signed-in user (requireTrustUser → user.trustCode), never from the URL, and
 * answers undefined for anything else, so the routes give the same 404 for another trust's inspection, one not in
 * its check, and one that does not exist. Nothing here reads visits before they happen, risk or selection.
 *
 * What the trust sees when (docs/decisions/0017-factual-accuracy-and-publication.md):
 * - before the check opens: nothing (404);
 * - from the day it opens until publication: the draft (HTML and DRAFT PDF) and its comments with the answers; it
 *   can comment up to and including the close date, and after that reads the answers as they come;
 * - after publication: the published versions, and its comments with the answers (the draft is gone: the published
 *   report replaces it).
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { inspections, reportVersions, visits } from "../../db/schema";
import type { TrustUser } from "../auth/guards.server";
import { getDb, type Db } from "../db.server";
import { accuracyCommentsOf, findingChoices, inspectedOn } from "../reports/publication.server";
import { isWindowOpen } from "../reports/publication-rules";
import { loadReportData } from "../reports/report-data.server";
import { buildReportModel } from "../reports/report-model";
import { renderReportPdf } from "../reports/render.server";
import { todayInLondon } from "../trusts/register.server";

export interface PortalReportVersion {
  inspectionId: string;
  inspectedOn: string | null;
  version: number;
  publishedAt: string;
  sizeBytes: number;
  changeNote: string;
  superseded: boolean;
}

/** The trust's published report versions, newest inspection first, each inspection's newest version first. */
export function portalReports(user: TrustUser, db: Db = getDb()): PortalReportVersion[] {
  const rows = db
    .select({
      inspectionId: inspections.id,
      visitDate: visits.visitDate,
      arrivedAt: inspections.arrivedAt,
      firstPublishedAt: inspections.publishedAt,
      version: reportVersions.version,
      publishedAt: reportVersions.publishedAt,
      sizeBytes: reportVersions.sizeBytes,
      changeNote: reportVersions.changeNote,
    })
    .from(reportVersions)
    .innerJoin(inspections, eq(inspections.id, reportVersions.inspectionId))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .where(and(eq(inspections.trustCode, user.trustCode), eq(inspections.status, "published")))
    .orderBy(desc(inspections.publishedAt), desc(reportVersions.version))
    .all();
  const latest = new Map<string, number>();
  for (const r of rows) latest.set(r.inspectionId, Math.max(latest.get(r.inspectionId) ?? 0, r.version));
  return rows.map((r) => ({
    inspectionId: r.inspectionId,
    inspectedOn: inspectedOn(r.visitDate, r.arrivedAt),
    version: r.version,
    publishedAt: r.publishedAt,
    sizeBytes: r.sizeBytes,
    changeNote: r.changeNote,
    superseded: r.version !== latest.get(r.inspectionId),
  }));
}

/** One published version of one of the trust's own reports, as stored; undefined for anything else. */
export function portalReportPdf(user: TrustUser, inspectionId: string, version: number, db: Db = getDb()) {
  const row = db
    .select({ pdf: reportVersions.pdf, version: reportVersions.version, trustCode: inspections.trustCode, visitDate: visits.visitDate, arrivedAt: inspections.arrivedAt })
    .from(reportVersions)
    .innerJoin(inspections, eq(inspections.id, reportVersions.inspectionId))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .where(and(eq(reportVersions.inspectionId, inspectionId), eq(reportVersions.version, version), eq(inspections.trustCode, user.trustCode), eq(inspections.status, "published")))
    .get();
  return row ? { pdf: row.pdf, version: row.version, trustCode: row.trustCode, inspectedOn: inspectedOn(row.visitDate, row.arrivedAt) } : undefined;
}

// ── The factual accuracy check ─────────────────────────────────────────────────────────────────────────────

/** The trust's own inspection, once its check has opened (in the check, or published); undefined for anything else. */
function trustInspection(user: TrustUser, inspectionId: string, db: Db) {
  return db
    .select({
      id: inspections.id,
      status: inspections.status,
      accuracyOpenedAt: inspections.accuracyOpenedAt,
      accuracyClosesOn: inspections.accuracyClosesOn,
      publishedAt: inspections.publishedAt,
      visitDate: visits.visitDate,
      arrivedAt: inspections.arrivedAt,
      trustCode: inspections.trustCode,
    })
    .from(inspections)
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .where(and(eq(inspections.id, inspectionId), eq(inspections.trustCode, user.trustCode), inArray(inspections.status, ["factual_accuracy", "published"])))
    .get();
}

export interface PortalCheck {
  inspectionId: string;
  openedAt: string;
  closesOn: string;
  windowOpen: boolean;
}

/** The trust's reports in their factual accuracy check now (not yet published), for the portal's home. */
export function portalChecks(user: TrustUser, db: Db = getDb(), now = new Date()): PortalCheck[] {
  const today = todayInLondon(now);
  return db
    .select({ id: inspections.id, openedAt: inspections.accuracyOpenedAt, closesOn: inspections.accuracyClosesOn })
    .from(inspections)
    .where(and(eq(inspections.trustCode, user.trustCode), eq(inspections.status, "factual_accuracy")))
    .orderBy(desc(inspections.accuracyOpenedAt))
    .all()
    .flatMap((r) => (r.openedAt && r.closesOn ? [{ inspectionId: r.id, openedAt: r.openedAt, closesOn: r.closesOn, windowOpen: isWindowOpen(today, r.closesOn) }] : []));
}

/** The report draft as the trust reads it in the page: the same model the PDF is drawn from, marked draft. */
function draftModel(inspectionId: string, db: Db, now: Date) {
  const data = loadReportData(inspectionId, db);
  if (!data) return null;
  const model = buildReportModel(data, { version: 1, publishedAt: now.toISOString(), draft: true });
  return { cover: model.cover, sections: model.sections, title: model.meta.title };
}

/**
 * The factual accuracy page of one of the trust's inspections: whether it can still comment (and until when), the
 * draft (until publication), the findings it can comment on, and its comments with CQC's answers (the reviewer's
 * name is not shown: the answer is CQC's). Undefined for anything the trust may not see.
 */
export function portalAccuracy(user: TrustUser, inspectionId: string, db: Db = getDb(), now = new Date()) {
  const inspection = trustInspection(user, inspectionId, db);
  if (!inspection || !inspection.accuracyClosesOn) return undefined;
  const inCheck = inspection.status === "factual_accuracy";
  return {
    inspectionId: inspection.id,
    status: inspection.status,
    inspectedOn: inspectedOn(inspection.visitDate, inspection.arrivedAt),
    openedAt: inspection.accuracyOpenedAt,
    closesOn: inspection.accuracyClosesOn,
    windowOpen: inCheck && isWindowOpen(todayInLondon(now), inspection.accuracyClosesOn),
    draft: inCheck ? draftModel(inspection.id, db, now) : null,
    findings: inCheck ? findingChoices(inspection.id, db).map((f) => ({ findingId: f.findingId, label: `${f.code} ${f.title}` })) : [],
    comments: accuracyCommentsOf(inspection.id, db).map((c) => ({ ...c, decidedByName: null })),
  };
}

/**
 * The DRAFT PDF of one of the trust's inspections in its factual accuracy check, made now and not stored; undefined
 * for anything else (after publication too: the published versions replace it).
 */
export async function portalDraftPdf(user: TrustUser, inspectionId: string, db: Db = getDb(), now = new Date()) {
  const inspection = trustInspection(user, inspectionId, db);
  if (!inspection || inspection.status !== "factual_accuracy") return undefined;
  const pdf = await renderReportPdf(inspection.id, { version: 1, publishedAt: now.toISOString(), draft: true }, db);
  return { pdf, trustCode: inspection.trustCode, inspectedOn: inspectedOn(inspection.visitDate, inspection.arrivedAt) };
}
