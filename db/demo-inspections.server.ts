/**
 * Demo inspections (issue 5): findings a person trying the demo can read, compare and add to.
 *
 * - seedDemoInspectionHistory: two earlier rounds, each opened, drawn, planned, accepted and closed like any other,
 *   with an approved inspection of RJ1 (Guy's and St Thomas') about two years ago (calendar quarter -8) and another
 *   about a year ago (quarter -4), so the comparison shows criteria that improved, held and fell, and one of RRU
 *   (London Ambulance Service) about a year ago; each against NCSC CAF v3.2 (GovAssure Baseline) and Cyber
 *   Essentials Plus v3.1 (All met), with every criterion assessed, returned once by the reviewer for clarification,
 *   answered and approved. They run before the last and next quarters' rounds (db/demo-schedule.server.ts): a trust
 *   picked in a round that is not closed cannot be picked in another, and those rounds' draws see these visits as
 *   the trusts' last inspections. Quarter -4 ends over 12 months before the next quarter starts, so RJ1 is not
 *   "recently inspected" for the open demo round (minimum 12 months) and stays in it.
 * - seedDemoOnSiteInspection: a round for this quarter and, on its most recent working day, an inspection on site
 *   at a trust with no demo trust user: inspector1 leads it with a second demo inspector, and each has recorded
 *   findings on a few criteria; the rest are not assessed yet.
 *
 * Everything goes through the functions the pages use (rounds, schedules, createInspection, recordArrival,
 * saveFinding with base versions and idempotency keys, leaveSite, submitInspection, the review), with `now` in the
 * past where they take one, so the timeline is plausible. The text of the findings is in db/demo-findings.ts: it is
 * fictional, written for the demo, and says nothing about the real trusts' security.
 */
