/**
 * A round's schedule: planning visits for its picks (app/scheduling/planner.ts does the choosing), accepting the
 * plan, and changing a visit's date or team under the same hard rules. Confidential like the round itself:
 * programme leads see schedules; an inspector sees a visit only once accepted and only when on its team; anyone
 * else gets 404 from the routes. Every view and change is audited, and the audit summaries never name a trust,
 * so the audit trail (which admins read) does not reveal who is to be inspected (docs/decisions/0010-scheduling.md).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq, gte, inArray, isNull, lte, ne, sql } from "drizzle-orm";
import { z } from "zod";
import {
  conflictsOfInterest,
  inspectorLeave,
  inspectorProfiles,
  roundSchedules,
  selectionPicks,
  selectionRounds,
  trusts,
  users,
  visits,
  visitTeamMembers,
} from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { todayInLondon } from "../trusts/register.server";
import { loadHolidaySet } from "./bank-holidays.server";
import {
  checkSchedule,
  planVisits,
  SKILLS,
  type Breach,
  type ExistingVisit,
  type Inspector,
  type PlanInput,
  type PlannerPick,
  type Skill,
  type UnplacedPick,
  type VisitToCheck,
} from "./planner";
import { addCalendarDays } from "./working-days";

export const CHANGE_REASON_MAX = 500;
export const TEAM_SIZES = [2, 3] as const;

/** Statuses of a visit that take an inspector's day (a cancelled visit takes nothing). */
const LIVE_STATUSES = ["proposed", "scheduled", "completed"] as const;
/** Statuses an inspector may see: accepted or done, never a lead's draft. */
export const INSPECTOR_VISIBLE_STATUSES = ["scheduled", "completed"] as const;

/** Errors by form field; `schedule` is for a refusal about the schedule as a whole. */
export type ScheduleFieldErrors = Partial<Record<"date" | "leadId" | "memberIds" | "reason" | "teamSize" | "schedule", string>>;

export class ScheduleError extends Error {
  constructor(
    public readonly fieldErrors: ScheduleFieldErrors,
    /** The hard rules a change would break, in plain English. */
    public readonly breaches: Breach[] = [],
  ) {
    super([...Object.values(fieldErrors), ...breaches.map((b) => b.message)].join("; "));
  }
}

/** The visit changed since the form was opened (another lead saved first): nothing was saved. */
export class VisitChangedError extends Error {
  constructor(public readonly current: VisitView) {
    super("The visit was changed by someone else");
  }
}

export class ScheduleNotFound extends Error {}

// ── Inputs to the planner, from the database ───────────────────────────────────────────────────────────────

const parseJsonArray = <T>(json: string, guard: (v: unknown) => v is T): T[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter(guard) : [];
  } catch {
    return [];
  }
};
const isSkill = (v: unknown): v is Skill => typeof v === "string" && (SKILLS as readonly string[]).includes(v);
const isWeekday = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 7;

