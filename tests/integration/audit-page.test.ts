/**
 * The audit trail page: the queries behind it (on a fresh copy of the database), then the page itself over
 * real HTTP: sign-in events listed newest first, filters, pages, the chain status, and 404 for non-admins.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_PAGE_SIZE, auditFilterOptions, containsPattern, londonDayStart, parseAuditQuery, queryAuditEvents } from "../../app/audit/audit-query.server";
import { recordAudit, type Actor } from "../../app/audit/audit.server";
import { openDatabase, writeTransaction, type Db } from "../../app/db.server";
import { useFreshDatabase } from "../support/database";
import { Client, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const tester: Actor = { userId: null, label: "tester@cqc.example", clientAddress: "192.0.2.1" };

function addEvents(db: Db, events: { action: string; at?: Date; actor?: Actor; objectType?: string; objectId?: string }[]) {
  writeTransaction((tx) => {
    for (const e of events) {
      recordAudit(tx, e.actor ?? tester, { action: e.action, objectType: e.objectType, objectId: e.objectId, summary: { note: e.action } }, e.at);
    }
  }, db);
}

describe("audit queries", () => {
  let db: Db;
  beforeAll(() => {
    db = useFreshDatabase().db;
    addEvents(db, [
      // Either side of midnight in London on 30 June / 1 July 2026 (BST, UTC+1).
      { action: "test.late-june", at: new Date("2026-06-30T22:59:59.999Z") },
      { action: "test.early-july", at: new Date("2026-06-30T23:00:00.000Z") },
      // Either side of midnight in London on 14/15 January 2026 (GMT, UTC+0).
      { action: "test.mid-january", at: new Date("2026-01-14T23:59:59.999Z") },
      { action: "test.mid-january", at: new Date("2026-01-15T00:00:00.000Z") },
      { action: "test.odd-actor", actor: { userId: null, label: "odd_name%50@cqc.example", clientAddress: null } },
      { action: "test.odd-actor", actor: { userId: null, label: "oddxnamex50@cqc.example", clientAddress: null } },
    ]);
  });

  it("turns a London calendar day into the UTC instant it starts at, in summer and winter time", () => {
    expect(londonDayStart("2026-07-01")).toBe("2026-06-30T23:00:00.000Z");
    expect(londonDayStart("2026-01-15")).toBe("2026-01-15T00:00:00.000Z");
    expect(londonDayStart("2026-03-29")).toBe("2026-03-29T00:00:00.000Z");
    expect(londonDayStart("2026-03-29", 1)).toBe("2026-03-29T23:00:00.000Z");
  });

  it("filters by London days, from the start of 'from' to the end of 'to'", () => {
    const actions = (from?: string, to?: string) =>
      queryAuditEvents({ from, to }, 1, 50, db)
        .events.filter((e) => e.action.startsWith("test."))
        .map((e) => `${e.action}@${e.occurredAt}`);
    expect(actions("2026-07-01", "2026-07-01")).toEqual(["test.early-july@2026-06-30T23:00:00.000Z"]);
    expect(actions("2026-06-30", "2026-06-30")).toEqual(["test.late-june@2026-06-30T22:59:59.999Z"]);
    expect(actions("2026-01-15", "2026-01-15")).toEqual(["test.mid-january@2026-01-15T00:00:00.000Z"]);
    expect(actions(undefined, "2026-01-14")).toEqual(["test.mid-january@2026-01-14T23:59:59.999Z"]);
  });

  it("matches the actor by part of the label, taking % and _ literally", () => {
    expect(containsPattern("a%b_c\\d")).toBe("%a\\%b\\_c\\\\d%");
    const labels = (actor: string) => queryAuditEvents({ actor }, 1, 50, db).events.map((e) => e.actorLabel);
    expect(labels("_name%50")).toEqual(["odd_name%50@cqc.example"]);
    expect(labels("ODD")).toEqual(["oddxnamex50@cqc.example", "odd_name%50@cqc.example"]);
    expect(labels("%")).toEqual(["odd_name%50@cqc.example"]);
    expect(labels("nobody-like-this")).toEqual([]);
  });

  it("pages newest first, and gives the last page for a page past the end", () => {
    const total = db.$client.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number };
    const first = queryAuditEvents({}, 1, 10, db);
    expect(first.total).toBe(total.n);
    expect(first.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => total.n - i));
    const past = queryAuditEvents({}, 999, 10, db);
    expect(past.page).toBe(Math.ceil(total.n / 10));
    expect(past.events.at(-1)!.seq).toBe(1);
  });

  it("combines filters, and offers the actions and object types in the trail", () => {
    const result = queryAuditEvents({ action: "user.created", objectType: "user", actor: "system" }, 1, 50, db);
    expect(result.total).toBe(17);
    expect(queryAuditEvents({ action: "user.created", objectType: "trust" }, 1, 50, db).total).toBe(0);
    const options = auditFilterOptions(db);
    expect(options.actions).toEqual(expect.arrayContaining(["user.created", "demo.seeded", "test.odd-actor"]));
    expect(options.objectTypes).toEqual(expect.arrayContaining(["user", "install", "register"]));
    expect(options.objectTypes).not.toContain(null);
  });

  it("reads filters from the query string, refusing dates that are not real", () => {
    const parse = (query: string) => parseAuditQuery(new URLSearchParams(query));
    expect(parse("action=sign-in.failed&actor=%20Lead@%20&page=3")).toEqual({
      filters: { action: "sign-in.failed", actor: "lead@" },
      page: 3,
      errors: {},
    });
    expect(parse("from=2026-02-30&to=27/03/2026").filters).toEqual({});
    expect(Object.keys(parse("from=2026-02-30&to=27/03/2026").errors)).toEqual(["from", "to"]);
    expect(parse("from=2026-03-28&to=2026-03-27")).toMatchObject({ filters: { from: "2026-03-28" }, errors: { to: expect.any(String) } });
    expect(parse("page=-2").page).toBe(1);
    expect(parse("page=abc").page).toBe(1);
    expect(parse(`actor=${"x".repeat(1000)}`).filters.actor).toHaveLength(320);
  });
});

describe("the audit trail page", () => {
  let server: RunningServer;
  let admin: Client;

  /** The page's HTML, without the comments React puts between adjacent pieces of text. */
  const html = async (response: Response): Promise<string> => (await response.text()).replaceAll("<!-- -->", "");

  const tableRows = (page: string) => {
    const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? "";
    return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()),
    );
  };
  const columns = { seq: 0, time: 1, actor: 2, address: 3, action: 4, object: 5, summary: 6 };

  function one<T>(sql: string, ...params: unknown[]): T {
    const db = new Database(server.databaseFile, { readonly: true });
    try {
      return db.prepare(sql).get(...params) as T;
    } finally {
      db.close();
    }
  }
  const count = (sql: string, ...params: unknown[]) => one<{ n: number }>(sql, ...params).n;

  beforeAll(async () => {
    server = await startServer();
    admin = await signedIn(server.url, "admin@deepdive.test");
    // Trust users sign in with the password alone, so their sign-ins are whole here (staff's second step is in mfa.test.ts).
    await signedIn(server.url, "trust.rru@deepdive.test");
    await signedIn(server.url, "trust.rj1@deepdive.test");
    expect((await new Client(server.url).signIn("inspector2@deepdive.test", "not the password")).status).toBe(400);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("lists events newest first with time, actor, address, action, object and summary, and says the chain is intact", async () => {
    const response = await admin.get("/admin/audit");
    expect(response.status).toBe(200);
    const page = await html(response);
    const total = count("SELECT count(*) AS n FROM audit_events");
    expect(page).toContain(`Chain verified: ${total} events, intact`);
    expect(page).toMatch(/<table class="govuk-table[^"]*">\s*<caption/);
    // The demo seed alone makes more events than a page holds: the first page has the newest.
    const rows = tableRows(page);
    expect(total).toBeGreaterThan(AUDIT_PAGE_SIZE);
    expect(rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(rows.map((r) => Number(r[columns.seq]))).toEqual(Array.from({ length: AUDIT_PAGE_SIZE }, (_, i) => total - i));
    const failed = rows.find((r) => r[columns.action] === "sign-in.failed")!;
    expect(failed[columns.actor]).toBe("inspector2@deepdive.test");
    expect(failed[columns.address]).toMatch(/127\.0\.0\.1/);
    expect(failed[columns.summary]).toBe("reason: wrong password");
    expect(failed[columns.time]).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}:\d{2}(am|pm)$/);
    const signIns = rows.filter((r) => r[columns.action] === "sign-in.succeeded").map((r) => r[columns.actor]);
    expect(signIns).toEqual(["trust.rj1@deepdive.test", "trust.rru@deepdive.test"]);
    const created = tableRows(await html(await admin.get("/admin/audit?action=user.created"))).at(-1)!;
    expect(created[columns.action]).toBe("user.created");
    expect(created[columns.object]).toMatch(/^user [0-9a-f-]{36}$/);
    expect(page).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T[\d:.]+Z">/i);
  });

  it("filters by action, and by actor", async () => {
    const byAction = tableRows(await html(await admin.get("/admin/audit?action=sign-in.succeeded")));
    expect(byAction.length).toBe(count("SELECT count(*) AS n FROM audit_events WHERE action = 'sign-in.succeeded'"));
    expect(byAction.length).toBeGreaterThanOrEqual(2);
    expect(new Set(byAction.map((r) => r[columns.action]))).toEqual(new Set(["sign-in.succeeded"]));

    const failedPage = await html(await admin.get("/admin/audit?action=sign-in.failed"));
    expect(tableRows(failedPage).map((r) => r[columns.actor])).toEqual(["inspector2@deepdive.test"]);
    expect(failedPage).toContain('<option value="sign-in.failed" selected="">sign-in.failed</option>');

    const byActor = tableRows(await html(await admin.get("/admin/audit?actor=TRUST.RJ1%40deep")));
    expect(byActor.map((r) => r[columns.action])).toEqual(["sign-in.succeeded"]);

    // LIKE wildcards are taken literally: no actor has an underscore in their label.
    expect(await html(await admin.get("/admin/audit?actor=_"))).toContain("No events match these filters");
  });

  it("filters by object, and by London dates; shows an error for a date that is not real", async () => {
    const trustUser = one<{ id: string }>("SELECT id FROM users WHERE email = 'trust.rj1@deepdive.test'");
    const aboutTrustUser = tableRows(await html(await admin.get(`/admin/audit?objectType=user&objectId=${trustUser.id}`)));
    expect(aboutTrustUser.map((r) => r[columns.action])).toEqual(["sign-in.succeeded", "user.created"]);

    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());
    const todays = tableRows(await html(await admin.get(`/admin/audit?action=sign-in.failed&from=${today}&to=${today}`)));
    expect(todays).toHaveLength(1);
    const future = await html(await admin.get("/admin/audit?from=2999-01-01"));
    expect(future).toContain("No events match these filters");

    const invalid = await admin.get("/admin/audit?from=2026-02-30");
    expect(invalid.status).toBe(200);
    const page = await html(invalid);
    expect(page).toContain("There is a problem");
    expect(page).toContain('href="#from"');
    expect(tableRows(page).length).toBeGreaterThan(0);
  });

  it("pages through a long trail with previous and next links that keep the filters", async () => {
    const db = openDatabase(server.databaseFile);
    try {
      addEvents(db, Array.from({ length: 60 }, () => ({ action: "test.filler" })));
    } finally {
      db.$client.close();
    }
    const first = await html(await admin.get("/admin/audit?action=test.filler"));
    expect(first).toContain("Matching events, newest first: 1 to 50 of 60");
    expect(tableRows(first)).toHaveLength(50);
    expect(first).toContain('href="/admin/audit?action=test.filler&amp;page=2"');
    expect(first).not.toContain('rel="prev"');

    const second = await html(await admin.get("/admin/audit?action=test.filler&page=2"));
    expect(second).toContain("51 to 60 of 60");
    expect(tableRows(second)).toHaveLength(10);
    expect(second).toContain('href="/admin/audit?action=test.filler"');
    expect(second).toContain('rel="prev"');
    expect(second).not.toContain('rel="next"');
    const seqs = [...tableRows(first), ...tableRows(second)].map((r) => Number(r[columns.seq]));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(60);
  });

  it("is not found for anyone but an admin", async () => {
    for (const email of ["lead@deepdive.test", "inspector1@deepdive.test", "trust.rj1@deepdive.test"]) {
      const client = await signedIn(server.url, email);
      expect((await client.get("/admin/audit")).status, email).toBe(404);
      expect((await client.get("/admin/audit?action=sign-in.failed")).status, email).toBe(404);
    }
    const anonymous = await new Client(server.url).get("/admin/audit");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in/);
  });

  // Last: it breaks this server's chain on purpose.
  it("says where the chain is broken when an event has been changed behind the service's back", async () => {
    const db = new Database(server.databaseFile);
    try {
      db.exec("DROP TRIGGER audit_events_no_update");
      db.prepare("UPDATE audit_events SET summary = ? WHERE seq = 5").run(JSON.stringify({ email: "someone.else@example.org" }));
    } finally {
      db.close();
    }
    const page = await html(await admin.get("/admin/audit"));
    expect(page).toContain("Chain broken at event 5: its content does not match its hash (the row was changed)");
    expect(page).not.toContain("intact");
  });
});
