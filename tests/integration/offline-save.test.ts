/**
 * The JSON save the offline outbox replays to (app/routes/inspections.$id_.criteria.$criterionId_.save[.json].ts),
 * over real HTTP on a copy of the demo database, with the inspection on site: saved with the new version; the same
 * request again (same idempotency key) answered the same and stored once; a stale base version a conflict with the
 * current version, nothing stored; a refused field invalid; anyone not on the team, a GET and a merge 404.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
import { signedIn, type Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let lead: Client;
let inspectionId: string;
let criterionId: number;
let findingId: string;
const blank = { rating: "", overrideReason: "", observed: "", evidenceDocuments: "", evidencePeople: "", evidenceSystems: "", severity: "", recommendation: "" };

const finding = () =>
  queryDatabase<{ version: number; observed: string; revisions: number }>(
    server.databaseFile,
    "SELECT f.version, f.observed, (SELECT count(*) FROM finding_revisions r WHERE r.finding_id = f.id) AS revisions FROM findings f WHERE f.id = ?",
    findingId,
  )[0]!;
const url = () => `/inspections/${inspectionId}/criteria/${criterionId}/save.json`;

beforeAll(async () => {
  server = await startServer();
  inspectionId = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'")[0]!.id;
  // A CAF outcome not assessed yet (no Cyber Essentials requirements to answer).
  const row = queryDatabase<{ criterionId: number; findingId: string }>(
    server.databaseFile,
    `SELECT c.id AS criterionId, f.id AS findingId FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
      WHERE f.inspection_id = ? AND f.rating = 'not_assessed' AND c.records_devices = 0 AND c.scale <> 'met' ORDER BY c.position LIMIT 1`,
    inspectionId,
  )[0]!;
  ({ criterionId, findingId } = row);
  lead = await signedIn(server.url, "inspector1@deepdive.test");
});
afterAll(async () => {
  await server?.stop();
});

describe("the outbox's save", () => {
  it("saves an edit with its base version, and answers a retry of the same request the same without storing it twice", async () => {
    const before = finding();
    const edit = { ...blank, observed: "Written offline in the plant room: Łukasz showed the backup console.", baseVersion: String(before.version), idempotencyKey: randomUUID() };
    const first = await lead.post(url(), edit);
    expect(first.status).toBe(200);
    const saved = (await first.json()) as { outcome: string; version: number; savedAt: string };
    expect(saved).toMatchObject({ outcome: "saved", version: before.version + 1 });
    expect(finding()).toEqual({ version: before.version + 1, observed: edit.observed, revisions: before.revisions + 1 });
    // The answer was lost on the way and the outbox sends the same edit again.
    const again = await lead.post(url(), edit);
    expect([again.status, await again.json()]).toEqual([200, saved]);
    expect(finding()).toEqual({ version: before.version + 1, observed: edit.observed, revisions: before.revisions + 1 });
  });

  it("answers an edit based on an older version as a conflict with the current version, storing nothing", async () => {
    const before = finding();
    const stale = await lead.post(url(), { ...blank, observed: "Based on an old version", baseVersion: String(before.version - 1), idempotencyKey: randomUUID() });
    expect([stale.status, await stale.json()]).toEqual([409, { outcome: "conflict", currentVersion: before.version }]);
    expect(finding()).toEqual(before);
  });

  it("refuses a field the form would refuse, storing nothing", async () => {
    const before = finding();
    const invalid = await lead.post(url(), { ...blank, rating: "excellent", baseVersion: String(before.version), idempotencyKey: randomUUID() });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ outcome: "invalid", errors: { rating: expect.any(String) as string } });
    expect(finding()).toEqual(before);
  });

  it("is 404 for anyone not on the team, for a GET and for a merge, storing nothing", async () => {
    const before = finding();
    const edit = { ...blank, observed: "Not mine to save", baseVersion: String(before.version), idempotencyKey: randomUUID() };
    for (const email of ["inspector5@deepdive.test", "lead@deepdive.test", "trust.rj1@deepdive.test"]) {
      const other = await signedIn(server.url, email);
      expect({ email, status: (await other.post(url(), { ...edit, idempotencyKey: randomUUID() })).status }).toEqual({ email, status: 404 });
    }
    expect((await lead.get(url())).status).toBe(404);
    expect((await lead.post(url(), { ...edit, intent: "merge" })).status).toBe(404);
    expect(finding()).toEqual(before);
  });

  it("answers a team member of an inspection whose findings were submitted 409 closed, storing nothing", async () => {
    // RJ1's published inspection, to a member of its team: the outbox keeps the edit for its author to read.
    const [published] = queryDatabase<{ id: string; email: string; criterionId: number; findingId: string; version: number; observed: string }>(
      server.databaseFile,
      `SELECT i.id, u.email, f.criterion_id AS criterionId, f.id AS findingId, f.version, f.observed FROM inspections i
         JOIN visit_team_members m ON m.visit_id = i.visit_id JOIN users u ON u.id = m.inspector_id
         JOIN findings f ON f.inspection_id = i.id
        WHERE i.status = 'published' AND i.trust_code = 'RJ1' ORDER BY f.criterion_id LIMIT 1`,
    );
    const former = await signedIn(server.url, published!.email);
    const edit = { ...blank, observed: "Sent after the findings were submitted", baseVersion: String(published!.version), idempotencyKey: randomUUID() };
    const response = await former.post(`/inspections/${published!.id}/criteria/${published!.criterionId}/save.json`, edit);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ outcome: "closed" });
    const after = queryDatabase<{ version: number; observed: string }>(server.databaseFile, "SELECT version, observed FROM findings WHERE id = ?", published!.findingId)[0];
    expect(after).toEqual({ version: published!.version, observed: published!.observed });
  });
});