import { randomUUID } from "node:crypto";
import { TZDate } from "@date-fns/tz";
import { and, asc, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import {
  findings,
  frameworkCriteria,
  frameworkIndicators,
  frameworkProfiles,
  frameworkVersions,
  profileMinimums,
  selectionPicks,
  trusts,
  users,
  visits,
  visitTeamMembers,
} from "./schema";
import { DEMO_FINDINGS_EVIDENCE, ON_SITE_FINDINGS, RJ1_EARLIER, RJ1_LATER, RRU_INSPECTION, RTD_RECENT, type DemoFinding, type DemoInspectionScript } from "./demo-findings";
import { demoStaff, quarterEnd, quarterStart, type DemoStaff } from "./demo-schedule.server";
import { recordAudit, SYSTEM_ACTOR, type Actor } from "../app/audit/audit.server";
import { deriveRating, isGap, resolveRating, suggestedDueDate, type Minimum, type Rating, type Scale, type Severity } from "../app/baseline/rating";
import { writeTransaction, type Db } from "../app/db.server";
import { saveFinding } from "../app/inspections/findings.server";
import { createInspection, recordArrival, type FrameworkChoice } from "../app/inspections/inspections.server";
import { answerComment, approveInspection, leaveSite, returnForClarification, startReview, submitInspection } from "../app/inspections/review.server";
import { loadHolidaySet } from "../app/scheduling/bank-holidays.server";
import { acceptSchedule, breachesOfChange, changeVisit, planSchedule } from "../app/scheduling/schedule.server";
import { addCalendarDays, addWorkingDays, isWorkingDay, previousWorkingDay } from "../app/scheduling/working-days";
import { closeRound, drawRound, openRound, overridePick } from "../app/selection/rounds.server";
import { todayInLondon } from "../app/trusts/register.server";

/** The frameworks and profiles every demo inspection is assessed against. */
const DEMO_FRAMEWORKS = [
  { framework: "caf", version: "3.2", profile: "govassure-baseline" },
  { framework: "cyber-essentials-plus", version: "3.1", profile: "all-met" },
] as const;

/** Band 1 trusts are always picked (9 in the demo ranking), so a capacity of 11 adds one drawn and one validation pick. */
const HISTORY_CAPACITY = 11;
/** This quarter's round: the band 1 trusts are in the next quarter's round already, so these are all drawn. */
const THIS_QUARTER_CAPACITY = 5;

export interface DemoInspectionReport {
  rounds: number;
  approved: number;
  onSite: number;
  findingSaves: number;
}

// ── Context ─────────────────────────────────────────────────────────────────────────────────────────────────

interface Criterion {
  id: number;
  code: string;
  scale: Scale;
  recordsDevices: boolean;
  /** Indicator codes and levels, in the order of the framework (the order of DemoFinding.answers). */
  indicators: { id: string; level: Minimum }[];
  minimum: Minimum | null;
}

interface Context {
  db: Db;
  staff: DemoStaff;
  holidays: ReadonlySet<string>;
  choices: FrameworkChoice[];
  /** Every criterion of the demo frameworks, by code, in the frameworks' order. */
  criteria: Map<string, Criterion>;
  /** suggestedDueDate by severity and visit date, worked out once (it steps day by day). */
  dueDates: Map<string, string>;
  saves: number;
}

function context(db: Db): Context {
  const choices: FrameworkChoice[] = [];
  const criteria = new Map<string, Criterion>();
  for (const wanted of DEMO_FRAMEWORKS) {
    const version = db
      .select({ id: frameworkVersions.id })
      .from(frameworkVersions)
      .where(and(eq(frameworkVersions.framework, wanted.framework), eq(frameworkVersions.version, wanted.version)))
      .get();
    const profile = version
      ? db
          .select({ id: frameworkProfiles.id })
          .from(frameworkProfiles)
          .where(and(eq(frameworkProfiles.frameworkVersionId, version.id), eq(frameworkProfiles.code, wanted.profile)))
          .orderBy(desc(frameworkProfiles.version))
          .get()
      : undefined;
    if (!version || !profile) throw new Error(`The demo inspections need ${wanted.framework} ${wanted.version} with its ${wanted.profile} profile`);
    choices.push({ frameworkVersionId: version.id, profileId: profile.id });
    const minimums = new Map(
      db
        .select({ criterionId: profileMinimums.criterionId, minimum: profileMinimums.minimum })
        .from(profileMinimums)
        .where(eq(profileMinimums.profileId, profile.id))
        .all()
        .map((m) => [m.criterionId, m.minimum]),
    );
    const rows = db.select().from(frameworkCriteria).where(eq(frameworkCriteria.frameworkVersionId, version.id)).orderBy(asc(frameworkCriteria.position), asc(frameworkCriteria.id)).all();
    const indicators = db
      .select({ criterionId: frameworkIndicators.criterionId, id: frameworkIndicators.code, level: frameworkIndicators.level })
      .from(frameworkIndicators)
      .where(
        inArray(
          frameworkIndicators.criterionId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(frameworkIndicators.position), asc(frameworkIndicators.id))
      .all();
    for (const row of rows) {
      criteria.set(row.code, {
        id: row.id,
        code: row.code,
        scale: row.scale,
        recordsDevices: row.recordsDevices,
        indicators: indicators.filter((i) => i.criterionId === row.id).map(({ id, level }) => ({ id, level })),
        minimum: minimums.get(row.id) ?? null,
      });
    }
  }
  return { db, staff: demoStaff(db), holidays: loadHolidaySet(db), choices, criteria, dueDates: new Map(), saves: 0 };
}

export const actorFor = (userId: string): Actor => ({ userId, label: "demo seed", clientAddress: null });

/** The moment `time` (hh:mm) London time on `date`. */
export function london(date: string, time: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return new Date(TZDate.tz("Europe/London", y, m - 1, d, hh, mm).getTime());
}

const minutesLater = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

/** Trusts with a demo (or any) trust user: the surprise is tried with them, so none is on site in the demo. */
function trustsWithUsers(db: Db): Set<string> {
  return new Set(
    db
      .select({ code: users.trustCode })
      .from(users)
      .where(eq(users.role, "trust_user"))
      .all()
      .flatMap((u) => (u.code ? [u.code] : [])),
  );
}

// ── Findings ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * What the finding page would send for `text`: the requirements answered, the rating chosen (left out where the
 * answers decide it), the text, and for a gap its severity and the suggested due date. Checks the demo data against
 * the rules, so a mistake in db/demo-findings.ts stops the seed rather than making a finding the pages would refuse.
 */
function fieldsFor(ctx: Context, code: string, text: DemoFinding, visitDate: string) {
  const criterion = ctx.criteria.get(code);
  if (!criterion) throw new Error(`Demo finding for an unknown criterion ${code}`);
  const answers: Record<string, boolean> = {};
  if (text.answers !== undefined) {
    if (text.answers.length !== criterion.indicators.length) throw new Error(`Demo finding ${code}: ${criterion.indicators.length} answers expected`);
    criterion.indicators.forEach((indicator, i) => {
      const answer = text.answers![i];
      if (answer === "y" || answer === "n") answers[indicator.id] = answer === "y";
    });
  }
  const derived = deriveRating(criterion.scale, criterion.indicators, answers);
  const chosen = text.rating ?? null;
  let rating: Rating = "not_assessed";
  if (derived !== null || chosen !== null) {
    const resolved = resolveRating({ scale: criterion.scale, derived, chosen, overrideReason: text.overrideReason ?? "" });
    if (!resolved.ok) throw new Error(`Demo finding ${code}: ${resolved.error}`);
    rating = resolved.rating;
  }
  const gap = isGap(rating, criterion.minimum);
  if (gap !== (text.severity !== undefined)) throw new Error(`Demo finding ${code}: ${gap ? "a gap needs a severity" : "only a gap has a severity"}`);
  if (text.devices && !criterion.recordsDevices) throw new Error(`Demo finding ${code}: devices are recorded only for Cyber Essentials Plus tests`);
  return {
    chosenRating: chosen,
    overrideReason: text.overrideReason ?? "",
    indicatorAnswers: answers,
    observed: text.observed,
    evidenceDocuments: text.documents ?? DEMO_FINDINGS_EVIDENCE[code]?.[0] ?? "",
    evidencePeople: text.people ?? DEMO_FINDINGS_EVIDENCE[code]?.[1] ?? "",
    evidenceSystems: text.systems ?? DEMO_FINDINGS_EVIDENCE[code]?.[2] ?? "",
    devicesSampled: text.devices?.[0] ?? null,
    devicesFailing: text.devices?.[1] ?? null,
    severity: text.severity ?? null,
    recommendation: text.recommendation ?? "",
    actionDue: text.severity ? dueDate(ctx, text.severity, visitDate) : null,
  };
}

function dueDate(ctx: Context, severity: Severity, visitDate: string): string {
  const key = `${severity} ${visitDate}`;
  let due = ctx.dueDates.get(key);
  if (due === undefined) {
    due = suggestedDueDate(severity, visitDate, ctx.holidays);
    ctx.dueDates.set(key, due);
  }
  return due;
}

/** The findings of an inspection: id and current version by criterion code, kept up to date by save(). */
type Findings = Map<string, { id: string; version: number }>;

function findingsOf(ctx: Context, inspectionId: string): Findings {
  const rows = ctx.db
    .select({ id: findings.id, version: findings.version, code: frameworkCriteria.code })
    .from(findings)
    .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, findings.criterionId))
    .where(eq(findings.inspectionId, inspectionId))
    .all();
  return new Map(rows.map((r) => [r.code, { id: r.id, version: r.version }]));
}

