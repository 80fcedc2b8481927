/**
 * The report model (issue 6, "The PDF report"): everything the PDF shows, built from plain data by a PURE function
 * (no database, no clock, no files), so the same inspection and options always give the same model, and the model
 * can be checked without drawing anything. app/reports/report-data.server.ts loads the plain data; the PDF renderer
 * (app/reports/pdf.mjs) draws the model's `cover` and `sections` and nothing else, so every word in the PDF is here.
 *
 * The model has two parts:
 * - the report's content as data, for tests and for anyone who needs the numbers: `summary`, `charts`,
 *   `movement`, `findings`, `actions`, `method`;
 * - the same content laid out for printing: `cover`, then `sections` (summary, charts, findings, action plan,
 *   method), each a list of blocks (headings with their level, paragraphs, tables with header cells, charts with
 *   their alternative text), in reading order.
 *
 * Text from the database is cleaned and capped by app/reports/report-text.ts (NFC, no control characters, a cap per
 * field, break opportunities in long words). The document's title is also kept free of XML's special characters,
 * because PDF metadata (XMP) carries it as XML.
 */
import { MOVEMENT_LABELS, ratingLabel, SEVERITIES, SEVERITY_LABELS, summariseFindings, summariseMovements, type FindingsSummary, type GapStatus, type Minimum, type Movement, type MovementSummary, type Rating, type Scale, type Severity } from "../baseline/rating";
import { formatCalendarDate, formatDateTime } from "../ui/dates";
import { reportLabel, reportLine, reportText } from "./report-text";

export const REPORT_FORMAT = "deep-dive-report/1";
export const PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE";
export const REPORT_AUTHOR = "Care Quality Commission";
export const REPORT_LANGUAGE = "en-GB";

/** The most characters (code points) of each kind of text the report prints; longer text is cut with a note. */
export const REPORT_LIMITS = {
  /** Names: the trust, team members, frameworks, profiles. */
  name: 200,
  odsCode: 10,
  /** Criterion and section codes ("A1.a", "CE-FW"). */
  code: 20,
  /** A bar's label in a chart (cut with "…"). */
  chartLabel: 60,
  /** Criterion and section titles. */
  title: 300,
  /** What was observed (the finding page's own limit). */
  observed: 20_000,
  /** Each of documents seen, people spoken to, systems seen. */
  evidence: 5_000,
  recommendation: 5_000,
  /** An action in the action plan table: the full recommendation is with the finding. */
  action: 600,
} as const;

// ── The plain data (from report-data.server.ts, or made by tests) ─────────────────────────────────────────────

export interface ReportCriterionData {
  code: string;
  title: string;
  scale: Scale;
  rating: Rating;
  /** The profile's minimum for the criterion, or null for none. */
  minimum: Minimum | null;
  gap: GapStatus;
  severity: Severity | null;
  /** The rating at the trust's previous approved inspection on the same framework version, and that inspection's date. */
  previousRating: Rating | null;
  previousDate: string | null;
  movement: Movement;
  observed: string;
  evidenceDocuments: string;
  evidencePeople: string;
  evidenceSystems: string;
  devicesSampled: number | null;
  devicesFailing: number | null;
  recommendation: string;
  /** The action's due date (yyyy-mm-dd), for a gap. */
  actionDue: string | null;
  /** For a criterion with requirements answered Met or Not met (Cyber Essentials themes): how they were answered. */
  requirements: { met: number; notMet: number; unanswered: number } | null;
}

export interface ReportSectionData {
  code: string;
  title: string;
  /** 0 for a top-level section (a CAF objective), 1 for a section in it (a CAF principle), and so on. */
  depth: number;
  /** The section's own criteria, in framework order. */
  criteria: ReportCriterionData[];
}

export interface ReportFrameworkData {
  /** The framework's id in its file: "caf", "cyber-essentials-plus". */
  framework: string;
  version: string;
  title: string;
  profile: { name: string; version: number } | null;
  /** Every section, depth first in framework order (a section before the sections in it). */
  sections: ReportSectionData[];
}

export interface ReportData {
  inspectionId: string;
  trust: { odsCode: string; name: string };
  /** The visit date (yyyy-mm-dd), if the inspection had a visit. */
  visitDate: string | null;
  /** ISO instants. */
  arrivedAt: string | null;
  submittedAt: string | null;
  approvedAt: string | null;
  team: { name: string; role: "lead" | "member" }[];
  reviewerName: string | null;
  frameworks: ReportFrameworkData[];
}

