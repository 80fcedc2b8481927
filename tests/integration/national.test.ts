/**
 * The national picture over real HTTP, against the built server and a copy of the demo database: inspections by
 * status as the database counts them; a point on the map for every open trust with a location, in the band the risk
 * ranking gives it, and the trusts without one named; the heatmap of each inspected trust's latest approved
 * inspection (RJ1's second, RRU's, RTD's) with the stored ratings; the shares meeting the profile and RJ1's trend worked out
 * again here from the database; published and factual-accuracy inspections counted like approved ones; the view
 * audited; and who may see it (programme leads and admins; inspectors and trust users get 404).
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyTemplateDatabase, queryDatabase } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let lead: Client;
let admin: Client;
let inspector: Client;
let trustUser: Client;

beforeAll(async () => {
  server = await startServer({ DATABASE_PATH: copyTemplateDatabase() });
  [lead, admin, inspector, trustUser] = await Promise.all([
    signedIn(server.url, "lead@deepdive.test"),
    signedIn(server.url, "admin@deepdive.test"),
    signedIn(server.url, "inspector1@deepdive.test"),
    signedIn(server.url, "trust.rj1@deepdive.test"),
  ]);
});

afterAll(async () => {
  await server?.stop();
});

const query = <T>(sql: string, ...params: unknown[]) => queryDatabase<T>(server.databaseFile, sql, ...params);

const STATUSES = ["planned", "on_site", "draft", "submitted", "in_review", "approved", "factual_accuracy", "published"];
const FINAL = "('approved', 'factual_accuracy', 'published')";
const LEVEL: Record<string, number> = { not_achieved: 0, partially_achieved: 1, achieved: 2 };

async function page(client: Client = lead) {
  const response = await client.get("/national");
  expect(response.status).toBe(200);
  return readPage(response);
}

/** One element of the page by id, from its opening tag to the matching closing tag of the same name (no nesting of the same tag inside). */
function element(html: string, tag: string, id: string): string {
  const found = new RegExp(`<${tag}[^>]*\\bid="${id}"[\\s\\S]*?</${tag}>`).exec(html);
  expect(found, `#${id}`).not.toBeNull();
  return found![0];
}

const frameworkId = (framework: string) => query<{ id: number }>("SELECT id FROM framework_versions WHERE framework = ? ORDER BY id DESC LIMIT 1", framework)[0]!.id;

/** The latest inspection with final findings of each trust on a framework version, by visit date. */
function latestInspections(versionId: number) {
  return query<{ id: string; trustCode: string; visitDate: string }>(
    `SELECT i.id, i.trust_code AS trustCode, v.visit_date AS visitDate FROM inspections i
       JOIN visits v ON v.id = i.visit_id JOIN inspection_frameworks x ON x.inspection_id = i.id
      WHERE i.status IN ${FINAL} AND x.framework_version_id = ?
        AND v.visit_date = (SELECT max(v2.visit_date) FROM inspections i2 JOIN visits v2 ON v2.id = i2.visit_id
                              JOIN inspection_frameworks x2 ON x2.inspection_id = i2.id
                             WHERE i2.trust_code = i.trust_code AND i2.status IN ${FINAL} AND x2.framework_version_id = ?)
      ORDER BY i.trust_code`,
    versionId,
    versionId,
  );
}

/** Each finding of an inspection on a framework version, in the framework's order, with its profile minimum. */
function findingsOf(inspectionId: string, versionId: number) {
  return query<{ code: string; scale: string; rating: string; minimum: string | null }>(
    `SELECT c.code, c.scale, f.rating, m.minimum FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
       JOIN inspection_frameworks x ON x.inspection_id = f.inspection_id AND x.framework_version_id = c.framework_version_id
       LEFT JOIN profile_minimums m ON m.profile_id = x.profile_id AND m.criterion_id = c.id
      WHERE f.inspection_id = ? AND c.framework_version_id = ? ORDER BY c.position`,
    inspectionId,
    versionId,
  );
}