/** Every active inspector with a profile, as the planner sees them (leave and conflicts current on `from` and after). */
export function plannerInspectors(db: Db | Tx, from: string): Inspector[] {
  const base = sql<string | null>`(SELECT json_object('lat', t.latitude, 'lon', t.longitude) FROM trusts t WHERE t.ods_code = ${inspectorProfiles.baseTrustCode} AND t.latitude IS NOT NULL AND t.longitude IS NOT NULL)`;
  const rows = db
    .select({ profile: inspectorProfiles, name: users.name, base })
    .from(inspectorProfiles)
    .innerJoin(users, eq(users.id, inspectorProfiles.userId))
    .where(and(eq(users.role, "inspector"), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .all();
  const ids = rows.map((r) => r.profile.userId);
  const leave = db
    .select()
    .from(inspectorLeave)
    .where(and(inArray(inspectorLeave.inspectorId, ids), isNull(inspectorLeave.cancelledAt), gte(inspectorLeave.endDate, from)))
    .all();
  const conflicts = db
    .select()
    .from(conflictsOfInterest)
    .where(and(inArray(conflictsOfInterest.inspectorId, ids), isNull(conflictsOfInterest.withdrawnAt), gte(conflictsOfInterest.until, from)))
    .all();
  return rows.map(({ profile, name, base }) => ({
    id: profile.userId,
    name,
    homeRegionCode: profile.homeRegionCode,
    base: base ? (JSON.parse(base) as { lat: number; lon: number }) : null,
    skills: parseJsonArray(profile.skills, isSkill),
    maxVisitsPerWeek: profile.maxVisitsPerWeek,
    nonWorkingWeekdays: parseJsonArray(profile.nonWorkingWeekdays, isWeekday),
    leave: leave.filter((l) => l.inspectorId === profile.userId).map((l) => ({ start: l.startDate, end: l.endDate })),
    conflicts: conflicts.filter((c) => c.inspectorId === profile.userId).map((c) => ({ trustCode: c.trustCode, until: c.until })),
  }));
}

/** The round's active picks (not removed), as the planner sees them. */
function plannerPicks(db: Db | Tx, roundId: string): PlannerPick[] {
  return db
    .select({
      trustCode: selectionPicks.trustCode,
      trustName: trusts.name,
      regionCode: trusts.regionCode,
      lat: trusts.latitude,
      lon: trusts.longitude,
      drawOrder: selectionPicks.drawOrder,
    })
    .from(selectionPicks)
    .innerJoin(trusts, eq(trusts.odsCode, selectionPicks.trustCode))
    .where(and(eq(selectionPicks.roundId, roundId), isNull(selectionPicks.removedAt)))
    .orderBy(sql`${selectionPicks.drawOrder} IS NULL`, asc(selectionPicks.drawOrder), asc(selectionPicks.trustCode))
    .all()
    .map((p, i) => ({
      trustCode: p.trustCode,
      trustName: p.trustName,
      regionCode: p.regionCode,
      location: p.lat !== null && p.lon !== null ? { lat: p.lat, lon: p.lon } : null,
      // Picks added by hand come after the drawn ones, in trust code order.
      priority: p.drawOrder ?? 10_000 + i,
    }));
}

interface LiveVisit {
  id: string;
  roundId: string;
  trustCode: string;
  date: string;
  status: (typeof LIVE_STATUSES)[number];
  version: number;
  leadId: string;
  memberIds: string[];
}

/** Visits that take inspectors' days between two dates (both included), from every round. */
function liveVisitsBetween(db: Db | Tx, start: string, end: string): LiveVisit[] {
  const rows = db
    .select({ visit: visits, inspectorId: visitTeamMembers.inspectorId, role: visitTeamMembers.role })
    .from(visits)
    .innerJoin(visitTeamMembers, eq(visitTeamMembers.visitId, visits.id))
    .where(and(inArray(visits.status, [...LIVE_STATUSES]), gte(visits.visitDate, start), lte(visits.visitDate, end)))
    .orderBy(asc(visits.visitDate), asc(visits.trustCode), asc(visitTeamMembers.inspectorId))
    .all();
  const byId = new Map<string, LiveVisit>();
  for (const { visit, inspectorId, role } of rows) {
    let live = byId.get(visit.id);
    if (!live) {
      live = {
        id: visit.id,
        roundId: visit.roundId,
        trustCode: visit.trustCode,
        date: visit.visitDate,
        status: visit.status as LiveVisit["status"],
        version: visit.version,
        leadId: "",
        memberIds: [],
      };
      byId.set(visit.id, live);
    }
    if (role === "lead") live.leadId = inspectorId;
    else live.memberIds.push(inspectorId);
  }
  return [...byId.values()];
}

function requireRound(db: Db | Tx, roundId: string) {
  const round = db.select().from(selectionRounds).where(eq(selectionRounds.id, roundId)).get();
  if (!round) throw new ScheduleNotFound(roundId);
  return round;
}

/**
 * Everything the planner and the rule checker need for a round. Visits from a week either side of the period
 * count too, as they fill the inspectors' weeks at its edges. `exceptVisitId` leaves one visit out (the one
 * being changed, so it is not counted against itself).
 */
function planInputFor(db: Db | Tx, roundId: string, seed: string, teamSize: 2 | 3, exceptVisitId?: string) {
  const round = requireRound(db, roundId);
  const period = { start: round.periodStart, end: round.periodEnd };
  const live = liveVisitsBetween(db, addCalendarDays(period.start, -7), addCalendarDays(period.end, 7)).filter((v) => v.id !== exceptVisitId);
  const input: PlanInput = {
    seed,
    period,
    holidays: loadHolidaySet(db as Db),
    picks: plannerPicks(db, roundId),
    inspectors: plannerInspectors(db, period.start),
    existingVisits: live.map<ExistingVisit>((v) => ({ date: v.date, trustCode: v.trustCode, inspectorIds: [v.leadId, ...v.memberIds] })),
    teamSize,
  };
  return { round, input, live };
}

// ── Planning and accepting ─────────────────────────────────────────────────────────────────────────────────

/** A new secret seed for a schedule: 32 random bytes, as 64 lowercase hex characters. Never the round's. */
const newScheduleSeed = () => randomBytes(32).toString("hex");

const teamSizeSchema = z.preprocess(
  (v) => (typeof v === "string" ? Number(v) : v),
  z.union([z.literal(2), z.literal(3)], { error: "Choose a team of 2 or 3 people" }),
);

export interface PlanResult {
  planned: number;
  unplaced: number;
}

/**
 * Plans a visit for every pick of a drawn round that has none yet (visits already planned, accepted or changed by
 * hand stay as they are and count against the inspectors' days). The new visits are proposed: only programme
 * leads see them until the plan is accepted. Audited with counts, never trusts.
 */
export function planSchedule(roundId: string, rawTeamSize: unknown, actor: Actor, db: Db = getDb(), now = new Date()): PlanResult {
  const parsedSize = teamSizeSchema.safeParse(rawTeamSize);
  if (!parsedSize.success) throw new ScheduleError({ teamSize: "Choose a team of 2 or 3 people" });
  if (!actor.userId) throw new Error("A schedule is planned by a signed-in programme lead");
  return writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    if (round.status === "open") throw new ScheduleError({ schedule: "Draw the round before planning its visits" });
    const existing = tx.select().from(roundSchedules).where(eq(roundSchedules.roundId, roundId)).get();
    const seed = existing?.seed ?? newScheduleSeed();
    const { input, live } = planInputFor(tx, roundId, seed, parsedSize.data);
    const visited = new Set(live.filter((v) => v.roundId === roundId).map((v) => v.trustCode));
    const toPlan = input.picks.filter((p) => !visited.has(p.trustCode));
    if (toPlan.length === 0) throw new ScheduleError({ schedule: "Every trust in the round already has a visit" });
    if (input.inspectors.length === 0) throw new ScheduleError({ schedule: "No inspector has a profile yet: add inspectors' regions and skills first" });
    const plan = planVisits({ ...input, picks: toPlan });
    const at = now.toISOString();
    for (const visit of plan.visits) {
      const id = randomUUID();
      tx.insert(visits)
        .values({ id, roundId, trustCode: visit.trustCode, visitDate: visit.date, status: "proposed", reasons: JSON.stringify(visit.reasons), createdAt: at, updatedAt: at, updatedBy: actor.userId })
        .run();
      tx.insert(visitTeamMembers).values({ visitId: id, inspectorId: visit.leadId, role: "lead" }).run();
      for (const memberId of visit.memberIds) tx.insert(visitTeamMembers).values({ visitId: id, inspectorId: memberId, role: "member" }).run();
    }
    const values = { seed, status: "proposed" as const, teamSize: parsedSize.data, unplaced: JSON.stringify(plan.unplaced), plannedAt: at, plannedBy: actor.userId! };
    if (existing) tx.update(roundSchedules).set(values).where(eq(roundSchedules.roundId, roundId)).run();
    else tx.insert(roundSchedules).values({ roundId, ...values }).run();
    recordAudit(
      tx,
      actor,
      { action: "schedule.planned", objectType: "selection_round", objectId: roundId, summary: { teamSize: parsedSize.data, planned: plan.visits.length, unplaced: plan.unplaced.length } },
      now,
    );
    return { planned: plan.visits.length, unplaced: plan.unplaced.length };
  }, db);
}