export interface ReportOptions {
  /** The report version this is (1 for the first publication; a draft preview gives the version it would become). */
  version: number;
  /** The report's own date and time (ISO): the PDF's creation and modification dates. */
  publishedAt: string;
  /** A draft (not published): watermarked DRAFT on every page. */
  draft: boolean;
}

// ── The model ────────────────────────────────────────────────────────────────────────────────────────────────

/** How a chart segment is coloured: the renderer maps each tone to a colour and says it in words too. */
export type Tone = "good" | "partial" | "bad" | "neutral" | "empty" | "info";

export interface ReportChart {
  id: string;
  title: string;
  /** What the chart shows, with every number in it: the figure's alternative text. */
  alt: string;
  /** What a bar counts ("criteria", "requirements"). */
  unit: string;
  categories: { key: string; label: string; tone: Tone }[];
  /** One bar each; `values[i]` counts categories[i]. */
  bars: { label: string; values: number[] }[];
}

export interface ReportTable {
  caption: string;
  /** Column headers, with each column's share of the width (the shares add up to 1). */
  columns: { header: string; width: number; align?: "left" | "right" }[];
  /** Each row's first cell is its row header when `rowHeaders` is true. */
  rows: string[][];
  rowHeaders: boolean;
}

export type ReportBlock =
  | { kind: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; text: string; /** In the PDF's bookmarks. */ bookmark: boolean }
  | {
      kind: "paragraph";
      text: string;
      /** Printed in bold before the text, as part of the same paragraph. */
      label?: string;
      /** "fact": a short labelled line, set close to the next one. */
      style?: "lead" | "body" | "small" | "fact";
    }
  | { kind: "table"; table: ReportTable }
  | { kind: "chart"; chart: ReportChart };

export interface ReportSection {
  id: "summary" | "charts" | "findings" | "action-plan" | "method";
  /** Starts on a new page. */
  newPage: boolean;
  blocks: ReportBlock[];
}

export interface ReportCover {
  /** Above the trust's name. */
  kicker: string;
  trustName: string;
  facts: { label: string; value: string }[];
  /** For a draft: what a draft is. */
  draftNotice: string | null;
  marking: string;
}

export interface ReportCriterion {
  code: string;
  title: string;
  rating: string;
  /** "Meets the profile", "Gap (minimum: Achieved)", "Not applicable", … */
  againstProfile: string;
  gap: boolean;
  severity: string | null;
  movement: Movement;
  /** "Improved from Partially achieved (12 March 2025)", or null when there is no earlier rating. */
  sinceLast: string | null;
  observed: string;
  /** "Documents seen: …", "People spoken to: …", "Systems seen: …", "Devices: …", "Requirements: …" (those recorded). */
  evidence: string[];
  recommendation: string;
  due: string | null;
}

export interface ReportFindingsSection {
  code: string;
  title: string;
  depth: number;
  criteria: ReportCriterion[];
}

export interface ReportAction {
  criterion: string;
  action: string;
  severity: string;
  due: string;
}

export interface ReportModel {
  format: typeof REPORT_FORMAT;
  meta: {
    /** The document title shown in the viewer's title bar. */
    title: string;
    author: string;
    subject: string;
    lang: string;
    /** The PDF's creation and modification date: the publication time (ISO). */
    createdAt: string;
  };
  marking: string;
  draft: boolean;
  version: number;
  /** Printed at the foot of every page, with the page number. */
  footer: string;
  trust: { odsCode: string; name: string };
  summary: {
    overall: FindingsSummary;
    frameworks: { title: string; profile: string; summary: FindingsSummary }[];
  };
  /** Since the trust's previous approved inspection (on the same framework versions). */
  movement: { previousDate: string | null; overall: MovementSummary; frameworks: { title: string; movement: MovementSummary }[] };
  charts: ReportChart[];
  findings: { title: string; profile: string; sections: ReportFindingsSection[] }[];
  actions: ReportAction[];
  method: {
    frameworks: { title: string; version: string; profile: string; profileVersion: string; criteria: number }[];
    team: { name: string; role: string }[];
    dates: { label: string; value: string }[];
  };
  cover: ReportCover;
  sections: ReportSection[];
}

// ── Building it ──────────────────────────────────────────────────────────────────────────────────────────────

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** "12 March 2026" from a calendar date, or "" when it is not one. */
function calendarDate(date: string | null): string {
  return date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? formatCalendarDate(date) : "";
}

