/**
 * What the inspection pages show: an inspection's frameworks as sections with progress and gaps, and one criterion
 * with its finding. Before publication only the visit's team, programme leads, admins and the inspection's reviewer
 * see an inspection (and, while submitted findings wait for a reviewer, the inspectors who may review them);
 * everyone else gets 404 from the routes.
 */
import { and, desc, eq, inArray, lt, ne, sql } from "drizzle-orm";
import { findings, inspectionFrameworks, inspections, profileMinimums, trusts, users, visits, visitTeamMembers } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { frameworkVersionView, type CriterionView, type SectionView } from "../baseline/frameworks.server";
import {
  gapStatus,
  movement,
  summariseFindings,
  summariseMovements,
  type FindingsSummary,
  type GapStatus,
  type Minimum,
  type Movement,
  type MovementSummary,
  type Rating,
} from "../baseline/rating";
import { getDb, writeTransaction, type Db } from "../db.server";
import { findingView, findingViewsOf, type FindingView } from "./findings.server";

/**
 * "reviewer": the inspector reviewing it; "review_candidate": an inspector not on the team, while the submitted
 * findings wait for a reviewer (to read them and start the review).
 */
export type InspectionAccess = "team" | "programme_lead" | "admin" | "reviewer" | "review_candidate";

export interface InspectionHeader {
  id: string;
  status: (typeof inspections.$inferSelect)["status"];
  trustCode: string;
  trustName: string;
  visitId: string | null;
  visitDate: string | null;
  arrivedAt: string | null;
  reviewerId: string | null;
  team: { id: string; name: string; role: "lead" | "member" }[];
}

function header(db: Db, inspectionId: string): InspectionHeader | undefined {
  const row = db
    .select({ inspection: inspections, trustName: trusts.name, visitDate: visits.visitDate })
    .from(inspections)
    .innerJoin(trusts, eq(trusts.odsCode, inspections.trustCode))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .where(eq(inspections.id, inspectionId))
    .get();
  if (!row) return undefined;
  const team = row.inspection.visitId
    ? db
        .select({ id: users.id, name: users.name, role: visitTeamMembers.role })
        .from(visitTeamMembers)
        .innerJoin(users, eq(users.id, visitTeamMembers.inspectorId))
        .where(eq(visitTeamMembers.visitId, row.inspection.visitId))
        .all()
    : [];
  return {
    id: row.inspection.id,
    status: row.inspection.status,
    trustCode: row.inspection.trustCode,
    trustName: row.trustName,
    visitId: row.inspection.visitId,
    visitDate: row.visitDate,
    arrivedAt: row.inspection.arrivedAt,
    reviewerId: row.inspection.reviewerId,
    // The lead first, then members by name.
    team: team.sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name, "en") : a.role === "lead" ? -1 : 1)),
  };
}

/**
 * How a user may see an inspection: on its team, as a programme lead, as an admin, as its reviewer, as an inspector
 * who may review it (not on the team, while it is submitted and waiting for a reviewer, or for them as its
 * reviewer); or not at all (null).
 */
export function inspectionAccess(
  user: { id: string; role: string },
  inspection: Pick<InspectionHeader, "team" | "status" | "reviewerId">,
): InspectionAccess | null {
  if (user.role === "programme_lead") return "programme_lead";
  if (user.role === "admin") return "admin";
  if (user.role !== "inspector") return null;
  if (inspection.team.some((m) => m.id === user.id)) return "team";
  if (inspection.reviewerId === user.id) return "reviewer";
  if (inspection.status === "submitted" && inspection.reviewerId === null) return "review_candidate";
  return null;
}

/** A criterion's rating at the trust's last approved inspection before this one (same criterion, so same framework version). */
export interface PreviousRating {
  rating: Rating;
  /** The earlier inspection's visit date (yyyy-mm-dd), or null if it had no visit. */
  date: string | null;
  inspectionId: string;
}

/**
 * The rating of each of `criterionIds` at the latest earlier APPROVED inspection of the same trust that has a finding
 * for it, in ONE query (every page calls this once, never once per criterion). "Earlier": dated (by its visit, else
 * the day it was approved) before this inspection's visit; with no visit date here, any other approved inspection.
 * Criteria ids are per framework version, so only the same version is ever compared. Absent: no earlier rating.
 */
