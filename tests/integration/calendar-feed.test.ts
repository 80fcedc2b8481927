/**
 * "My visits" and the private calendar feed over real HTTP and a real SQLite file: an inspector sees only their own
 * scheduled and completed visits; the feed (read with ical.js, an independent parser) holds exactly those, as
 * confidential all-day events; rotating the link kills the old one at once, turning it off kills it too; disabled
 * accounts and former inspectors get 404; other roles get 404; every download is audited, and the token appears in
 * no audit event and no server output.
 *
 * Visits are inserted straight into the server's database file, around whatever demo visits the template may hold:
 * expectations are either about the visits made here (found by id) or a query of the database.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCalendarDateWithWeekday } from "../../app/ui/dates";
import { Client, readPage, signedIn } from "../support/http";
import { parseCalendar } from "../support/ical";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let inspector1: Client;
let inspector2: Client;
let fresh: Client;
const ids = { inspector1: "", inspector2: "", fresh: "", lead: "" };

/** Opens the server's database file directly, as the selection tests do. */
function withSqlite<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(server.databaseFile);
  db.pragma("busy_timeout = 5000");
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** A calendar date `days` from today (UTC; the visits here are weeks from today, so the London/UTC edge never matters). */
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface TestVisit {
  id: string;
  trustCode: string;
  trustName: string;
  date: string;
  status: "proposed" | "scheduled" | "completed" | "cancelled";
  team: [string, "lead" | "member"][];
}

const visit = {} as Record<"upcoming" | "completed" | "pastScheduled" | "proposed" | "cancelled" | "othersOnly" | "onlyMine" | "freshOnes", TestVisit>;

/** The visits the database says the inspector should see: scheduled or completed, on the team. */
const expectedVisitIds = (inspectorId: string) =>
  withSqlite((db) =>
    (
      db
        .prepare(
          `SELECT v.id FROM visits v JOIN visit_team_members t ON t.visit_id = v.id
           WHERE t.inspector_id = ? AND v.status IN ('scheduled', 'completed') ORDER BY v.id`,
        )
        .all(inspectorId) as { id: string }[]
    ).map((r) => r.id),
  );

interface AuditRow {
  seq: number;
  action: string;
  actor_user_id: string | null;
  actor_label: string;
  client_address: string | null;
  object_type: string | null;
  object_id: string | null;
  summary: string;
}
const auditSince = (seq: number, action: string) =>
  withSqlite((db) => db.prepare("SELECT * FROM audit_events WHERE seq > ? AND action = ? ORDER BY seq").all(seq, action) as AuditRow[]);
const lastSeq = () => withSqlite((db) => (db.prepare("SELECT coalesce(max(seq), 0) AS s FROM audit_events").get() as { s: number }).s);
const allAuditText = () =>
  withSqlite(
    (db) =>
      (db.prepare("SELECT group_concat(coalesce(summary, '') || ' ' || coalesce(object_id, '') || ' ' || action, '\n') AS t FROM audit_events").get() as {
        t: string;
      }).t,
  );

const FEED_URL = /http:\/\/127\.0\.0\.1:\d+(\/calendar\/([A-Za-z0-9_-]{43})\/deep-dive\.ics)/;

/** Makes (or remakes) the client's calendar link on the page, and returns the link's path and token. */
async function createLink(client: Client): Promise<{ path: string; token: string; page: string }> {
  const response = await client.post("/my-visits", { intent: "create" });
  expect(response.status).toBe(200);
  const page = await readPage(response);
  expect(page).toContain("Copy this link now: it will not be shown again. Anyone with the link can see your visits, so keep it private.");
  const match = FEED_URL.exec(page);
  expect(match, "the page shows the calendar link").not.toBeNull();
  return { path: match![1]!, token: match![2]!, page };
}

/** Fetches a feed with no session at all, as a calendar app does. */
const fetchFeed = (path: string) => new Client(server.url).get(path);

