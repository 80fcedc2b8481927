/**
 * The plain data of an inspection's report (app/reports/report-model.ts builds the model from it): read in ONE read
 * transaction, so every part of the report is from the same moment, and nothing is written. It reuses what the
 * inspection pages read: inspectionOverview (frameworks, sections, criteria with their ratings, gaps and movement
 * since the trust's previous approved inspection), findingViewsOf (the findings' text), frameworkVersionView (the
 * framework's id, version and profile, and the criteria's requirements) and reviewView (the reviewer and the dates).
 */
import { eq, max } from "drizzle-orm";
import { inspectionFrameworks, reportVersions } from "../../db/schema";
import { frameworkVersionView } from "../baseline/frameworks.server";
import { getDb, type Db } from "../db.server";
import { findingViewsOf } from "../inspections/findings.server";
import { reviewView } from "../inspections/review.server";
import { inspectionOverview } from "../inspections/workspace.server";
import type { ReportCriterionData, ReportData, ReportFrameworkData } from "./report-model";

/** The report's data for an inspection, or undefined when there is no such inspection. */
export function loadReportData(inspectionId: string, db: Db = getDb()): ReportData | undefined {
  // A deferred transaction: the snapshot is taken at the first read and holds until the end (WAL), writes nothing.
  return db.$client.transaction(() => readReportData(inspectionId, db))();
}

function readReportData(inspectionId: string, db: Db): ReportData | undefined {
  const overview = inspectionOverview(inspectionId, db);
  if (!overview) return undefined;
  const review = reviewView(inspectionId, db);
  const criterionIds = overview.frameworks.flatMap((f) => f.sections.flatMap((s) => s.criteria.map((c) => c.criterionId)));
  const texts = findingViewsOf(inspectionId, criterionIds, db);
  const profileIds = new Map(
    db
      .select({ frameworkVersionId: inspectionFrameworks.frameworkVersionId, profileId: inspectionFrameworks.profileId })
      .from(inspectionFrameworks)
      .where(eq(inspectionFrameworks.inspectionId, inspectionId))
      .all()
      .map((r) => [r.frameworkVersionId, r.profileId]),
  );

  const frameworks: ReportFrameworkData[] = overview.frameworks.map((f) => {
    const view = frameworkVersionView(f.frameworkVersionId, db);
    // The profile the inspection is assessed against, and the criteria's requirements, from the version itself.
    const profile = view?.profiles.find((p) => p.id === profileIds.get(f.frameworkVersionId)) ?? null;
    const requirementsOf = new Map<string, string[]>();
    const walk = (sections: NonNullable<typeof view>["sections"]) => {
      for (const s of sections) {
        for (const c of s.criteria) if (c.scale === "met" && c.indicators.length > 0) requirementsOf.set(c.code, c.indicators.map((i) => i.code));
        walk(s.sections);
      }
    };
    if (view) walk(view.sections);
    return {
      framework: view?.version.framework ?? "",
      version: view?.version.version ?? "",
      title: f.title,
      profile: profile ? { name: profile.name, version: profile.version } : null,
      sections: f.sections.map((s) => ({
        code: s.code,
        title: s.title,
        depth: s.depth,
        criteria: s.criteria.map((c): ReportCriterionData => {
          const finding = texts.get(c.criterionId);
          const requirements = requirementsOf.get(c.code);
          const answers = finding?.indicatorAnswers ?? {};
          return {
            code: c.code,
            title: c.title,
            scale: c.scale,
            rating: c.rating,
            minimum: c.minimum,
            gap: c.gap,
            severity: c.severity,
            previousRating: c.previous?.rating ?? null,
            previousDate: c.previous?.date ?? null,
            movement: c.movement,
            observed: finding?.observed ?? "",
            evidenceDocuments: finding?.evidenceDocuments ?? "",
            evidencePeople: finding?.evidencePeople ?? "",
            evidenceSystems: finding?.evidenceSystems ?? "",
            devicesSampled: finding?.devicesSampled ?? null,
            devicesFailing: finding?.devicesFailing ?? null,
            recommendation: finding?.recommendation ?? "",
            actionDue: finding?.actionDue ?? null,
            requirements: requirements
              ? {
                  met: requirements.filter((code) => answers[code] === true).length,
                  notMet: requirements.filter((code) => answers[code] === false).length,
                  unanswered: requirements.filter((code) => answers[code] !== true && answers[code] !== false).length,
                }
              : null,
          };
        }),
      })),
    };
  });

  const { inspection } = overview;
  return {
    inspectionId: inspection.id,
    trust: { odsCode: inspection.trustCode, name: inspection.trustName },
    visitDate: inspection.visitDate,
    arrivedAt: inspection.arrivedAt,
    submittedAt: review?.submittedAt ?? null,
    approvedAt: review?.approvedAt ?? null,
    team: inspection.team.map((m) => ({ name: m.name, role: m.role })),
    reviewerName: review?.reviewer?.name ?? null,
    frameworks,
  };
}

/** The version the inspection's next published report would be: 1, or one more than the latest published. */
export function nextReportVersion(inspectionId: string, db: Db = getDb()): number {
  const latest = db.select({ version: max(reportVersions.version) }).from(reportVersions).where(eq(reportVersions.inspectionId, inspectionId)).get()?.version ?? 0;
  return latest + 1;
}
