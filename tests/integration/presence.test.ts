/**
 * Who else is working in an inspection, over real HTTP: a page view records where its reader is, the team sees each
 * other (and a warning when two of them have the same criterion open), the heartbeat answers with the others, people
 * not seen for a while drop off, and nobody outside the inspection can post a heartbeat or learn who is in it. The
 * heartbeat does not count as activity for the idle session timeout.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

interface Team {
  visitId: string;
  lead: string;
  member: string;
  leadName: string;
  memberName: string;
}

function query<T>(file: string, sql: string, ...params: unknown[]): T {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

/** A scheduled visit without an inspection yet, with its lead and one member. */
function freeVisit(file: string, skip: string[] = []): Team {
  return query<Team>(
    file,
    `SELECT v.id AS visitId, lu.email AS lead, lu.name AS leadName, mu.email AS member, mu.name AS memberName
     FROM visits v
     JOIN visit_team_members l ON l.visit_id = v.id AND l.role = 'lead' JOIN users lu ON lu.id = l.inspector_id
     JOIN visit_team_members m ON m.visit_id = v.id AND m.role = 'member' JOIN users mu ON mu.id = m.inspector_id
     WHERE v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
       AND v.id NOT IN (SELECT value FROM json_each(?))
     ORDER BY v.visit_date, v.id LIMIT 1`,
    JSON.stringify(skip),
  );
}

async function startInspection(server: RunningServer, visitId: string): Promise<string> {
  const lead = await signedIn(server.url, "lead@deepdive.test");
  const profile = query<{ id: number; framework_version_id: number }>(server.databaseFile, "SELECT id, framework_version_id FROM framework_profiles ORDER BY id LIMIT 1");
  const started = await lead.post(`/inspections/new?visit=${visitId}`, { [`profile-${profile.framework_version_id}`]: String(profile.id) });
  const id = /^\/inspections\/([0-9a-f-]{36})$/.exec(started.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`could not start an inspection: ${started.status}`);
  return id;
}

/** The page's text as people read it: tags removed, white space collapsed. */
const textOf = async (response: Response) =>
  (await readPage(response))
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ");

const criteriaOf = (file: string, inspectionId: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare("SELECT c.id, c.code, c.title FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? ORDER BY c.id LIMIT 2")
      .all(inspectionId) as { id: number; code: string; title: string }[];
  } finally {
    db.close();
  }
};