function previousRatings(db: Db, inspection: Pick<InspectionHeader, "id" | "trustCode" | "visitDate">, criterionIds: readonly number[]): Map<number, PreviousRating> {
  const previous = new Map<number, PreviousRating>();
  if (criterionIds.length === 0) return previous;
  const dated = sql<string | null>`coalesce(${visits.visitDate}, substr(${inspections.approvedAt}, 1, 10))`;
  const rows = db
    .select({ criterionId: findings.criterionId, rating: findings.rating, date: visits.visitDate, inspectionId: inspections.id })
    .from(findings)
    .innerJoin(inspections, eq(inspections.id, findings.inspectionId))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .where(
      and(
        eq(inspections.trustCode, inspection.trustCode),
        // Approved findings stay the same through the factual accuracy check and publication.
        inArray(inspections.status, ["approved", "factual_accuracy", "published"]),
        ne(inspections.id, inspection.id),
        inspection.visitDate ? lt(dated, inspection.visitDate) : undefined,
        inArray(findings.criterionId, [...criterionIds]),
      ),
    )
    .orderBy(desc(dated), desc(inspections.approvedAt), desc(inspections.id))
    .all();
  // Latest first: the first row for a criterion is its previous rating.
  for (const row of rows) if (!previous.has(row.criterionId)) previous.set(row.criterionId, { rating: row.rating, date: row.date, inspectionId: row.inspectionId });
  return previous;
}

/** Every criterion of a tree of sections, depth first (a section's own criteria before its sections'). */
function criteriaOf(sections: readonly SectionView[]): CriterionView[] {
  return sections.flatMap((s) => [...s.criteria, ...criteriaOf(s.sections)]);
}

export interface CriterionProgress {
  criterionId: number;
  code: string;
  title: string;
  scale: CriterionView["scale"];
  rating: Rating;
  minimum: Minimum | null;
  gap: GapStatus;
  severity: FindingView["severity"];
  findingId: string;
  /** The rating at the trust's last approved inspection on this framework version, if any. */
  previous: PreviousRating | null;
  /** From `previous` to `rating`. */
  movement: Movement;
}

export interface SectionProgress {
  /** The section's id: its page is /inspections/:id/sections/:sectionId. */
  id: number;
  code: string;
  title: string;
  depth: number;
  criteria: CriterionProgress[];
  /** Over this section's criteria and those of the sections below it. */
  summary: FindingsSummary;
  /** Since the last inspection, over the same criteria as `summary`. */
  movement: MovementSummary;
}

export interface FrameworkProgress {
  frameworkVersionId: number;
  title: string;
  profileName: string;
  sections: SectionProgress[];
  summary: FindingsSummary;
  movement: MovementSummary;
}

export interface InspectionOverview {
  inspection: InspectionHeader;
  frameworks: FrameworkProgress[];
  summary: FindingsSummary;
  movement: MovementSummary;
}

export function inspectionHeader(inspectionId: string, db: Db = getDb()) {
  return header(db, inspectionId);
}