/** "12 March 2026, 8:50am" (London) from an ISO instant, or "" when it is not one. */
function instant(iso: string | null): string {
  return iso && Number.isFinite(Date.parse(iso)) ? formatDateTime(iso) : "";
}

/** "12 March 2026" (London) from an ISO instant. */
function instantDate(iso: string): string {
  return Number.isFinite(Date.parse(iso)) ? formatDateTime(iso).replace(/,.*$/, "") : "";
}

/** A title XMP can carry as it is: no &, < or > (the PDF metadata is XML). */
function xmlSafe(text: string): string {
  return text.replaceAll("&", "and").replace(/[<>]/g, "");
}

const SEVERITY_ORDER: Record<string, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

const RATING_CATEGORIES: { key: Rating; label: string; tone: Tone }[] = [
  { key: "achieved", label: "Achieved", tone: "good" },
  { key: "partially_achieved", label: "Partially achieved", tone: "partial" },
  { key: "not_achieved", label: "Not achieved", tone: "bad" },
  { key: "not_applicable", label: "Not applicable", tone: "neutral" },
  { key: "not_assessed", label: "Not assessed", tone: "empty" },
];

const REQUIREMENT_CATEGORIES: { key: string; label: string; tone: Tone }[] = [
  { key: "met", label: "Met", tone: "good" },
  { key: "not_met", label: "Not met", tone: "bad" },
  { key: "unanswered", label: "Not answered", tone: "empty" },
];

const MOVEMENT_CATEGORIES: { key: keyof MovementSummary; label: string; tone: Tone }[] = [
  { key: "improved", label: "Improved", tone: "good" },
  { key: "held", label: "Held", tone: "info" },
  { key: "fell", label: "Fell", tone: "bad" },
  { key: "notComparable", label: "Not comparable", tone: "neutral" },
];

/** "A Managing security risk (7 criteria): 5 Achieved, 2 Partially achieved." for each bar; zero counts left out. */
function describeBars(chart: Omit<ReportChart, "alt">): string {
  return chart.bars
    .map((bar) => {
      const total = bar.values.reduce((a, b) => a + b, 0);
      const parts = bar.values.flatMap((v, i) => (v > 0 ? [`${v.toLocaleString("en-GB")} ${chart.categories[i]!.label.toLowerCase()}`] : []));
      return `${bar.label} (${plural(total, chart.unit === "criteria" ? "criterion" : chart.unit.replace(/s$/, ""), chart.unit)}): ${parts.length ? parts.join(", ") : "none"}.`;
    })
    .join(" ");
}

function chart(spec: Omit<ReportChart, "alt">, what: string): ReportChart {
  return { ...spec, alt: `${what}. ${describeBars(spec)}` };
}

/** Every criterion of a framework, with the section it is in. */
const criteriaOf = (framework: ReportFrameworkData) => framework.sections.flatMap((s) => s.criteria.map((c) => ({ section: s, criterion: c })));

/** The summary's counts for a list of criteria. */
const summaryOf = (criteria: ReportCriterionData[]) => summariseFindings(criteria.map((c) => ({ rating: c.rating, minimum: c.minimum, severity: c.severity })));
const movementOf = (criteria: ReportCriterionData[]) => summariseMovements(criteria.map((c) => c.movement));

/** The charts of one framework: ratings by top-level section (CAF objectives), or requirements by theme (met scale). */
function frameworkCharts(framework: ReportFrameworkData, title: string, index: number): ReportChart[] {
  const all = criteriaOf(framework).map((x) => x.criterion);
  if (all.length === 0) return [];
  if (all.every((c) => c.scale === "met")) {
    // Cyber Essentials: each theme (a criterion with requirements) as a bar of its requirements' answers.
    const themes = framework.sections.flatMap((s) => s.criteria.filter((c) => c.requirements !== null));
    if (themes.length === 0) return [];
    return [
      chart(
        {
          id: `framework-${index + 1}-requirements`,
          title: `${title}: requirements by theme`,
          unit: "requirements",
          categories: REQUIREMENT_CATEGORIES,
          bars: themes.map((c) => ({ label: reportLabel(`${c.code} ${c.title}`, REPORT_LIMITS.chartLabel), values: [c.requirements!.met, c.requirements!.notMet, c.requirements!.unanswered] })),
        },
        `Bar chart of how the requirements of each ${title} theme were answered`,
      ),
    ];
  }
  // Top-level sections (CAF objectives) as bars of the ratings of every criterion in them and below them.
  const bars: ReportChart["bars"] = [];
  let current: { label: string; criteria: ReportCriterionData[] } | null = null;
  const flush = () => {
    if (current && current.criteria.length > 0) bars.push({ label: current.label, values: RATING_CATEGORIES.map((k) => current!.criteria.filter((c) => c.rating === k.key).length) });
  };
  for (const section of framework.sections) {
    if (section.depth === 0) {
      flush();
      current = { label: reportLabel(`${section.code} ${section.title}`, REPORT_LIMITS.chartLabel), criteria: [] };
    }
    current?.criteria.push(...section.criteria);
  }
  flush();
  const by = framework.framework === "caf" ? "objective" : "section";
  return [
    chart(
      { id: `framework-${index + 1}-ratings`, title: `${title}: ratings by ${by}`, unit: "criteria", categories: RATING_CATEGORIES, bars },
      `Bar chart of the ratings of the ${title} criteria in each ${by}`,
    ),
  ];
}