/**
 * Accepts the proposed visits: each is checked again against the rules as they are now (leave or a conflict
 * of interest may have been added since planning), and only when every one holds do they become scheduled, and
 * visible to their teams.
 */
export function acceptSchedule(roundId: string, actor: Actor, db: Db = getDb(), now = new Date()): number {
  return writeTransaction((tx) => {
    const schedule = tx.select().from(roundSchedules).where(eq(roundSchedules.roundId, roundId)).get();
    if (!schedule) {
      requireRound(tx, roundId);
      throw new ScheduleError({ schedule: "Plan the visits before accepting them" });
    }
    const proposed = liveVisitsOfRound(tx, roundId).filter((v) => v.status === "proposed");
    if (proposed.length === 0) throw new ScheduleError({ schedule: "There are no proposed visits to accept" });
    const proposedIds = new Set(proposed.map((v) => v.id));
    const { input, live } = planInputFor(tx, roundId, schedule.seed, schedule.teamSize as 2 | 3);
    // Check the proposed visits against everything else (the accepted visits of every round come first).
    const others = live.filter((v) => !proposedIds.has(v.id));
    const breaches = checkSchedule(
      { ...input, existingVisits: others.map((v) => ({ date: v.date, trustCode: v.trustCode, inspectorIds: [v.leadId, ...v.memberIds] })) },
      proposed,
    );
    if (breaches.length > 0) throw new ScheduleError({ schedule: "Some proposed visits break a rule: change them, then accept" }, breaches);
    const at = now.toISOString();
    tx.update(visits)
      .set({ status: "scheduled", updatedAt: at, updatedBy: actor.userId, version: sql`${visits.version} + 1` })
      .where(inArray(visits.id, [...proposedIds]))
      .run();
    tx.update(roundSchedules).set({ status: "accepted", acceptedAt: at, acceptedBy: actor.userId }).where(eq(roundSchedules.roundId, roundId)).run();
    recordAudit(tx, actor, { action: "schedule.accepted", objectType: "selection_round", objectId: roundId, summary: { visits: proposedIds.size } }, now);
    return proposedIds.size;
  }, db);
}

