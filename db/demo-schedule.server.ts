/**
 * Demo scheduling data: profiles for the 12 demo inspectors (spread over the regions), leave, conflicts of
 * interest (seedDemoInspectors), then a past round whose visits are completed, and an open round with accepted
 * visits in the next quarter, one of them to RJ1 (Guy's and St Thomas'), so the surprise can be tried with
 * trust.rj1@deepdive.test (seedDemoRounds). db/seed.server.ts runs the two apart: the earlier rounds with the demo
 * inspections (db/demo-inspections.server.ts) come between them, as they happened before.
 *
 * Dates follow the day the demo is seeded (the previous and next calendar quarters), so the demo always has a past
 * and a future. The rounds go through the same functions as the pages (open, draw, plan, accept, close), so the
 * demo obeys every rule the product enforces.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { conflictsOfInterest, inspectorLeave, inspectorProfiles, selectionPicks, users, visits } from "./schema";
import { recordAudit, SYSTEM_ACTOR, type Actor } from "../app/audit/audit.server";
import { writeTransaction, type Db } from "../app/db.server";
import { acceptSchedule, planSchedule } from "../app/scheduling/schedule.server";
import { addCalendarDays } from "../app/scheduling/working-days";
import { closeRound, drawRound, openRound, overridePick } from "../app/selection/rounds.server";
import { todayInLondon } from "../app/trusts/register.server";

/** The trust whose users test the surprise: it is always in the open demo round. */
export const DEMO_SCHEDULED_TRUST = "RJ1";

type Skill = "technical_testing" | "governance_risk";
interface DemoProfile {
  region: string;
  base: string;
  baseTrust: string;
  skills: Skill[];
  maxPerWeek: number;
  nonWorking: number[];
}

/** inspector1 … inspector12, in order. */
const PROFILES: DemoProfile[] = [
  { region: "Y56", base: "London office (SE1)", baseTrust: "RJZ", skills: ["technical_testing", "governance_risk"], maxPerWeek: 2, nonWorking: [] },
  { region: "Y56", base: "London office (NW3)", baseTrust: "RAL", skills: ["governance_risk"], maxPerWeek: 2, nonWorking: [5] },
  { region: "Y63", base: "Newcastle office", baseTrust: "RTD", skills: ["technical_testing"], maxPerWeek: 2, nonWorking: [] },
  { region: "Y63", base: "Leeds office", baseTrust: "RR8", skills: ["governance_risk"], maxPerWeek: 3, nonWorking: [] },
  { region: "Y62", base: "Manchester office", baseTrust: "R0A", skills: ["technical_testing", "governance_risk"], maxPerWeek: 2, nonWorking: [] },
  { region: "Y62", base: "Liverpool (home-based)", baseTrust: "REM", skills: ["governance_risk"], maxPerWeek: 2, nonWorking: [1] },
  { region: "Y60", base: "Birmingham office", baseTrust: "RRK", skills: ["technical_testing"], maxPerWeek: 2, nonWorking: [] },
  { region: "Y60", base: "Leicester (home-based)", baseTrust: "RWE", skills: ["governance_risk"], maxPerWeek: 2, nonWorking: [] },
  { region: "Y58", base: "Bristol office", baseTrust: "RA7", skills: ["technical_testing", "governance_risk"], maxPerWeek: 2, nonWorking: [] },
  { region: "Y59", base: "Oxford (home-based)", baseTrust: "RTH", skills: ["governance_risk"], maxPerWeek: 2, nonWorking: [3] },
  { region: "Y61", base: "Cambridge (home-based)", baseTrust: "RGT", skills: ["technical_testing"], maxPerWeek: 2, nonWorking: [] },
  { region: "Y59", base: "Southampton office", baseTrust: "RHM", skills: ["governance_risk", "technical_testing"], maxPerWeek: 3, nonWorking: [] },
];