/** "Partially achieved" with the scale's words ("Met", "Not met"). */
const ratingText = (c: ReportCriterionData) => ratingLabel(c.rating, c.scale);

function againstProfile(c: ReportCriterionData): string {
  switch (c.gap) {
    case "meets":
      return "Meets the profile";
    case "gap":
      return `Below the profile's minimum (${c.minimum ? ratingLabel(c.minimum, c.scale) : "none"}): a gap`;
    case "not-assessed":
      return "Not assessed";
    case "not-applicable":
      return "Not applicable";
    default:
      return "No minimum in the profile";
  }
}

function sinceLast(c: ReportCriterionData): string | null {
  if (c.previousRating === null || c.movement === "new") return null;
  const when = calendarDate(c.previousDate);
  const earlier = `${ratingLabel(c.previousRating, c.scale)}${when ? ` on ${when}` : ""}`;
  return c.movement === "not comparable" ? `Not comparable with the previous rating (${earlier})` : `${capitalise(MOVEMENT_LABELS[c.movement])} (previously ${earlier})`;
}

function criterionModel(c: ReportCriterionData): ReportCriterion {
  const evidence: string[] = [];
  const documents = reportText(c.evidenceDocuments, REPORT_LIMITS.evidence);
  const people = reportText(c.evidencePeople, REPORT_LIMITS.evidence);
  const systems = reportText(c.evidenceSystems, REPORT_LIMITS.evidence);
  if (documents) evidence.push(`Documents seen: ${documents}`);
  if (people) evidence.push(`People spoken to: ${people}`);
  if (systems) evidence.push(`Systems seen: ${systems}`);
  if (c.devicesSampled !== null) {
    evidence.push(`Devices: ${plural(c.devicesSampled, "device")} sampled${c.devicesFailing !== null ? `, ${c.devicesFailing.toLocaleString("en-GB")} failing` : ""}`);
  }
  if (c.requirements) {
    const total = c.requirements.met + c.requirements.notMet + c.requirements.unanswered;
    evidence.push(`Requirements: ${c.requirements.met} of ${plural(total, "requirement")} met, ${c.requirements.notMet} not met${c.requirements.unanswered ? `, ${c.requirements.unanswered} not answered` : ""}`);
  }
  const isGap = c.gap === "gap";
  return {
    code: reportLine(c.code, REPORT_LIMITS.code),
    title: reportLine(c.title, REPORT_LIMITS.title),
    rating: ratingText(c),
    againstProfile: againstProfile(c),
    gap: isGap,
    severity: isGap ? (c.severity ? SEVERITY_LABELS[c.severity] : "Not set") : null,
    movement: c.movement,
    sinceLast: sinceLast(c),
    observed: reportText(c.observed, REPORT_LIMITS.observed),
    evidence,
    recommendation: reportText(c.recommendation, REPORT_LIMITS.recommendation),
    due: isGap ? calendarDate(c.actionDue) || "Not set" : null,
  };
}