/** Throws the proposed visits away (they were never shown to anyone but programme leads). Audited. */
export function discardProposals(roundId: string, actor: Actor, db: Db = getDb()): number {
  return writeTransaction((tx) => {
    requireRound(tx, roundId);
    const ids = tx
      .select({ id: visits.id })
      .from(visits)
      .where(and(eq(visits.roundId, roundId), eq(visits.status, "proposed")))
      .all()
      .map((v) => v.id);
    if (ids.length === 0) throw new ScheduleError({ schedule: "There are no proposed visits to discard" });
    tx.delete(visitTeamMembers).where(inArray(visitTeamMembers.visitId, ids)).run();
    tx.delete(visits).where(inArray(visits.id, ids)).run();
    const scheduled = tx
      .select({ n: sql<number>`count(*)` })
      .from(visits)
      .where(and(eq(visits.roundId, roundId), ne(visits.status, "cancelled")))
      .get()!.n;
    tx.update(roundSchedules)
      .set({ status: scheduled > 0 ? "accepted" : "proposed", unplaced: "[]" })
      .where(eq(roundSchedules.roundId, roundId))
      .run();
    recordAudit(tx, actor, { action: "schedule.proposals-discarded", objectType: "selection_round", objectId: roundId, summary: { visits: ids.length } });
    return ids.length;
  }, db);
}

function liveVisitsOfRound(db: Db | Tx, roundId: string): LiveVisit[] {
  const round = requireRound(db, roundId);
  // The rules keep a round's visits inside its period; the margin only matters for a visit that broke them.
  return liveVisitsBetween(db, addCalendarDays(round.periodStart, -7), addCalendarDays(round.periodEnd, 7)).filter((v) => v.roundId === roundId);
}

// ── Reading schedules and visits ───────────────────────────────────────────────────────────────────────────

export interface TeamMemberView {
  id: string;
  name: string;
  role: "lead" | "member";
}

export interface VisitView {
  id: string;
  roundId: string;
  roundName: string;
  periodStart: string;
  periodEnd: string;
  trustCode: string;
  trustName: string;
  regionName: string;
  address: string;
  postcode: string | null;
  date: string;
  status: (typeof visits.$inferSelect)["status"];
  version: number;
  reasons: string[];
  team: TeamMemberView[];
  updatedAt: string | null;
}

