/**
 * The visit planner: a date and a team for each trust picked in a selection round, for surprise (unannounced)
 * inspections. Pure and deterministic: no database, no clock, no files; the same input (seed included) always gives
 * the same plan, so a plan can be re-run and checked.
 *
 * Hard rules, never broken (checkSchedule() lists every one a schedule breaks, in plain English):
 *
 * - A visit is on a working day (Monday to Friday, not a bank holiday) inside the planning period.
 * - A team is a lead plus `teamSize - 1` members (teamSize 2 or 3, default 2), all different, all known inspectors,
 *   and at least one of them does technical testing.
 * - Nobody has two visits on the same day, or more than their maxVisitsPerWeek in an ISO week (Monday to Sunday);
 *   both count the existing visits given in the input.
 * - Nobody visits on a day of leave (leave ranges include both ends) or on one of their non-working weekdays.
 * - Nobody visits a trust they have a conflict of interest with on the visit date: a conflict with `until` null has
 *   no end; one whose `until` is before the visit date has ended and no longer counts.
 * - A trust is visited at most once: never twice in the plan, and not again when an existing visit is to it.
 *
 * Preferences, as a cost in "kilometre-equivalents" for each inspector on a team (lowest total wins):
 *
 * - distance: the great-circle (haversine) distance from the inspector's base to the trust, or UNKNOWN_DISTANCE_KM
 *   when either location is unknown, plus OUT_OF_REGION_KM when the inspector's home region is not the trust's;
 * - workload: WORKLOAD_KM for every visit the inspector already has (the existing visits given, and the visits
 *   placed so far in this plan), so the work is shared out.
 *
 * The method, greedy with a "most constrained first" order:
 *
 * 1. A pick whose trust already has an existing visit is not planned again (it is reported as unplaced, saying so).
 * 2. Repeatedly: for every pick not yet planned, count the working days of the period on which a team could
 *    visit it (enough inspectors free on that day without a conflict of interest, one of them doing technical
 *    testing). The pick with the fewest such days goes next (ties: draw order, `priority`, lowest first; then
 *    trust code). A pick with no such day is reported as unplaced, with the reasons.
 * 3. For the chosen pick, the cheapest team is found for each possible day (the cheapest `teamSize` free
 *    inspectors, or, when none of those does technical testing, the cheapest technical tester plus the cheapest
 *    `teamSize - 1` others). The lead is the team member nearest the trust. Every day whose cheapest team costs
 *    at most DATE_SLACK_KM more than the best day's is equally good, and the date is picked among them at random:
 *    each takes the next number of the planner's random stream (PLANNER_STREAM of the seed, see
 *    app/selection/random.ts) in date order, and the smallest number wins. So the weekday and the week of a visit
 *    follow no pattern that could be learned from earlier rounds, while the team stays the best one available.
 *
 * The seed should be a secret of its own, not the round's draw seed (which is revealed when the round closes).
 */
import { STREAMS, uniformStream } from "../selection/random";
import { isCalendarDate, isWeekend, isWorkingDay, workingDaysBetween } from "./working-days";

/**
 * The planner's random stream number. It must differ from the selection draw's streams (STREAMS in
 * app/selection/random.ts: 0 and 1), so the same seed never gives the draw and the planner the same numbers.
 */
export const PLANNER_STREAM = STREAMS.planner;

/** The cost of an unknown distance (the inspector's base or the trust's location is missing), in km. */
export const UNKNOWN_DISTANCE_KM = 200;
/** The extra cost of an inspector from another region than the trust's, in km-equivalents. */
export const OUT_OF_REGION_KM = 50;
/** The extra cost of each visit an inspector already has, in km-equivalents. */
export const WORKLOAD_KM = 30;
/** Days whose best team costs at most this much more than the best day's are equally good. */
export const DATE_SLACK_KM = 25;

export const SKILLS = ["technical_testing", "governance_risk"] as const;
export type Skill = (typeof SKILLS)[number];

export interface LatLon {
  lat: number;
  lon: number;
}

/** A range of calendar dates, `yyyy-mm-dd`, both ends included. */
export interface DateRange {
  start: string;
  end: string;
}

