/**
 * Scheduling over real HTTP and a real SQLite file: the demo schedule keeps every rule; a programme lead plans a
 * round (proposed visits are seen by leads only), accepts it, changes a visit (a change that breaks a rule is
 * refused with every rule explained; a stale form is refused, not silently saved); inspectors see only visits
 * they are on; every view is audited; and a trust user learns nothing: every page they can reach answers the
 * same bytes before and after their trust is scheduled, and every scheduling URL is 404.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSchedule, type Inspector } from "../../app/scheduling/planner";
import { addCalendarDays, isWorkingDay } from "../../app/scheduling/working-days";
import { addTrustUserForUnscheduledTrust } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let lead: Client;

beforeAll(async () => {
  server = await startServer();
  lead = await signedIn(server.url, "lead@deepdive.test");
});
afterAll(async () => {
  await server?.stop();
});

function withSqlite<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(server.databaseFile);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface VisitRow {
  id: string;
  round_id: string;
  trust_code: string;
  visit_date: string;
  status: string;
  version: number;
}

const visitsOf = (roundId: string) =>
  withSqlite((db) => db.prepare("SELECT id, round_id, trust_code, visit_date, status, version FROM visits WHERE round_id = ? ORDER BY visit_date, trust_code").all(roundId) as VisitRow[]);
const teamOf = (visitId: string) =>
  withSqlite((db) => db.prepare("SELECT inspector_id AS id, role FROM visit_team_members WHERE visit_id = ? ORDER BY role, inspector_id").all(visitId) as { id: string; role: string }[]);
const emailOf = (id: string) => withSqlite((db) => (db.prepare("SELECT email FROM users WHERE id = ?").get(id) as { email: string }).email);
const auditCount = (action: string, objectId: string) =>
  withSqlite((db) => (db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = ? AND object_id = ?").get(action, objectId) as { n: number }).n);

const dateFields = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split("-");
  return { [`${prefix}Day`]: String(Number(d)), [`${prefix}Month`]: String(Number(m)), [`${prefix}Year`]: y! };
};

/** Opens and draws a round over HTTP; returns its id. */
async function openAndDraw(name: string, start: string, end: string, capacity = 6): Promise<string> {
  const opened = await lead.post("/selection/new", { name, ...dateFields("periodStart", start), ...dateFields("periodEnd", end), capacity: String(capacity), minMonthsSinceInspection: "0" });
  const id = /^\/selection\/([0-9a-f-]{36})/.exec(opened.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`could not open a round: ${opened.status}`);
  expect((await lead.post(`/selection/${id}`, { intent: "draw" })).status).toBe(302);
  return id;
}

/** The period after every demo round, so new rounds do not compete with the demo's visits. */
function laterPeriod(quartersAhead: number): { start: string; end: string } {
  const lastEnd = withSqlite((db) => (db.prepare("SELECT max(period_end) AS d FROM selection_rounds").get() as { d: string }).d);
  const start = addCalendarDays(lastEnd, 1 + 91 * quartersAhead);
  return { start, end: addCalendarDays(start, 90) };
}