function teamsOf(db: Db | Tx, visitIds: string[]): Map<string, TeamMemberView[]> {
  const rows = db
    .select({ visitId: visitTeamMembers.visitId, id: users.id, name: users.name, role: visitTeamMembers.role })
    .from(visitTeamMembers)
    .innerJoin(users, eq(users.id, visitTeamMembers.inspectorId))
    .where(inArray(visitTeamMembers.visitId, visitIds))
    .orderBy(sql`${visitTeamMembers.role} = 'member'`, asc(users.name))
    .all();
  const teams = new Map<string, TeamMemberView[]>();
  for (const r of rows) {
    const team = teams.get(r.visitId) ?? [];
    team.push({ id: r.id, name: r.name, role: r.role });
    teams.set(r.visitId, team);
  }
  return teams;
}

const isText = (v: unknown): v is string => typeof v === "string";

function visitViews(db: Db | Tx, where: ReturnType<typeof and>): VisitView[] {
  const rows = db
    .select({ visit: visits, round: selectionRounds, trust: trusts })
    .from(visits)
    .innerJoin(selectionRounds, eq(selectionRounds.id, visits.roundId))
    .innerJoin(trusts, eq(trusts.odsCode, visits.trustCode))
    .where(where)
    .orderBy(asc(visits.visitDate), asc(trusts.name))
    .all();
  const teams = teamsOf(
    db,
    rows.map((r) => r.visit.id),
  );
  return rows.map(({ visit, round, trust }) => ({
    id: visit.id,
    roundId: round.id,
    roundName: round.name,
    periodStart: round.periodStart,
    periodEnd: round.periodEnd,
    trustCode: trust.odsCode,
    trustName: trust.name,
    regionName: trust.regionName,
    address: trust.addressLines,
    postcode: trust.postcode,
    date: visit.visitDate,
    status: visit.status,
    version: visit.version,
    reasons: parseJsonArray(visit.reasons, isText),
    team: teams.get(visit.id) ?? [],
    updatedAt: visit.updatedAt,
  }));
}

export function visitView(visitId: string, db: Db = getDb()): VisitView | undefined {
  return visitViews(db, and(eq(visits.id, visitId)))[0];
}

/**
 * Whether a staff member may see a visit: programme leads see every visit; an inspector sees an accepted or
 * completed visit they are on, and nothing else. (Admins and trust users never reach here: the routes refuse them.)
 */
export function maySeeVisit(user: { id: string; role: string }, visit: VisitView): boolean {
  if (user.role === "programme_lead") return true;
  if (user.role !== "inspector") return false;
  return (INSPECTOR_VISIBLE_STATUSES as readonly string[]).includes(visit.status) && visit.team.some((m) => m.id === user.id);
}

export interface ScheduleView {
  round: { id: string; name: string; status: string; periodStart: string; periodEnd: string };
  status: "not-planned" | "proposed" | "accepted";
  teamSize: 2 | 3;
  plannedAt: string | null;
  acceptedAt: string | null;
  visits: (VisitView & { breaches: string[] })[];
  /** Picks with no visit, with the planner's reasons from its latest run (when it tried them). */
  unplaced: { trustCode: string; trustName: string; reasons: string[] }[];
  cancelled: VisitView[];
  holidays: string[];
  inspectorsWithoutProfile: number;
  inspectorsWithProfile: number;
}

const isUnplaced = (v: unknown): v is UnplacedPick =>
  typeof v === "object" && v !== null && typeof (v as UnplacedPick).trustCode === "string" && Array.isArray((v as UnplacedPick).reasons);