beforeAll(async () => {
  server = await startServer();
  withSqlite((db) => {
    const idOf = (email: string) => (db.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: string }).id;
    ids.inspector1 = idOf("inspector1@deepdive.test");
    ids.inspector2 = idOf("inspector2@deepdive.test");
    ids.lead = idOf("lead@deepdive.test");
    // An inspector of our own, with the demo password, whose visits are only those made here.
    ids.fresh = randomUUID();
    db.prepare(
      `INSERT INTO users (id, email, name, role, password_hash, is_demo)
       SELECT ?, 'inspector.calendar@deepdive.test', 'Casey Calendar (test inspector)', 'inspector', password_hash, 1 FROM users WHERE id = ?`,
    ).run(ids.fresh, ids.inspector1);

    const roundId = randomUUID();
    db.prepare(
      `INSERT INTO selection_rounds (id, name, period_start, period_end, capacity, min_months_since_inspection, validation_share, seed, commitment, status, created_by)
       VALUES (?, 'Calendar feed tests', ?, ?, 10, 0, 0.1, ?, ?, 'closed', ?)`,
    ).run(roundId, daysFromToday(-400), daysFromToday(400), "ab".repeat(32), "cd".repeat(32), ids.lead);

    const trusts = db.prepare("SELECT ods_code AS code, name FROM trusts WHERE closed_on IS NULL ORDER BY ods_code LIMIT 8").all() as { code: string; name: string }[];
    const make = (n: number, date: string, status: TestVisit["status"], team: TestVisit["team"]): TestVisit => ({
      id: randomUUID(),
      trustCode: trusts[n]!.code,
      trustName: trusts[n]!.name,
      date,
      status,
      team,
    });
    visit.upcoming = make(0, daysFromToday(40), "scheduled", [[ids.inspector2, "member"], [ids.inspector1, "lead"]]);
    visit.completed = make(1, daysFromToday(-60), "completed", [[ids.inspector2, "lead"], [ids.inspector1, "member"]]);
    visit.pastScheduled = make(2, daysFromToday(-30), "scheduled", [[ids.inspector1, "lead"]]);
    visit.proposed = make(3, daysFromToday(50), "proposed", [[ids.inspector1, "lead"], [ids.inspector2, "member"]]);
    visit.cancelled = make(4, daysFromToday(45), "cancelled", [[ids.inspector1, "lead"], [ids.inspector2, "member"]]);
    visit.othersOnly = make(5, daysFromToday(41), "scheduled", [[ids.inspector2, "lead"]]);
    visit.onlyMine = make(6, daysFromToday(42), "scheduled", [[ids.inspector1, "lead"]]);
    visit.freshOnes = make(7, daysFromToday(43), "scheduled", [[ids.fresh, "lead"]]);
    const insertVisit = db.prepare(
      "INSERT INTO visits (id, round_id, trust_code, visit_date, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 2, ?, ?)",
    );
    const insertMember = db.prepare("INSERT INTO visit_team_members (visit_id, inspector_id, role) VALUES (?, ?, ?)");
    for (const v of Object.values(visit)) {
      insertVisit.run(v.id, roundId, v.trustCode, v.date, v.status, "2026-01-02T10:00:00.000Z", "2026-01-05T11:22:33.000Z");
      for (const [inspectorId, role] of v.team) insertMember.run(v.id, inspectorId, role);
    }
  });
  [inspector1, inspector2, fresh] = await Promise.all([
    signedIn(server.url, "inspector1@deepdive.test"),
    signedIn(server.url, "inspector2@deepdive.test"),
    signedIn(server.url, "inspector.calendar@deepdive.test"),
  ]);
});
afterAll(async () => {
  await server?.stop();
});