export interface PlannerPick {
  trustCode: string;
  trustName: string;
  regionCode: string;
  location: LatLon | null;
  /** The draw order (1 = first drawn): the lower, the earlier among equally constrained picks. */
  priority: number;
}

export interface Inspector {
  id: string;
  name: string;
  homeRegionCode: string;
  base: LatLon | null;
  skills: readonly Skill[];
  maxVisitsPerWeek: number;
  /** ISO weekdays the inspector never works: 1 = Monday … 5 = Friday. */
  nonWorkingWeekdays: readonly number[];
  leave: readonly DateRange[];
  /** Conflicts of interest; `until` null means without end. */
  conflicts: readonly { trustCode: string; until: string | null }[];
}

/** A visit already booked (from this round or another): it takes its inspectors' day and a place in their week. */
export interface ExistingVisit {
  date: string;
  inspectorIds: readonly string[];
  trustCode: string;
}

export interface PlanInput {
  /** 64 lowercase hexadecimal characters (see app/selection/random.ts). */
  seed: string;
  period: DateRange;
  holidays: ReadonlySet<string>;
  picks: readonly PlannerPick[];
  inspectors: readonly Inspector[];
  existingVisits: readonly ExistingVisit[];
  /** People per team, the lead included: 2 (default) or 3. */
  teamSize?: 2 | 3;
}

export interface PlannedVisit {
  trustCode: string;
  date: string;
  leadId: string;
  memberIds: string[];
  /** The lead's distance from base to the trust, km (one decimal place), or null when unknown. */
  distanceKm: number | null;
  /** Why this date and this team, in plain English. */
  reasons: string[];
}

export interface UnplacedPick {
  trustCode: string;
  /** Why no visit could be planned, in plain English. */
  reasons: string[];
}

export interface Plan {
  visits: PlannedVisit[];
  unplaced: UnplacedPick[];
}

/** The part of a visit checkSchedule() looks at. */
export type VisitToCheck = Pick<PlannedVisit, "trustCode" | "date" | "leadId" | "memberIds">;

export const RULES = [
  "date",
  "period",
  "working-day",
  "trust",
  "trust-once",
  "team-size",
  "inspector",
  "skills",
  "leave",
  "non-working-weekday",
  "conflict-of-interest",
  "double-booked",
  "weekly-limit",
] as const;
export type Rule = (typeof RULES)[number];

/** One hard rule a visit breaks. */
export interface Breach {
  rule: Rule;
  trustCode: string;
  date: string;
  /** The inspector concerned, when the rule is about one person. */
  inspectorId: string | null;
  message: string;
}