/** Everything the schedule page shows, with each visit's rule breaches as things stand now. */
export function scheduleView(roundId: string, db: Db = getDb()): ScheduleView | undefined {
  const round = db.select().from(selectionRounds).where(eq(selectionRounds.id, roundId)).get();
  if (!round) return undefined;
  const schedule = db.select().from(roundSchedules).where(eq(roundSchedules.roundId, roundId)).get();
  const all = visitViews(db, and(eq(visits.roundId, roundId)));
  const live = all.filter((v) => v.status !== "cancelled");
  const teamSize = (schedule?.teamSize ?? 2) as 2 | 3;
  const { input, live: liveAround } = planInputFor(db, roundId, schedule?.seed ?? "0".repeat(64), teamSize);
  // Each visit is checked against every other live visit (of any round), so a later change shows up here.
  const breachesFor = (v: VisitView) => {
    const others = liveAround.filter((o) => o.id !== v.id);
    const lead = v.team.find((m) => m.role === "lead");
    const check: VisitToCheck = { trustCode: v.trustCode, date: v.date, leadId: lead?.id ?? "", memberIds: v.team.filter((m) => m.role === "member").map((m) => m.id) };
    const visitTeamSize = Math.min(3, Math.max(2, v.team.length)) as 2 | 3;
    const breaches = checkSchedule({ ...input, teamSize: visitTeamSize, existingVisits: others.map((o) => ({ date: o.date, trustCode: o.trustCode, inspectorIds: [o.leadId, ...o.memberIds] })) }, [check]);
    // Someone on the team who is no longer a plannable inspector (account disabled, role or profile removed).
    const nameOf = new Map(v.team.map((m) => [m.id, m.name]));
    return breaches.map((b) => (b.rule === "inspector" && b.inspectorId && nameOf.has(b.inspectorId) ? `${nameOf.get(b.inspectorId)} can no longer be planned for visits (account disabled or no inspector profile)` : b.message));
  };
  const withVisit = new Set(live.map((v) => v.trustCode));
  const lastReasons = new Map(parseJsonArray(schedule?.unplaced ?? "[]", isUnplaced).map((u) => [u.trustCode, u.reasons]));
  const inspectorCount = db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(eq(users.role, "inspector"), isNull(users.disabledAt)))
    .get()!.n;
  const periodHolidays = [...input.holidays].filter((d) => d >= round.periodStart && d <= round.periodEnd).sort();
  return {
    round: { id: round.id, name: round.name, status: round.status, periodStart: round.periodStart, periodEnd: round.periodEnd },
    status: !schedule || live.length === 0 ? "not-planned" : live.some((v) => v.status === "proposed") ? "proposed" : "accepted",
    teamSize,
    plannedAt: schedule?.plannedAt ?? null,
    acceptedAt: schedule?.acceptedAt ?? null,
    visits: live.map((v) => ({ ...v, breaches: v.status === "completed" ? [] : breachesFor(v) })),
    unplaced: input.picks
      .filter((p) => !withVisit.has(p.trustCode))
      .map((p) => ({ trustCode: p.trustCode, trustName: p.trustName, reasons: lastReasons.get(p.trustCode) ?? ["Not planned yet"] })),
    cancelled: all.filter((v) => v.status === "cancelled"),
    holidays: periodHolidays,
    inspectorsWithProfile: input.inspectors.length,
    inspectorsWithoutProfile: inspectorCount - input.inspectors.length,
  };
}

/** Records that someone looked at a round's schedule or at a visit (confidential). */
export function recordScheduleViewed(
  what: { roundId: string; page: "schedule" | "schedule-calendar" } | { visitId: string; page: "visit" | "visit-change" },
  actor: Actor,
  db: Db = getDb(),
) {
  writeTransaction(
    (tx) =>
      recordAudit(
        tx,
        actor,
        "roundId" in what
          ? { action: "schedule.viewed", objectType: "selection_round", objectId: what.roundId, summary: { page: what.page } }
          : { action: "visit.viewed", objectType: "visit", objectId: what.visitId, summary: { page: what.page } },
      ),
    db,
  );
}

// ── Changing a visit ───────────────────────────────────────────────────────────────────────────────────────

export interface TeamChoice {
  id: string;
  name: string;
  regionName: string;
  skills: Skill[];
}

/** Inspectors a lead can put on a team (those with a profile), by name. */
export function teamChoices(db: Db = getDb()): TeamChoice[] {
  const regions = new Map(
    db
      .selectDistinct({ code: trusts.regionCode, name: trusts.regionName })
      .from(trusts)
      .all()
      .map((r) => [r.code, r.name]),
  );
  return plannerInspectors(db, todayInLondon())
    .map((i) => ({ id: i.id, name: i.name, regionName: regions.get(i.homeRegionCode) ?? i.homeRegionCode, skills: [...i.skills] }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
}

export interface VisitChange {
  date: string;
  leadId: string;
  memberIds: string[];
  reason: string;
  /** The version the form was opened at. */
  version: number;
}

const changeSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a real date for the visit"),
  leadId: z.string().min(1, "Choose the lead inspector"),
  memberIds: z.array(z.string().min(1)).min(1, "Choose at least one team member").max(2, "Choose one or two team members"),
  reason: z.string().trim().max(CHANGE_REASON_MAX, `The reason must be ${CHANGE_REASON_MAX} characters or fewer`),
  version: z.number().int(),
});