describe("My visits", () => {
  it("shows an inspector their own scheduled and completed visits, upcoming and past, and audits the view", async () => {
    const before = lastSeq();
    const response = await inspector1.get("/my-visits");
    expect(response.status).toBe(200);
    const page = await readPage(response);
    expect(page).toContain("<title>My visits – Deep Dive</title>");
    expect(page).toMatch(/<h1[^>]*>My visits<\/h1>/);
    const [upcoming, past] = page.split(/<h2[^>]*>Past visits<\/h2>/);
    for (const v of [visit.upcoming, visit.onlyMine]) {
      expect(upcoming).toContain(`href="/visits/${v.id}"`);
      expect(upcoming).toContain(`${v.trustName} (${v.trustCode})`);
      expect(upcoming).toContain(formatCalendarDateWithWeekday(v.date));
    }
    for (const v of [visit.completed, visit.pastScheduled]) expect(past).toContain(`href="/visits/${v.id}"`);
    for (const v of [visit.proposed, visit.cancelled, visit.othersOnly, visit.freshOnes]) expect(page).not.toContain(v.id);
    // The team, lead first, with roles.
    const row = upcoming!.slice(upcoming!.indexOf(visit.upcoming.trustName));
    expect(row.indexOf("Lead: ")).toBeGreaterThan(-1);
    expect(row.indexOf("Lead: ")).toBeLessThan(row.indexOf("Member: "));
    expect(page).toContain(`href="/inspectors/${ids.inspector1}"`);
    expect(page).toContain("Your profile, leave and conflicts of interest");
    // Every visit on the page, and no other, is in the audit event for the view.
    const [viewed] = auditSince(before, "schedule.my-visits-viewed");
    expect(viewed).toMatchObject({ actor_user_id: ids.inspector1, object_id: ids.inspector1 });
    expect((JSON.parse(viewed!.summary) as { visits: string[] }).visits.sort()).toEqual(expectedVisitIds(ids.inspector1));
  });

  it("does not show one inspector another's visits", async () => {
    const page = await readPage(await inspector2.get("/my-visits"));
    for (const v of [visit.upcoming, visit.completed, visit.othersOnly]) expect(page).toContain(`href="/visits/${v.id}"`);
    for (const v of [visit.onlyMine, visit.pastScheduled, visit.proposed, visit.cancelled, visit.freshOnes]) expect(page).not.toContain(v.id);
  });

  it("says so in plain English when there are no visits", async () => {
    withSqlite((db) => db.prepare("UPDATE visits SET status = 'proposed' WHERE id = ?").run(visit.freshOnes.id));
    try {
      const page = await readPage(await fresh.get("/my-visits"));
      expect(page).toContain("You have no visits scheduled.");
      expect(page).toContain("You have no past visits.");
      expect(page).not.toContain(visit.freshOnes.id);
    } finally {
      withSqlite((db) => db.prepare("UPDATE visits SET status = 'scheduled' WHERE id = ?").run(visit.freshOnes.id));
    }
    expect(await readPage(await fresh.get("/my-visits"))).toContain(`href="/visits/${visit.freshOnes.id}"`);
  });

  it("refuses an unknown action on the form", async () => {
    const response = await inspector1.post("/my-visits", { intent: "nonsense" });
    expect(response.status).toBe(400);
    expect(await readPage(response)).toContain("Choose what to do with your calendar link");
  });

  it("is not found for a trust user, a programme lead or an admin, and a random feed link is not found either", async () => {
    const trustUser = await signedIn(server.url, "trust.rj1@deepdive.test");
    const random = `/calendar/${randomBytes(32).toString("base64url")}/deep-dive.ics`;
    for (const client of [trustUser, await signedIn(server.url, "lead@deepdive.test"), await signedIn(server.url, "admin@deepdive.test")]) {
      for (const response of [await client.get("/my-visits"), await client.post("/my-visits", { intent: "create" })]) {
        expect(response.status).toBe(404);
        expect(await response.text()).not.toContain("calendar");
      }
    }
    const feed = await trustUser.get(random);
    expect(feed.status).toBe(404);
    expect(await feed.text()).toBe("Not found");
    expect(withSqlite((db) => db.prepare("SELECT count(*) AS n FROM calendar_feeds WHERE inspector_id IN (SELECT id FROM users WHERE role != 'inspector')").get())).toEqual({
      n: 0,
    });
  });
});