/** An inspection's frameworks, sections (flattened in order, with depth) and criteria with their findings and gaps. */
export function inspectionOverview(inspectionId: string, db: Db = getDb()): InspectionOverview | undefined {
  const inspection = header(db, inspectionId);
  if (!inspection) return undefined;
  const chosen = db.select().from(inspectionFrameworks).where(eq(inspectionFrameworks.inspectionId, inspectionId)).all();
  const findingRows = db.select().from(findings).where(eq(findings.inspectionId, inspectionId)).all();
  const byCriterion = new Map(findingRows.map((f) => [f.criterionId, f]));
  const views = chosen.flatMap((choice) => {
    const view = frameworkVersionView(choice.frameworkVersionId, db);
    return view ? [{ choice, view }] : [];
  });
  const previous = previousRatings(
    db,
    inspection,
    views.flatMap(({ view }) => criteriaOf(view.sections).map((c) => c.id)),
  );
  const frameworks: FrameworkProgress[] = [];
  const summarise = (criteria: CriterionProgress[]) => ({
    summary: summariseFindings(criteria.map((c) => ({ rating: c.rating, minimum: c.minimum, severity: c.severity }))),
    movement: summariseMovements(criteria.map((c) => c.movement)),
  });
  for (const { choice, view } of views) {
    const profile = view.profiles.find((p) => p.id === choice.profileId);
    const minimums = profile?.minimums ?? {};
    const sections: SectionProgress[] = [];
    const visit = (section: SectionView, depth: number): CriterionProgress[] => {
      const entry: SectionProgress = { id: section.id, code: section.code, title: section.title, depth, criteria: [], ...summarise([]) };
      sections.push(entry);
      entry.criteria = section.criteria.flatMap((c) => {
        const finding = byCriterion.get(c.id);
        if (!finding) return [];
        const minimum = (minimums[c.code] as Minimum | undefined) ?? null;
        const earlier = previous.get(c.id) ?? null;
        return [
          {
            criterionId: c.id,
            code: c.code,
            title: c.title,
            scale: c.scale,
            rating: finding.rating,
            minimum,
            gap: gapStatus(finding.rating, minimum),
            severity: finding.severity,
            findingId: finding.id,
            previous: earlier,
            movement: movement(earlier?.rating ?? null, finding.rating),
          },
        ];
      });
      const below = section.sections.flatMap((s) => visit(s, depth + 1));
      const all = [...entry.criteria, ...below];
      Object.assign(entry, summarise(all));
      return all;
    };
    const every = view.sections.flatMap((s) => visit(s, 0));
    frameworks.push({
      frameworkVersionId: choice.frameworkVersionId,
      title: view.version.title,
      profileName: profile ? `${profile.name} (version ${profile.version})` : "No profile",
      sections,
      ...summarise(every),
    });
  }
  const everything = frameworks.flatMap((f) => f.sections.flatMap((s) => s.criteria));
  return { inspection, frameworks, ...summarise(everything) };
}

export interface CriterionWorkspace {
  inspection: InspectionHeader;
  frameworkTitle: string;
  sectionTrail: string[];
  /** The section the criterion is in: its section page shows it with its neighbours. */
  section: { id: number; code: string; title: string };
  criterion: CriterionView;
  minimum: Minimum | null;
  finding: FindingView;
  previous: number | null;
  next: number | null;
  /** The latest rating of this criterion in an earlier approved inspection of the same trust, if any. */
  earlier: PreviousRating | null;
  /** From `earlier` to the finding's rating. */
  movement: Movement;
}

/** One criterion of an inspection with its finding, what good looks like, its minimum, and the criteria around it. */
export function criterionWorkspace(inspectionId: string, criterionId: number, db: Db = getDb()): CriterionWorkspace | undefined {
  const inspection = header(db, inspectionId);
  if (!inspection) return undefined;
  const row = db.select().from(findings).where(and(eq(findings.inspectionId, inspectionId), eq(findings.criterionId, criterionId))).get();
  if (!row) return undefined;
  const chosen = db.select().from(inspectionFrameworks).where(eq(inspectionFrameworks.inspectionId, inspectionId)).all();
  for (const choice of chosen) {
    const view = frameworkVersionView(choice.frameworkVersionId, db);
    if (!view) continue;
    const order: { criterion: CriterionView; trail: string[]; section: SectionView }[] = [];
    const walk = (sections: SectionView[], trail: string[]) => {
      for (const s of sections) {
        const here = [...trail, `${s.code} ${s.title}`];
        for (const c of s.criteria) order.push({ criterion: c, trail: here, section: s });
        walk(s.sections, here);
      }
    };
    walk(view.sections, []);
    const index = order.findIndex((o) => o.criterion.id === criterionId);
    if (index === -1) continue;
    const minimumRow = db
      .select({ minimum: profileMinimums.minimum })
      .from(profileMinimums)
      .where(and(eq(profileMinimums.profileId, choice.profileId), eq(profileMinimums.criterionId, criterionId)))
      .get();
    const earlier = previousRatings(db, inspection, [criterionId]).get(criterionId) ?? null;
    return {
      inspection,
      frameworkTitle: view.version.title,
      sectionTrail: order[index]!.trail,
      section: { id: order[index]!.section.id, code: order[index]!.section.code, title: order[index]!.section.title },
      criterion: order[index]!.criterion,
      minimum: minimumRow?.minimum ?? null,
      finding: findingView(row.id, db)!,
      previous: index > 0 ? order[index - 1]!.criterion.id : null,
      next: index < order.length - 1 ? order[index + 1]!.criterion.id : null,
      earlier,
      movement: movement(earlier?.rating ?? null, row.rating),
    };
  }
  return undefined;
}