/** Summary counts in words: "30 of 49 criteria meet the profile; 12 gaps: 2 critical, …". */
function summaryText(s: FindingsSummary): string {
  const severities = SEVERITIES.map((k) => `${s.gapsBySeverity[k]} ${k}`);
  if (s.gapsWithoutSeverity > 0) severities.push(`${s.gapsWithoutSeverity} without a severity yet`);
  const others = [
    s.notApplicable ? `${s.notApplicable} not applicable` : "",
    s.noMinimum ? `${s.noMinimum} with no minimum in the profile` : "",
    s.notAssessed ? `${s.notAssessed} not assessed` : "",
  ].filter(Boolean);
  return (
    `${s.meetsProfile.toLocaleString("en-GB")} of ${plural(s.total, "criterion", "criteria")} ${s.meetsProfile === 1 ? "meets" : "meet"} the profile` +
    (s.gaps > 0 ? `; ${plural(s.gaps, "gap")} against it: ${severities.join(", ")}` : "; there are no gaps against it") +
    (others.length ? `. Of the rest, ${others.join(", ")}.` : ".")
  );
}

function movementText(m: MovementSummary): string {
  const parts = [`${m.improved} improved`, `${m.held} held`, `${m.fell} fell`];
  if (m.notComparable) parts.push(`${m.notComparable} cannot be compared (not applicable or not assessed at one of the two)`);
  if (m.new) parts.push(`${m.new} had no earlier rating`);
  return parts.join(", ");
}

/** The profile in words: "GovAssure Baseline (version 1)". */
const profileName = (f: ReportFrameworkData) => (f.profile ? `${reportLine(f.profile.name, REPORT_LIMITS.name)} (version ${f.profile.version})` : "No profile");