describe("presence in an inspection", () => {
  let server: RunningServer;
  let team: Team;
  let inspectionId: string;
  let first: { id: number; code: string; title: string };
  let second: { id: number; code: string; title: string };
  let lead: Client;
  let member: Client;

  beforeAll(async () => {
    server = await startServer();
    team = freeVisit(server.databaseFile);
    inspectionId = await startInspection(server, team.visitId);
    [first, second] = criteriaOf(server.databaseFile, inspectionId) as [typeof first, typeof second];
    [lead, member] = await Promise.all([signedIn(server.url, team.lead), signedIn(server.url, team.member)]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("shows the team where each other is, and warns when two have the same criterion open", async () => {
    const alone = await textOf(await lead.get(`/inspections/${inspectionId}/criteria/${first.id}`));
    expect(alone).toContain("No one else is working in this inspection just now.");

    const memberOnOverview = await textOf(await member.get(`/inspections/${inspectionId}`));
    expect(memberOnOverview).toContain("Also working in this inspection");
    expect(memberOnOverview).toContain(`${team.leadName} – ${first.code} ${first.title} (now)`);

    // The member opens another criterion: no warning; then the lead's: a warning naming the lead.
    const elsewhere = await textOf(await member.get(`/inspections/${inspectionId}/criteria/${second.id}`));
    expect(elsewhere).not.toContain("also working on this criterion");
    const same = await textOf(await member.get(`/inspections/${inspectionId}/criteria/${first.id}`));
    expect(same).toContain(`${team.leadName} is also working on this criterion.`);

    // And the lead now sees the member on the same criterion.
    const leadAgain = await textOf(await lead.get(`/inspections/${inspectionId}/criteria/${first.id}`));
    expect(leadAgain).toContain(`${team.memberName} is also working on this criterion.`);
  });

  it("answers a heartbeat with the others, and records where the sender is", async () => {
    const beat = await lead.post(`/inspections/${inspectionId}/presence`, { criterionId: String(second.id) });
    expect(beat.status).toBe(200);
    expect(beat.headers.get("cache-control")).toContain("no-store");
    const { others } = (await beat.json()) as { others: { name: string; criterion: { id: number } | null }[] };
    expect(others.map((o) => o.name)).toEqual([team.memberName]);
    expect(others[0]!.criterion?.id).toBe(first.id);
    const memberView = await textOf(await member.get(`/inspections/${inspectionId}`));
    expect(memberView).toContain(`${team.leadName} – ${second.code} ${second.title}`);

    // A criterion that is not the inspection's counts as "somewhere in the inspection".
    const odd = await lead.post(`/inspections/${inspectionId}/presence`, { criterionId: "999999" });
    expect(odd.status).toBe(200);
    const after = await textOf(await member.get(`/inspections/${inspectionId}`));
    expect(after).toContain(`${team.leadName} – the inspection's overview or a section`);
  });

  it("drops people not seen within the window", async () => {
    const db = new Database(server.databaseFile);
    try {
      db.prepare("UPDATE inspection_presence SET seen_at = ? WHERE inspection_id = ? AND user_id = (SELECT id FROM users WHERE email = ?)").run(
        new Date(Date.now() - 11 * 60_000).toISOString(),
        inspectionId,
        team.lead,
      );
    } finally {
      db.close();
    }
    const page = await textOf(await member.get(`/inspections/${inspectionId}`));
    expect(page).not.toContain(team.leadName + " – ");
    expect(page).toContain("No one else is working in this inspection just now.");
  });

  it("refuses a heartbeat from anyone who may not see the inspection, and has nothing to GET", async () => {
    const outsider = query<{ email: string }>(
      server.databaseFile,
      `SELECT email FROM users WHERE role = 'inspector' AND disabled_at IS NULL AND id NOT IN (SELECT inspector_id FROM visit_team_members WHERE visit_id = ?) ORDER BY email LIMIT 1`,
      team.visitId,
    ).email;
    for (const email of [outsider, "trust.rj1@deepdive.test"]) {
      const client = await signedIn(server.url, email);
      const refused = await client.post(`/inspections/${inspectionId}/presence`, { criterionId: String(first.id) });
      expect(refused.status, email).toBe(404);
      expect(await refused.text()).not.toContain(team.leadName);
    }
    expect((await lead.get(`/inspections/${inspectionId}/presence`)).status).toBe(404);
    const outsiderRows = query<{ n: number }>(
      server.databaseFile,
      "SELECT count(*) AS n FROM inspection_presence WHERE inspection_id = ? AND user_id = (SELECT id FROM users WHERE email = ?)",
      inspectionId,
      outsider,
    );
    expect(outsiderRows.n).toBe(0);
  });
});

describe("the heartbeat and the idle timeout", () => {
  let server: RunningServer;
  afterAll(async () => {
    await server?.stop();
  });

  it("does not keep an unattended session alive (the heartbeat, the offline check); a page view does", async () => {
    // Idle timeout 6 s: the session's last activity is refreshed at most every 1.5 s.
    server = await startServer({ SESSION_IDLE_MINUTES: "0.1" });
    const team = freeVisit(server.databaseFile);
    const inspectionId = await startInspection(server, team.visitId);
    const lead = await signedIn(server.url, team.lead);
    const lastSeen = () =>
      query<{ at: string }>(server.databaseFile, "SELECT max(last_seen_at) AS at FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = ?)", team.lead).at;
    expect((await lead.get(`/inspections/${inspectionId}`)).status).toBe(200);
    const before = lastSeen();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await lead.post(`/inspections/${inspectionId}/presence`, { criterionId: "" })).status).toBe(200);
    expect(lastSeen()).toBe(before);
    // Nor does the offline check a page makes every 30 seconds (app/offline/offline-runtime.ts).
    expect((await lead.get(`/inspections/${inspectionId}/offline-status.json`)).status).toBe(200);
    expect(lastSeen()).toBe(before);
    expect((await lead.get(`/inspections/${inspectionId}`)).status).toBe(200);
    expect(lastSeen() > before).toBe(true);
  });
});