/** The first day of the calendar quarter `offset` quarters from the one holding `date` (yyyy-mm-dd). */
export function quarterStart(date: string, offset: number): string {
  const [year, month] = date.split("-").map(Number) as [number, number];
  const index = year * 4 + Math.floor((month - 1) / 3) + offset;
  return `${Math.floor(index / 4)}-${String((index % 4) * 3 + 1).padStart(2, "0")}-01`;
}

export const quarterEnd = (start: string) => addCalendarDays(quarterStart(start, 1), -1);

export interface DemoStaff {
  lead: { id: string; email: string };
  /** inspector1 … inspector12, in order. */
  inspectors: { id: string; email: string }[];
  /** Audited as the demo seed (not as the lead signing in), acting with the lead's account. */
  actor: Actor;
}

/** The demo programme lead and the 12 demo inspectors (seeded by db/seed.server.ts before any of this). */
export function demoStaff(db: Db): DemoStaff {
  const inspectors = db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.role, "inspector"), eq(users.isDemo, true)))
    .all()
    .sort((a, b) => a.email.localeCompare(b.email, "en", { numeric: true }));
  const lead = db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, "lead@deepdive.test")).get();
  if (!lead || inspectors.length < PROFILES.length) throw new Error("The demo schedule needs the demo lead and 12 demo inspectors");
  return { lead, inspectors, actor: { userId: lead.id, label: "demo seed", clientAddress: null } };
}

export interface DemoScheduleReport {
  inspectors: number;
  pastVisits: number;
  futureVisits: number;
}

/** Profiles for the 12 demo inspectors, some leave, and conflicts of interest (inspector1 with RJ1). */
export function seedDemoInspectors(db: Db, now = new Date()): number {
  const today = todayInLondon(now);
  const { inspectors, lead } = demoStaff(db);
  const inspector = (n: number) => inspectors[n - 1]!.id;
  const nextStart = quarterStart(today, 1);
  const pastStart = quarterStart(today, -1);

  writeTransaction((tx) => {
    PROFILES.forEach((p, i) => {
      tx.insert(inspectorProfiles)
        .values({
          userId: inspector(i + 1),
          homeRegionCode: p.region,
          baseLabel: p.base,
          baseTrustCode: p.baseTrust,
          skills: JSON.stringify(p.skills),
          maxVisitsPerWeek: p.maxPerWeek,
          nonWorkingWeekdays: JSON.stringify(p.nonWorking),
          updatedAt: now.toISOString(),
          updatedBy: lead.id,
        })
        .run();
    });
    const leave = (n: number, start: string, days: number, kind: "leave" | "training", note: string) =>
      tx.insert(inspectorLeave)
        .values({ id: randomUUID(), inspectorId: inspector(n), startDate: start, endDate: addCalendarDays(start, days - 1), kind, note, createdBy: inspector(n) })
        .run();
    leave(1, addCalendarDays(nextStart, 14), 5, "leave", "Half-term");
    leave(3, addCalendarDays(nextStart, 35), 10, "leave", "");
    leave(5, addCalendarDays(nextStart, 7), 2, "training", "CREST course");
    leave(9, addCalendarDays(pastStart, 28), 5, "leave", "");
    leave(12, addCalendarDays(nextStart, 56), 5, "leave", "");
    const conflict = (n: number, trustCode: string, reason: string, until: string) =>
      tx.insert(conflictsOfInterest)
        .values({ id: randomUUID(), inspectorId: inspector(n), trustCode, reason, until, declaredBy: inspector(n) })
        .run();
    conflict(1, DEMO_SCHEDULED_TRUST, "Worked in the trust's IT department until last year", addCalendarDays(today, 540));
    conflict(4, "RR8", "Partner works in the trust's digital team", addCalendarDays(today, 365));
    conflict(7, "RRK", "Former employer", addCalendarDays(today, 200));
    recordAudit(tx, SYSTEM_ACTOR, { action: "demo.inspectors-seeded", objectType: "install", summary: { profiles: PROFILES.length, leave: 5, conflicts: 3 } });
  }, db);

  return PROFILES.length;
}