/** Builds the report model. Pure: the same data and options always give the same model. */
export function buildReportModel(data: ReportData, options: ReportOptions): ReportModel {
  if (!Number.isSafeInteger(options.version) || options.version < 1) throw new RangeError(`A report version is a whole number from 1, not ${options.version}`);
  if (!Number.isFinite(Date.parse(options.publishedAt))) throw new RangeError(`The report's date must be an ISO date and time, not ${options.publishedAt}`);
  const trustName = reportLine(data.trust.name, REPORT_LIMITS.name) || "Unnamed trust";
  const odsCode = reportLine(data.trust.odsCode, REPORT_LIMITS.odsCode);
  const visit = calendarDate(data.visitDate);
  const published = instantDate(options.publishedAt);
  const versionText = options.draft ? `Version ${options.version} (draft)` : `Version ${options.version}`;
  const frameworkTitle = (f: ReportFrameworkData) => reportLine(f.title, REPORT_LIMITS.name);

  // Summary and movement.
  const every = data.frameworks.flatMap((f) => criteriaOf(f).map((x) => x.criterion));
  const summary = {
    overall: summaryOf(every),
    frameworks: data.frameworks.map((f) => ({ title: frameworkTitle(f), profile: profileName(f), summary: summaryOf(criteriaOf(f).map((x) => x.criterion)) })),
  };
  const previousDates = every.flatMap((c) => (c.previousRating !== null && c.previousDate ? [c.previousDate] : [])).sort();
  const movement = {
    previousDate: previousDates.at(-1) ?? null,
    overall: movementOf(every),
    frameworks: data.frameworks.map((f) => ({ title: frameworkTitle(f), movement: movementOf(criteriaOf(f).map((x) => x.criterion)) })),
  };
  const compared = (m: MovementSummary) => m.improved + m.held + m.fell + m.notComparable;

  // Charts.
  const charts: ReportChart[] = data.frameworks.flatMap((f, i) => frameworkCharts(f, frameworkTitle(f), i));
  const movementFrameworks = movement.frameworks.filter((f) => compared(f.movement) > 0);
  if (movementFrameworks.length > 0) {
    const when = calendarDate(movement.previousDate);
    charts.push(
      chart(
        {
          id: "movement",
          title: `Change since the previous inspection${when ? ` (${when})` : ""}`,
          unit: "criteria",
          categories: MOVEMENT_CATEGORIES,
          bars: movementFrameworks.map((f) => ({ label: f.title, values: MOVEMENT_CATEGORIES.map((k) => f.movement[k.key]) })),
        },
        `Bar chart of how the ratings changed since the previous inspection${when ? ` on ${when}` : ""}, criterion by criterion`,
      ),
    );
  }

  // Findings, and the actions on the gaps.
  const findings = data.frameworks.map((f) => ({
    title: frameworkTitle(f),
    profile: profileName(f),
    sections: f.sections.map((s) => ({
      code: reportLine(s.code, REPORT_LIMITS.code),
      title: reportLine(s.title, REPORT_LIMITS.title),
      depth: Math.max(0, Math.floor(s.depth)),
      criteria: s.criteria.map(criterionModel),
    })),
  }));
  const gaps = data.frameworks.flatMap((f) => criteriaOf(f).map((x) => x.criterion)).filter((c) => c.gap === "gap");
  const actions: ReportAction[] = gaps
    .map((c, order) => ({ c, order }))
    .sort(
      (a, b) =>
        (SEVERITY_ORDER[a.c.severity ?? ""] ?? SEVERITIES.length) - (SEVERITY_ORDER[b.c.severity ?? ""] ?? SEVERITIES.length) ||
        (a.c.actionDue ?? "9999").localeCompare(b.c.actionDue ?? "9999") ||
        a.order - b.order,
    )
    .map(({ c }) => ({
      criterion: `${reportLine(c.code, REPORT_LIMITS.code)} ${reportLine(c.title, REPORT_LIMITS.title)}`,
      // The table cell holds the start of a long recommendation; the finding has it in full.
      action: reportText(c.recommendation, REPORT_LIMITS.action) || "No recommendation recorded",
      severity: c.severity ? SEVERITY_LABELS[c.severity] : "Not set",
      due: calendarDate(c.actionDue) || "Not set",
    }));

  // Method.
  const team = [
    ...data.team.filter((m) => m.role === "lead").map((m) => ({ name: reportLine(m.name, REPORT_LIMITS.name), role: "Lead inspector" })),
    ...data.team.filter((m) => m.role === "member").map((m) => ({ name: reportLine(m.name, REPORT_LIMITS.name), role: "Inspector" })),
    ...(data.reviewerName ? [{ name: reportLine(data.reviewerName, REPORT_LIMITS.name), role: "Reviewer (not on the visit)" }] : []),
  ];
  const method = {
    frameworks: data.frameworks.map((f) => ({
      title: frameworkTitle(f),
      version: reportLine(f.version, 40),
      profile: f.profile ? reportLine(f.profile.name, REPORT_LIMITS.name) : "No profile",
      profileVersion: f.profile ? String(f.profile.version) : "",
      criteria: criteriaOf(f).length,
    })),
    team,
    dates: [
      { label: "Visit", value: visit || "No visit" },
      { label: "Arrival (notice given)", value: instant(data.arrivedAt) || "Not recorded" },
      { label: "Findings submitted for review", value: instant(data.submittedAt) || "Not yet" },
      { label: "Findings approved", value: instant(data.approvedAt) || "Not yet" },
      { label: options.draft ? "Draft prepared" : "Report published", value: instant(options.publishedAt) },
    ],
  };

  const cover: ReportCover = {
    kicker: "Cyber security deep-dive inspection report",
    trustName,
    facts: [
      { label: "ODS code", value: odsCode },
      { label: "Visit", value: visit || "No visit" },
      { label: "Report", value: versionText },
      { label: options.draft ? "Draft prepared" : "Published", value: published },
      { label: "By", value: REPORT_AUTHOR },
      { label: "Protective marking", value: PROTECTIVE_MARKING },
    ],
    draftNotice: options.draft
      ? "DRAFT. This is a draft of the report for checking, not the published report: its findings and wording may still change. Do not share it beyond the people checking it."
      : null,
    marking: PROTECTIVE_MARKING,
  };

  const sections = layOut({ data, options, trustName, summary, movement, charts, findings, actions, method, compared });
  const title = xmlSafe(`${trustName} (${odsCode}): cyber security deep-dive inspection report${options.draft ? ", draft" : ""}, version ${options.version}`).replaceAll("\u200b", "");
  return {
    format: REPORT_FORMAT,
    meta: {
      title,
      author: REPORT_AUTHOR,
      subject: xmlSafe(`Findings of the Care Quality Commission's cyber security deep-dive inspection of ${trustName}${visit ? ` on ${visit}` : ""}`).replaceAll("\u200b", ""),
      lang: REPORT_LANGUAGE,
      createdAt: new Date(options.publishedAt).toISOString(),
    },
    marking: PROTECTIVE_MARKING,
    draft: options.draft,
    version: options.version,
    footer: `${odsCode} deep-dive inspection report, ${versionText.charAt(0).toLowerCase()}${versionText.slice(1)}`,
    trust: { odsCode, name: trustName },
    summary,
    movement,
    charts,
    findings,
    actions,
    method,
    cover,
    sections,
  };
}

