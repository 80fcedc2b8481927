/**
 * The trust register pages and the register import page over real HTTP, against the built server
 * (`npx remix build` first) and a copy of the template database.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDatabase } from "../support/database";
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

/** The ODS codes linked from the results table, in order. */
const listedCodes = (html: string) =>
  [...html.matchAll(/<th scope="row" class="govuk-table__header"><a class="govuk-link"[^>]* href="\/trusts\/([A-Z0-9]+)"/g)].map((m) => m[1]!);
const countLine = (html: string) => /<p[^>]*id="trust-count"[^>]*>([^<]+)<\/p>/.exec(html)?.[1];

const query = <T>(sql: string, ...params: unknown[]) => queryDatabase<T>(server.databaseFile, sql, ...params);

const tableContents = () => ({
  trusts: query("SELECT * FROM trusts ORDER BY ods_code"),
  traumaCentres: query("SELECT * FROM major_trauma_centres ORDER BY id"),
  imports: query("SELECT seq FROM audit_events WHERE action = 'trusts.ods-imported'"),
});

async function getTrusts(search = "") {
  const response = await lead.get(`/trusts${search}`);
  expect(response.status).toBe(200);
  const html = await readPage(response);
  return { html, codes: listedCodes(html), count: countLine(html) };
}

describe("the trust register pages", () => {
  it("lists every open trust for a programme lead, with the filter panel", async () => {
    const open = query<{ n: number }>("SELECT count(*) AS n FROM trusts WHERE closed_on IS NULL OR closed_on > date('now')")[0]!.n;
    expect(open).toBe(202);
    const { html, codes, count } = await getTrusts();
    expect(html).toContain("<title>NHS trusts – Deep Dive</title>");
    expect(count).toBe("202 trusts");
    expect(codes).toHaveLength(202);
    expect(html).toContain('<form method="get" action="/trusts"');
    for (const field of ["q", "type", "region", "mtc", "ambulance", "status"]) {
      expect(html).toMatch(new RegExp(`<label class="govuk-label[^"]*" for="${field}">`));
    }
    expect(html).toContain("Apply filters");
    expect(html).toMatch(/<a[^>]*href="\/trusts"[^>]*>Clear filters<\/a>/);
    expect(html).toContain('<table class="govuk-table');
    expect(html).toContain("<caption");
    expect(html).toContain("Guy's and St Thomas' NHS Foundation Trust");
    expect(html).not.toMatch(/<th[^>]*>\s*<\/th>/); // no empty headers
  });

  it("searches by ODS code or name, case-insensitively, taking % and _ literally", async () => {
    const byCode = await getTrusts("?q=rj1");
    expect(byCode.count).toBe("1 trust");
    expect(byCode.codes).toEqual(["RJ1"]);
    expect(byCode.html).toContain("Guy's and St Thomas' NHS Foundation Trust");
    expect(byCode.html).toContain('value="rj1"');

    expect((await getTrusts(`?q=${encodeURIComponent("GUY'S AND")}`)).codes).toEqual(["RJ1"]);
    expect((await getTrusts(`?q=${encodeURIComponent("guy’s")}`)).codes).toEqual(["RJ1"]); // a typographic apostrophe
    const ambulanceNames = await getTrusts("?q=ambulance");
    expect(ambulanceNames.codes).toHaveLength(10);

    for (const wildcard of ["%", "_", "%25", "R_1"]) {
      const { count, html } = await getTrusts(`?q=${encodeURIComponent(wildcard)}`);
      expect(count, wildcard).toBe("0 trusts");
      expect(html).toContain("No trusts match the filters.");
    }
  });

  it("filters by region, ambulance, major trauma centre, type and status", async () => {
    const london = query<{ ods_code: string }>("SELECT ods_code FROM trusts WHERE region_code = 'Y56' ORDER BY ods_code").map((r) => r.ods_code);
    const byRegion = await getTrusts("?region=Y56");
    expect([...byRegion.codes].sort()).toEqual(london);
    expect(byRegion.html).toMatch(/<option value="Y56" selected="">London<\/option>/);

    const ambulance = await getTrusts("?ambulance=yes");
    expect(ambulance.count).toBe("10 trusts");
    expect(ambulance.codes).toContain("RRU");
    expect((await getTrusts("?ambulance=no")).codes).toHaveLength(192);

    const mtc = query<{ code: string }>("SELECT DISTINCT trust_code AS code FROM major_trauma_centres ORDER BY code").map((r) => r.code);
    const byMtc = await getTrusts("?mtc=yes");
    expect([...byMtc.codes].sort()).toEqual(mtc);
    expect((await getTrusts("?mtc=no")).codes).toHaveLength(202 - mtc.length);

    const londonAmbulance = await getTrusts("?region=Y56&ambulance=yes&type=ambulance");
    expect(londonAmbulance.codes).toEqual(["RRU"]);

    expect((await getTrusts("?status=closed")).count).toBe("0 trusts");
    expect((await getTrusts("?status=all")).codes).toHaveLength(202);
    // Values that are not choices are ignored rather than failing.
    expect((await getTrusts("?status=bogus&type=nope&region=%27%20OR%201=1")).codes).toHaveLength(202);
  });

  it("shows one trust's details", async () => {
    const response = await lead.get("/trusts/RJ1");
    expect(response.status).toBe(200);
    const html = await readPage(response);
    expect(html).toContain("<title>Guy's and St Thomas' NHS Foundation Trust – Deep Dive</title>");
    expect(html).toContain('<dl class="govuk-summary-list">');
    for (const text of [
      "ODS code",
      "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
      "Acute",
      "London (Y56)",
      "QKK",
      "ST THOMAS' HOSPITAL",
      "SE1 7EH",
      "1 April 1993",
      "Epic Systems Corporation",
      "51.",
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).not.toContain(">Closed<");

    const cambridge = await readPage(await lead.get("/trusts/RGT"));
    expect(cambridge).toContain("Addenbrooke's Hospital (Cambridge) (Adults and children)");
    const ambulance = await readPage(await lead.get("/trusts/RRU"));
    expect(ambulance).toMatch(/Ambulance trust<\/dt><dd class="govuk-summary-list__value">Yes/);
  });

  it("answers 404 for an unknown trust, and to a trust user; sends anonymous visitors to sign in", async () => {
    expect((await lead.get("/trusts/XXX")).status).toBe(404);
    expect((await lead.get("/trusts/not%20a%20code")).status).toBe(404);

    const trustUser = await signedIn(server.url, "trust.rj1@deepdive.test");
    expect((await trustUser.get("/trusts")).status).toBe(404);
    expect((await trustUser.get("/trusts/RJ1")).status).toBe(404);
    expect((await trustUser.get("/admin/trusts/import")).status).toBe(404);

    const inspector = await signedIn(server.url, "inspector1@deepdive.test");
    expect((await inspector.get("/trusts")).status).toBe(200);
    expect((await inspector.get("/admin/trusts/import")).status).toBe(404);

    const anonymous = new Client(server.url);
    const response = await anonymous.get("/trusts?q=RJ1");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/sign-in?redirectTo=${encodeURIComponent("/trusts?q=RJ1")}`);
  });
});

describe("the register import page (admin only)", () => {
  const fixture = (name: string) => readFileSync(path.resolve("tests", "fixtures", "ods", name));
  const upload = (client: Client, intent: string, name: string, content: Uint8Array = fixture(name)) => {
    const form = new FormData();
    form.append("intent", intent);
    form.append("file", new Blob([new Uint8Array(content)], { type: "text/csv" }), name);
    return client.request("/admin/trusts/import", { method: "POST", body: form });
  };

  it("is refused (404) to a programme lead, even by POST", async () => {
    expect((await lead.get("/admin/trusts/import")).status).toBe(404);
    const before = tableContents();
    expect((await upload(lead, "import", "etr-refresh.csv")).status).toBe(404);
    expect(tableContents()).toEqual(before);
  });

  it("checks a file (dry run, nothing changes), refuses a malformed one, then imports", async () => {
    const admin = await signedIn(server.url, "admin@deepdive.test");
    const form = await readPage(await admin.get("/admin/trusts/import"));
    expect(form).toContain("<title>Import the trust register – Deep Dive</title>");
    expect(form).toMatch(/<form method="post" action="\/admin\/trusts\/import" enctype="multipart\/form-data"/i);
    expect(form).toMatch(/<label class="govuk-label govuk-label--m" for="file">/);
    expect(form).toContain('class="govuk-file-upload"');
    expect(form).toMatch(/<button type="submit" name="intent" value="check" class="govuk-button govuk-button--secondary"/);
    expect(form).toMatch(/<button type="submit" name="intent" value="import" class="govuk-button"/);

    const before = tableContents();

    const check = await upload(admin, "check", "etr-refresh.csv");
    expect(check.status).toBe(200);
    const checked = await readPage(check);
    expect(checked).toContain("What importing etr-refresh.csv would change");
    expect(checked).toContain("nothing has been changed");
    expect(checked).toContain("SHEFFIELD HEALTH PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST");
    expect(checked).toContain("Trusts to mark as closed");
    expect(checked).toContain("31 March 2026");
    expect(checked).toContain("RQF, RT4");
    expect(checked).toContain("K0N6A");
    expect(tableContents()).toEqual(before);

    const malformed = await upload(admin, "import", "etr-malformed.csv");
    expect(malformed.status).toBe(400);
    const refused = await readPage(malformed);
    expect(refused).toContain("govuk-error-summary");
    expect(refused).toContain('<a href="#file">Line 3: expected 27 columns, found 26</a>');
    expect(refused).toContain('Line 5: trust RBD has open date "20230231", not a date in the form yyyymmdd');
    expect(refused).toContain("The selected file has 5 problems");
    expect(refused).toContain("The file was not imported and nothing was changed.");
    expect(tableContents()).toEqual(before);

    const noFile = new FormData();
    noFile.append("intent", "import");
    const missing = await admin.request("/admin/trusts/import", { method: "POST", body: noFile });
    expect(missing.status).toBe(400);
    expect(await readPage(missing)).toContain("Select an ODS etr.csv file");

    const zipped = await upload(admin, "import", "etr.zip", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    expect(zipped.status).toBe(400);
    expect(await readPage(zipped)).toContain("The selected file is a zip archive");
    expect(tableContents()).toEqual(before);

    const run = await upload(admin, "import", "etr-refresh.csv");
    expect(run.status).toBe(200);
    const done = await readPage(run);
    expect(done).toContain("govuk-notification-banner--success");
    expect(done).toContain("The register was updated from etr-refresh.csv");
    expect(done).toContain("1 trust added, 1 renamed, 1 closed, 1 other change, 198 unchanged.");

    const after = tableContents();
    expect(after.imports).toHaveLength(before.imports.length + 1);
    expect(query("SELECT name, closed_on FROM trusts WHERE ods_code IN ('TAH', 'RBD') ORDER BY ods_code")).toEqual([
      { name: "Dorset County Hospital NHS Foundation Trust", closed_on: "2026-03-31" },
      { name: "Sheffield Health Partnership University NHS Foundation Trust", closed_on: null },
    ]);
    expect(query("SELECT actor_label FROM audit_events WHERE action = 'trusts.ods-imported' ORDER BY seq DESC LIMIT 1")).toEqual([
      { actor_label: "admin@deepdive.test" },
    ]);

    // The pages show the refreshed register.
    const closed = await getTrusts("?status=closed");
    expect(closed.codes).toEqual(["RBD"]);
    expect(closed.html).toContain("Closed on 31 March 2026");
    expect((await getTrusts("?q=R1X")).html).toContain("Northern Counties Ambulance Service NHS Trust");
    expect((await getTrusts()).count).toBe("202 trusts"); // RBD closed, R1X opened
    const rbd = await readPage(await lead.get("/trusts/RBD"));
    expect(rbd).toContain("This trust closed on 31 March 2026.");
    expect((await readPage(await admin.get("/admin/trusts/import")))).toContain("by admin@deepdive.test");

    // The same file again changes nothing.
    const again = await readPage(await upload(admin, "import", "etr-refresh.csv"));
    expect(again).toContain("0 trusts added, 0 renamed, 0 closed, 0 other changes, 202 unchanged.");
    expect(tableContents().trusts).toEqual(after.trusts);
  });
});