export interface SectionCriterion {
  criterion: CriterionView;
  finding: FindingView;
  minimum: Minimum | null;
  gap: GapStatus;
  /** The latest rating of this criterion in an earlier approved inspection of the same trust, if any. */
  earlier: PreviousRating | null;
  movement: Movement;
}

/** The section itself (depth 0) or one of the sections below it, with its own criteria. */
export interface SectionPart {
  id: number;
  code: string;
  title: string;
  description: string;
  depth: number;
  criteria: SectionCriterion[];
}

export interface SectionLink {
  id: number;
  code: string;
  title: string;
}

export interface SectionWorkspace {
  inspection: InspectionHeader;
  frameworkTitle: string;
  profileName: string;
  /** The sections above this one, each as "A Managing security risk". */
  trail: string[];
  section: SectionLink & { description: string };
  /** The section and every section below it, in order (depth first), each with its own criteria. */
  parts: SectionPart[];
  summary: FindingsSummary;
  movement: MovementSummary;
  /** The nearest section before it that has criteria of its own (its page is not this one). */
  previous: SectionLink | null;
  /** The first section after it and the sections below it that has criteria of its own. */
  next: SectionLink | null;
}

/**
 * One section of an inspection with every criterion in it and in the sections below it, each with its finding, its
 * minimum and its movement since the last inspection; and the sections before and after it (across the inspection's
 * frameworks, in the overview's order). Undefined when the section is not in one of the inspection's frameworks.
 */
export function sectionWorkspace(inspectionId: string, sectionId: number, db: Db = getDb()): SectionWorkspace | undefined {
  const inspection = header(db, inspectionId);
  if (!inspection) return undefined;
  const chosen = db.select().from(inspectionFrameworks).where(eq(inspectionFrameworks.inspectionId, inspectionId)).all();
  interface Place {
    section: SectionView;
    trail: string[];
    view: NonNullable<ReturnType<typeof frameworkVersionView>>;
    profileId: number;
    /** The index just past the section's last descendant: its subtree is order[index, end). */
    end: number;
  }
  const order: Place[] = [];
  for (const choice of chosen) {
    const view = frameworkVersionView(choice.frameworkVersionId, db);
    if (!view) continue;
    const walk = (sections: SectionView[], trail: string[]) => {
      for (const section of sections) {
        const index = order.length;
        order.push({ section, trail, view, profileId: choice.profileId, end: index + 1 });
        walk(section.sections, [...trail, `${section.code} ${section.title}`]);
        order[index]!.end = order.length;
      }
    };
    walk(view.sections, []);
  }
  const index = order.findIndex((o) => o.section.id === sectionId);
  if (index === -1) return undefined;
  const here = order[index]!;
  const subtree = order.slice(index, here.end);
  const ids = subtree.flatMap((o) => o.section.criteria.map((c) => c.id));
  const findingsBy = findingViewsOf(inspectionId, ids, db);
  const previous = previousRatings(db, inspection, ids);
  const profile = here.view.profiles.find((p) => p.id === here.profileId);
  const minimums = profile?.minimums ?? {};
  const parts: SectionPart[] = subtree.map((o) => ({
    id: o.section.id,
    code: o.section.code,
    title: o.section.title,
    description: o.section.description,
    depth: o.trail.length - here.trail.length,
    criteria: o.section.criteria.flatMap((criterion) => {
      const finding = findingsBy.get(criterion.id);
      if (!finding) return [];
      const minimum = (minimums[criterion.code] as Minimum | undefined) ?? null;
      const earlier = previous.get(criterion.id) ?? null;
      return [{ criterion, finding, minimum, gap: gapStatus(finding.rating, minimum), earlier, movement: movement(earlier?.rating ?? null, finding.rating) }];
    }),
  }));
  const all = parts.flatMap((p) => p.criteria);
  const link = (o: Place | undefined): SectionLink | null => (o ? { id: o.section.id, code: o.section.code, title: o.section.title } : null);
  return {
    inspection,
    frameworkTitle: here.view.version.title,
    profileName: profile ? `${profile.name} (version ${profile.version})` : "No profile",
    trail: here.trail,
    section: { id: here.section.id, code: here.section.code, title: here.section.title, description: here.section.description },
    parts,
    summary: summariseFindings(all.map((c) => ({ rating: c.finding.rating, minimum: c.minimum, severity: c.finding.severity }))),
    movement: summariseMovements(all.map((c) => c.movement)),
    previous: link(order.slice(0, index).findLast((o) => o.section.criteria.length > 0)),
    next: link(order.slice(here.end).find((o) => o.section.criteria.length > 0)),
  };
}