/** The summary's counts as a table: a row for each count, a column for each framework (and for all of them). */
function summaryTable(summary: ReportModel["summary"]): ReportTable {
  const columns = [...summary.frameworks.map((f) => ({ title: f.title, s: f.summary })), ...(summary.frameworks.length > 1 ? [{ title: "All frameworks", s: summary.overall }] : [])];
  const share = columns.length ? 0.62 / columns.length : 0.62;
  const row = (label: string, count: (s: FindingsSummary) => number) => [label, ...columns.map((c) => count(c.s).toLocaleString("en-GB"))];
  return {
    caption: "Criteria against the profile, and gaps by severity",
    columns: [{ header: "Count", width: 0.38 }, ...columns.map((c) => ({ header: c.title, width: share, align: "right" as const }))],
    rows: [
      row("Criteria", (s) => s.total),
      row("Meet the profile", (s) => s.meetsProfile),
      row("Gaps against the profile", (s) => s.gaps),
      ...SEVERITIES.map((k) => row(`${SEVERITY_LABELS[k]} gaps`, (s) => s.gapsBySeverity[k])),
      ...(summary.overall.gapsWithoutSeverity ? [row("Gaps without a severity yet", (s) => s.gapsWithoutSeverity)] : []),
      row("Not applicable", (s) => s.notApplicable),
      ...(summary.overall.noMinimum ? [row("No minimum in the profile", (s) => s.noMinimum)] : []),
      row("Not assessed", (s) => s.notAssessed),
    ],
    rowHeaders: true,
  };
}

