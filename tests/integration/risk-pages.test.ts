/**
 * The risk pages over real HTTP, against the built server (`npm run build` first) and a copy of the template
 * database, with a few observations of our own on top of whatever history the template holds: the ranking, its
 * filters, one trust's explanation, the audit of every view, the model versions (create, preview, make current),
 * and who may see and do what.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_INDICATORS } from "../../app/risk/indicator-catalogue";
import { copyTemplateDatabase, queryDatabase } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let lead: Client;
let inspector: Client;
let admin: Client;
let trustUser: Client;

const TODAY = new Date().toISOString().slice(0, 10);

/** The worst value of each indicator, observed today, for one trust: it must rank near the top. */
function seedObservations(file: string) {
  const db = new Database(file);
  try {
    const insertIndicator = db.prepare(
      `INSERT OR IGNORE INTO indicators (code, label, description, value_type, categories, min_value, max_value, unit, higher_is_worse, origin, is_built_in)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const d of BUILT_IN_INDICATORS) {
      insertIndicator.run(d.code, d.label, d.description, d.valueType, d.categories ? JSON.stringify(d.categories) : null, d.minValue ?? null, d.maxValue ?? null, d.unit ?? null, d.higherIsWorse ? 1 : 0, d.origin, 1);
    }
    // An indicator an admin added, which no model weights yet: observed once, long ago, for RJ1 only.
    insertIndicator.run("test_audit_gaps_pct", "Audit gaps", "Added by the risk pages test", "percentage", null, 0, 100, "%", 1, "imported", 0);
    db.prepare(
      `INSERT INTO indicator_imports (id, file_name, sha256, format, row_count, inserted_count, imported_by, imported_at)
       VALUES ('risk-pages-test', 'risk-pages.test.ts', '0', 'long', 6, 6, 'test', ?)`,
    ).run(new Date().toISOString());
    const insert = db.prepare(
      `INSERT INTO indicator_observations (trust_code, indicator_code, value, numeric_value, observed_on, period, source, import_id)
       VALUES (?, ?, ?, ?, ?, ?, 'risk pages test', 'risk-pages-test')`,
    );
    const worst: [string, string, number, string | null][] = [
      ["dspt_status", "not_met", 3, "2025/26"],
      ["critical_patches_14d_pct", "10", 10, null],
      ["unsupported_devices_pct", "60", 60, null],
      ["unacked_high_alerts_48h", "40", 40, null],
      ["incidents_12m", "9", 9, null],
      ["ceplus_current", "0", 0, null],
    ];
    for (const [code, value, numeric, period] of worst) insert.run("RRU", code, value, numeric, TODAY, period);
    // A good trust: the best values, today.
    const best: [string, string, number, string | null][] = [
      ["dspt_status", "exceeded", 0, "2025/26"],
      ["critical_patches_14d_pct", "99", 99, null],
      ["unsupported_devices_pct", "0", 0, null],
      ["unacked_high_alerts_48h", "0", 0, null],
      ["incidents_12m", "0", 0, null],
      ["ceplus_current", "1", 1, null],
    ];
    for (const [code, value, numeric, period] of best) insert.run("RJ1", code, value, numeric, TODAY, period);
    insert.run("RJ1", "test_audit_gaps_pct", "5", 5, "2020-01-01", null);
    // A trust that has closed: not ranked, its page says so.
    insert.run("RWR", "incidents_12m", "3", 3, "2024-01-01", null);
    db.prepare("UPDATE trusts SET closed_on = '2025-04-01' WHERE ods_code = 'RWR'").run();
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  const file = copyTemplateDatabase();
  seedObservations(file);
  server = await startServer({ DATABASE_PATH: file });
  [lead, inspector, admin, trustUser] = await Promise.all([
    signedIn(server.url, "lead@deepdive.test"),
    signedIn(server.url, "inspector1@deepdive.test"),
    signedIn(server.url, "admin@deepdive.test"),
    signedIn(server.url, "trust.rj1@deepdive.test"),
  ]);
});

afterAll(async () => {
  await server?.stop();
});

const query = <T>(sql: string, ...params: unknown[]) => queryDatabase<T>(server.databaseFile, sql, ...params);

/** What a person sees: the page without its scripts (Remix's route manifest names every module) and links. */
const visible = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<link[^>]*>/g, "");

interface Row {
  rank: number;
  code: string;
  score: number;
  band: number;
}

/** The ranking table's rows: rank, trust code, score and band. */
function rankingRows(html: string): Row[] {
  const table = /<table[^>]*id="risk-table"[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
  return [...table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
    .map((m) => m[1]!)
    .filter((row) => row.includes("/risk/trusts/"))
    .map((row) => ({
      rank: Number(/<td[^>]*>(\d+)<\/td>/.exec(row)![1]),
      code: /href="\/risk\/trusts\/([A-Z0-9]+)"/.exec(row)![1]!,
      score: Number(/data-score="([\d.]+)"/.exec(row)![1]),
      band: Number(/>Band (\d)</.exec(row)![1]),
    }));
}

async function ranking(client: Client, search = "") {
  const response = await client.get(`/risk${search}`);
  expect(response.status).toBe(200);
  const html = await readPage(response);
  return { html, rows: rankingRows(html), count: /id="risk-count"[^>]*>([^<]+)</.exec(html)?.[1] };
}

/** Every input and textarea of the page's version form (not the sign-out form), as the browser would submit it. */
function formFields(html: string): Record<string, string> {
  const form = [...html.matchAll(/<form method="post"[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => f.includes('name="weight-')) ?? "";
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    if (!name) continue;
    fields[name] = /value="([^"]*)"/.exec(m[0])?.[1] ?? "";
  }
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]*)"[^>]*>([^<]*)<\/textarea>/g)) fields[m[1]!] = m[2]!;
  return fields;
}

const auditCount = (action: string, actor: string, objectId?: string) =>
  query<{ n: number }>(
    `SELECT count(*) AS n FROM audit_events WHERE action = ? AND actor_label = ?${objectId ? " AND object_id = ?" : ""}`,
    action,
    actor,
    ...(objectId ? [objectId] : []),
  )[0]!.n;

describe("the risk ranking", () => {
  it("ranks every open trust, highest score first, with the model named and the band chart", async () => {
    const open = query<{ n: number }>("SELECT count(*) AS n FROM trusts WHERE closed_on IS NULL OR closed_on > date('now')")[0]!.n;
    const { html, rows, count } = await ranking(lead);
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(rows).toHaveLength(open);
    expect(count).toBe(`${open} trusts`);
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.score).toBeGreaterThanOrEqual(rows[i]!.score);
    expect(rows[0]!.code).toBe("RRU"); // the worst values, an ambulance trust
    expect(html).toContain("<title>Risk ranking – Deep Dive</title>");
    expect(html).toMatch(/<a[^>]*href="\/risk\/models\/\d+"[^>]*>Baseline 2026<\/a>/);
    // The chart: one image with a text label, and the numbers behind it.
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Trusts per band: Band 1, \d+; Band 2, \d+; Band 3, \d+; Band 4, \d+; Band 5, \d+; Band 6, \d+\."/);
    const chartTotal = [...html.matchAll(/Band (\d), (\d+)[;.]/g)].reduce((s, m) => s + Number(m[2]), 0);
    expect(chartTotal).toBe(open);
    expect(html).toContain("Show the numbers");
    expect(html).not.toMatch(/style="/); // the CSP allows no style attributes
    // Reasons and freshness for each trust.
    const rru = /<tr class="govuk-table__row">(?:(?!<\/tr>)[\s\S])*?\/risk\/trusts\/RRU"[\s\S]*?<\/tr>/.exec(html)![0];
    expect(rru).toContain("DSPT status 2025/26: standards not met");
    expect(rru).toContain("All current");
  });

  it("filters by region, type and band, keeping the national rank", async () => {
    const london = query<{ code: string }>(
      "SELECT ods_code AS code FROM trusts WHERE region_code = 'Y56' AND (closed_on IS NULL OR closed_on > date('now')) ORDER BY code",
    ).map((r) => r.code);
    const all = (await ranking(lead)).rows;
    const byRegion = await ranking(lead, "?region=Y56");
    expect(byRegion.rows.map((r) => r.code).sort()).toEqual(london);
    expect(byRegion.count).toBe(`${london.length} trusts of ${all.length}`);
    expect(byRegion.html).toMatch(/<option value="Y56" selected="">London<\/option>/);
    const national = new Map(all.map((r) => [r.code, r.rank]));
    for (const r of byRegion.rows) expect(r.rank).toBe(national.get(r.code));

    const ambulance = await ranking(lead, "?type=ambulance");
    expect(ambulance.rows).toHaveLength(10);
    expect(ambulance.rows[0]!.code).toBe("RRU");

    for (const band of [1, 6]) {
      const banded = await ranking(lead, `?band=${band}`);
      expect(banded.rows.length).toBe(all.filter((r) => r.band === band).length);
      expect(banded.rows.every((r) => r.band === band)).toBe(true);
    }
    const combined = await ranking(lead, "?region=Y56&type=ambulance&band=1");
    expect(combined.rows.map((r) => r.code)).toEqual(["RRU"]);
    // Values that are not choices are ignored.
    expect((await ranking(lead, "?band=9&type=nope&region=%27%20OR%201=1")).rows).toHaveLength(all.length);
    const none = await ranking(lead, "?type=ambulance&band=6");
    if (none.rows.length === 0) expect(none.html).toContain("No trusts match the filters.");
  });

  it("is open to inspectors and admins", async () => {
    expect((await ranking(inspector)).rows.length).toBeGreaterThanOrEqual(200);
    expect((await ranking(admin)).rows.length).toBeGreaterThanOrEqual(200);
  });
});

describe("one trust's risk", () => {
  it("explains the score: contributions that add up to it, with stale and missing data marked", async () => {
    const response = await lead.get("/risk/trusts/RRU");
    expect(response.status).toBe(200);
    const html = await readPage(response);
    expect(html).toContain("<title>London Ambulance Service NHS Trust: risk – Deep Dive</title>");
    const score = Number(/id="risk-score">([\d.]+)</.exec(html)![1]);
    const points = [...html.matchAll(/data-points="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(points.length).toBeGreaterThanOrEqual(6);
    expect(points.reduce((s, p) => s + Math.round(p * 10), 0)).toBe(Math.round(score * 10));
    expect(html).toContain("Band 1");
    expect(html).toMatch(/Rank<\/dt><dd[^>]*>1 of \d+ open trusts/);
    expect(html).toContain("type ambulance, ambulance service");
    // Charts: contributions and the history of numeric indicators, each an image with a label and a table.
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Points per indicator: /);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Critical patches within 14 days over time: /);
    expect(html).toContain("<h3 class=\"govuk-heading-s\" id=\"history-dspt_status\">DSPT status</h3>");
    expect(html).toContain("standards not met");
    expect(html).not.toMatch(/style="/);
  });

  it("marks each indicator current, stale or missing, as the history says", async () => {
    const STALE_AFTER: Record<string, number> = {
      dspt_status: 400,
      ceplus_current: 400,
      critical_patches_14d_pct: 120,
      unsupported_devices_pct: 120,
      unacked_high_alerts_48h: 120,
      incidents_12m: 120,
    };
    const day = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
    const latest = new Map(
      query<{ code: string; latest_on: string }>(
        "SELECT indicator_code AS code, max(observed_on) AS latest_on FROM indicator_observations WHERE trust_code = 'RTD' AND observed_on <= ? GROUP BY indicator_code",
        TODAY,
      ).map((r) => [r.code, r.latest_on]),
    );
    const html = await readPage(await lead.get("/risk/trusts/RTD"));
    const table = /<table[^>]*id="contributions-table"[\s\S]*?<\/table>/.exec(html)![0];
    const labels = new Map(BUILT_IN_INDICATORS.map((d) => [d.label, d.code]));
    const statuses = new Map(
      [...table.matchAll(/<th scope="row" class="govuk-table__header">([^<]+)<\/th><td[^>]*>[\s\S]*?<\/td><td class="govuk-table__cell">(?:<strong[^>]*>)?([A-Za-z ]+)</g)].map((m) => [labels.get(m[1]!)!, m[2]!]),
    );
    expect([...statuses.keys()].sort()).toEqual(Object.keys(STALE_AFTER).sort());
    for (const [code, staleAfter] of Object.entries(STALE_AFTER)) {
      const on = latest.get(code);
      const expected = !on ? "No data" : day(TODAY) - day(on) > staleAfter ? "Stale" : "Current";
      expect(statuses.get(code), code).toBe(expected);
    }
    if ([...statuses.values()].some((s) => s !== "Current")) expect(html).toContain("Hatched bars are stale or missing data");
    const good = await readPage(await lead.get("/risk/trusts/RJ1"));
    expect(good).toContain("DSPT status 2025/26: standards exceeded");
    expect(good).toMatch(/Data<\/dt><dd[^>]*>All current/);
  });

  it("shows a closed trust as closed and not ranked, with its history", async () => {
    expect((await ranking(lead)).rows.map((r) => r.code)).not.toContain("RWR");
    const response = await lead.get("/risk/trusts/RWR");
    expect(response.status).toBe(200);
    const html = await readPage(response);
    expect(html).toContain("This trust closed on 1 April 2025: it is not ranked.");
    expect(html).not.toContain('id="risk-score"');
    expect(html).toContain('id="history-incidents_12m"');
  });

  it("answers 404 for an unknown or malformed code", async () => {
    expect((await lead.get("/risk/trusts/ZZZ99")).status).toBe(404);
    expect((await lead.get("/risk/trusts/not%20a%20code")).status).toBe(404);
  });
});

describe("views are audited", () => {
  it("writes risk.viewed for the ranking and for a trust, with who and what", async () => {
    const ranking0 = auditCount("risk.viewed", "inspector1@deepdive.test");
    const trust0 = auditCount("risk.viewed", "inspector1@deepdive.test", "RJ1");
    expect((await inspector.get("/risk?band=2")).status).toBe(200);
    expect((await inspector.get("/risk/trusts/RJ1")).status).toBe(200);
    expect(auditCount("risk.viewed", "inspector1@deepdive.test")).toBe(ranking0 + 2);
    expect(auditCount("risk.viewed", "inspector1@deepdive.test", "RJ1")).toBe(trust0 + 1);
    const last = query<{ object_type: string; summary: string }>(
      "SELECT object_type, summary FROM audit_events WHERE action = 'risk.viewed' AND actor_label = 'inspector1@deepdive.test' ORDER BY seq DESC LIMIT 2",
    );
    expect(last[0]).toMatchObject({ object_type: "trust" });
    expect(last[1]!.object_type).toBe("risk-ranking");
    expect(JSON.parse(last[1]!.summary)).toMatchObject({ page: "ranking", filters: { band: 2 } });
  });
});

describe("trust users", () => {
  const urls = ["/risk", "/risk?band=1", "/risk/trusts/RJ1", "/risk/trusts/RRU", "/risk/models", "/risk/models/1", "/risk/models/new"];
  it.each(urls)("get 404 for GET %s, and nothing about risk", async (url) => {
    const response = await trustUser.get(url);
    expect(response.status).toBe(404);
    expect(visible(await response.text())).not.toMatch(/risk|score|band/i);
  });

  it.each(["/risk/models/new", "/risk/models/1"])("get 404 for POST %s", async (url) => {
    const before = query<{ n: number }>("SELECT count(*) AS n FROM risk_model_versions")[0]!.n;
    const response = await trustUser.post(url, { intent: "save", name: "Trust user's model" });
    expect(response.status).toBe(404);
    expect(query<{ n: number }>("SELECT count(*) AS n FROM risk_model_versions")[0]!.n).toBe(before);
  });

  it("are not audited as viewing risk (their refusals are)", () => {
    expect(auditCount("risk.viewed", "trust.rj1@deepdive.test")).toBe(0);
    expect(auditCount("authorisation.denied", "trust.rj1@deepdive.test")).toBeGreaterThanOrEqual(urls.length);
  });
});

describe("risk model versions", () => {
  it("lists the versions with the current one marked", async () => {
    const response = await inspector.get("/risk/models");
    expect(response.status).toBe(200);
    const html = await readPage(response);
    expect(html).toContain("Baseline 2026");
    expect(html).toContain(">Current</strong>");
    expect(html).not.toContain("Create a new version"); // only programme leads
    expect(await readPage(await lead.get("/risk/models"))).toContain("Create a new version");
    const version = await readPage(await inspector.get("/risk/models/1"));
    expect(version).toContain("Baseline 2026");
    expect(version).toMatch(/DSPT status<\/th><td[^>]*>25<\/td>/);
    expect(version).not.toContain("Make current");
    expect((await inspector.get("/risk/models/999")).status).toBe(404);
    expect((await inspector.get("/risk/models/abc")).status).toBe(404);
  });

  it("a programme lead previews a change without saving, saves it as a new version and makes it current", async () => {
    const form = await lead.get("/risk/models/new");
    expect(form.status).toBe(200);
    const fields = formFields(await readPage(form));
    expect(fields["weight-dspt_status"]).toBe("25");
    expect(fields["edge-1"]).toBe("42");
    // The added indicator is offered, unweighted, with thresholds across its range.
    expect(fields).toMatchObject({ "weight-test_audit_gaps_pct": "0", "good-test_audit_gaps_pct": "0", "bad-test_audit_gaps_pct": "100" });
    const versions0 = query<{ n: number }>("SELECT count(*) AS n FROM risk_model_versions")[0]!.n;

    // Preview: much more weight on Cyber Essentials Plus, and lower band edges.
    const changed = { ...fields, "weight-ceplus_current": "60", "weight-test_audit_gaps_pct": "10", "edge-1": "30", "edge-2": "25", name: "Lead's test 2027", description: "More weight on CE+" };
    const preview = await lead.post("/risk/models/new", { ...changed, intent: "preview" });
    expect(preview.status).toBe(200);
    const previewHtml = await readPage(preview);
    expect(previewHtml).toContain("Preview: how the ranking would change");
    expect(previewHtml).toMatch(/\d+ trusts would move up the ranking/);
    expect(previewHtml).toContain('id="preview-movers"');
    expect(previewHtml).toContain('value="60"'); // the form keeps what was typed
    expect(query<{ n: number }>("SELECT count(*) AS n FROM risk_model_versions")[0]!.n).toBe(versions0);
    expect(
      query<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = 'risk.viewed' AND actor_label = 'lead@deepdive.test' AND summary LIKE '%model-preview%'")[0]!.n,
    ).toBe(1);

    // Save.
    const saved = await lead.post("/risk/models/new", { ...changed, intent: "save" });
    expect(saved.status).toBe(302);
    const location = saved.headers.get("location")!;
    expect(location).toMatch(/^\/risk\/models\/\d+\?done=created$/);
    const id = Number(/\/risk\/models\/(\d+)/.exec(location)![1]);
    const row = query<{ name: string; is_current: number; config: string; created_by: string }>("SELECT * FROM risk_model_versions WHERE id = ?", id)[0]!;
    expect(row).toMatchObject({ name: "Lead's test 2027", is_current: 0, created_by: "lead@deepdive.test" });
    expect(JSON.parse(row.config)).toMatchObject({
      indicators: { ceplus_current: { weight: 60 }, test_audit_gaps_pct: { weight: 10, normalise: { kind: "linear", good: 0, bad: 100 } } },
      bandEdges: [30, 25, 23, 16, 11],
    });
    expect(auditCount("risk-model.created", "lead@deepdive.test", String(id))).toBe(1);

    // The same name again is refused.
    const again = await lead.post("/risk/models/new", { ...changed, name: "lead's TEST 2027", intent: "save" });
    expect(again.status).toBe(400);
    expect(await readPage(again)).toContain("A version with this name already exists");

    // Make it current.
    const versionPage = await readPage(await lead.get(location));
    expect(versionPage).toContain("Version saved");
    expect(versionPage).toContain("Make current");
    const made = await lead.post(`/risk/models/${id}`, { intent: "make-current" });
    expect(made.status).toBe(302);
    expect(made.headers.get("location")).toBe(`/risk/models/${id}?done=current`);
    expect(query<{ id: number }>("SELECT id FROM risk_model_versions WHERE is_current = 1").map((r) => r.id)).toEqual([id]);
    expect(auditCount("risk-model.made-current", "lead@deepdive.test", String(id))).toBe(1);
    const { html } = await ranking(lead);
    expect(html).toMatch(new RegExp(`<a[^>]*href="/risk/models/${id}"[^>]*>Lead's test 2027</a>`));
    // Under it, the added indicator is missing for RRU and stale (observed in 2020) for RJ1: both marked.
    const rru = await readPage(await lead.get("/risk/trusts/RRU"));
    expect(rru).toContain("Audit gaps: no data");
    expect(rru).toContain(">No data</strong>");
    expect(rru).toContain("Hatched bars are stale or missing data");
    expect(rru).toMatch(/aria-label="Points per indicator: [^"]*Audit gaps [\d.]+ \(no data\)/);
    const rj1 = await readPage(await lead.get("/risk/trusts/RJ1"));
    expect(rj1).toMatch(/Audit gaps: 5% \(stale: \d+ years old\)/);
    expect(rj1).toContain(">Stale</strong>");
    expect(rj1).toMatch(/Data<\/dt><dd[^>]*>1 stale/);
    // A version is never edited: the database refuses.
    const db = new Database(server.databaseFile);
    try {
      expect(() => db.prepare("UPDATE risk_model_versions SET config = '{}' WHERE id = ?").run(id)).toThrow(/never changes/);
    } finally {
      db.close();
    }
    // Back to the baseline, for the tests after this one.
    expect((await lead.post("/risk/models/1", { intent: "make-current" })).status).toBe(302);
  });

  it("refuses a config that is not valid, saying what is wrong, and saves nothing", async () => {
    const fields = formFields(await readPage(await lead.get("/risk/models/new")));
    const before = query<{ n: number }>("SELECT count(*) AS n FROM risk_model_versions")[0]!.n;
    const response = await lead.post("/risk/models/new", {
      ...fields,
      name: "Broken",
      intent: "save",
      "weight-incidents_12m": "lots",
      "edge-1": "5",
      "good-critical_patches_14d_pct": "40",
      "type-community": "0",
    });
    expect(response.status).toBe(400);
    const html = await readPage(response);
    expect(html).toContain("There is a problem");
    expect(html).toContain("A weight for Cyber incidents in the last 12 months must be a number");
    expect(query<{ n: number }>("SELECT count(*) AS n FROM risk_model_versions")[0]!.n).toBe(before);

    const second = await readPage(
      await lead.post("/risk/models/new", { ...fields, intent: "preview", "edge-1": "5", "good-critical_patches_14d_pct": "40", "type-community": "0" }),
    );
    expect(second).toContain("The lowest score for band 1: band edges must go down from band 1 to band 5");
    expect(second).toContain("The impact factor for community trusts: must be more than 0");
    const third = await readPage(await lead.post("/risk/models/new", { ...fields, intent: "preview", "good-critical_patches_14d_pct": "40" }));
    expect(third).toContain("Critical patches within 14 days: the bad threshold must be lower than the good one (a lower value is worse)");
    const noName = await lead.post("/risk/models/new", { ...fields, intent: "save", name: "  " });
    expect(noName.status).toBe(400);
    expect(await readPage(noName)).toContain("Enter a name for the version");
  });

  it("inspectors and admins cannot create a version or make one current", async () => {
    const fields = formFields(await readPage(await lead.get("/risk/models/new")));
    const before = query<{ n: number }>("SELECT count(*) AS n FROM risk_model_versions")[0]!.n;
    for (const client of [inspector, admin]) {
      expect((await client.get("/risk/models/new")).status).toBe(404);
      expect((await client.post("/risk/models/new", { ...fields, name: "Not allowed", intent: "save" })).status).toBe(404);
      expect((await client.post("/risk/models/1", { intent: "make-current" })).status).toBe(404);
    }
    expect(query<{ n: number }>("SELECT count(*) AS n FROM risk_model_versions")[0]!.n).toBe(before);
  });
});