/** Saves a finding as the finding page does: based on the version last seen, with a new idempotency key. */
function save(ctx: Context, all: Findings, code: string, text: DemoFinding, userId: string, visitDate: string, at: Date) {
  const finding = all.get(code);
  if (!finding) throw new Error(`The inspection has no finding for ${code}`);
  const result = saveFinding(finding.id, { idempotencyKey: randomUUID(), baseVersion: finding.version, fields: fieldsFor(ctx, code, text, visitDate) }, { id: userId }, ctx.db, at);
  if (result.outcome !== "saved") throw new Error(`Demo finding ${code} was not saved: ${result.outcome}`);
  finding.version = result.finding.version;
  ctx.saves += 1;
}

// ── Visits and teams ────────────────────────────────────────────────────────────────────────────────────────

interface Team {
  lead: string;
  members: string[];
}

function teamOf(db: Db, visitId: string): Team {
  const rows = db.select({ id: visitTeamMembers.inspectorId, role: visitTeamMembers.role }).from(visitTeamMembers).where(eq(visitTeamMembers.visitId, visitId)).all();
  return { lead: rows.find((r) => r.role === "lead")!.id, members: rows.filter((r) => r.role === "member").map((r) => r.id) };
}

function visitOf(db: Db, roundId: string, trustCode: string) {
  const visit = db
    .select({ id: visits.id, date: visits.visitDate, version: visits.version })
    .from(visits)
    .where(and(eq(visits.roundId, roundId), eq(visits.trustCode, trustCode), eq(visits.status, "scheduled")))
    .get();
  if (!visit) throw new Error(`The demo round has no scheduled visit to ${trustCode}`);
  return visit;
}