describe("the calendar feed", () => {
  it("holds exactly the inspector's scheduled and completed visits, as confidential all-day events", async () => {
    const { path, token } = await createLink(inspector1);
    const response = await fetchFeed(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="deep-dive.ics"; filename*=UTF-8''deep-dive.ics`);
    // server.js sets no-store on every response, and the route sets it too (Express then sends both).
    expect(new Set(response.headers.get("cache-control")?.split(/,\s*/))).toEqual(new Set(["no-store"]));
    expect(response.headers.get("x-robots-tag")).toBe("noindex");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    const text = await response.text();
    const calendar = parseCalendar(text);
    expect(calendar.props["X-WR-CALNAME"]).toBe("Deep Dive – my visits");
    expect(calendar.events.map((e) => e.uid).sort()).toEqual(expectedVisitIds(ids.inspector1).map((id) => `${id}@deep-dive`));
    const uids = new Set(calendar.events.map((e) => e.uid));
    for (const v of [visit.upcoming, visit.completed, visit.pastScheduled, visit.onlyMine]) expect(uids).toContain(`${v.id}@deep-dive`);
    for (const v of [visit.proposed, visit.cancelled, visit.othersOnly, visit.freshOnes]) expect(uids).not.toContain(`${v.id}@deep-dive`);
    for (const event of calendar.events) {
      expect(event.props.CLASS).toBe("CONFIDENTIAL");
      expect(event.props.STATUS).toBe("CONFIRMED");
      expect(event.allDay).toBe(true);
    }
    const event = calendar.events.find((e) => e.uid === `${visit.upcoming.id}@deep-dive`)!;
    const trust = withSqlite(
      (db) => db.prepare("SELECT address_lines AS a, postcode AS p FROM trusts WHERE ods_code = ?").get(visit.upcoming.trustCode) as { a: string; p: string | null },
    );
    const [inspector1Name, inspector2Name] = withSqlite((db) =>
      [ids.inspector1, ids.inspector2].map((id) => (db.prepare("SELECT name FROM users WHERE id = ?").get(id) as { name: string }).name),
    );
    expect(event).toMatchObject({
      summary: `Deep Dive visit: ${visit.upcoming.trustName}`,
      start: visit.upcoming.date,
      end: daysFromToday(41),
      stamp: "2026-01-05T11:22:33.000Z",
    });
    expect(event.location).toBe([...trust.a.split(/\r?\n|,/).map((l) => l.trim()).filter(Boolean), ...(trust.p ? [trust.p] : [])].join(", "));
    expect(event.location).not.toBe("");
    expect(event.description).toContain(`Team:\nLead: ${inspector1Name}\nMember: ${inspector2Name}\n`);
    expect(event.description).toContain(`${server.url}/visits/${visit.upcoming.id}`);
    // The same data gives the same feed.
    expect(await (await fetchFeed(path)).text()).toBe(text);
    // The link is shown once: the page never shows it again.
    expect(await readPage(await inspector1.get("/my-visits"))).not.toContain(token);
  });

  it("audits every download as the inspector, and keeps the token out of the audit trail and the server's output", async () => {
    const { path, token } = await createLink(inspector2);
    const before = lastSeq();
    for (let i = 0; i < 3; i += 1) expect((await fetchFeed(path)).status).toBe(200);
    const downloads = auditSince(before, "calendar.feed-downloaded");
    expect(downloads).toHaveLength(3);
    for (const row of downloads) {
      expect(row).toMatchObject({ actor_user_id: ids.inspector2, actor_label: "inspector2@deepdive.test", object_type: "calendar_feed", object_id: ids.inspector2 });
      expect(row.client_address).toMatch(/127\.0\.0\.1/);
      expect((JSON.parse(row.summary) as { visits: string[] }).visits.sort()).toEqual(expectedVisitIds(ids.inspector2));
    }
    // A refused token is not a download.
    expect((await fetchFeed(`/calendar/${randomBytes(32).toString("base64url")}/deep-dive.ics`)).status).toBe(404);
    expect(auditSince(before, "calendar.feed-downloaded")).toHaveLength(3);
    const trail = allAuditText();
    expect(trail).not.toContain(token);
    expect(trail).not.toContain(createHash("sha256").update(token).digest("hex"));
    expect(server.output()).not.toContain(token);
    // Only the hash is stored.
    const stored = withSqlite((db) => db.prepare("SELECT token_hash FROM calendar_feeds WHERE inspector_id = ?").get(ids.inspector2) as { token_hash: string });
    expect(stored.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
  });

  it("stops the old link at once when a new one is made, and every link when the feed is turned off", async () => {
    const before = lastSeq();
    const first = await createLink(fresh);
    expect(first.page).toContain("Create a new link");
    expect((await fetchFeed(first.path)).status).toBe(200);
    const second = await createLink(fresh);
    expect(second.token).not.toBe(first.token);
    const old = await fetchFeed(first.path);
    expect(old.status).toBe(404);
    expect(await old.text()).toBe("Not found");
    const current = await fetchFeed(second.path);
    expect(current.status).toBe(200);
    expect(parseCalendar(await current.text()).events.map((e) => e.uid)).toEqual([`${visit.freshOnes.id}@deep-dive`]);

    const revoked = await fresh.post("/my-visits", { intent: "revoke" });
    expect(revoked.status).toBe(200);
    const page = await readPage(revoked);
    expect(page).toContain("Calendar feed turned off");
    expect(page).toContain("Create a calendar link");
    expect(page).not.toContain("Turn off the calendar feed");
    for (const path of [first.path, second.path]) {
      const response = await fetchFeed(path);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
    expect(withSqlite((db) => db.prepare("SELECT count(*) AS n FROM calendar_feeds WHERE inspector_id = ?").get(ids.fresh))).toEqual({ n: 0 });
    const changes = withSqlite(
      (db) =>
        db.prepare("SELECT action, actor_user_id, object_id FROM audit_events WHERE seq > ? AND action LIKE 'calendar.feed-token-%' ORDER BY seq").all(before) as {
          action: string;
        }[],
    );
    expect(changes).toEqual(
      ["calendar.feed-token-created", "calendar.feed-token-rotated", "calendar.feed-token-revoked"].map((action) => ({
        action,
        actor_user_id: ids.fresh,
        object_id: ids.fresh,
      })),
    );
  });

  it("answers 404 once the inspector is disabled or no longer an inspector, and again when they are back", async () => {
    const { path } = await createLink(fresh);
    expect((await fetchFeed(path)).status).toBe(200);
    const set = (sql: string) => withSqlite((db) => db.prepare(sql).run(ids.fresh));
    set("UPDATE users SET disabled_at = '2026-01-01T00:00:00.000Z' WHERE id = ?");
    expect((await fetchFeed(path)).status).toBe(404);
    set("UPDATE users SET disabled_at = NULL WHERE id = ?");
    expect((await fetchFeed(path)).status).toBe(200);
    set("UPDATE users SET role = 'programme_lead' WHERE id = ?");
    expect((await fetchFeed(path)).status).toBe(404);
    set("UPDATE users SET role = 'inspector' WHERE id = ?");
    expect((await fetchFeed(path)).status).toBe(200);
  });

  it("answers a malformed token with the same plain 404", async () => {
    for (const token of ["x", "a".repeat(44), `${"a".repeat(42)}!`, `${"a".repeat(42)}%2F`, `${"a".repeat(41)}%20a`]) {
      const response = await fetchFeed(`/calendar/${token}/deep-dive.ics`);
      expect(response.status, token).toBe(404);
      expect(await response.text(), token).toBe("Not found");
    }
  });
});
