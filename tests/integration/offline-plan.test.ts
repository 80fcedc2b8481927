/**
 * What "Make available offline" asks the server for (app/routes/inspections.$id_.offline[.json].ts), over real HTTP
 * on a copy of the demo database: the team of the inspection on site gets every workspace page of it (the overview,
 * each section and each criterion) with the data Remix requests for each, and each of those answers 200 to them; the
 * preparation is audited with counts. Anyone not on the team, staff who may read the inspection included, and an
 * inspection no longer being recorded get 404.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
import { signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let onSite: string;
let team: string[];

beforeAll(async () => {
  server = await startServer();
  onSite = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'")[0]!.id;
  team = queryDatabase<{ email: string }>(
    server.databaseFile,
    "SELECT u.email FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id JOIN users u ON u.id = m.inspector_id WHERE i.id = ? ORDER BY m.role",
    onSite,
  ).map((r) => r.email);
});
afterAll(async () => {
  await server?.stop();
});

interface Plan {
  inspectionId: string;
  preparedAt: string;
  pages: string[];
  data: string[];
}

describe("preparing an inspection for offline use", () => {
  it("gives the team every workspace page of the inspection on site, with its data, each of which answers them", async () => {
    expect(team[0]).toBe("inspector1@deepdive.test");
    const member = await signedIn(server.url, team[1]!);
    const response = await member.get(`/inspections/${onSite}/offline.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const plan = (await response.json()) as Plan;
    expect(plan.inspectionId).toBe(onSite);
    expect(Math.abs(Date.parse(plan.preparedAt) - Date.now())).toBeLessThan(60_000);
    const criteria = queryDatabase<{ criterionId: number }>(server.databaseFile, "SELECT criterion_id AS criterionId FROM findings WHERE inspection_id = ?", onSite);
    expect(criteria).toHaveLength(49);
    for (const { criterionId } of criteria) expect(plan.pages).toContain(`/inspections/${onSite}/criteria/${criterionId}`);
    const sections = plan.pages.filter((p) => p.includes("/sections/"));
    expect(sections.length).toBeGreaterThan(5);
    expect(plan.pages[0]).toBe(`/inspections/${onSite}`);
    expect(plan.pages).toHaveLength(1 + sections.length + 49);
    expect(new Set(plan.pages).size).toBe(plan.pages.length);
    expect(plan.data).toEqual(plan.pages.map((p) => `${p}.data`));
    // Every page and a sample of the data answer the team member (the data as Remix asks for it).
    for (const page of [plan.pages[0]!, sections[0]!, plan.pages.at(-1)!]) expect({ page, status: (await member.get(page)).status }).toEqual({ page, status: 200 });
    for (const url of plan.data.slice(0, 4)) {
      const data = await member.get(url);
      // Single fetch answers a turbo-stream of the loaders' data (text/x-script), with the page's own data in it.
      expect({ url, status: data.status, type: data.headers.get("content-type") }).toEqual({ url, status: 200, type: expect.stringMatching(/^text\/x-script/) as string });
      expect(await data.text()).toContain(onSite);
    }
    const audit = queryDatabase<{ actor: string; summary: string }>(
      server.databaseFile,
      "SELECT actor_label AS actor, summary FROM audit_events WHERE action = 'inspection.offline_prepared' AND object_id = ?",
      onSite,
    );
    expect(audit).toEqual([{ actor: team[1], summary: JSON.stringify({ pages: plan.pages.length, data: plan.data.length }) }]);
  });

  it("is 404 for anyone not on the team, the programme lead and an inspector reviewing others included, and for an inspection no longer recorded", async () => {
    for (const email of ["lead@deepdive.test", "admin@deepdive.test", "inspector5@deepdive.test", "trust.rj1@deepdive.test"]) {
      const user = await signedIn(server.url, email);
      expect({ email, status: (await user.get(`/inspections/${onSite}/offline.json`)).status }).toEqual({ email, status: 404 });
    }
    // RJ1's published inspection, to a member of its team.
    const [published] = queryDatabase<{ id: string; email: string }>(
      server.databaseFile,
      "SELECT i.id, u.email FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id JOIN users u ON u.id = m.inspector_id WHERE i.status = 'published' AND i.trust_code = 'RJ1' LIMIT 1",
    );
    const former = await signedIn(server.url, published!.email);
    expect((await former.get(`/inspections/${published!.id}/offline.json`)).status).toBe(404);
    expect((await former.get(`/inspections/${crypto.randomUUID()}/offline.json`)).status).toBe(404);
  });

  it("tells the team whether a prepared inspection may still be kept: yes while recording, no once submitted, 404 to anyone else", async () => {
    const preparations = () => queryDatabase<{ n: number }>(server.databaseFile, "SELECT count(*) AS n FROM audit_events WHERE action = 'inspection.offline_prepared'")[0]!.n;
    const preparedBefore = preparations();
    const member = await signedIn(server.url, team[1]!);
    const recording = await member.get(`/inspections/${onSite}/offline-status.json`);
    expect(recording.status).toBe(200);
    expect(recording.headers.get("cache-control")).toBe("no-store");
    expect(await recording.json()).toEqual({ recording: true });
    const [published] = queryDatabase<{ id: string; email: string }>(
      server.databaseFile,
      "SELECT i.id, u.email FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id JOIN users u ON u.id = m.inspector_id WHERE i.status = 'published' AND i.trust_code = 'RJ1' LIMIT 1",
    );
    const former = await signedIn(server.url, published!.email);
    expect(await (await former.get(`/inspections/${published!.id}/offline-status.json`)).json()).toEqual({ recording: false });
    for (const email of ["lead@deepdive.test", "inspector5@deepdive.test", "trust.rj1@deepdive.test"]) {
      const user = await signedIn(server.url, email);
      expect({ email, status: (await user.get(`/inspections/${onSite}/offline-status.json`)).status }).toEqual({ email, status: 404 });
    }
    expect((await member.get(`/inspections/${crypto.randomUUID()}/offline-status.json`)).status).toBe(404);
    // Asking is not a preparation: nothing audited as one.
    expect(preparations()).toBe(preparedBefore);
  });
});
