/**
 * Evidence files on findings over real HTTP, against a real server and SQLite file, as a browser posts the criterion
 * page's forms: a team member uploads a real PNG (listed, stored under the evidence folder named by its SHA-256,
 * downloaded byte for byte with safe headers); files that are not what they claim (a web page or an executable called
 * .png), empty files and files over 20 MB are refused with a clear message and nothing stored; the capture time comes
 * from the browser when plausible; trust users (of the inspected trust too) and inspectors not on the team get 404 for
 * download, upload and removal, anonymous users are sent to sign in; a file changed on disk is never served; removal
 * keeps the row and the bytes; a finding holds at most 20 files; once the findings are submitted nothing more is added
 * or removed. Uploads, downloads, removals and refusals are in the audit trail.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, type Dirent } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, readPage, signedIn } from "../support/http";
import { png } from "../support/png";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;

function withSqlite<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(server.databaseFile);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const one = <T>(query: string, ...params: unknown[]) => withSqlite((db) => db.prepare(query).get(...params) as T);
const all = <T>(query: string, ...params: unknown[]) => withSqlite((db) => db.prepare(query).all(...params) as T[]);

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const aKey = () => randomBytes(16).toString("base64url");

interface EvidenceRow {
  id: string;
  inspection_id: string;
  finding_id: string;
  original_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  captured_at: string;
  uploaded_by: string;
  uploaded_at: string;
  removed_at: string | null;
  removed_by: string | null;
}

describe("evidence files", () => {
  let visit: { id: string; trustCode: string; trustName: string; lead: string; member: string };
  let lead: Client;
  let member: Client;
  let outsider: Client; // an inspector not on the team
  let programmeLead: Client;
  let admin: Client;
  let trustUser: Client; // a user of the inspected trust
  let anonymous: Client;
  let inspectionId = "";
  let evidenceFolder = "";
  const codes: string[] = [];
  const trustEmail = "trust.evidence@deepdive.test";

  const userId = (email: string) => one<{ id: string }>("SELECT id FROM users WHERE email = ?", email).id;
  const finding = (code: string) =>
    one<{ id: string; criterionId: number; version: number }>(
      "SELECT f.id, f.criterion_id AS criterionId, f.version FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? AND c.code = ?",
      inspectionId,
      code,
    );
  const criterionUrl = (code: string) => `/inspections/${inspectionId}/criteria/${finding(code).criterionId}`;
  const evidenceUrl = () => `/inspections/${inspectionId}/evidence`;
  const downloadUrl = (fileId: string) => `/inspections/${inspectionId}/evidence/${fileId}`;
  const rows = (findingId?: string) =>
    findingId
      ? all<EvidenceRow>("SELECT * FROM evidence_files WHERE finding_id = ? ORDER BY uploaded_at, id", findingId)
      : all<EvidenceRow>("SELECT * FROM evidence_files ORDER BY uploaded_at, id");
  const audits = (action: string, objectId?: string) =>
    objectId === undefined
      ? one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = ?", action).n
      : one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = ? AND object_id = ?", action, objectId).n;
  /** Every file under the evidence folder (temporary files included), as paths relative to it. */
  const stored = (): string[] =>
    existsSync(evidenceFolder)
      ? (readdirSync(evidenceFolder, { recursive: true, withFileTypes: true }) as Dirent[])
          .filter((d) => d.isFile())
          .map((d) => path.relative(evidenceFolder, path.join(d.parentPath, d.name)))
          .sort()
      : [];

  /** Posts the upload form as a browser does: the hidden fields, then the file (or an empty file part when none is chosen). */
  function upload(client: Client, code: string, file: { name: string; bytes: Uint8Array; type?: string } | null, capturedAt = "") {
    const form = new FormData();
    form.append("intent", "upload");
    form.append("findingId", finding(code).id);
    form.append("capturedAt", capturedAt);
    form.append("file", new Blob([new Uint8Array(file?.bytes ?? [])], { type: file?.type ?? "application/octet-stream" }), file?.name ?? "");
    return client.request(evidenceUrl(), { method: "POST", body: form });
  }
  const remove = (client: Client, fileId: string) => client.post(evidenceUrl(), { intent: "remove", fileId });
  /** Where the route sent the browser back to, and that page as it reads. */
  async function followed(response: Response, client: Client) {
    expect(response.status).toBe(302);
    const location = response.headers.get("location") ?? "";
    return { location, html: await readPage(await client.get(location)) };
  }
  const saveFinding = (client: Client, code: string, fields: Record<string, string>) =>
    client.post(criterionUrl(code), {
      baseVersion: String(finding(code).version),
      idempotencyKey: aKey(),
      rating: "",
      overrideReason: "",
      observed: "",
      evidenceDocuments: "",
      evidencePeople: "",
      evidenceSystems: "",
      severity: "",
      recommendation: "",
      actionDueDay: "",
      actionDueMonth: "",
      actionDueYear: "",
      then: "stay",
      ...fields,
    });

  beforeAll(async () => {
    server = await startServer();
    evidenceFolder = path.join(path.dirname(server.databaseFile), "evidence");
    visit = one(
      `SELECT v.id, v.trust_code AS trustCode, t.name AS trustName,
              (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'lead') AS lead,
              (SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND m.role = 'member' ORDER BY u.email LIMIT 1) AS member
         FROM visits v JOIN trusts t ON t.ods_code = v.trust_code
        WHERE v.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
          AND (SELECT count(*) FROM visit_team_members m WHERE m.visit_id = v.id) = 2
        ORDER BY v.visit_date, v.trust_code LIMIT 1`,
    );
    // A user of the inspected trust (the demo password's hash, so they sign in like the demo users).
    withSqlite((db) => {
      const { hash } = db.prepare("SELECT password_hash AS hash FROM users WHERE email = 'trust.rj1@deepdive.test'").get() as { hash: string };
      db.prepare("INSERT INTO users (id, email, name, role, trust_code, password_hash, is_demo) VALUES (?, ?, 'Inspected trust user', 'trust_user', ?, ?, 1)").run(
        randomUUID(),
        trustEmail,
        visit.trustCode,
        hash,
      );
    });
    const outsiderEmail = Array.from({ length: 12 }, (_, i) => `inspector${i + 1}@deepdive.test`).find((e) => e !== visit.lead && e !== visit.member)!;
    [lead, member, outsider, programmeLead, admin, trustUser] = (await Promise.all(
      [visit.lead, visit.member, outsiderEmail, "lead@deepdive.test", "admin@deepdive.test", trustEmail].map((email) => signedIn(server.url, email)),
    )) as [Client, Client, Client, Client, Client, Client];
    anonymous = new Client(server.url);
    // The inspection, against Cyber Essentials Plus (10 findings), started by the visit's lead, who records arrival.
    const cep = one<{ versionId: number; profileId: number }>(
      "SELECT v.id AS versionId, p.id AS profileId FROM framework_versions v JOIN framework_profiles p ON p.framework_version_id = v.id WHERE v.framework = 'cyber-essentials-plus' AND p.code = 'all-met'",
    );
    const created = await lead.post(`/inspections/new?visit=${visit.id}`, { [`profile-${cep.versionId}`]: String(cep.profileId) });
    inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect(inspectionId).not.toBe("");
    expect((await lead.post(`/inspections/${inspectionId}`, { intent: "arrive" })).status).toBe(302);
    codes.push(
      ...all<{ code: string }>(
        "SELECT c.code FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? ORDER BY c.position, c.id",
        inspectionId,
      ).map((r) => r.code),
    );
    expect(codes).toHaveLength(10);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const photo = png(200, 30, 30);
  let photoId = "";

  it("the criterion page offers the team an upload form of its own, after the finding form; others see the section without it", async () => {
    const html = await readPage(await member.get(criterionUrl(codes[0]!)));
    expect(html).toContain("Evidence files");
    expect(html).toContain("No evidence files have been added to this finding.");
    const form = /<form[^>]*id="evidence-form"[^>]*>/.exec(html)?.[0] ?? "";
    expect(form).toContain(`action="${evidenceUrl()}"`);
    expect(form).toContain('method="post"');
    expect(form).toMatch(/enctype="multipart\/form-data"/i); // React writes encType; HTML attribute names ignore case
    // Not nested in the finding form: that one is closed before this one opens.
    const findingForm = html.indexOf('id="finding-form"');
    expect(findingForm).toBeGreaterThan(-1);
    expect(html.indexOf("</form>", findingForm)).toBeLessThan(html.indexOf('id="evidence-form"'));
    expect(html).toMatch(/<input[^>]*type="file"[^>]*accept="[^"]*\.png[^"]*image\/heic[^"]*"/);
    expect(html).toContain(`name="findingId" value="${finding(codes[0]!).id}"`);
    expect(html).toContain("up to 20 MB");
    for (const reader of [programmeLead, admin]) {
      const page = await readPage(await reader.get(criterionUrl(codes[0]!)));
      expect(page).toContain("Evidence files");
      expect(page).not.toContain('id="evidence-form"');
    }
  });

  it("a team member uploads a PNG: stored under its SHA-256, listed, and downloaded byte for byte; audited", async () => {
    const capturedAt = Date.parse("2026-06-01T09:30:15.250Z");
    const before = Date.now();
    const response = await upload(member, codes[0]!, { name: "Server room – rack 3.png", bytes: photo, type: "image/png" }, String(capturedAt));
    const { location, html } = await followed(response, member);
    expect(location).toBe(`${criterionUrl(codes[0]!)}?evidence=uploaded#evidence`);

    const [row, ...more] = rows(finding(codes[0]!).id);
    expect(more).toEqual([]);
    photoId = row!.id;
    expect(row).toMatchObject({
      inspection_id: inspectionId,
      original_name: "Server room – rack 3.png",
      media_type: "image/png",
      size_bytes: photo.length,
      sha256: sha256(photo),
      captured_at: "2026-06-01T09:30:15.250Z",
      uploaded_by: userId(visit.member),
      removed_at: null,
    });
    expect(Date.parse(row!.uploaded_at)).toBeGreaterThanOrEqual(before - 1000);
    const hash = sha256(photo);
    expect(stored()).toEqual([path.join(hash.slice(0, 2), hash)]);
    expect(readFileSync(path.join(evidenceFolder, hash.slice(0, 2), hash)).equals(photo)).toBe(true);

    expect(html).toContain("Evidence file added");
    expect(html).toContain(`href="${downloadUrl(photoId)}"`);
    expect(html).toContain("Server room – rack 3.png");
    expect(html).toContain(`PNG image, ${photo.length} bytes`);
    expect(html).toContain("1 June 2026, 10:30am"); // British Summer Time
    expect(html).toContain(one<{ name: string }>("SELECT name FROM users WHERE email = ?", visit.member).name);
    expect(html).toContain('name="intent" value="remove"');

    // The audit: ids, hash, size and type; never the file's name or the trust.
    const event = one<{ summary: string; actor: string }>("SELECT summary, actor_user_id AS actor FROM audit_events WHERE action = 'evidence.uploaded' AND object_id = ?", photoId);
    expect(event.actor).toBe(userId(visit.member));
    expect(JSON.parse(event.summary)).toEqual({ inspectionId, findingId: finding(codes[0]!).id, sha256: hash, sizeBytes: photo.length, mediaType: "image/png", capturedFrom: "device" });
    expect(event.summary).not.toContain("Server room");
    expect(event.summary).not.toContain(visit.trustCode);
    expect(event.summary).not.toContain(visit.trustName);

    // Downloads: the team, programme leads and admins; the same bytes, as an attachment of the detected type.
    for (const client of [member, lead, programmeLead, admin]) {
      const download = await client.get(downloadUrl(photoId));
      expect(download.status).toBe(200);
      expect(download.headers.get("content-type")).toBe("image/png");
      expect(download.headers.get("content-disposition")).toBe(
        `attachment; filename="Server room _ rack 3.png"; filename*=UTF-8''Server%20room%20%E2%80%93%20rack%203.png`,
      );
      expect(download.headers.get("x-content-type-options")).toBe("nosniff");
      expect(download.headers.get("cache-control")).toBe("no-store");
      expect(download.headers.get("content-security-policy")).toContain("sandbox");
      expect(Buffer.from(await download.arrayBuffer()).equals(photo)).toBe(true);
    }
    expect(audits("evidence.downloaded", photoId)).toBe(4);
  });

  it("refuses files that are not what they claim, empty files and no file, with a clear message; nothing stored", async () => {
    const cases: { file: { name: string; bytes: Uint8Array; type: string } | null; code: string; message: string }[] = [
      {
        file: { name: "photo.png", bytes: Buffer.from("<!DOCTYPE html><html><script>fetch('/admin')</script></html>"), type: "image/png" },
        code: "markup",
        message: "The selected file is a web page or markup (HTML, XML or SVG), which cannot be attached: save or print it as a PDF and attach that",
      },
      {
        file: { name: "photo.png", bytes: Buffer.concat([Buffer.from("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0", "latin1"), randomBytes(512)]), type: "image/png" },
        code: "type",
        message: "The selected file must be a photo (JPEG, PNG or HEIC), a PDF, a Word or Excel document (.docx or .xlsx) or a plain text file",
      },
      { file: { name: "setup.png", bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]), type: "image/png" }, code: "type", message: "The selected file must be a photo" },
      { file: { name: "blank.jpg", bytes: new Uint8Array(), type: "image/jpeg" }, code: "empty", message: "The selected file is empty" },
      { file: null, code: "missing", message: "Select a file to upload" },
    ];
    const rowsBefore = rows().length;
    const filesBefore = stored();
    for (const { file, code, message } of cases) {
      const { location, html } = await followed(await upload(member, codes[1]!, file), member);
      expect(location, code).toBe(`${criterionUrl(codes[1]!)}?evidence=${code}#evidence`);
      expect(html).toContain("There is a problem");
      expect(html).toContain(`<a href="#evidence-file">${message}`);
      expect(html).toContain('id="evidence-file-error"');
      expect(html).toContain("No evidence files have been added to this finding.");
    }
    expect(rows().length).toBe(rowsBefore);
    expect(stored()).toEqual(filesBefore);
  });

  it("refuses a file over 20 MB with a clear message, storing nothing", async () => {
    const big = Buffer.alloc(20_000_001);
    photo.copy(big);
    const filesBefore = stored();
    const { location, html } = await followed(await upload(member, codes[1]!, { name: "huge.png", bytes: big, type: "image/png" }), member);
    expect(location).toBe(`${criterionUrl(codes[1]!)}?evidence=too-big#evidence`);
    expect(html).toContain("The selected file must be smaller than 20 MB");
    expect(rows(finding(codes[1]!).id)).toEqual([]);
    expect(stored()).toEqual(filesBefore);
    // Exactly the limit is allowed.
    const limit = Buffer.alloc(20_000_000);
    photo.copy(limit);
    expect((await followed(await upload(member, codes[1]!, { name: "limit.png", bytes: limit }), member)).location).toContain("?evidence=uploaded");
    expect(rows(finding(codes[1]!).id).map((r) => r.size_bytes)).toEqual([20_000_000]);
  });

  it("takes the upload time as the capture time when the browser gives none, or one in the future or before 2000", async () => {
    const findingId = finding(codes[2]!).id;
    for (const capturedAt of ["", String(Date.now() + 60 * 60_000), String(Date.UTC(1980, 0, 1)), "yesterday"]) {
      expect((await upload(lead, codes[2]!, { name: "screenshot.png", bytes: png(1, 2, 3) }, capturedAt)).status).toBe(302);
    }
    const stamped = rows(findingId);
    expect(stamped).toHaveLength(4);
    for (const row of stamped) expect(row.captured_at).toBe(row.uploaded_at);
    const html = await readPage(await lead.get(criterionUrl(codes[2]!)));
    expect(html).toContain("when uploaded (the device gave no time)");
    expect(all<{ summary: string }>("SELECT summary FROM audit_events WHERE action = 'evidence.uploaded' AND object_id IN (SELECT id FROM evidence_files WHERE finding_id = ?)", findingId).map((e) => JSON.parse(e.summary).capturedFrom)).toEqual(
      Array(4).fill("upload"),
    );
    // The same bytes four times are kept once.
    expect(stored().filter((f) => f.endsWith(sha256(png(1, 2, 3))))).toHaveLength(1);
  });

  it("gives trust users (of the inspected trust too) and inspectors not on the team 404 for download, upload and removal; anonymous users sign in", async () => {
    const rowsBefore = rows().length;
    const filesBefore = stored();
    // Each refusal is audited; the evidence route's GET is 404 for all staff alike (nothing there), so not a refusal.
    for (const [client, refusals] of [
      [trustUser, 5],
      [outsider, 4],
    ] as const) {
      const deniedBefore = audits("authorisation.denied");
      const download = await client.get(downloadUrl(photoId));
      expect(download.status).toBe(404);
      const body = await download.text();
      expect(body).toBe("Not found");
      expect((await upload(client, codes[0]!, { name: "theirs.png", bytes: png(9, 9, 9) })).status).toBe(404);
      expect((await remove(client, photoId)).status).toBe(404);
      expect((await client.get(evidenceUrl())).status).toBe(404);
      expect((await client.get(criterionUrl(codes[0]!))).status).toBe(404);
      expect(audits("authorisation.denied")).toBe(deniedBefore + refusals);
    }
    // Programme leads and admins read the evidence; only the team changes it.
    for (const client of [programmeLead, admin]) {
      expect((await upload(client, codes[0]!, { name: "theirs.png", bytes: png(9, 9, 9) })).status).toBe(404);
      expect((await remove(client, photoId)).status).toBe(404);
    }
    // A file under another inspection's address, and a file that does not exist.
    const otherInspection = randomUUID();
    expect((await member.get(`/inspections/${otherInspection}/evidence/${photoId}`)).status).toBe(404);
    expect((await member.get(downloadUrl(randomUUID()))).status).toBe(404);
    // Posting to a download answers 404 too.
    expect((await member.post(downloadUrl(photoId), {})).status).toBe(404);
    for (const response of [await anonymous.get(downloadUrl(photoId)), await upload(anonymous, codes[0]!, { name: "x.png", bytes: photo })]) {
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/sign-in\?redirectTo=/);
    }
    expect(rows().length).toBe(rowsBefore);
    expect(rows().filter((r) => r.removed_at !== null)).toEqual([]);
    expect(stored()).toEqual(filesBefore);
    expect(audits("evidence.downloaded", photoId)).toBe(4);
  });

  it("never serves a stored file whose bytes are not the ones uploaded (changed or missing); uploading them again repairs it", async () => {
    const hash = sha256(photo);
    const file = path.join(evidenceFolder, hash.slice(0, 2), hash);
    const tampered = png(0, 0, 255);
    writeFileSync(file, tampered);
    const response = await member.get(downloadUrl(photoId));
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBeNull();
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.includes(tampered.subarray(0, 16))).toBe(false);
    expect(body.toString("utf8")).toContain("the stored file is not the one that was uploaded");
    expect(audits("evidence.integrity_failed", photoId)).toBe(1);
    const event = one<{ summary: string }>("SELECT summary FROM audit_events WHERE action = 'evidence.integrity_failed' AND object_id = ?", photoId);
    expect(JSON.parse(event.summary)).toMatchObject({ expected: hash, found: sha256(tampered) });

    rmSync(file);
    expect((await programmeLead.get(downloadUrl(photoId))).status).toBe(500);
    expect(JSON.parse(one<{ summary: string }>("SELECT summary FROM audit_events WHERE action = 'evidence.integrity_failed' AND object_id = ? ORDER BY seq DESC", photoId).summary)).toMatchObject({ found: "missing" });
    expect(audits("evidence.downloaded", photoId)).toBe(4);

    // The same bytes uploaded again (to another finding) put the right file back.
    writeFileSync(file, tampered);
    expect((await upload(member, codes[3]!, { name: "again.png", bytes: photo })).status).toBe(302);
    expect(readFileSync(file).equals(photo)).toBe(true);
    const download = await member.get(downloadUrl(photoId));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(photo)).toBe(true);
  });

  it("removing a file takes it off the finding and out of the list, and keeps the row and the bytes", async () => {
    const hash = sha256(photo);
    const { location, html } = await followed(await remove(lead, photoId), lead);
    expect(location).toBe(`${criterionUrl(codes[0]!)}?evidence=removed#evidence`);
    expect(html).toContain("Evidence file removed");
    expect(html).not.toContain(downloadUrl(photoId));
    expect(html).toContain("No evidence files have been added to this finding.");
    const row = one<EvidenceRow>("SELECT * FROM evidence_files WHERE id = ?", photoId);
    expect(row).toMatchObject({ sha256: hash, original_name: "Server room – rack 3.png", removed_by: userId(visit.lead) });
    expect(row.removed_at).not.toBeNull();
    expect(readFileSync(path.join(evidenceFolder, hash.slice(0, 2), hash)).equals(photo)).toBe(true);
    expect(audits("evidence.removed", photoId)).toBe(1);
    // A removed file is no longer downloaded, and removing it again changes nothing.
    expect((await member.get(downloadUrl(photoId))).status).toBe(404);
    expect((await remove(member, photoId)).status).toBe(302);
    expect(one<EvidenceRow>("SELECT * FROM evidence_files WHERE id = ?", photoId)).toEqual(row);
    expect(audits("evidence.removed", photoId)).toBe(1);
  });

  it("holds at most 20 files a finding (removed ones do not count)", async () => {
    const code = codes[4]!;
    for (let i = 0; i < 20; i++) expect((await upload(member, code, { name: `photo-${i}.png`, bytes: png(i, i, i) })).status).toBe(302);
    const { location, html } = await followed(await upload(member, code, { name: "one-too-many.png", bytes: photo }), member);
    expect(location).toContain("?evidence=too-many");
    expect(html).toContain("This finding already has 20 evidence files, the most it can have: remove one before adding another");
    expect(html).not.toContain('id="evidence-form"');
    expect(rows(finding(code).id)).toHaveLength(20);
    await remove(member, rows(finding(code).id)[0]!.id);
    expect((await followed(await upload(member, code, { name: "now-fits.png", bytes: photo }), member)).location).toContain("?evidence=uploaded");
    expect(rows(finding(code).id).filter((r) => r.removed_at === null)).toHaveLength(20);
  });

  it("once the findings are submitted, the team can no longer add or remove files, and still downloads them", async () => {
    // In draft, after leaving site, the team still adds files.
    expect((await lead.post(`/inspections/${inspectionId}`, { intent: "leave" })).status).toBe(302);
    expect((await followed(await upload(member, codes[5]!, { name: "draft.png", bytes: png(5, 5, 5) }), member)).location).toContain("?evidence=uploaded");
    const kept = rows(finding(codes[5]!).id)[0]!;

    for (const code of codes) expect((await saveFinding(member, code, { rating: "not_applicable" })).status, code).toBe(302);
    expect((await lead.post(`/inspections/${inspectionId}`, { intent: "submit" })).status).toBe(302);
    expect(one<{ status: string }>("SELECT status FROM inspections WHERE id = ?", inspectionId).status).toBe("submitted");

    const rowsBefore = rows();
    const filesBefore = stored();
    const { location, html } = await followed(await upload(member, codes[5]!, { name: "late.png", bytes: png(6, 6, 6) }), member);
    expect(location).toBe(`${criterionUrl(codes[5]!)}?evidence=closed#evidence`);
    expect(html).toContain("Evidence files can be added or removed only while the team is recording findings");
    expect(html).not.toContain('id="evidence-form"');
    expect(html).not.toContain('name="intent" value="remove"');
    expect(html).toContain(downloadUrl(kept.id));
    expect((await followed(await remove(member, kept.id), member)).location).toContain("?evidence=closed");
    expect(rows()).toEqual(rowsBefore);
    expect(stored()).toEqual(filesBefore);

    expect((await member.get(downloadUrl(kept.id))).status).toBe(200);
    // An inspector not on the team may now review the findings, and so read their evidence; trust users still may not.
    expect((await outsider.get(downloadUrl(kept.id))).status).toBe(200);
    expect((await trustUser.get(downloadUrl(kept.id))).status).toBe(404);
  });
});