/** Visits of a round that took place without an inspection recorded in Deep Dive: completed by hand, as the evening of the day. */
function completeByHand(ctx: Context, roundId: string, before: string, at: Date): number {
  return writeTransaction((tx) => {
    const done = tx
      .update(visits)
      .set({ status: "completed", version: sql`${visits.version} + 1`, updatedAt: sql`${visits.visitDate} || 'T17:00:00.000Z'`, updatedBy: ctx.staff.lead.id })
      .where(and(eq(visits.roundId, roundId), eq(visits.status, "scheduled"), lt(visits.visitDate, before)))
      .returning({ id: visits.id })
      .all();
    recordAudit(tx, SYSTEM_ACTOR, { action: "demo.visits-completed", objectType: "selection_round", objectId: roundId, summary: { visits: done.length } }, at);
    return done.length;
  }, ctx.db);
}

/** Adds a trust to a drawn round, with a reason, unless the draw picked it. */
function ensurePicked(ctx: Context, roundId: string, trustCode: string, reason: string) {
  const pick = ctx.db
    .select({ id: selectionPicks.id })
    .from(selectionPicks)
    .where(and(eq(selectionPicks.roundId, roundId), eq(selectionPicks.trustCode, trustCode), isNull(selectionPicks.removedAt)))
    .get();
  if (!pick) overridePick(roundId, { action: "add", trustCode, reason }, ctx.staff.actor, ctx.db);
}

// ── An approved inspection ──────────────────────────────────────────────────────────────────────────────────

/**
 * An inspection from start to approval: the lead records the arrival; the findings are saved through the day by
 * the lead (governance: objectives A and D) and the member (the technical objectives B and C, and Cyber Essentials
 * Plus), the last of them the next working day after leaving site; the lead submits; the reviewer returns it with
 * the script's comments, the team answers them (revising the finding first), the lead submits again, and the
 * reviewer approves.
 */
function approvedInspection(ctx: Context, visit: { id: string; date: string }, script: DemoInspectionScript, reviewerId: string): string {
  const { db, holidays } = ctx;
  const team = teamOf(db, visit.id);
  const member = team.members[0]!;
  const lead = actorFor(team.lead);
  const day = (n: number, time: string) => london(n === 0 ? visit.date : addWorkingDays(visit.date, n, holidays), time);

  const inspectionId = createInspection(visit.id, ctx.choices, lead, db, minutesLater(day(0, "09:05"), -15));
  recordArrival(inspectionId, lead, db, day(0, "09:05"));
  const all = findingsOf(ctx, inspectionId);
  const codes = [...ctx.criteria.keys()];
  const missing = codes.filter((code) => !script.findings[code]);
  if (missing.length > 0) throw new Error(`The demo inspection script has no finding for ${missing.join(", ")}`);
  const author = (code: string) => (code.startsWith("A") || code.startsWith("D") ? team.lead : member);
  const onSite = Math.ceil(codes.length * 0.6);
  codes.forEach((code, i) => {
    const at = i < onSite ? minutesLater(day(0, "09:40"), 7 * i) : minutesLater(day(1, "09:30"), 9 * (i - onSite));
    if (i === onSite) leaveSite(inspectionId, lead, db, day(0, "16:20"));
    save(ctx, all, code, script.findings[code]!, author(code), visit.date, at);
  });
  submitInspection(inspectionId, lead, db, day(3, "15:10"));

  const reviewer = actorFor(reviewerId);
  startReview(inspectionId, reviewer, db, day(5, "09:45"));
  const commentIds = returnForClarification(
    inspectionId,
    script.clarify.map((c) => ({ findingId: all.get(c.code)!.id, text: c.comment })),
    reviewer,
    db,
    day(5, "15:30"),
  );
  script.clarify.forEach((c, i) => {
    const at = minutesLater(day(6, "10:15"), 20 * i);
    save(ctx, all, c.code, { ...script.findings[c.code]!, ...c.revised }, author(c.code), visit.date, at);
    answerComment(commentIds[i]!, c.answer, actorFor(author(c.code)), db, minutesLater(at, 4));
  });
  submitInspection(inspectionId, lead, db, day(6, "14:40"));
  startReview(inspectionId, reviewer, db, day(7, "09:20"));
  approveInspection(inspectionId, reviewer, db, day(7, "11:50"));
  return inspectionId;
}