/** The report's sections as blocks, in reading order. */
function layOut(parts: {
  data: ReportData;
  options: ReportOptions;
  trustName: string;
  summary: ReportModel["summary"];
  movement: ReportModel["movement"];
  charts: ReportChart[];
  findings: ReportModel["findings"];
  actions: ReportAction[];
  method: ReportModel["method"];
  compared: (m: MovementSummary) => number;
}): ReportSection[] {
  const { data, options, trustName, summary, movement, charts, findings, actions, method, compared } = parts;
  const h = (level: 1 | 2 | 3 | 4 | 5 | 6, text: string, bookmark = level <= 3): ReportBlock => ({ kind: "heading", level, text, bookmark });
  const p = (text: string, extra: Omit<Extract<ReportBlock, { kind: "paragraph" }>, "kind" | "text"> = {}): ReportBlock => ({ kind: "paragraph", text, ...extra });
  const level = (n: number) => Math.min(6, Math.max(1, n)) as 1 | 2 | 3 | 4 | 5 | 6;
  const frameworksInWords = findings.map((f) => `${f.title} against the ${f.profile} profile`);
  const previous = calendarDate(movement.previousDate);

  const summaryBlocks: ReportBlock[] = [
    h(2, "Summary"),
    p(
      `The Care Quality Commission inspected ${trustName}'s cyber security${data.visitDate ? ` on ${calendarDate(data.visitDate)}` : ""}, without notice, ` +
        `against ${frameworksInWords.length ? frameworksInWords.join(" and ") : "no frameworks"}. Each profile sets the minimum rating each criterion needs; a rating below it is a gap, with a severity and an action for the trust.`,
    ),
    p(summaryText(summary.overall), { label: "Overall position. ", style: "lead" }),
    ...summary.frameworks.map((f) => p(summaryText(f.summary), { label: `${f.title}. ` })),
    {
      kind: "table",
      table: summaryTable(summary),
    },
    compared(movement.overall) > 0
      ? p(`${movementText(movement.overall)}.`, { label: `Since the previous inspection${previous ? ` on ${previous}` : ""}: ` })
      : p("There is no earlier approved inspection of the trust against these framework versions to compare with.", { label: "Since the previous inspection: " }),
  ];

  const chartBlocks: ReportBlock[] = [
    h(2, "Ratings at a glance"),
    p("Each bar counts criteria (or, for Cyber Essentials themes, requirements); the numbers are printed on the bars and listed with each chart."),
    ...charts.flatMap((c): ReportBlock[] => [h(3, c.title, false), { kind: "chart", chart: c }]),
    ...(compared(movement.overall) > 0 ? [] : [p("No change since a previous inspection is shown: there is no earlier approved inspection to compare with.")]),
  ];

  const findingBlocks: ReportBlock[] = [h(2, "Findings")];
  for (const f of findings) {
    findingBlocks.push(h(3, f.title), p(`Rated against the ${f.profile} profile.`));
    for (const s of f.sections) {
      const sectionLevel = level(4 + s.depth);
      findingBlocks.push(h(sectionLevel, `${s.code} ${s.title}`, false));
      for (const c of s.criteria) {
        findingBlocks.push(h(level(sectionLevel + 1), `${c.code} ${c.title}`, false));
        findingBlocks.push(p(c.rating, { label: "Rating: ", style: "fact" }), p(c.againstProfile, { label: "Against the profile: ", style: "fact" }));
        if (c.severity) findingBlocks.push(p(c.severity, { label: "Severity: ", style: "fact" }));
        if (c.sinceLast) findingBlocks.push(p(c.sinceLast, { label: "Since the last inspection: ", style: "fact" }));
        findingBlocks.push(p(c.observed || "Nothing recorded.", { label: "What was observed: " }));
        findingBlocks.push(p(c.evidence.length ? c.evidence.join("\n") : "None recorded.", { label: "Evidence: " }));
        if (c.recommendation || c.gap) findingBlocks.push(p(c.recommendation || "None recorded.", { label: "Recommendation: " }));
        if (c.due) findingBlocks.push(p(c.due, { label: "Action due by: " }));
      }
    }
  }

  const actionBlocks: ReportBlock[] = [
    h(2, "Action plan"),
    actions.length
      ? p(`${plural(actions.length, "action")}, one for each gap, most severe first, then by due date. Each action is the recommendation on the finding; the finding has it in full.`)
      : p("No actions: no criterion is below the profile's minimum."),
    ...(actions.length
      ? [
          {
            kind: "table" as const,
            table: {
              caption: "Actions on the gaps",
              columns: [
                { header: "Criterion", width: 0.26 },
                { header: "Action", width: 0.45 },
                { header: "Severity", width: 0.11 },
                { header: "Due by", width: 0.18 },
              ],
              rows: actions.map((a) => [a.criterion, a.action, a.severity, a.due]),
              rowHeaders: true,
            },
          },
        ]
      : []),
  ];

  const methodBlocks: ReportBlock[] = [
    h(2, "Method"),
    p(
      "The inspection was a surprise: the trust was given notice when the team arrived. The team rated each criterion from what it observed, the documents it read, the people it spoke to and the systems it saw; where a criterion's indicators of good practice decide its rating, that rating stands unless the inspector gave a reason to rate it otherwise. A reviewer who was not on the visit checked the findings before they were approved.",
    ),
    p(
      "Each rating is compared with the minimum the profile sets for the criterion. A rating below the minimum is a gap; every gap has a severity (critical, high, medium or low) and an action with a due date. Change since the previous inspection compares each criterion with the same criterion at the trust's previous approved inspection on the same framework version.",
    ),
    {
      kind: "table",
      table: {
        caption: "Frameworks and profiles",
        columns: [
          { header: "Framework", width: 0.4 },
          { header: "Version", width: 0.12 },
          { header: "Profile", width: 0.26 },
          { header: "Profile version", width: 0.11, align: "right" },
          { header: "Criteria", width: 0.11, align: "right" },
        ],
        rows: method.frameworks.map((f) => [f.title, f.version, f.profile, f.profileVersion, String(f.criteria)]),
        rowHeaders: true,
      },
    },
    {
      kind: "table",
      table: {
        caption: "The inspection team",
        columns: [
          { header: "Name", width: 0.55 },
          { header: "Role", width: 0.45 },
        ],
        rows: method.team.length ? method.team.map((m) => [m.name, m.role]) : [["No team recorded", ""]],
        rowHeaders: true,
      },
    },
    {
      kind: "table",
      table: {
        caption: "Dates",
        columns: [
          { header: "Step", width: 0.45 },
          { header: "Date", width: 0.55 },
        ],
        rows: method.dates.map((d) => [d.label, d.value]),
        rowHeaders: true,
      },
    },
    p(
      `This report is marked ${PROTECTIVE_MARKING}: it describes weaknesses in the trust's cyber security. Store and share it only as the Government Security Classifications allow.${options.draft ? " As a draft it is not the published report." : ""}`,
      { label: "Protective marking. " },
    ),
  ];

  return [
    { id: "summary", newPage: true, blocks: summaryBlocks },
    { id: "charts", newPage: false, blocks: chartBlocks },
    { id: "findings", newPage: true, blocks: findingBlocks },
    { id: "action-plan", newPage: true, blocks: actionBlocks },
    { id: "method", newPage: true, blocks: methodBlocks },
  ];
}