export interface InspectionListRow {
  id: string;
  status: (typeof inspections.$inferSelect)["status"];
  trustCode: string;
  trustName: string;
  visitDate: string | null;
  visitId: string | null;
  reviewerId: string | null;
  reviewerName: string | null;
  /** Submitted findings this user may pick up for review (a programme lead, or an inspector not on the team). */
  awaitingMyReview: boolean;
}

/**
 * Inspections a user may see, newest visit first: all for programme leads and admins; for inspectors, their team's,
 * those they review, and submitted ones waiting for a reviewer that they are not on the team of.
 */
export function listInspections(user: { id: string; role: string }, db: Db = getDb()): InspectionListRow[] {
  if (user.role !== "programme_lead" && user.role !== "admin" && user.role !== "inspector") return [];
  const rows = db
    .select({
      id: inspections.id,
      status: inspections.status,
      trustCode: inspections.trustCode,
      trustName: trusts.name,
      visitDate: visits.visitDate,
      visitId: inspections.visitId,
      reviewerId: inspections.reviewerId,
      reviewerName: users.name,
    })
    .from(inspections)
    .innerJoin(trusts, eq(trusts.odsCode, inspections.trustCode))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .leftJoin(users, eq(users.id, inspections.reviewerId))
    .orderBy(desc(visits.visitDate))
    .all();
  const mine = new Set(
    rows.length === 0
      ? []
      : db
          .select({ visitId: visitTeamMembers.visitId })
          .from(visitTeamMembers)
          .where(
            and(
              eq(visitTeamMembers.inspectorId, user.id),
              inArray(
                visitTeamMembers.visitId,
                rows.flatMap((r) => (r.visitId ? [r.visitId] : [])),
              ),
            ),
          )
          .all()
          .map((r) => r.visitId),
  );
  const onTeam = (r: (typeof rows)[number]) => !!r.visitId && mine.has(r.visitId);
  const withFlag = rows.map((r) => ({
    ...r,
    awaitingMyReview: user.role !== "admin" && r.status === "submitted" && !onTeam(r) && (r.reviewerId === null || r.reviewerId === user.id),
  }));
  if (user.role === "programme_lead" || user.role === "admin") return withFlag;
  return withFlag.filter((r) => onTeam(r) || r.reviewerId === user.id || r.awaitingMyReview);
}

/** Records a view of an inspection page (confidential before publication). */
export function recordInspectionViewed(inspectionId: string, page: string, actor: Actor, db: Db = getDb()) {
  writeTransaction((tx) => recordAudit(tx, actor, { action: "inspection.viewed", objectType: "inspection", objectId: inspectionId, summary: { page } }), db);
}

/** The inspection of a visit, if it has been started. */
export function inspectionIdForVisit(visitId: string, db: Db = getDb()): string | null {
  return db.select({ id: inspections.id }).from(inspections).where(eq(inspections.visitId, visitId)).get()?.id ?? null;
}