// ── Earlier rounds with approved inspections ────────────────────────────────────────────────────────────────

/**
 * The part of the calendar quarter starting `start` that never holds a bank holiday in England and Wales, with two
 * weeks to spare for the review after a visit (six in the autumn, for the factual accuracy check too). The bank holidays shipped start in 2025, so two years back the
 * database may not know them, and the planner must not put a visit on Christmas Day.
 */
function quietPartOf(start: string): { periodStart: string; periodEnd: string } {
  const year = start.slice(0, 4);
  switch (start.slice(5, 7)) {
    case "01":
      return { periodStart: `${year}-01-04`, periodEnd: `${year}-03-06` };
    case "04":
      return { periodStart: `${year}-06-01`, periodEnd: `${year}-06-30` };
    case "07":
      return { periodStart: `${year}-07-01`, periodEnd: `${year}-08-10` };
    default:
      // Visits by mid-November, so that the trust's factual accuracy check and publication (db/demo-reports.server.ts)
      // are over before Christmas.
      return { periodStart: `${year}-10-01`, periodEnd: `${year}-11-13` };
  }
}

interface EarlierInspection {
  trustCode: string;
  /** Why the trust is added to the round when the draw did not pick it. */
  reason: string;
  script: DemoInspectionScript;
  /** Who reviews it: the programme lead, or an inspector (the first of these not on the team). */
  reviewer: "programme-lead" | number[];
}

/** An approved demo inspection, for what happens to it next (db/demo-reports.server.ts). */
export interface ApprovedDemoInspection {
  inspectionId: string;
  trustCode: string;
  visitDate: string;
  script: DemoInspectionScript;
}

function earlierRound(ctx: Context, name: string, start: string, inspections: EarlierInspection[]): ApprovedDemoInspection[] {
  const { db, staff } = ctx;
  const { periodStart, periodEnd } = quietPartOf(start);
  const roundId = openRound({ name, periodStart, periodEnd, capacity: HISTORY_CAPACITY, minMonthsSinceInspection: 12, validationShare: 0.1 }, staff.actor, db);
  drawRound(roundId, staff.actor, db);
  for (const inspection of inspections) ensurePicked(ctx, roundId, inspection.trustCode, inspection.reason);
  planSchedule(roundId, 2, staff.actor, db, london(addCalendarDays(periodStart, -21), "10:30"));
  acceptSchedule(roundId, staff.actor, db, london(addCalendarDays(periodStart, -14), "14:00"));
  const approved: ApprovedDemoInspection[] = [];
  for (const inspection of inspections) {
    const visit = visitOf(db, roundId, inspection.trustCode);
    const team = teamOf(db, visit.id);
    const onTeam = new Set([team.lead, ...team.members]);
    const reviewerId =
      inspection.reviewer === "programme-lead"
        ? staff.lead.id
        : (inspection.reviewer.map((n) => staff.inspectors[n - 1]!.id).find((id) => !onTeam.has(id)) ?? staff.lead.id);
    const inspectionId = approvedInspection(ctx, visit, inspection.script, reviewerId);
    approved.push({ inspectionId, trustCode: inspection.trustCode, visitDate: visit.date, script: inspection.script });
  }
  completeByHand(ctx, roundId, addCalendarDays(periodEnd, 1), london(addCalendarDays(periodEnd, 1), "09:00"));
  closeRound(roundId, staff.actor, db);
  return approved;
}

/**
 * Two earlier rounds: about two years ago (RJ1) and about a year ago (RJ1 again, and RRU), each with its inspections
 * approved and its other visits completed, then closed. Run after the inspectors' profiles and before the last and
 * next quarters' rounds.
 */