describe("inspections by status", () => {
  it("counts every status as the database does, zeros included, with the total", async () => {
    const html = await page();
    expect(html).toContain("<title>The national picture – Deep Dive</title>");
    expect(html).toMatch(/<h1[^>]*>The national picture<\/h1>/);
    expect(html).not.toMatch(/style="/); // the CSP allows no style attributes
    const table = element(html, "table", "status-counts");
    const shown = Object.fromEntries([...table.matchAll(/data-status="([a-z_]+)"[\s\S]*?data-count="(\d+)"/g)].map((m) => [m[1]!, Number(m[2])]));
    const stored = Object.fromEntries(query<{ status: string; n: number }>("SELECT status, count(*) AS n FROM inspections GROUP BY status").map((r) => [r.status, r.n]));
    expect(Object.keys(shown)).toEqual([...STATUSES, "all"]);
    for (const status of STATUSES) expect(shown[status], status).toBe(stored[status] ?? 0);
    expect(shown.all).toBe(query<{ n: number }>("SELECT count(*) AS n FROM inspections")[0]!.n);
    // The demo: three published, one in its factual accuracy check, one on site today.
    expect(shown.published).toBe(3);
    expect(shown.factual_accuracy).toBe(1);
    expect(shown.on_site).toBe(1);
    // Counts only: the trust on site today is not named in the table.
    const onSite = query<{ name: string }>("SELECT t.name FROM inspections i JOIN trusts t ON t.ods_code = i.trust_code WHERE i.status = 'on_site'")[0]!.name;
    expect(table).not.toContain(onSite);
  });
});

describe("the map", () => {
  it("has a point for every open trust with a location, in the band the risk ranking gives it, inside the map", async () => {
    const html = await page();
    const svg = element(html, "svg", "trust-map");
    expect(svg).toMatch(/role="img"/);
    expect(svg).toMatch(/aria-label="Map of England with \d+ open NHS trusts/);
    const [, , width, height] = /viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    const points = [...svg.matchAll(/<path class="app-map__marker[^"]*" d="M([\d.]+) ([\d.]+)[^"]*" data-trust="([A-Z0-9]+)" data-band="(\d)"><title>([^<]*)<\/title>/g)].map((m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
      code: m[3]!,
      band: Number(m[4]),
      title: m[5]!,
    }));
    const located = query<{ code: string; name: string }>(
      "SELECT ods_code AS code, name FROM trusts WHERE (closed_on IS NULL OR closed_on > date('now')) AND latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY ods_code",
    );
    expect(located.length).toBeGreaterThanOrEqual(200);
    expect(points.map((p) => p.code).sort()).toEqual(located.map((t) => t.code));
    for (const p of points) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(width!);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThan(height!);
    }
    // Each point names its trust and band, and the bands are the risk ranking's.
    const names = new Map(located.map((t) => [t.code, t.name]));
    const risk = await readPage(await lead.get("/risk"));
    const ranked = new Map(
      [...risk.matchAll(/href="\/risk\/trusts\/([A-Z0-9]+)"[\s\S]*?>Band (\d)</g)].map((m) => [m[1]!, Number(m[2])]),
    );
    expect(ranked.size).toBeGreaterThanOrEqual(located.length);
    for (const p of points) {
      expect(p.band, p.code).toBe(ranked.get(p.code));
      expect(p.title).toBe(`${names.get(p.code)} (${p.code}): band ${p.band}`);
    }
    // Band 1 is drawn last, on top.
    const bands = points.map((p) => p.band);
    expect(bands).toEqual([...bands].sort((a, b) => b - a));
    // The key gives each band's count, which add up to the open trusts.
    const open = query<{ n: number }>("SELECT count(*) AS n FROM trusts WHERE closed_on IS NULL OR closed_on > date('now')")[0]!.n;
    const key = [...html.matchAll(/<li data-band="(\d)">[\s\S]*?: (\d+) trusts?<\/li>/g)].map((m) => Number(m[2]));
    expect(key).toHaveLength(6);
    expect(key.reduce((s, n) => s + n, 0)).toBe(open);
  });

  it("names the open trusts it cannot place, and lists every open trust by band as text", async () => {
    const html = await page();
    const missing = query<{ code: string; name: string }>(
      "SELECT ods_code AS code, name FROM trusts WHERE (closed_on IS NULL OR closed_on > date('now')) AND (latitude IS NULL OR longitude IS NULL)",
    );
    expect(missing.length).toBeGreaterThan(0); // the demo register has two trusts with no location
    const note = element(html, "p", "map-unplaced");
    for (const t of missing) expect(note).toContain(`${t.name} (${t.code})`);
    const table = element(html, "table", "trusts-by-band");
    const rows = [...table.matchAll(/<tr class="govuk-table__row" data-trust="([A-Z0-9]+)">[\s\S]*?>Band (\d)</g)].map((m) => ({ code: m[1]!, band: Number(m[2]) }));
    const open = query<{ n: number }>("SELECT count(*) AS n FROM trusts WHERE closed_on IS NULL OR closed_on > date('now')")[0]!.n;
    expect(rows).toHaveLength(open);
    expect(rows.map((r) => r.band)).toEqual(rows.map((r) => r.band).sort((a, b) => a - b));
    expect(html).toContain(`Show the ${open} trusts by risk band`);
  });
});

