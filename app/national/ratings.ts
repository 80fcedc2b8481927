/**
 * Ratings across inspected trusts, for the national picture (pure: no database, no clock).
 *
 * Which inspections count. Only inspections whose findings are final: approved, in the factual accuracy check, or
 * published (RATED_STATUSES). Criteria belong to a framework version, so everything is worked out per framework
 * version; an inspection assessed against two frameworks counts once for each.
 *
 * The heatmap and the shares use each trust's LATEST counted inspection on the framework version (by its date, the
 * visit date or else the day it was approved; then by approval time; then by id, so the choice never depends on the
 * order the rows came in). The trend uses every counted inspection of the trusts counted more than once on the same
 * framework version.
 *
 * Meeting the profile. Each inspection is judged against the profile version it was assessed against (its own
 * minimums, as its report is), with gapStatus from app/baseline/rating.ts: "meets" (at or above the minimum) or
 * "gap" (below it). Not applicable, not assessed and criteria with no minimum are neither, so they are counted
 * apart and left out of the share: share = meeting / (meeting + gaps), or none when nothing was judged.
 */
import { gapStatus, movement, summariseMovements, type Minimum, type Rating, type Scale } from "../baseline/rating";

/** The statuses whose findings are final: what the national picture counts. */
export const RATED_STATUSES = ["approved", "factual_accuracy", "published"] as const;

export interface RatedInspection {
  inspectionId: string;
  trustCode: string;
  trustName: string;
  /** yyyy-mm-dd: the visit date, or else the day (in England) it was approved (or, failing that, started). */
  date: string;
  approvedAt: string | null;
  frameworkVersionId: number;
  /** The profile it was assessed against, e.g. "GovAssure Baseline (version 1)". */
  profileName: string;
}

export interface RatedFinding {
  inspectionId: string;
  criterionId: number;
  rating: Rating;
  /** The minimum in the inspection's profile for the criterion, or null for none. */
  minimum: Minimum | null;
}

export interface FrameworkInfo {
  id: number;
  title: string;
}

export interface SectionRow {
  id: number;
  frameworkVersionId: number;
  parentId: number | null;
  code: string;
  title: string;
}

export interface CriterionRow {
  id: number;
  frameworkVersionId: number;
  sectionId: number;
  code: string;
  title: string;
  scale: Scale;
  position: number;
}

/** A criterion as a column: with the top-level section it is under (a CAF objective, a Cyber Essentials part). */
export interface Column {
  criterionId: number;
  code: string;
  title: string;
  scale: Scale;
  groupCode: string;
  groupTitle: string;
}

const collator = new Intl.Collator("en-GB");
const round1 = (n: number) => Math.round(n * 10) / 10;
const cmp = (a: string | null, b: string | null) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);

/** Oldest first: by date, then approval time, then id. */
export function compareInspections(a: RatedInspection, b: RatedInspection): number {
  return cmp(a.date, b.date) || cmp(a.approvedAt, b.approvedAt) || cmp(a.inspectionId, b.inspectionId);
}

const byTrust = (a: { trustName: string; trustCode: string }, b: { trustName: string; trustCode: string }) =>
  collator.compare(a.trustName, b.trustName) || cmp(a.trustCode, b.trustCode);

/** Each trust's latest inspection on each framework version, by trust name (then code), then framework version. */
export function latestPerTrust(inspections: readonly RatedInspection[]): RatedInspection[] {
  const latest = new Map<string, RatedInspection>();
  for (const i of inspections) {
    const key = `${i.trustCode}\u0000${i.frameworkVersionId}`;
    const current = latest.get(key);
    if (!current || compareInspections(current, i) < 0) latest.set(key, i);
  }
  return [...latest.values()].sort((a, b) => byTrust(a, b) || a.frameworkVersionId - b.frameworkVersionId);
}