describe("the demo schedule", () => {
  it("has 12 inspector profiles, leave, conflicts, a past round of completed visits and an open round with RJ1 ahead", () => {
    const counts = withSqlite((db) => ({
      profiles: (db.prepare("SELECT count(*) AS n FROM inspector_profiles").get() as { n: number }).n,
      regions: (db.prepare("SELECT count(DISTINCT home_region_code) AS n FROM inspector_profiles").get() as { n: number }).n,
      leave: (db.prepare("SELECT count(*) AS n FROM inspector_leave").get() as { n: number }).n,
      conflicts: (db.prepare("SELECT count(*) AS n FROM conflicts_of_interest").get() as { n: number }).n,
      completed: (db.prepare("SELECT count(*) AS n FROM visits WHERE status = 'completed'").get() as { n: number }).n,
      rj1: db.prepare("SELECT v.visit_date AS date, v.status FROM visits v JOIN selection_rounds r ON r.id = v.round_id WHERE v.trust_code = 'RJ1' AND r.status = 'drawn'").get() as
        | { date: string; status: string }
        | undefined,
    }));
    expect(counts.profiles).toBe(12);
    expect(counts.regions).toBe(7);
    expect(counts.leave).toBeGreaterThan(0);
    expect(counts.conflicts).toBeGreaterThan(0);
    expect(counts.completed).toBeGreaterThan(0);
    expect(counts.rj1?.status).toBe("scheduled");
    expect(counts.rj1!.date > new Date().toISOString().slice(0, 10)).toBe(true);
  });

  it("keeps every hard rule, checked independently from the database rows", () => {
    const { visits, inspectors, holidays, rounds } = withSqlite((db) => {
      const visits = db
        .prepare(
          `SELECT v.id, v.round_id AS roundId, v.trust_code AS trustCode, v.visit_date AS date,
                  (SELECT inspector_id FROM visit_team_members WHERE visit_id = v.id AND role = 'lead') AS leadId,
                  (SELECT json_group_array(inspector_id) FROM visit_team_members WHERE visit_id = v.id AND role = 'member') AS members
           FROM visits v WHERE v.status <> 'cancelled' ORDER BY v.visit_date`,
        )
        .all() as { id: string; roundId: string; trustCode: string; date: string; leadId: string; members: string }[];
      const profiles = db.prepare("SELECT p.*, u.name FROM inspector_profiles p JOIN users u ON u.id = p.user_id").all() as Record<string, string | number>[];
      const leave = db.prepare("SELECT inspector_id, start_date, end_date FROM inspector_leave WHERE cancelled_at IS NULL").all() as Record<string, string>[];
      const conflicts = db.prepare("SELECT inspector_id, trust_code, until FROM conflicts_of_interest WHERE withdrawn_at IS NULL").all() as Record<string, string>[];
      const inspectors: Inspector[] = profiles.map((p) => ({
        id: String(p.user_id),
        name: String(p.name),
        homeRegionCode: String(p.home_region_code),
        base: null,
        skills: JSON.parse(String(p.skills)),
        maxVisitsPerWeek: Number(p.max_visits_per_week),
        nonWorkingWeekdays: JSON.parse(String(p.non_working_weekdays)),
        leave: leave.filter((l) => l.inspector_id === p.user_id).map((l) => ({ start: l.start_date!, end: l.end_date! })),
        conflicts: conflicts.filter((c) => c.inspector_id === p.user_id).map((c) => ({ trustCode: c.trust_code!, until: c.until! })),
      }));
      const holidays = new Set((db.prepare("SELECT date FROM bank_holidays").all() as { date: string }[]).map((h) => h.date));
      const rounds = db.prepare("SELECT id, period_start AS start, period_end AS end FROM selection_rounds").all() as { id: string; start: string; end: string }[];
      return { visits, inspectors, holidays, rounds };
    });
    expect(visits.length).toBeGreaterThan(10);
    for (const round of rounds) {
      const own = visits.filter((v) => v.roundId === round.id);
      const breaches = checkSchedule(
        {
          seed: "0".repeat(64),
          period: { start: round.start, end: round.end },
          holidays,
          picks: own.map((v, i) => ({ trustCode: v.trustCode, trustName: v.trustCode, regionCode: "", location: null, priority: i })),
          inspectors,
          existingVisits: visits.filter((v) => v.roundId !== round.id).map((v) => ({ date: v.date, trustCode: `${v.trustCode}@${v.roundId}`, inspectorIds: [v.leadId, ...JSON.parse(v.members)] })),
        },
        own.map((v) => ({ trustCode: v.trustCode, date: v.date, leadId: v.leadId, memberIds: JSON.parse(v.members) })),
      );
      // Leave seeded in the past round's period happened after its visits were completed, so only open rounds are held to it.
      expect(breaches.filter((b) => b.rule !== "leave" || own.some((v) => v.date > new Date().toISOString().slice(0, 10)))).toEqual([]);
      for (const v of own) expect(isWorkingDay(v.date, holidays)).toBe(true);
    }
  });
});