export function seedDemoInspectionHistory(db: Db, now = new Date()): { rounds: number; approved: ApprovedDemoInspection[]; findingSaves: number } {
  const ctx = context(db);
  const today = todayInLondon(now);
  const approved = earlierRound(ctx, "Demo round (two years ago)", quarterStart(today, -8), [
    { trustCode: "RJ1", reason: "Baseline inspection of a large acute trust with many connected medical devices (demo)", script: RJ1_EARLIER, reviewer: "programme-lead" },
  ]);
  approved.push(...earlierRound(ctx, "Demo round (a year ago)", quarterStart(today, -4), [
    { trustCode: "RJ1", reason: "Follow-up of last year's critical gaps in patching and backups (demo)", script: RJ1_LATER, reviewer: [5, 9, 12, 3] },
    { trustCode: "RRU", reason: "No ambulance service inspected against Cyber Essentials Plus yet (demo)", script: RRU_INSPECTION, reviewer: "programme-lead" },
  ]));
  return { rounds: 2, approved, findingSaves: ctx.saves };
}

// ── The inspection on site now ──────────────────────────────────────────────────────────────────────────────

/**
 * The day the on-site inspection is on, and when its team arrived: today from 08:50 when it is a working day and
 * past 10:00 in London (so there has been time to record findings), otherwise the working day before.
 */
function onSiteDay(now: Date, holidays: ReadonlySet<string>): string {
  const today = todayInLondon(now);
  const hour = new TZDate(now.getTime(), "Europe/London").getHours();
  return isWorkingDay(today, holidays) && hour >= 10 ? today : previousWorkingDay(today, holidays);
}

/**
 * A round for this quarter, opened, drawn, planned and accepted; one of its visits, to a trust with no demo trust
 * user, is moved to the on-site day with inspector1 leading (the second demo inspector as member) wherever the rules
 * allow, through changeVisit with a reason. Its team has arrived and recorded a few findings each. Visits of the round
 * before that day are completed by hand; later ones stay ahead.
 */
export function seedDemoOnSiteInspection(
  db: Db,
  now = new Date(),
): { rounds: number; onSite: number; trustCode: string; findingSaves: number; inAccuracyCheck: ApprovedDemoInspection } {
  const ctx = context(db);
  const { staff, holidays } = ctx;
  const day = onSiteDay(now, holidays);
  const recentDay = addWorkingDays(day, -RECENT_VISIT_WORKING_DAYS_AGO, holidays);
  const thisQuarter = quarterStart(todayInLondon(now), 0);
  const periodStart = recentDay < thisQuarter ? recentDay : thisQuarter;
  const periodEnd = quarterEnd(thisQuarter);
  const roundId = openRound(
    { name: "Demo round (this quarter)", periodStart, periodEnd, capacity: THIS_QUARTER_CAPACITY, minMonthsSinceInspection: 12, validationShare: 0.1 },
    staff.actor,
    db,
  );
  drawRound(roundId, staff.actor, db);
  ensurePicked(ctx, roundId, RECENT_TRUST, "Large acute teaching trust with university research networks, not inspected yet (demo)");
  planSchedule(roundId, 2, staff.actor, db, london(addCalendarDays(periodStart, -21), "10:30"));
  acceptSchedule(roundId, staff.actor, db, london(addCalendarDays(periodStart, -14), "14:00"));
  const inAccuracyCheck = recentInspection(ctx, roundId, recentDay);

  // The visit to be on site: London trusts first (inspector1 and inspector2 are based there), then by trust code.
  const withUsers = trustsWithUsers(db);
  const candidates = db
    .select({ id: visits.id, trustCode: visits.trustCode, version: visits.version, region: trusts.regionCode })
    .from(visits)
    .innerJoin(trusts, eq(trusts.odsCode, visits.trustCode))
    .where(and(eq(visits.roundId, roundId), eq(visits.status, "scheduled")))
    .all()
    .filter((v) => !withUsers.has(v.trustCode))
    .sort((a, b) => Number(b.region === "Y56") - Number(a.region === "Y56") || a.trustCode.localeCompare(b.trustCode));
  const [inspector1, inspector2] = [staff.inspectors[0]!.id, staff.inspectors[1]!.id];
  const others = staff.inspectors.slice(2).map((i) => i.id);
  // inspector1 leading with inspector2, then with anyone else; failing that (the rules do not allow it), any team.
  const teams: Team[] = [
    ...[inspector2, ...others].map((member) => ({ lead: inspector1, members: [member] })),
    ...[inspector2, ...others].flatMap((leadId) => [inspector1, inspector2, ...others].filter((m) => m !== leadId).map((member) => ({ lead: leadId, members: [member] }))),
  ];
  let chosen: { visit: (typeof candidates)[number]; team: Team } | undefined;
  for (const team of teams) {
    const visit = candidates.find((v) => breachesOfChange(v.id, { date: day, leadId: team.lead, memberIds: team.members }, db).length === 0);
    if (visit) {
      chosen = { visit, team };
      break;
    }
  }
  if (!chosen) throw new Error("No visit of the demo round for this quarter can be on site today under the scheduling rules");
  const { visit, team } = chosen;
  changeVisit(
    visit.id,
    { date: day, leadId: team.lead, memberIds: team.members, version: visit.version, reason: "Brought forward: NHS England shared intelligence of a phishing campaign aimed at the trust (demo)" },
    staff.actor,
    db,
    london(addCalendarDays(day, -10), "16:10"),
  );
  completeByHand(ctx, roundId, day, london(day, "07:30") < now ? london(day, "07:30") : now);

  // On site: the arrival, then the findings recorded so far, spread from 09:20 to 16:00 (or to now, today).
  const lead = actorFor(team.lead);
  const arrival = london(day, "08:50");
  const inspectionId = createInspection(visit.id, ctx.choices, lead, db, minutesLater(arrival, -15));
  recordArrival(inspectionId, lead, db, arrival);
  const all = findingsOf(ctx, inspectionId);
  const first = london(day, "09:20");
  const last = day === todayInLondon(now) ? minutesLater(now, -2) : london(day, "16:00");
  const step = (last.getTime() - first.getTime()) / Math.max(1, ON_SITE_FINDINGS.length - 1);
  ON_SITE_FINDINGS.forEach((entry, i) => {
    save(ctx, all, entry.code, entry.finding, entry.by === "lead" ? team.lead : team.members[0]!, day, new Date(first.getTime() + step * i));
  });
  return { rounds: 1, onSite: 1, trustCode: visit.trustCode, findingSaves: ctx.saves, inAccuracyCheck };
}