/** The criteria of a framework version as columns, in the framework's order, each with its top-level section. */
export function columnsOf(frameworkVersionId: number, sections: readonly SectionRow[], criteria: readonly CriterionRow[]): Column[] {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const top = (sectionId: number) => {
    let section = byId.get(sectionId);
    const seen = new Set<number>();
    while (section && section.parentId !== null && byId.has(section.parentId) && !seen.has(section.id)) {
      seen.add(section.id);
      section = byId.get(section.parentId);
    }
    return section;
  };
  return criteria
    .filter((c) => c.frameworkVersionId === frameworkVersionId)
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .map((c) => {
      const group = top(c.sectionId);
      return { criterionId: c.id, code: c.code, title: c.title, scale: c.scale, groupCode: group?.code ?? "", groupTitle: group?.title ?? "" };
    });
}

/** Consecutive columns under the same top-level section, for a header cell spanning them. */
export function columnGroups(columns: readonly Column[]): { code: string; title: string; span: number }[] {
  const groups: { code: string; title: string; span: number }[] = [];
  for (const c of columns) {
    const last = groups[groups.length - 1];
    if (last && last.code === c.groupCode) last.span += 1;
    else groups.push({ code: c.groupCode, title: c.groupTitle, span: 1 });
  }
  return groups;
}

// ── Ratings as short codes ─────────────────────────────────────────────────────────────────────────────────

export type CellKind = "achieved" | "partially_achieved" | "not_achieved" | "not_applicable" | "not_assessed" | "none";

/**
 * A rating as a heatmap cell shows it: a short code (so the cell does not rely on its colour), the words, and the
 * kind that picks its colour. On the met scale achieved is Met ("M") and not_achieved Not met ("NM"). No finding at
 * all (a criterion the inspection did not have) is "none", shown as a dash.
 */
export function ratingCell(rating: Rating | null, scale: Scale): { code: string; label: string; kind: CellKind } {
  switch (rating) {
    case "achieved":
      return scale === "met" ? { code: "M", label: "Met", kind: "achieved" } : { code: "A", label: "Achieved", kind: "achieved" };
    case "partially_achieved":
      return { code: "PA", label: "Partially achieved", kind: "partially_achieved" };
    case "not_achieved":
      return scale === "met" ? { code: "NM", label: "Not met", kind: "not_achieved" } : { code: "NA", label: "Not achieved", kind: "not_achieved" };
    case "not_applicable":
      return { code: "N/A", label: "Not applicable", kind: "not_applicable" };
    case "not_assessed":
      return { code: "?", label: "Not assessed", kind: "not_assessed" };
    default:
      return { code: "–", label: "No finding", kind: "none" };
  }
}

/** The codes a framework's heatmap uses, for its key. */
export function ratingKey(scales: Iterable<Scale>): { code: string; label: string; kind: CellKind }[] {
  const present = new Set(scales);
  const key: { code: string; label: string; kind: CellKind }[] = [];
  if (present.has("caf")) key.push(ratingCell("achieved", "caf"), ratingCell("partially_achieved", "caf"), ratingCell("not_achieved", "caf"));
  if (present.has("met")) key.push(ratingCell("achieved", "met"), ratingCell("not_achieved", "met"));
  key.push(ratingCell("not_applicable", "caf"), ratingCell("not_assessed", "caf"));
  return key;
}

// ── Judging against the profile ────────────────────────────────────────────────────────────────────────────

export interface ProfileTally {
  meeting: number;
  gaps: number;
  /** Not applicable. */
  notApplicable: number;
  /** Not assessed, or no finding. */
  notAssessed: number;
  /** Rated, but the profile has no minimum for it. */
  noMinimum: number;
  /** meeting / (meeting + gaps), or null when nothing was judged against a minimum. */
  share: number | null;
}