describe("a programme lead plans, accepts and changes a round's visits", () => {
  let roundId = "";
  const period = { start: "", end: "" };

  beforeAll(async () => {
    Object.assign(period, laterPeriod(0));
    roundId = await openAndDraw("Scheduling test round", period.start, period.end, 6);
  });

  it("plans proposed visits that only programme leads can see", async () => {
    const before = await lead.get(`/selection/${roundId}/schedule`);
    expect(before.status).toBe(200);
    expect(await readPage(before)).toContain("Not planned");

    const planned = await lead.post(`/selection/${roundId}/schedule`, { intent: "plan", teamSize: "2" });
    expect(planned.status).toBe(302);
    const visits = visitsOf(roundId);
    expect(visits.length).toBeGreaterThan(0);
    expect(visits.every((v) => v.status === "proposed" && v.visit_date >= period.start && v.visit_date <= period.end)).toBe(true);

    const page = await readPage(await lead.get(`/selection/${roundId}/schedule?done=planned`));
    expect(page).toContain("Proposed: not yet accepted");
    expect(page).toContain("Accept the schedule");

    // The team does not see a proposal, not even by its address.
    const team = teamOf(visits[0]!.id);
    const member = await signedIn(server.url, emailOf(team[0]!.id));
    expect((await member.get(`/visits/${visits[0]!.id}`)).status).toBe(404);
    expect(await readPage(await member.get("/my-visits"))).not.toContain(visits[0]!.id);
  });

  it("shows the month calendar and audits every view", async () => {
    const viewsBefore = auditCount("schedule.viewed", roundId);
    const calendar = await lead.get(`/selection/${roundId}/schedule?view=calendar`);
    expect(calendar.status).toBe(200);
    const html = await readPage(calendar);
    expect(html).toContain("app-month-calendar");
    for (const v of visitsOf(roundId)) expect(html).toContain(`/visits/${v.id}`);
    expect(auditCount("schedule.viewed", roundId)).toBe(viewsBefore + 1);
  });

  it("accepts the schedule: the teams see their visits, others get 404", async () => {
    expect((await lead.post(`/selection/${roundId}/schedule`, { intent: "accept" })).status).toBe(302);
    const visits = visitsOf(roundId);
    expect(visits.every((v) => v.status === "scheduled")).toBe(true);
    const visit = visits[0]!;
    const team = teamOf(visit.id);
    const onTeam = await signedIn(server.url, emailOf(team[0]!.id));
    const viewed = auditCount("visit.viewed", visit.id);
    const page = await onTeam.get(`/visits/${visit.id}`);
    expect(page.status).toBe(200);
    // An inspector is sent what their page shows: not the round, nor the planner's reasons (leads only).
    const html = await readPage(page);
    expect(html).not.toContain(roundId);
    expect(html).not.toContain("Scheduling test round");
    expect(auditCount("visit.viewed", visit.id)).toBe(viewed + 1);
    expect(await readPage(await onTeam.get("/my-visits"))).toContain(`/visits/${visit.id}`);

    const teamIds = new Set(team.map((m) => m.id));
    const outsiderEmail = withSqlite(
      (db) => (db.prepare("SELECT id, email FROM users WHERE role = 'inspector' ORDER BY email").all() as { id: string; email: string }[]).find((u) => !teamIds.has(u.id))!.email,
    );
    const outsider = await signedIn(server.url, outsiderEmail);
    expect((await outsider.get(`/visits/${visit.id}`)).status).toBe(404);
    expect((await outsider.get(`/visits/${visit.id}/change`)).status).toBe(404);
    expect((await outsider.get(`/selection/${roundId}/schedule`)).status).toBe(404);
    expect(await readPage(await outsider.get("/my-visits"))).not.toContain(`/visits/${visit.id}`);
  });

  it("refuses a change that breaks rules, explaining each, and saves nothing", async () => {
    const [visit, other] = visitsOf(roundId);
    const team = teamOf(visit!.id);
    const leadId = team.find((m) => m.role === "lead")!.id;
    // A Saturday outside the period, with the lead also as the member.
    const saturday = (() => {
      let d = addCalendarDays(period.end, 1);
      while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 6) d = addCalendarDays(d, 1);
      return d;
    })();
    const response = await lead.post(`/visits/${visit!.id}/change`, {
      intent: "save",
      version: String(visit!.version),
      ...dateFields("date", saturday),
      leadId,
      member1: leadId,
      member2: "",
      reason: "Testing the rules",
    });
    expect(response.status).toBe(400);
    const html = await readPage(response);
    expect(html).toContain("is outside the period");
    expect(html).toContain("not a working day");
    expect(html).toContain("is on the team twice");
    expect(visitsOf(roundId).find((v) => v.id === visit!.id)).toEqual(visit);

    // Onto the other visit's team and day: double-booked.
    const otherTeam = teamOf(other!.id);
    const clash = await lead.post(`/visits/${visit!.id}/change`, {
      intent: "check",
      ...dateFields("date", other!.visit_date),
      leadId: otherTeam[0]!.id,
      member1: team.find((m) => m.role === "member")!.id === otherTeam[0]!.id ? leadId : team.find((m) => m.role === "member")!.id,
      member2: "",
    });
    expect(clash.status).toBe(200);
    expect(await readPage(clash)).toContain("already has a visit on");
  });

  it("saves a change that keeps every rule, needs a reason once accepted, and refuses a stale form", async () => {
    const visit = visitsOf(roundId)[0]!;
    const team = teamOf(visit.id);
    const fields = {
      ...dateFields("date", visit.visit_date),
      leadId: team.find((m) => m.role === "member")!.id,
      member1: team.find((m) => m.role === "lead")!.id,
      member2: "",
    };
    const noReason = await lead.post(`/visits/${visit.id}/change`, { intent: "save", version: String(visit.version), ...fields, reason: "" });
    expect(noReason.status).toBe(400);
    expect(await readPage(noReason)).toContain("Enter the reason for the change");

    const saved = await lead.post(`/visits/${visit.id}/change`, { intent: "save", version: String(visit.version), ...fields, reason: "Swap the lead" });
    // The same people on the same day, lead and member swapped: every rule still holds.
    expect(saved.status).toBe(302);
    const after = visitsOf(roundId).find((v) => v.id === visit.id)!;
    expect(after.version).toBe(visit.version + 1);
    expect(teamOf(visit.id).find((m) => m.role === "lead")!.id).toBe(fields.leadId);
    expect(auditCount("visit.changed", visit.id)).toBe(1);

    // The same form sent again, from before the change: refused, not silently saved over.
    const stale = await lead.post(`/visits/${visit.id}/change`, { intent: "save", version: String(visit.version), ...fields, member1: fields.leadId, leadId: fields.member1, reason: "Stale" });
    expect(stale.status).toBe(409);
    expect(await readPage(stale)).toContain("Someone else changed this visit");
    expect(visitsOf(roundId).find((v) => v.id === visit.id)!.version).toBe(visit.version + 1);
  });

  it("flags a visit whose team member can no longer inspect", async () => {
    const visit = visitsOf(roundId).find((v) => v.status === "scheduled")!;
    const member = teamOf(visit.id).find((m) => m.role === "member")!;
    const page = async () => readPage(await lead.get(`/selection/${roundId}/schedule`));
    expect(await page()).not.toContain("can no longer be planned");
    withSqlite((db) => db.prepare("UPDATE users SET disabled_at = ? WHERE id = ?").run(new Date().toISOString(), member.id));
    try {
      expect(await page()).toContain("can no longer be planned for visits (account disabled or no inspector profile)");
    } finally {
      withSqlite((db) => db.prepare("UPDATE users SET disabled_at = NULL WHERE id = ?").run(member.id));
    }
  });

  it("cancels a visit when its trust is removed from the round", async () => {
    const visit = visitsOf(roundId).at(-1)!;
    expect((await lead.post(`/selection/${roundId}`, { intent: "remove", removeTrustCode: visit.trust_code, removeReason: "No longer needed" })).status).toBe(302);
    expect(visitsOf(roundId).find((v) => v.id === visit.id)!.status).toBe("cancelled");
  });
});