describe("ratings at inspected trusts", () => {
  it("has a heatmap row for each trust's latest approved inspection, with the stored ratings as codes", async () => {
    const html = await page();
    for (const framework of ["caf", "cyber-essentials-plus"]) {
      const versionId = frameworkId(framework);
      const table = element(html, "table", `heatmap-${versionId}`);
      const latest = latestInspections(versionId);
      expect(latest.map((l) => l.trustCode)).toEqual(["RJ1", "RRU", "RTD"]);
      const rows = [...table.matchAll(/<tr class="govuk-table__row" data-trust="([A-Z0-9]+)">([\s\S]*?)<\/tr>/g)];
      expect(rows.map((r) => r[1])).toEqual(latest.map((l) => l.trustCode)); // Guy's, London Ambulance, Newcastle: by name
      for (const [, code, row] of rows) {
        const inspection = latest.find((l) => l.trustCode === code)!;
        expect(row).toContain(`href="/inspections/${inspection.id}"`);
        const expected = findingsOf(inspection.id, versionId).map((f) =>
          f.rating === "achieved" ? (f.scale === "met" ? "M" : "A") : f.rating === "partially_achieved" ? "PA" : f.rating === "not_achieved" ? (f.scale === "met" ? "NM" : "NA") : f.rating === "not_applicable" ? "N/A" : "?",
        );
        expect([...row!.matchAll(/data-code="([^"]+)"/g)].map((m) => m[1])).toEqual(expected);
      }
      // Criteria as column headers, with scope, under their top-level sections.
      const criteria = query<{ code: string }>("SELECT code FROM framework_criteria WHERE framework_version_id = ? ORDER BY position", versionId).map((c) => c.code);
      expect([...table.matchAll(/<th scope="col" class="govuk-table__header app-heatmap__code"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1])).toEqual(criteria);
      expect(table).toMatch(/scope="colgroup"/);
    }
    // RJ1's earlier inspection and the inspection on site are not rows.
    const earlier = query<{ id: string }>(
      "SELECT i.id FROM inspections i JOIN visits v ON v.id = i.visit_id WHERE i.trust_code = 'RJ1' AND i.status = 'published' ORDER BY v.visit_date LIMIT 1",
    )[0]!.id;
    const heatmaps = [...html.matchAll(/<table[^>]*id="heatmap-\d+"[\s\S]*?<\/table>/g)].map((m) => m[0]).join("");
    expect(heatmaps).not.toContain(earlier);
    const onSite = query<{ trustCode: string }>("SELECT trust_code AS trustCode FROM inspections WHERE status = 'on_site'")[0]!.trustCode;
    expect(heatmaps).not.toContain(`data-trust="${onSite}"`);
  });

  it("gives per criterion the inspected trusts meeting their profile, worked out again here", async () => {
    const html = await page();
    for (const framework of ["caf", "cyber-essentials-plus"]) {
      const versionId = frameworkId(framework);
      const table = element(html, "table", `shares-${versionId}`);
      const shown = [...table.matchAll(/data-criterion="([^"]+)" data-meeting="(\d+)" data-judged="(\d+)"/g)].map((m) => ({ code: m[1]!, meeting: Number(m[2]), judged: Number(m[3]) }));
      const tallies = new Map<string, { meeting: number; judged: number }>();
      for (const inspection of latestInspections(versionId)) {
        for (const f of findingsOf(inspection.id, versionId)) {
          const t = tallies.get(f.code) ?? { meeting: 0, judged: 0 };
          if (f.minimum !== null && f.rating in LEVEL) {
            t.judged += 1;
            if (LEVEL[f.rating]! >= LEVEL[f.minimum]!) t.meeting += 1;
          }
          tallies.set(f.code, t);
        }
      }
      expect(shown.map((s) => s.code)).toEqual([...tallies.keys()]);
      for (const s of shown) expect({ code: s.code, meeting: s.meeting, judged: s.judged }).toEqual({ code: s.code, ...tallies.get(s.code) });
      // Something meets the profile and something does not, in the demo.
      expect(shown.some((s) => s.meeting > 0)).toBe(true);
      expect(shown.some((s) => s.meeting < s.judged)).toBe(true);
    }
  });

  it("shows RJ1's trend across its two inspections, with the criteria that improved, held and fell", async () => {
    const html = await page();
    const versionId = frameworkId("caf");
    const chart = element(html, "svg", `trend-${versionId}`);
    expect(chart).toMatch(/data-trust="RJ1"/);
    expect(chart).not.toMatch(/data-trust="RRU"/); // inspected once
    const table = element(html, "table", `trend-${versionId}-table`);
    const row = /<tr class="govuk-table__row" data-trust="RJ1">([\s\S]*?)<\/tr>/.exec(table)![1]!;
    const count = (movement: string) => Number(new RegExp(`data-movement="${movement}">(\\d+)<`).exec(row)![1]);
    const [first, second] = query<{ id: string; visitDate: string }>(
      "SELECT i.id, v.visit_date AS visitDate FROM inspections i JOIN visits v ON v.id = i.visit_id WHERE i.trust_code = 'RJ1' AND i.status IN " + FINAL + " ORDER BY v.visit_date",
    );
    const before = new Map(findingsOf(first!.id, versionId).map((f) => [f.code, f.rating]));
    const expected = { improved: 0, held: 0, fell: 0, notCompared: 0 };
    for (const f of findingsOf(second!.id, versionId)) {
      const then = before.get(f.code);
      if (then === undefined || !(then in LEVEL) || !(f.rating in LEVEL)) expected.notCompared += 1;
      else if (LEVEL[f.rating]! > LEVEL[then]!) expected.improved += 1;
      else if (LEVEL[f.rating]! < LEVEL[then]!) expected.fell += 1;
      else expected.held += 1;
    }
    expect({ improved: count("improved"), held: count("held"), fell: count("fell"), notCompared: count("not-compared") }).toEqual(expected);
    expect(expected.improved).toBeGreaterThan(0);
    expect(expected.held).toBeGreaterThan(0);
    expect(expected.fell).toBeGreaterThan(0);
    // Both dates, each with its share.
    const longDate = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    expect(row).toMatch(new RegExp(`${longDate(first!.visitDate)}: \\d+%`));
    expect(row).toMatch(new RegExp(`${longDate(second!.visitDate)}: \\d+%`));
  });

  it("counts an approved inspection, one in the factual accuracy check and a published one alike", async () => {
    // The demo has published ones and one in its check; RRU's is put back to approved (as just before its check).
    const db = new Database(server.databaseFile);
    try {
      db.prepare("UPDATE inspections SET status = 'approved', published_at = NULL, accuracy_opened_at = NULL, accuracy_closes_on = NULL WHERE trust_code = 'RRU' AND status = 'published'").run();
    } finally {
      db.close();
    }
    const html = await page();
    const statusTable = element(html, "table", "status-counts");
    const count = (status: string) => Number(new RegExp(`data-status="${status}"[\\s\\S]*?data-count="(\\d+)"`).exec(statusTable)![1]);
    expect([count("approved"), count("factual_accuracy"), count("published")]).toEqual([1, 1, 2]);
    const table = element(html, "table", `heatmap-${frameworkId("caf")}`);
    expect([...table.matchAll(/data-trust="([A-Z0-9]+)"/g)].map((m) => m[1])).toEqual(["RJ1", "RRU", "RTD"]);
    expect(element(html, "table", `trend-${frameworkId("caf")}-table`)).toMatch(/data-trust="RJ1"/);
  });
});

describe("who may see it", () => {
  it("is in the programme lead's navigation, and open to admins", async () => {
    const home = await readPage(await lead.get("/inspections"));
    expect(home).toMatch(/<a[^>]*href="\/national"[^>]*>National picture<\/a>/);
    const html = await page(admin);
    expect(html).toMatch(/<h1[^>]*>The national picture<\/h1>/);
    // An admin is not sent to the selection rounds, which are for programme leads only.
    expect(element(html, "main", "main-content")).not.toContain('href="/selection"');
  });

  it("is 404 for inspectors and trust users, and asks anyone signed out to sign in", async () => {
    for (const client of [inspector, trustUser]) {
      const response = await client.get("/national");
      expect(response.status).toBe(404);
      const text = await readPage(response);
      expect(text).not.toContain("national picture");
      expect(text).not.toContain("trust-map");
    }
    const anonymous = await new Client(server.url).get("/national");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/sign-in?redirectTo=%2Fnational");
  });

  it("is GET only: a POST is not found", async () => {
    const response = await lead.post("/national", {});
    expect(response.status).toBe(404);
  });

  it("audits every view, and every refusal", () => {
    const views = query<{ actor: string; summary: string }>("SELECT actor_label AS actor, summary FROM audit_events WHERE action = 'national.viewed'");
    expect(views.filter((v) => v.actor === "lead@deepdive.test").length).toBeGreaterThanOrEqual(5);
    expect(views.some((v) => v.actor === "admin@deepdive.test")).toBe(true);
    expect(views.some((v) => v.actor === "inspector1@deepdive.test")).toBe(false);
    expect(JSON.parse(views[0]!.summary)).toMatchObject({ asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), modelVersion: expect.any(Number) });
    const refused = query<{ actor: string }>("SELECT actor_label AS actor FROM audit_events WHERE action = 'authorisation.denied' AND object_id = '/national'");
    expect(refused.map((r) => r.actor).sort()).toEqual(["inspector1@deepdive.test", "trust.rj1@deepdive.test"]);
  });
});