/** The last quarter's round (visits completed, closed) and the next quarter's (accepted visits, RJ1 among them). */
/**
 * `keepOut`: trusts the open round must not hold, because a later step of the seed picks them in this quarter's round
 * (a trust picked in a round not yet closed cannot be picked in another, and the draw is random).
 */
export function seedDemoRounds(db: Db, now = new Date(), keepOut: readonly string[] = []): Omit<DemoScheduleReport, "inspectors"> {
  const today = todayInLondon(now);
  const { lead, actor } = demoStaff(db);
  const nextStart = quarterStart(today, 1);
  const pastStart = quarterStart(today, -1);

  // The past round: drawn, planned, accepted, done, closed. RJ1 is kept out of it (its demo inspection a year ago
  // makes it recently inspected for this round anyway), so it is not "recently inspected" for the open round.
  const pastRound = openRound(
    { name: "Demo round (last quarter)", periodStart: pastStart, periodEnd: quarterEnd(pastStart), capacity: 12, minMonthsSinceInspection: 12, validationShare: 0.1 },
    actor,
    db,
  );
  drawRound(pastRound, actor, db);
  const pastPick = db
    .select({ id: selectionPicks.id })
    .from(selectionPicks)
    .where(and(eq(selectionPicks.roundId, pastRound), eq(selectionPicks.trustCode, DEMO_SCHEDULED_TRUST)))
    .get();
  if (pastPick) overridePick(pastRound, { action: "remove", trustCode: DEMO_SCHEDULED_TRUST, reason: "Inspected by another programme this year (demo)" }, actor, db);
  planSchedule(pastRound, 2, actor, db, now);
  acceptSchedule(pastRound, actor, db, now);
  const pastVisits = writeTransaction((tx) => {
    const done = tx
      .update(visits)
      .set({ status: "completed", updatedAt: now.toISOString(), updatedBy: lead.id })
      .where(and(eq(visits.roundId, pastRound), inArray(visits.status, ["scheduled"])))
      .returning({ id: visits.id })
      .all();
    recordAudit(tx, SYSTEM_ACTOR, { action: "demo.visits-completed", objectType: "selection_round", objectId: pastRound, summary: { visits: done.length } });
    return done.length;
  }, db);
  closeRound(pastRound, actor, db);

  // The open round: next quarter, accepted visits, RJ1 among them.
  const openRoundId = openRound(
    { name: "Demo round (next quarter)", periodStart: nextStart, periodEnd: quarterEnd(nextStart), capacity: 14, minMonthsSinceInspection: 12, validationShare: 0.1 },
    actor,
    db,
  );
  drawRound(openRoundId, actor, db);
  const picked = db
    .select({ id: selectionPicks.id })
    .from(selectionPicks)
    .where(and(eq(selectionPicks.roundId, openRoundId), eq(selectionPicks.trustCode, DEMO_SCHEDULED_TRUST)))
    .get();
  if (!picked) overridePick(openRoundId, { action: "add", trustCode: DEMO_SCHEDULED_TRUST, reason: "Ransomware near-miss reported to the programme (demo)" }, actor, db);
  for (const trustCode of keepOut) {
    const kept = db
      .select({ id: selectionPicks.id })
      .from(selectionPicks)
      .where(and(eq(selectionPicks.roundId, openRoundId), eq(selectionPicks.trustCode, trustCode), isNull(selectionPicks.removedAt)))
      .get();
    if (kept) overridePick(openRoundId, { action: "remove", trustCode, reason: "Inspected this quarter (demo)" }, actor, db);
  }
  planSchedule(openRoundId, 2, actor, db, now);
  const futureVisits = acceptSchedule(openRoundId, actor, db, now);
  return { pastVisits, futureVisits };
}