/** Tallies findings against their minimums (every finding counted in exactly one of the five counts). */
export function tally(findings: Iterable<{ rating: Rating | null; minimum: Minimum | null }>): ProfileTally {
  const t = { meeting: 0, gaps: 0, notApplicable: 0, notAssessed: 0, noMinimum: 0 };
  for (const f of findings) {
    switch (gapStatus(f.rating, f.minimum)) {
      case "meets":
        t.meeting += 1;
        break;
      case "gap":
        t.gaps += 1;
        break;
      case "not-applicable":
        t.notApplicable += 1;
        break;
      case "not-assessed":
        t.notAssessed += 1;
        break;
      case "no-minimum":
        t.noMinimum += 1;
        break;
    }
  }
  const judged = t.meeting + t.gaps;
  return { ...t, share: judged === 0 ? null : t.meeting / judged };
}

/** A share as a whole percentage ("67%"), or "None judged". */
export function percent(share: number | null): string {
  return share === null ? "None judged" : `${Math.round(share * 100)}%`;
}

// ── The picture per framework version ──────────────────────────────────────────────────────────────────────

export interface HeatmapRow {
  trustCode: string;
  trustName: string;
  inspectionId: string;
  date: string;
  profileName: string;
  /** In column order: the rating, or null when the inspection has no finding for the criterion. */
  ratings: (Rating | null)[];
}

export interface OutcomeShare extends ProfileTally {
  criterionId: number;
  code: string;
  title: string;
  /** Trusts whose latest inspection on the framework version was counted. */
  inspected: number;
}

export interface TrendPoint {
  inspectionId: string;
  date: string;
  meeting: number;
  judged: number;
  share: number | null;
}

export interface TrendStep {
  fromDate: string;
  toDate: string;
  improved: number;
  held: number;
  fell: number;
  /** Criteria with no rating to compare on one side, or not applicable or not assessed on either. */
  notCompared: number;
}

export interface TrustTrend {
  trustCode: string;
  trustName: string;
  /** Oldest first. */
  points: TrendPoint[];
  /** Between each inspection and the one before it, oldest first (points.length - 1 steps). */
  steps: TrendStep[];
}

export interface FrameworkPicture {
  frameworkVersionId: number;
  title: string;
  columns: Column[];
  groups: { code: string; title: string; span: number }[];
  /** The latest counted inspection of each trust, by trust name. */
  heatmap: HeatmapRow[];
  /** Per criterion, in column order. */
  shares: OutcomeShare[];
  /** Trusts with more than one counted inspection on this framework version, by trust name. */
  trends: TrustTrend[];
  /** The profiles the counted latest inspections were assessed against. */
  profiles: string[];
}

export interface RatingsInput {
  frameworks: readonly FrameworkInfo[];
  sections: readonly SectionRow[];
  criteria: readonly CriterionRow[];
  inspections: readonly RatedInspection[];
  findings: readonly RatedFinding[];
}

/**
 * The heatmap, the shares meeting the profile and the trends, for every framework version in `frameworks` that at
 * least one counted inspection was assessed against, in the order given.
 */