// ── The inspection in its factual accuracy check now ────────────────────────────────────────────────────────

/** The trust (with a demo trust user) whose report is in its factual accuracy check in the demo. */
export const RECENT_TRUST = "RTD";
/**
 * How long before the on-site day its visit was: approval takes seven working days and the check opens the next
 * (db/demo-reports.server.ts), so eleven leaves the trust a few days to have commented and seven more to go.
 */
const RECENT_VISIT_WORKING_DAYS_AGO = 11;

/**
 * RTD's visit in this quarter's round, moved to `visitDay` (with a team the scheduling rules allow, leaving
 * inspector1 and inspector2 for today's visit), inspected and approved by the programme lead, like the earlier ones.
 */
function recentInspection(ctx: Context, roundId: string, visitDay: string): ApprovedDemoInspection {
  const { db, staff } = ctx;
  const visit = visitOf(db, roundId, RECENT_TRUST);
  const inspectors = staff.inspectors.slice(2).map((i) => i.id);
  const team = inspectors
    .flatMap((lead) => inspectors.filter((member) => member !== lead).map((member): Team => ({ lead, members: [member] })))
    .find((t) => breachesOfChange(visit.id, { date: visitDay, leadId: t.lead, memberIds: t.members }, db).length === 0);
  if (!team) throw new Error(`No demo team can visit ${RECENT_TRUST} on ${visitDay} under the scheduling rules`);
  changeVisit(
    visit.id,
    { date: visitDay, leadId: team.lead, memberIds: team.members, version: visit.version, reason: "Moved to fit the trust's EPR go-live dates (demo)" },
    staff.actor,
    db,
    london(addCalendarDays(visitDay, -10), "15:40"),
  );
  const inspectionId = approvedInspection(ctx, { id: visit.id, date: visitDay }, RTD_RECENT, staff.lead.id);
  return { inspectionId, trustCode: RECENT_TRUST, visitDate: visitDay, script: RTD_RECENT };
}