// ── Dates in words ─────────────────────────────────────────────────────────────────────────────────────────

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function parts(date: string): [number, number, number] {
  return date.split("-").map(Number) as [number, number, number];
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
function isoWeekday(date: string): number {
  const [y, m, d] = parts(date);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** "3 March 2026". */
export function formatDate(date: string): string {
  const [y, m, d] = parts(date);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "Tuesday 3 March 2026". */
function formatDay(date: string): string {
  return `${WEEKDAYS[isoWeekday(date) - 1]} ${formatDate(date)}`;
}

/** "2 to 6 March 2026", "27 February to 3 March 2026", "30 December 2025 to 2 January 2026". */
export function formatRange(start: string, end: string): string {
  const [ys, ms, ds] = parts(start);
  const [ye, me] = parts(end);
  if (ys === ye && ms === me) return `${ds} to ${formatDate(end)}`;
  if (ys === ye) return `${ds} ${MONTHS[ms - 1]} to ${formatDate(end)}`;
  return `${formatDate(start)} to ${formatDate(end)}`;
}

/**
 * The Monday of the ISO week of `date` (Monday to Sunday): names the week in messages, and keys the weekly
 * limits (it identifies the ISO week exactly as isoWeek() in working-days.ts does, and is cheaper to work out).
 */
function mondayOf(date: string): string {
  const [y, m, d] = parts(date);
  const day = new Date(Date.UTC(y, m - 1, d));
  day.setUTCDate(day.getUTCDate() + 1 - isoWeekday(date));
  return day.toISOString().slice(0, 10);
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const inWords = (n: number) => NUMBER_WORDS[n] ?? String(n);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function listNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

// ── Distances and costs ────────────────────────────────────────────────────────────────────────────────────

const EARTH_RADIUS_KM = 6371.0088;

/** The great-circle distance between two points, km (haversine formula, mean Earth radius). */
export function haversineKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function distanceKm(inspector: Inspector, pick: PlannerPick): number | null {
  return inspector.base && pick.location ? haversineKm(inspector.base, pick.location) : null;
}

/** The distance part of an inspector's cost for a pick: distance (or the unknown cost), plus out-of-region. */
function placeCost(inspector: Inspector, pick: PlannerPick): number {
  const km = distanceKm(inspector, pick);
  return (km ?? UNKNOWN_DISTANCE_KM) + (inspector.homeRegionCode === pick.regionCode ? 0 : OUT_OF_REGION_KM);
}

// ── Checks shared by the planner and checkSchedule ─────────────────────────────────────────────────────────

const doesTechnicalTesting = (inspector: Inspector) => inspector.skills.includes("technical_testing");

/** The conflict of interest of `inspector` with `trustCode` that still holds on `date`, if any (the longest). */
function conflictOn(inspector: Inspector, trustCode: string, date: string): { until: string | null } | null {
  let found: { until: string | null } | null = null;
  for (const c of inspector.conflicts) {
    if (c.trustCode !== trustCode || (c.until !== null && c.until < date)) continue;
    if (c.until === null) return c;
    if (!found || (found.until !== null && c.until > found.until)) found = c;
  }
  return found;
}

function leaveOn(inspector: Inspector, date: string): DateRange | null {
  return inspector.leave.find((l) => l.start <= date && date <= l.end) ?? null;
}

function assertDate(text: string, what: string) {
  if (!isCalendarDate(text)) throw new RangeError(`${what} is not a calendar date (yyyy-mm-dd): ${JSON.stringify(text)}`);
}

/** Throws on input the planner cannot work with (malformed dates, duplicate codes or ids, a bad team size). */
function assertPlannable(input: PlanInput) {
  assertDate(input.period.start, "The period's start");
  assertDate(input.period.end, "The period's end");
  if (input.period.end < input.period.start) throw new RangeError("The period ends before it starts");
  const teamSize = input.teamSize ?? 2;
  if (teamSize !== 2 && teamSize !== 3) throw new RangeError("A team is 2 or 3 people");
  const codes = new Set<string>();
  for (const p of input.picks) {
    if (codes.has(p.trustCode)) throw new Error(`${p.trustCode} is picked twice`);
    codes.add(p.trustCode);
  }
  const ids = new Set<string>();
  for (const i of input.inspectors) {
    if (ids.has(i.id)) throw new Error(`Two inspectors have the id ${i.id}`);
    ids.add(i.id);
    if (!Number.isInteger(i.maxVisitsPerWeek) || i.maxVisitsPerWeek < 0) throw new RangeError(`${i.name}'s weekly limit must be a whole number`);
    for (const l of i.leave) {
      assertDate(l.start, `${i.name}'s leave start`);
      assertDate(l.end, `${i.name}'s leave end`);
    }
    for (const c of i.conflicts) if (c.until !== null) assertDate(c.until, `${i.name}'s conflict end`);
  }
  for (const v of input.existingVisits) assertDate(v.date, "An existing visit's date");
}

// ── checkSchedule ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * Every hard rule the given visits break, given the input's inspectors, holidays, period and existing visits.
 * Visits are checked in order: a double booking or an exceeded weekly limit is reported on the later visit (the
 * existing visits count as earlier). An empty list means the schedule keeps every rule.
 */
export function checkSchedule(input: PlanInput, visits: readonly VisitToCheck[]): Breach[] {
  const teamSize = input.teamSize ?? 2;
  const inspectors = new Map(input.inspectors.map((i) => [i.id, i]));
  const picks = new Map(input.picks.map((p) => [p.trustCode, p]));
  const trustName = (code: string) => picks.get(code)?.trustName ?? code;
  const breaches: Breach[] = [];

  // What each inspector already has: by day (the trust) and by ISO week (the count); existing visits first.
  const byDay = new Map<string, string>();
  const byWeek = new Map<string, number>();
  const visitedOn = new Map<string, string>();
  const book = (id: string, date: string, trustCode: string) => {
    if (!byDay.has(`${id} ${date}`)) byDay.set(`${id} ${date}`, trustCode);
    const week = `${id} ${mondayOf(date)}`;
    byWeek.set(week, (byWeek.get(week) ?? 0) + 1);
  };
  for (const v of input.existingVisits) {
    if (!visitedOn.has(v.trustCode)) visitedOn.set(v.trustCode, v.date);
    if (isCalendarDate(v.date)) for (const id of new Set(v.inspectorIds)) book(id, v.date, v.trustCode);
  }

  for (const visit of visits) {
    const { trustCode, date } = visit;
    const add = (rule: Rule, message: string, inspectorId: string | null = null) => breaches.push({ rule, trustCode, date, inspectorId, message });

    if (!picks.has(trustCode)) add("trust", `${trustCode} is not one of this round's picks`);
    const earlier = visitedOn.get(trustCode);
    if (earlier !== undefined) add("trust-once", `${trustName(trustCode)} already has a visit on ${formatDate(earlier)}`);
    else visitedOn.set(trustCode, date);

    if (!isCalendarDate(date)) {
      add("date", `${JSON.stringify(date)} is not a date`);
      continue;
    }
    if (date < input.period.start || date > input.period.end) add("period", `${formatDate(date)} is outside the period (${formatRange(input.period.start, input.period.end)})`);
    if (input.holidays.has(date)) add("working-day", `${formatDate(date)} is a bank holiday`);
    else if (isWeekend(date)) add("working-day", `${formatDate(date)} is a ${WEEKDAYS[isoWeekday(date) - 1]}, not a working day`);
    else if (!isWorkingDay(date, input.holidays)) add("working-day", `${formatDate(date)} is not a working day`);

    const team = [visit.leadId, ...visit.memberIds];
    if (visit.memberIds.length !== teamSize - 1) {
      add("team-size", `The team has ${plural(team.length, "person", "people")}; teams have ${teamSize} (a lead and ${plural(teamSize - 1, "member")})`);
    }
    const seen = new Set<string>();
    const known: Inspector[] = [];
    for (const id of team) {
      const inspector = inspectors.get(id);
      if (!inspector) {
        add("inspector", `There is no inspector with the id ${JSON.stringify(id)}`, id);
        continue;
      }
      if (seen.has(id)) {
        add("team-size", `${inspector.name} is on the team twice`, id);
        continue;
      }
      seen.add(id);
      known.push(inspector);
    }
    if (!known.some(doesTechnicalTesting)) add("skills", "No one on the team does technical testing");

    for (const inspector of known) {
      const { id, name } = inspector;
      const leave = leaveOn(inspector, date);
      if (leave) add("leave", leave.start === leave.end ? `${name} is on leave on ${formatDate(leave.start)}` : `${name} is on leave from ${formatRange(leave.start, leave.end)}`, id);
      const weekday = isoWeekday(date);
      if (inspector.nonWorkingWeekdays.includes(weekday)) add("non-working-weekday", `${name} does not work on ${WEEKDAYS[weekday - 1]}s`, id);
      const conflict = conflictOn(inspector, trustCode, date);
      if (conflict) {
        const until = conflict.until === null ? "with no end date" : `until ${formatDate(conflict.until)}`;
        add("conflict-of-interest", `${name} has a conflict of interest with ${trustName(trustCode)} ${until}`, id);
      }
      const sameDay = byDay.get(`${id} ${date}`);
      if (sameDay !== undefined) add("double-booked", `${name} already has a visit on ${formatDate(date)} (${trustName(sameDay)})`, id);
      const inWeek = byWeek.get(`${id} ${mondayOf(date)}`) ?? 0;
      if (inWeek >= inspector.maxVisitsPerWeek) {
        add("weekly-limit", `${name} already has ${plural(inWeek, "visit")} in the week of ${formatDate(mondayOf(date))} (limit ${inspector.maxVisitsPerWeek})`, id);
      }
      book(id, date, trustCode);
    }
  }
  return breaches;
}

// ── planVisits ─────────────────────────────────────────────────────────────────────────────────────────────

/** Why an inspector is not free on a day (before conflicts of interest, which depend on the trust). */
type Busy = "leave" | "non-working-weekday" | "booked" | "weekly-limit";

interface Day {
  date: string;
  week: string;
  weekday: number;
}

interface Team {
  cost: number;
  members: number[];
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Plans a visit for every pick it can (see the top of this file). Every visit keeps every hard rule; every pick
 * is either in `visits` or in `unplaced` (with reasons), never both. Throws on malformed input.
 */
export function planVisits(input: PlanInput): Plan {
  assertPlannable(input);
  const random = uniformStream(input.seed, PLANNER_STREAM); // throws on a malformed seed
  const teamSize = input.teamSize ?? 2;
  const { period } = input;
  const periodText = formatRange(period.start, period.end);

  const days: Day[] = workingDaysBetween(period.start, period.end, input.holidays).map((date) => ({ date, week: mondayOf(date), weekday: isoWeekday(date) }));
  // Inspectors in id order, so ties between equal costs always go the same way.
  const inspectors = [...input.inspectors].sort((a, b) => byCode(a.id, b.id));
  const index = new Map(inspectors.map((inspector, i) => [inspector.id, i]));
  const technical = inspectors.map(doesTechnicalTesting);

  // Leave and non-working weekdays never change: worked out once per inspector and day.
  const fixedBusy: (Busy | null)[][] = inspectors.map((inspector) =>
    days.map((day) => (inspector.nonWorkingWeekdays.includes(day.weekday) ? "non-working-weekday" : leaveOn(inspector, day.date) ? "leave" : null)),
  );
  // Bookings: the days each inspector is taken, their visits per ISO week and in all (existing visits first).
  const booked = inspectors.map(() => new Set<string>());
  const perWeek = inspectors.map(() => new Map<string, number>());
  const load = inspectors.map(() => 0);
  const book = (i: number, date: string) => {
    booked[i]!.add(date);
    const week = mondayOf(date);
    perWeek[i]!.set(week, (perWeek[i]!.get(week) ?? 0) + 1);
    load[i]! += 1;
  };
  const alreadyVisited = new Map<string, string>();
  for (const v of input.existingVisits) {
    if (!alreadyVisited.has(v.trustCode) || v.date < alreadyVisited.get(v.trustCode)!) alreadyVisited.set(v.trustCode, v.date);
    for (const id of new Set(v.inspectorIds)) {
      const i = index.get(id);
      if (i !== undefined) book(i, v.date);
    }
  }
  const busyNow = (i: number, d: number): Busy | null => {
    const fixed = fixedBusy[i]![d]!;
    if (fixed) return fixed;
    const day = days[d]!;
    if (booked[i]!.has(day.date)) return "booked";
    if ((perWeek[i]!.get(day.week) ?? 0) >= inspectors[i]!.maxVisitsPerWeek) return "weekly-limit";
    return null;
  };
  // busyNow() for every inspector and day, refreshed after each booking (only the booked inspectors' rows change).
  const busy = inspectors.map((_, i) => days.map((_, d) => busyNow(i, d)));
  const busyOn = (i: number, d: number): Busy | null => busy[i]![d]!;

  interface Pending {
    pick: PlannerPick;
    /** For each inspector: true when conflicted on each day (a conflict may end within the period). */
    conflicted: boolean[][];
    place: number[];
  }
  const visits: PlannedVisit[] = [];
  const unplaced: UnplacedPick[] = [];
  let pending: Pending[] = [];
  for (const pick of input.picks) {
    const earlier = alreadyVisited.get(pick.trustCode);
    if (earlier !== undefined) {
      unplaced.push({ trustCode: pick.trustCode, reasons: [`${pick.trustName} already has a visit on ${formatDate(earlier)}, so it is not planned again`] });
      continue;
    }
    pending.push({
      pick,
      conflicted: inspectors.map((inspector) => days.map((day) => conflictOn(inspector, pick.trustCode, day.date) !== null)),
      place: inspectors.map((inspector) => placeCost(inspector, pick)),
    });
  }

  /** Whether a team could visit `p` on day d (enough free inspectors, one doing technical testing). */
  const possibleOn = (p: Pending, d: number): boolean => {
    let free = 0;
    let tech = false;
    for (let i = 0; i < inspectors.length; i++) {
      if (p.conflicted[i]![d] || busyOn(i, d)) continue;
      free += 1;
      tech ||= technical[i]!;
      if (free >= teamSize && tech) return true;
    }
    return false;
  };

  /** The cheapest team for `p` on day d, or null. */
  const cheapestTeam = (p: Pending, d: number): Team | null => {
    const free: { i: number; cost: number }[] = [];
    for (let i = 0; i < inspectors.length; i++) {
      if (!p.conflicted[i]![d] && !busyOn(i, d)) free.push({ i, cost: p.place[i]! + WORKLOAD_KM * load[i]! });
    }
    free.sort((a, b) => a.cost - b.cost || a.i - b.i);
    if (free.length < teamSize) return null;
    let chosen = free.slice(0, teamSize);
    if (!chosen.some((f) => technical[f.i])) {
      const tester = free.find((f) => technical[f.i]);
      if (!tester) return null;
      chosen = [...free.slice(0, teamSize - 1), tester];
    }
    return { cost: chosen.reduce((sum, f) => sum + f.cost, 0), members: chosen.map((f) => f.i) };
  };

  let placedCount = 0;
  const total = pending.length;
  while (pending.length > 0) {
    // The most constrained pick next: fewest possible days, then draw order, then trust code.
    let best: { p: Pending; possible: number[] } | null = null;
    for (const p of pending) {
      const possible: number[] = [];
      for (let d = 0; d < days.length; d++) if (possibleOn(p, d)) possible.push(d);
      if (
        !best ||
        possible.length < best.possible.length ||
        (possible.length === best.possible.length && (p.pick.priority < best.p.pick.priority || (p.pick.priority === best.p.pick.priority && byCode(p.pick.trustCode, best.p.pick.trustCode) < 0)))
      ) {
        best = { p, possible };
      }
    }
    const { p, possible } = best!;
    pending = pending.filter((q) => q !== p);
    if (possible.length === 0) {
      unplaced.push({ trustCode: p.pick.trustCode, reasons: whyUnplaced(p) });
      continue;
    }

    const teams = possible.map((d) => ({ d, team: cheapestTeam(p, d)! }));
    const bestCost = Math.min(...teams.map((t) => t.team.cost));
    const good = teams.filter((t) => t.team.cost <= bestCost + DATE_SLACK_KM);
    // One random number per equally good day, in date order; the smallest wins.
    let chosen = good[0]!;
    let smallest = Infinity;
    for (const t of good) {
      const u = random.next();
      if (u < smallest) [smallest, chosen] = [u, t];
    }

    const day = days[chosen.d]!;
    const members = chosen.team.members.map((i) => ({ i, inspector: inspectors[i]!, km: distanceKm(inspectors[i]!, p.pick), visitsBefore: load[i]! }));
    // The lead: the one nearest the trust (lowest distance cost), then by id.
    members.sort((a, b) => p.place[a.i]! - p.place[b.i]! || a.i - b.i);
    const [lead, ...rest] = members as [(typeof members)[number], ...typeof members];
    for (const m of members) {
      book(m.i, day.date);
      busy[m.i] = days.map((_, d) => busyNow(m.i, d));
    }
    placedCount += 1;

    const describe = (m: (typeof members)[number], role: string) => {
      const where = m.km === null ? "distance unknown" : `${Math.round(m.km)} km from the trust`;
      const region = m.inspector.homeRegionCode === p.pick.regionCode ? "same region" : `from region ${m.inspector.homeRegionCode}`;
      const skill = technical[m.i] ? ", does technical testing" : "";
      return `${role}: ${m.inspector.name} (${where}, ${region}${skill}; ${plural(m.visitsBefore, "visit")} before this one)`;
    };
    visits.push({
      trustCode: p.pick.trustCode,
      date: day.date,
      leadId: lead.inspector.id,
      memberIds: rest.map((m) => m.inspector.id),
      distanceKm: lead.km === null ? null : Math.round(lead.km * 10) / 10,
      reasons: [
        `Planned ${placedCount}${ordinalSuffix(placedCount)} of ${total}: a team could visit on ${plural(possible.length, "working day")} of the period (the picks with the fewest possible days are planned first, then by draw order)`,
        good.length === 1
          ? `${formatDay(day.date)} is the only working day with the best team free`
          : `${formatDay(day.date)} was picked at random (from the seed) among ${plural(good.length, "working day")} with an equally good team, so the date follows no pattern`,
        describe(lead, "Lead"),
        ...rest.map((m) => describe(m, "Member")),
      ],
    });
  }

  /** Why no team can visit `p` on any day, as things stand. */
  function whyUnplaced(p: Pending): string[] {
    const { pick } = p;
    const teamWords = `${inWords(teamSize)} inspectors`;
    if (days.length === 0) return [`There is no working day from ${periodText}`];
    if (inspectors.length < teamSize) return [`There ${inspectors.length === 1 ? "is" : "are"} only ${plural(inspectors.length, "inspector")}; a team needs ${teamSize}`];

    const conflicted = inspectors.filter((_, i) => p.conflicted[i]!.some(Boolean));
    const free = conflicted.length < inspectors.length;
    const counts: Record<Busy, number> = { leave: 0, "non-working-weekday": 0, booked: 0, "weekly-limit": 0 };
    let mostFree = 0;
    let daysWithoutTester = 0;
    for (let d = 0; d < days.length; d++) {
      let freeToday = 0;
      for (let i = 0; i < inspectors.length; i++) {
        if (p.conflicted[i]![d]) continue;
        const busy = busyOn(i, d);
        if (busy) counts[busy] += 1;
        else freeToday += 1;
      }
      mostFree = Math.max(mostFree, freeToday);
      if (freeToday >= teamSize) daysWithoutTester += 1;
    }
    const reasons = [
      daysWithoutTester > 0
        ? `No ${teamWords} including one who does technical testing are free on any working day from ${periodText} without a conflict of interest`
        : `No ${teamWords} are free on any working day from ${periodText} without a conflict of interest`,
    ];
    if (conflicted.length > 0) {
      const names = conflicted.map((inspector) => {
        const ends = inspector.conflicts.filter((c) => c.trustCode === pick.trustCode).map((c) => c.until);
        const last = ends.includes(null) ? null : (ends as string[]).sort().at(-1)!;
        const until = last === null ? "" : ` (until ${formatDate(last)})`;
        return `${inspector.name}${until}`;
      });
      reasons.push(`${listNames(names)} ${conflicted.length === 1 ? "has" : "have"} a conflict of interest with ${pick.trustName}`);
    }
    if (free) {
      const others = inspectors.length - conflicted.length;
      const why = [
        counts.leave && `on leave ${plural(counts.leave, "time")}`,
        counts["non-working-weekday"] && `on a non-working weekday ${plural(counts["non-working-weekday"], "time")}`,
        counts.booked && `already booked ${plural(counts.booked, "time")}`,
        counts["weekly-limit"] && `at their weekly limit ${plural(counts["weekly-limit"], "time")}`,
      ].filter(Boolean);
      reasons.push(
        `At most ${mostFree} of the ${plural(others, "inspector")} ${conflicted.length > 0 ? "without a conflict " : ""}${mostFree === 1 ? "is" : "are"} free on the same working day` +
          (why.length > 0 ? ` (counting inspector-days: ${listNames(why as string[])})` : ""),
      );
    }
    const testers = inspectors.filter((inspector, i) => technical[i] && !p.conflicted[i]!.every(Boolean));
    if (testers.length === 0) reasons.push("No inspector without a conflict of interest does technical testing");
    else if (daysWithoutTester > 0) reasons.push(`On the ${plural(daysWithoutTester, "working day")} when ${teamWords} were free, none of them does technical testing`);
    return reasons;
  }

  return { visits, unplaced };
}

function ordinalSuffix(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return "th";
  return n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
}