/**
 * The rules a change to a visit would break (an empty list when it keeps them all), checked against every
 * other live visit. Nothing is saved.
 */
export function breachesOfChange(visitId: string, change: Pick<VisitChange, "date" | "leadId" | "memberIds">, db: Db | Tx = getDb()): Breach[] {
  const visit = db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!visit) throw new ScheduleNotFound(visitId);
  const schedule = db.select().from(roundSchedules).where(eq(roundSchedules.roundId, visit.roundId)).get();
  const teamSize = (1 + change.memberIds.length === 3 ? 3 : 2) as 2 | 3;
  const { input } = planInputFor(db, visit.roundId, schedule?.seed ?? "0".repeat(64), teamSize, visitId);
  return checkSchedule(input, [{ trustCode: visit.trustCode, date: change.date, leadId: change.leadId, memberIds: change.memberIds }]);
}

/**
 * Changes a proposed or scheduled visit's date or team. Refused, with every broken rule explained, when the
 * change breaks a hard rule; refused with the current visit when someone else changed it since the form was
 * opened (no silent overwrite). A change to an accepted visit needs a reason (its team has been told).
 */
export function changeVisit(visitId: string, raw: VisitChange, actor: Actor, db: Db = getDb(), now = new Date()): void {
  const parsed = changeSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: ScheduleFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === "date" || field === "leadId" || field === "memberIds" || field === "reason") errors[field] ??= issue.message;
      else errors.schedule ??= issue.message;
    }
    throw new ScheduleError(errors);
  }
  const change = parsed.data;
  if (!actor.userId) throw new Error("A visit is changed by a signed-in programme lead");
  writeTransaction((tx) => {
    const visit = tx.select().from(visits).where(eq(visits.id, visitId)).get();
    if (!visit) throw new ScheduleNotFound(visitId);
    if (visit.version !== change.version) throw new VisitChangedError(visitViews(tx, and(eq(visits.id, visitId)))[0]!);
    if (visit.status !== "proposed" && visit.status !== "scheduled") {
      throw new ScheduleError({ schedule: `This visit is ${visit.status} and can no longer change` });
    }
    if (visit.status === "scheduled" && change.reason === "") {
      throw new ScheduleError({ reason: "Enter the reason for the change: the team has already been told of this visit" });
    }
    const breaches = breachesOfChange(visitId, change, tx);
    if (breaches.length > 0) throw new ScheduleError({}, breaches);
    const before = tx.select().from(visitTeamMembers).where(eq(visitTeamMembers.visitId, visitId)).all();
    const at = now.toISOString();
    const reasons = change.reason ? [`Changed by hand: ${change.reason}`] : ["Changed by hand"];
    tx.update(visits)
      .set({ visitDate: change.date, reasons: JSON.stringify(reasons), version: visit.version + 1, updatedAt: at, updatedBy: actor.userId })
      .where(eq(visits.id, visitId))
      .run();
    tx.delete(visitTeamMembers).where(eq(visitTeamMembers.visitId, visitId)).run();
    tx.insert(visitTeamMembers).values({ visitId, inspectorId: change.leadId, role: "lead" }).run();
    for (const memberId of change.memberIds) tx.insert(visitTeamMembers).values({ visitId, inspectorId: memberId, role: "member" }).run();
    recordAudit(
      tx,
      actor,
      {
        action: "visit.changed",
        objectType: "visit",
        objectId: visitId,
        summary: {
          roundId: visit.roundId,
          from: { date: visit.visitDate, lead: before.find((m) => m.role === "lead")?.inspectorId ?? null, members: before.filter((m) => m.role === "member").map((m) => m.inspectorId) },
          to: { date: change.date, lead: change.leadId, members: change.memberIds },
          reason: change.reason,
        },
      },
      now,
    );
  }, db);
}