describe("the surprise holds for a trust user", () => {
  const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

  /** What a trust user's browser can fetch: their pages, and the scheduling URLs they might guess. */
  async function snapshot(client: Client, urls: string[]) {
    const out: Record<string, { status: number; length: string | null; body: string }> = {};
    for (const url of urls) {
      const response = await client.get(url);
      // The CSP nonce differs on every response (same length); nothing else may.
      const body = (await response.text()).replace(/nonce="[^"]*"/g, 'nonce=""').replace(/'nonce-[^']*'/g, "'nonce-'");
      out[url] = { status: response.status, length: String(body.length), body };
    }
    return out;
  }

  it("sees the same bytes before and after their trust is scheduled, and 404 on every scheduling URL", async () => {
    const { trustCode } = addTrustUserForUnscheduledTrust(server.databaseFile, "trust.surprise@deepdive.test");
    const trustUser = await signedIn(server.url, "trust.surprise@deepdive.test");
    const demoRound = withSqlite((db) => (db.prepare("SELECT id FROM selection_rounds WHERE status = 'drawn' ORDER BY created_at LIMIT 1").get() as { id: string }).id);
    const demoVisit = visitsOf(demoRound)[0]!.id;
    const urls = [
      "/",
      "/portal",
      "/sign-in",
      "/no-such-page",
      "/my-visits",
      "/inspectors",
      `/trusts/${trustCode}`,
      `/risk/trusts/${trustCode}`,
      "/selection",
      `/selection/${demoRound}/schedule`,
      `/visits/${demoVisit}`,
      `/visits/${demoVisit}/change`,
      "/calendar/not-a-real-token/deep-dive.ics",
      `/visits/${NO_SUCH_ID}`,
      `/selection/${NO_SUCH_ID}/schedule`,
    ];
    const before = await snapshot(trustUser, urls);

    // The lead schedules the trust: a round with it added by hand, planned and accepted.
    const { start, end } = laterPeriod(1);
    const roundId = await openAndDraw("Surprise round", start, end, 3);
    const picked = withSqlite((db) => db.prepare("SELECT 1 FROM selection_picks WHERE round_id = ? AND trust_code = ?").get(roundId, trustCode));
    if (!picked) expect((await lead.post(`/selection/${roundId}`, { intent: "add", addTrustCode: trustCode, addReason: "Surprise test" })).status).toBe(302);
    expect((await lead.post(`/selection/${roundId}/schedule`, { intent: "plan", teamSize: "2" })).status).toBe(302);
    expect((await lead.post(`/selection/${roundId}/schedule`, { intent: "accept" })).status).toBe(302);
    const visit = visitsOf(roundId).find((v) => v.trust_code === trustCode);
    expect(visit?.status).toBe("scheduled");

    const after = await snapshot(trustUser, [...urls, `/visits/${visit!.id}`, `/selection/${roundId}/schedule`]);
    for (const url of urls) expect(after[url], url).toEqual(before[url]);
    // Their own trust's visit and round answer exactly like ones that do not exist.
    expect(after[`/visits/${visit!.id}`]).toEqual(before[`/visits/${NO_SUCH_ID}`]);
    expect(after[`/selection/${roundId}/schedule`]).toEqual(before[`/selection/${NO_SUCH_ID}/schedule`]);
    for (const url of ["/my-visits", "/inspectors", `/selection/${demoRound}/schedule`, `/visits/${demoVisit}`, "/calendar/not-a-real-token/deep-dive.ics"]) {
      expect(before[url]!.status, url).toBe(404);
    }
    // POSTs to scheduling URLs are 404 too, and change nothing.
    expect((await trustUser.post(`/selection/${roundId}/schedule`, { intent: "discard" })).status).toBe(404);
    expect((await trustUser.post(`/visits/${visit!.id}/change`, { intent: "save" })).status).toBe(404);
    expect(visitsOf(roundId).find((v) => v.id === visit!.id)!.status).toBe("scheduled");
  });
});
