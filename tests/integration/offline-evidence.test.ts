/**
 * The evidence upload the offline outbox replays to (app/routes/inspections.$id_.evidence[.json].ts), over real HTTP
 * on a copy of the demo database: a file kept on a laptop is stored once under the key the browser made for it, however
 * often it is sent (a retry after a lost answer gets the same file); a file the page's form would refuse is refused
 * with the same message and nothing stored; a team member of an inspection whose findings were submitted gets 409
 * closed; anyone not on the team gets 404.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
import { signedIn, type Client } from "../support/http";
import { png } from "../support/png";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let inspectionId: string;
let findingId: string;
let member: Client;

const files = () =>
  queryDatabase<{ id: string; name: string; key: string | null }>(
    server.databaseFile,
    "SELECT id, original_name AS name, client_key AS key FROM evidence_files WHERE finding_id = ? ORDER BY uploaded_at, id",
    findingId,
  );
const uploads = () => queryDatabase<{ n: number }>(server.databaseFile, "SELECT count(*) AS n FROM audit_events WHERE action = 'evidence.uploaded'")[0]!.n;

/** Posts a kept file as the outbox does: the fields, then the file. */
function send(client: Client, inspection: string, finding: string, file: { name: string; bytes: Uint8Array; type: string }, clientKey: string) {
  const form = new FormData();
  form.append("intent", "upload");
  form.append("findingId", finding);
  form.append("capturedAt", String(Date.now() - 60_000));
  form.append("clientKey", clientKey);
  form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return client.request(`/inspections/${inspection}/evidence.json`, { method: "POST", body: form });
}

beforeAll(async () => {
  server = await startServer();
  inspectionId = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM inspections WHERE status = 'on_site'")[0]!.id;
  findingId = queryDatabase<{ id: string }>(
    server.databaseFile,
    "SELECT f.id FROM findings f WHERE f.inspection_id = ? AND NOT EXISTS (SELECT 1 FROM evidence_files e WHERE e.finding_id = f.id) ORDER BY f.criterion_id LIMIT 1",
    inspectionId,
  )[0]!.id;
  member = await signedIn(server.url, "inspector2@deepdive.test");
});
afterAll(async () => {
  await server?.stop();
});

describe("the outbox's evidence upload", () => {
  it("stores a kept file once under its key, answering a retry with the same file, and another key as another file", async () => {
    const key = randomUUID();
    const photo = { name: "server-room.png", bytes: png(10, 20, 30), type: "image/png" };
    const before = uploads();
    const first = await send(member, inspectionId, findingId, photo, key);
    expect(first.status).toBe(200);
    const { outcome, fileId } = (await first.json()) as { outcome: string; fileId: string };
    expect(outcome).toBe("stored");
    const retry = await send(member, inspectionId, findingId, photo, key);
    expect(await retry.json()).toEqual({ outcome: "stored", fileId });
    expect(files()).toEqual([{ id: fileId, name: "server-room.png", key }]);
    expect(uploads()).toBe(before + 1);

    const another = await send(member, inspectionId, findingId, { ...photo, name: "again.png" }, randomUUID());
    expect(another.status).toBe(200);
    expect(files().map((f) => f.name)).toEqual(["server-room.png", "again.png"]);
  });

  it("refuses what the page's form refuses, with its message, storing nothing", async () => {
    const before = files();
    const page = await send(member, inspectionId, findingId, { name: "photo.png", bytes: new TextEncoder().encode("<html><body>not a photo</body></html>"), type: "image/png" }, randomUUID());
    expect(page.status).toBe(400);
    expect(await page.json()).toEqual({ outcome: "refused", message: expect.stringContaining("web page or markup") as string });
    const empty = await send(member, inspectionId, findingId, { name: "empty.png", bytes: new Uint8Array(), type: "image/png" }, randomUUID());
    expect(empty.status).toBe(400);
    expect(files()).toEqual(before);
  });

  it("answers 409 closed to the team once the findings were submitted, and 404 to anyone not on the team, storing nothing", async () => {
    const [published] = queryDatabase<{ id: string; email: string; findingId: string }>(
      server.databaseFile,
      `SELECT i.id, u.email, f.id AS findingId FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id
         JOIN users u ON u.id = m.inspector_id JOIN findings f ON f.inspection_id = i.id
        WHERE i.status = 'published' AND i.trust_code = 'RJ1' ORDER BY f.criterion_id LIMIT 1`,
    );
    const former = await signedIn(server.url, published!.email);
    const photo = { name: "late.png", bytes: png(1, 2, 3), type: "image/png" };
    const closed = await send(former, published!.id, published!.findingId, photo, randomUUID());
    expect(closed.status).toBe(409);
    expect(await closed.json()).toEqual({ outcome: "closed" });
    const before = files();
    for (const email of ["inspector5@deepdive.test", "lead@deepdive.test", "trust.rj1@deepdive.test"]) {
      const other = await signedIn(server.url, email);
      expect({ email, status: (await send(other, inspectionId, findingId, photo, randomUUID())).status }).toEqual({ email, status: 404 });
    }
    expect(files()).toEqual(before);
    expect(queryDatabase(server.databaseFile, "SELECT 1 FROM evidence_files WHERE original_name = 'late.png'")).toEqual([]);
  });
});