export function frameworkPictures({ frameworks, sections, criteria, inspections, findings }: RatingsInput): FrameworkPicture[] {
  const ratingsOf = new Map<string, Map<number, RatedFinding>>();
  for (const f of findings) {
    const of = ratingsOf.get(f.inspectionId) ?? new Map<number, RatedFinding>();
    of.set(f.criterionId, f);
    ratingsOf.set(f.inspectionId, of);
  }
  const latest = latestPerTrust(inspections);
  return frameworks.flatMap((framework) => {
    const counted = inspections.filter((i) => i.frameworkVersionId === framework.id);
    if (counted.length === 0) return [];
    const columns = columnsOf(framework.id, sections, criteria);
    const current = latest.filter((i) => i.frameworkVersionId === framework.id);
    const findingOf = (inspectionId: string, criterionId: number) => ratingsOf.get(inspectionId)?.get(criterionId);
    const heatmap = current.map((i) => ({
      trustCode: i.trustCode,
      trustName: i.trustName,
      inspectionId: i.inspectionId,
      date: i.date,
      profileName: i.profileName,
      ratings: columns.map((c) => findingOf(i.inspectionId, c.criterionId)?.rating ?? null),
    }));
    const shares = columns.map((c) => ({
      criterionId: c.criterionId,
      code: c.code,
      title: c.title,
      inspected: current.length,
      ...tally(current.map((i) => findingOf(i.inspectionId, c.criterionId) ?? { rating: null, minimum: null })),
    }));
    const criterionIds = columns.map((c) => c.criterionId);
    const byTrustCode = new Map<string, RatedInspection[]>();
    for (const i of counted) byTrustCode.set(i.trustCode, [...(byTrustCode.get(i.trustCode) ?? []), i]);
    const trends = [...byTrustCode.values()]
      .filter((list) => list.length > 1)
      .map((list) => {
        const ordered = [...list].sort(compareInspections);
        const points = ordered.map((i) => {
          const t = tally(criterionIds.map((id) => findingOf(i.inspectionId, id) ?? { rating: null, minimum: null }));
          return { inspectionId: i.inspectionId, date: i.date, meeting: t.meeting, judged: t.meeting + t.gaps, share: t.share };
        });
        const steps = ordered.slice(1).map((i, n) => {
          const before = ordered[n]!;
          const moves = summariseMovements(
            criterionIds.map((id) => {
              const now = findingOf(i.inspectionId, id);
              const then = findingOf(before.inspectionId, id);
              return now ? movement(then?.rating ?? null, now.rating) : ("not comparable" as const);
            }),
          );
          return { fromDate: before.date, toDate: i.date, improved: moves.improved, held: moves.held, fell: moves.fell, notCompared: moves.new + moves.notComparable };
        });
        return { trustCode: ordered[0]!.trustCode, trustName: ordered[ordered.length - 1]!.trustName, points, steps };
      })
      .sort(byTrust);
    const profiles = [...new Set(current.map((i) => i.profileName))].sort(collator.compare);
    return [{ frameworkVersionId: framework.id, title: framework.title, columns, groups: columnGroups(columns), heatmap, shares, trends, profiles }];
  });
}

// ── The trend chart ────────────────────────────────────────────────────────────────────────────────────────

export interface TrendLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Horizontal gridlines at 0%, 50% and 100%. */
  ticks: { label: string; y: number }[];
  firstDate: string | null;
  lastDate: string | null;
  lines: { trustCode: string; trustName: string; points: { x: number; y: number; date: string; share: number }[] }[];
}

const dayNumber = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/**
 * Where each trust's shares go in the trend chart: x by date across the earliest to the latest inspection, y from 0%
 * (bottom) to 100% (top). Inspections with nothing judged have no share and no point.
 */
export function trendLayout(trends: readonly TrustTrend[], { width = 640, height = 240, left = 48, right = 80, top = 14, bottom = 30 } = {}): TrendLayout {
  const dated = trends.flatMap((t) => t.points.filter((p) => p.share !== null).map((p) => p.date)).sort();
  const firstDate = dated[0] ?? null;
  const lastDate = dated[dated.length - 1] ?? null;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const span = firstDate && lastDate ? dayNumber(lastDate) - dayNumber(firstDate) : 0;
  const x = (date: string) => round1(span === 0 ? left + plotW / 2 : left + ((dayNumber(date) - dayNumber(firstDate!)) / span) * plotW);
  const y = (share: number) => round1(top + plotH - Math.min(1, Math.max(0, share)) * plotH);
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    ticks: [0, 0.5, 1].map((s) => ({ label: `${s * 100}%`, y: y(s) })),
    firstDate,
    lastDate,
    lines: trends.map((t) => ({
      trustCode: t.trustCode,
      trustName: t.trustName,
      points: t.points.flatMap((p) => (p.share === null ? [] : [{ x: x(p.date), y: y(p.share), date: p.date, share: p.share }])),
    })),
  };
}
