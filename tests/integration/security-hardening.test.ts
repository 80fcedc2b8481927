/**
 * The security checklist's requests-and-responses and session lines, proved over real HTTP against the real server
 * (docs/security.md maps each to its ASVS requirement):
 *
 * - the site's security headers on every route of the route table, for each kind of answer it gives (the page, the
 *   refusal, the sign-in redirect), and on error pages and downloads;
 * - no state change on GET: every GET of the table, as every kind of user, leaves every table as it was, except the
 *   audit trail (views are audited), the session's last activity and the reader's own presence in an inspection;
 * - cross-site POSTs refused before anything happens, on routes that change things for each role;
 * - download names encoded per RFC 6266 on every download route, an evidence file named by its uploader included;
 * - generic error pages, with nothing of the error in them, for a malformed address and a corrupt form body;
 * - a new session id at sign-in that ends the session the browser already had, and disabling an account ending
 *   every session it has at once.
 *
 * What auth-http.test.ts already proves is not repeated here: the cookie's attributes, the timeouts, throttling,
 * HSTS behind a TLS proxy, and a cross-site POST to sign in and sign out.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEvidenceName, downloadName, type EvidenceMediaType } from "../../app/inspections/evidence-rules";
import { RENDER_QUEUE_MAX, RENDER_WORKERS, ReportRenderError, renderModelInWorker, reportModelFor } from "../../app/reports/render.server";
import { addTrustUserForUnscheduledTrust, openDatabase, queryDatabase } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { png } from "../support/png";
import {
  DEMO_EMAIL,
  ROUTE_TABLE,
  SCOPED_TABLE,
  WHO,
  fillUrl,
  prepareRouteFixtures,
  uploadEvidence,
  type Answer,
  type RouteFixtures,
  type Who,
} from "../support/route-table";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let fixtures: RouteFixtures;

beforeAll(async () => {
  server = await startServer();
  fixtures = await prepareRouteFixtures(server);
});
afterAll(async () => {
  await server?.stop();
});

const userId = (email: string) => queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM users WHERE email = ?", email)[0]!.id;
const clients = new Map<string, Client>();
/** One signed-in client per demo account, reused across the file's tests. */
async function clientOf(email: string): Promise<Client> {
  if (!clients.has(email)) clients.set(email, await signedIn(server.url, email));
  return clients.get(email)!;
}
const whoEmail = (who: Who) => (who === "anonymous" ? null : DEMO_EMAIL[who]);

// ── The site's headers ────────────────────────────────────────────────────────────────────────────────────

/**
 * The headers server.js sets on every response (helmet and its own): the content security policy with the request's
 * nonce, object-src, base-uri and frame-ancestors 'none'; nosniff; the referrer policy; no framing; the cross-origin
 * isolation headers; no-store; and nothing that names the framework. A download adds a stricter policy of its own
 * (a sandbox), which the browser applies as well as the site's. Returns the nonce.
 */
function expectSiteHeaders(response: Response, what: string): string {
  const headers = response.headers;
  const policies = (headers.get("content-security-policy") ?? "").split(",").map((p) => p.trim());
  const site = policies.find((p) => p.includes("script-src")) ?? "";
  const directives = new Map(site.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(" ")]));
  expect(directives.get("default-src"), what).toBe("'self'");
  expect(directives.get("script-src"), what).toMatch(/^'self' 'nonce-[A-Za-z0-9+/]{22}==' *$/);
  expect(directives.get("object-src"), what).toBe("'none'");
  expect(directives.get("base-uri"), what).toBe("'none'");
  expect(directives.get("frame-ancestors"), what).toBe("'none'");
  expect(directives.get("form-action"), what).toBe("'self'");
  expect(headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(headers.get("referrer-policy"), what).toBe("same-origin");
  expect(headers.get("x-frame-options"), what).toBe("SAMEORIGIN");
  expect(headers.get("cross-origin-opener-policy"), what).toBe("same-origin");
  expect(headers.get("cross-origin-resource-policy"), what).toBe("same-origin");
  expect(headers.get("cache-control")?.split(/,\s*/), what).toContain("no-store");
  expect(headers.get("x-powered-by"), what).toBeNull();
  // HSTS only over HTTPS (auth-http.test.ts proves it is sent there): this server is plain HTTP.
  expect(headers.get("strict-transport-security"), what).toBeNull();
  return /'nonce-([^']+)'/.exec(site)![1]!;
}

/** Every <script> of an HTML page carries the request's nonce (the policy allows no other script). */
function expectScriptsCarryNonce(html: string, nonce: string, what: string) {
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag, what).toContain(`nonce="${nonce}"`);
}

/** A fresh session for signing out (which ends the session it is sent with); the shared clients otherwise. */
async function clientFor(file: string, who: Who): Promise<Client> {
  const email = whoEmail(who);
  if (file === "sign-out.tsx" && email) return signedIn(server.url, email);
  return fixtures.clients[who];
}

describe("the site's headers on every route", () => {
  // For each route and method, one request for each kind of answer it gives (the page, the refusal, the sign-in
  // redirect): the headers come from server.js whoever asks, but each kind of answer is made by different code.
  const cases = Object.entries(ROUTE_TABLE).flatMap(([file, row]) =>
    (["get", "post"] as const).flatMap((method) => {
      const byAnswer = new Map<Answer, Who>();
      for (const who of WHO) {
        const answer = row[method]?.[who];
        if (answer && !byAnswer.has(answer)) byAnswer.set(answer, who);
      }
      return [...byAnswer].map(([answer, who]) => ({ file, url: row.url, method, who, answer }));
    }),
  );

  it.each(cases)("$method $url as $who ($answer)", async ({ file, url, method, who }) => {
    const client = await clientFor(file, who);
    const target = fillUrl(url, fixtures.ids);
    const response = method === "get" ? await client.get(target) : await client.post(target, {});
    const what = `${method.toUpperCase()} ${target} as ${who}: ${response.status}`;
    const nonce = expectSiteHeaders(response, what);
    const body = await response.text();
    if ((response.headers.get("content-type") ?? "").startsWith("text/html")) expectScriptsCarryNonce(body, nonce, what);
  });

  it("on the object-level answers too: each own/other case of the scoped table", async () => {
    for (const [, row] of Object.entries(SCOPED_TABLE)) {
      for (const c of row.cases) {
        const target = fillUrl(row.url, fixtures.ids);
        const client = await clientOf(c.email);
        const response = c.method === "get" ? await client.get(target) : await client.post(target, {});
        expectSiteHeaders(response, `${c.method.toUpperCase()} ${target} as ${c.email}: ${response.status}`);
        await response.arrayBuffer();
      }
    }
  });

  it("on Remix's data requests (single fetch), the page's and a refused one", async () => {
    const lead = fixtures.clients.programme_lead;
    for (const [client, target] of [
      [lead, "/trusts.data"],
      [lead, "/admin/users.data"],
      [fixtures.clients.anonymous, "/trusts.data"],
    ] as const) {
      const response = await client.get(target);
      expectSiteHeaders(response, `GET ${target}: ${response.status}`);
      await response.arrayBuffer();
    }
  });

  it("on a cross-site refusal, which server.js makes before Remix", async () => {
    const response = await fixtures.clients.programme_lead.post("/selection/new", {}, { headers: { Origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expectSiteHeaders(response, "403 cross-site");
  });

  it("on the static files, with a policy and nosniff, but cacheable: they are the same for everyone and hold no data", async () => {
    const page = await (await fixtures.clients.anonymous.get("/sign-in")).text();
    const script = /<script[^>]+src="(\/build\/[^"]+\.js)"/.exec(page)?.[1] ?? /<link[^>]+href="(\/build\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script, "a built script on the sign-in page").toBeTruthy();
    const response = await fetch(server.url + script);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("cache-control")).toMatch(/immutable/);
  });
});

// ── No state change on GET ────────────────────────────────────────────────────────────────────────────────

/**
 * A read-only view of the server's database file, to see whether a request changed anything. `data_version` changes
 * whenever another connection commits, so the (slower) snapshot of every table is taken only after a request that
 * wrote something. The snapshot is each table's row count and a hash of all its rows, leaving out the audit trail
 * (views of confidential data are audited, which is a write by design), the sessions' last activity (recorded at
 * most once a minute, decision 0003) and the presence table (a view of a workspace page records where its reader is:
 * compared separately, reader by reader). A table the database itself keeps append-only (a trigger refuses every
 * UPDATE and another every DELETE, read from the schema here) cannot change but by growing: its count and largest
 * rowid stand for its hash (the indicator history is most of the database).
 */
class DatabaseWatch {
  private readonly db: Database.Database;
  private readonly tables: { name: string; columns: string[]; appendOnly: boolean }[];

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.function("row_hash", { deterministic: true, varargs: true }, (...values: unknown[]) => {
      const hash = createHash("sha1");
      for (const v of values) hash.update(v === null ? "\u0000null" : Buffer.isBuffer(v) ? v : String(v)).update("\u0001");
      // 32 bits, so that a table's sum of row hashes stays an exact integer.
      return hash.digest().readUInt32BE(0);
    });
    const refuses = new Set<string>();
    for (const { sql } of this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger'").all() as { sql: string }[]) {
      const match = /^CREATE TRIGGER [`"]?\w+[`"]? BEFORE (UPDATE|DELETE) ON [`"]?(\w+)[`"]?\s+BEGIN\s+SELECT RAISE\(ABORT, '[^']*'\);\s*END$/i.exec(sql.trim());
      if (match) refuses.add(`${match[1]!.toUpperCase()} ${match[2]}`);
    }
    const names = (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_events', 'inspection_presence') ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    this.tables = names.map((name) => ({
      name,
      columns: (this.db.prepare("SELECT name FROM pragma_table_info(?)").all(name) as { name: string }[])
        .map((c) => c.name)
        .filter((c) => !(name === "sessions" && c === "last_seen_at")),
      appendOnly: refuses.has(`UPDATE ${name}`) && refuses.has(`DELETE ${name}`),
    }));
  }

  /** The tables compared by count and largest rowid alone (append-only in the database). */
  get appendOnlyTables(): string[] {
    return this.tables.filter((t) => t.appendOnly).map((t) => t.name);
  }

  version(): number {
    return this.db.pragma("data_version", { simple: true }) as number;
  }

  /** Each table's row count and the sum of its rows' hashes (append-only tables: the largest rowid). */
  snapshot(): Map<string, string> {
    return new Map(
      this.tables.map(({ name, columns, appendOnly }) => {
        const sql = appendOnly
          ? `SELECT count(*) AS n, max(rowid) AS h FROM "${name}"`
          : `SELECT count(*) AS n, sum(row_hash(${columns.map((c) => `"${c}"`).join(", ")})) AS h FROM "${name}"`;
        const row = this.db.prepare(sql).get() as { n: number; h: number | null };
        return [name, `${row.n} rows, ${row.h ?? 0}`];
      }),
    );
  }

  /** The presence rows of everyone but `userId`, as they are. */
  presenceOfOthers(userId: string | null): unknown[] {
    return this.db.prepare("SELECT * FROM inspection_presence WHERE user_id IS NOT ? ORDER BY inspection_id, user_id").all(userId);
  }

  close() {
    this.db.close();
  }
}

const changedTables = (before: Map<string, string>, after: Map<string, string>) =>
  [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t)).map((t) => `${t}: ${before.get(t)} → ${after.get(t)}`);

describe("no state change on GET", () => {
  let watch: DatabaseWatch;
  let baseline: Map<string, string>;
  let baselineVersion = 0;
  let snapshots = 0;
  const ids = new Map<string, string | null>();

  beforeAll(() => {
    watch = new DatabaseWatch(server.databaseFile);
    // The indicator history is append-only in the database (so it is compared by its count): if that changed, the
    // comparison would hash it again, row by row.
    expect(watch.appendOnlyTables).toContain("indicator_observations");
    baseline = watch.snapshot();
    baselineVersion = watch.version();
    for (const email of [...Object.values(DEMO_EMAIL), ...Object.values(SCOPED_TABLE).flatMap((r) => r.cases.map((c) => c.email))]) ids.set(email, userId(email));
  });
  afterAll(() => watch?.close());

  /** What changed in the database since the last call, other than what may change (see DatabaseWatch). */
  function changesSinceLast(): string[] {
    const version = watch.version();
    if (version === baselineVersion) return [];
    const now = watch.snapshot();
    snapshots += 1;
    const changed = changedTables(baseline, now);
    // Whatever this request did, the next one is compared with the database as it is now.
    baseline = now;
    baselineVersion = version;
    return changed;
  }

  const cases = [
    ...Object.values(ROUTE_TABLE).flatMap((row) => (row.get ? WHO.map((who) => ({ url: row.url, who: who as string, email: whoEmail(who) })) : [])),
    ...Object.values(SCOPED_TABLE).flatMap((row) => row.cases.filter((c) => c.method === "get").map((c) => ({ url: row.url, who: c.as, email: c.email as string | null }))),
  ];

  it.each(cases)("GET $url as $who ($email)", async ({ url, email }) => {
    const client = email ? await clientOf(email) : fixtures.clients.anonymous;
    const reader = email ? ids.get(email)! : null;
    const target = fillUrl(url, fixtures.ids);
    // Whatever happened before this request (an earlier test's change) is not this request's.
    changesSinceLast();
    const presence = watch.presenceOfOthers(reader);
    const response = await client.get(target);
    // The whole response, so that everything the request does is done.
    await response.arrayBuffer();
    expect(response.status, target).not.toBe(500);
    expect(changesSinceLast(), `GET ${target} changed the database`).toEqual([]);
    expect(watch.presenceOfOthers(reader), `GET ${target} moved someone else's presence`).toEqual(presence);
  });

  it("can see a change: a POST that changes something shows in the snapshot", async () => {
    changesSinceLast();
    const response = await fixtures.clients.programme_lead.post("/selection/new", {
      name: "A change the watch must see",
      periodStartDay: "1",
      periodStartMonth: "7",
      periodStartYear: "2027",
      periodEndDay: "30",
      periodEndMonth: "9",
      periodEndYear: "2027",
      capacity: "3",
      minMonthsSinceInspection: "0",
    });
    expect(response.status).toBe(302);
    expect(changesSinceLast()).toEqual([expect.stringMatching(/^selection_rounds: /)]);
    // And the check above is not vacuous: some GETs did write (their audit events), so snapshots were compared.
    expect(snapshots).toBeGreaterThan(1);
  });
});

// ── Cross-site POSTs ──────────────────────────────────────────────────────────────────────────────────────

describe("cross-site POSTs are refused before anything happens", () => {
  /** A POST that would change something, for each role, with the form it needs (the refusal must come first). */
  const changes = (): { who: string; email: string; path: string; form: Record<string, string> }[] => [
    { who: "admin", email: DEMO_EMAIL.admin, path: `/admin/users/${fixtures.ids.userId}`, form: { intent: "disable" } },
    { who: "programme lead", email: DEMO_EMAIL.programme_lead, path: `/selection/${fixtures.ids.roundId}`, form: { intent: "draw" } },
    { who: "programme lead", email: DEMO_EMAIL.programme_lead, path: "/selection/new", form: { name: "Cross-site round", capacity: "3" } },
    { who: "inspector on the team", email: DEMO_EMAIL.inspector, path: `/inspections/${fixtures.ids.ownInspectionId}/presence`, form: { criterionId: fixtures.ids.ownCriterionId! } },
    { who: "inspector", email: DEMO_EMAIL.inspector, path: "/my-visits", form: { intent: "create" } },
    { who: "trust user", email: DEMO_EMAIL.trust_user, path: `/portal/actions/${fixtures.ids.actionId}`, form: { status: "in_progress", note: "Cross-site" } },
  ];
  const refusals: { name: string; headers: Record<string, string> }[] = [
    { name: "another site's Origin", headers: { Origin: "https://evil.example" } },
    { name: "the same host on another port", headers: { Origin: "http://127.0.0.1:1" } },
    { name: "the right host on another scheme", headers: { Origin: "https://127.0.0.1" } },
    { name: "no Origin, Sec-Fetch-Site: cross-site", headers: { "Sec-Fetch-Site": "cross-site" } },
    { name: "no Origin, Sec-Fetch-Site: same-site", headers: { "Sec-Fetch-Site": "same-site" } },
  ];

  it("with 403 and no write at all, for each role's changes and each way a browser marks a cross-site request", async () => {
    const watch = new DatabaseWatch(server.databaseFile);
    try {
      for (const change of changes()) {
        const client = await clientOf(change.email);
        for (const refusal of refusals) {
          const before = watch.version();
          // Without the client's own Origin: a browser sends only what the refusal names.
          const response = await fetch(server.url + change.path, {
            method: "POST",
            headers: { Cookie: client.cookie, "Content-Type": "application/x-www-form-urlencoded", ...refusal.headers },
            body: new URLSearchParams(change.form),
            redirect: "manual",
          });
          const what = `POST ${change.path} as ${change.who} with ${refusal.name}`;
          expect(response.status, what).toBe(403);
          expect(await response.text(), what).toBe("Cross-site request refused");
          // Nothing committed by anyone: not the change, not an audit event, not even the session's activity.
          expect(watch.version(), what).toBe(before);
        }
      }
    } finally {
      watch.close();
    }
  });

  it("while the same POST from the site itself goes through (the refusal is the origin check, not the form)", async () => {
    const admin = await clientOf(DEMO_EMAIL.admin);
    const target = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM users WHERE email = 'inspector12@deepdive.test'")[0]!.id;
    for (const [intent, disabled] of [
      ["disable", true],
      ["enable", false],
    ] as const) {
      const response = await admin.post(`/admin/users/${target}`, { intent }, { headers: { "Sec-Fetch-Site": "same-origin" } });
      expect(response.status).toBe(302);
      expect(queryDatabase<{ d: string | null }>(server.databaseFile, "SELECT disabled_at AS d FROM users WHERE id = ?", target)[0]!.d !== null).toBe(disabled);
    }
  });
});

// ── Object ids, form fields and SQL ───────────────────────────────────────────────────────────────────────

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("what a request can name and send", () => {
  it("the ids of every record a URL names are random UUIDs, never a sequence a trust could count through", () => {
    // The tables whose ids appear in addresses (the reference data in addresses, frameworks, criteria, sections and risk
    // model versions, is numbered, is the same for everyone and is for staff only).
    for (const table of ["users", "inspections", "visits", "selection_rounds", "actions", "evidence_files", "report_versions", "findings", "accuracy_comments"]) {
      const ids = queryDatabase<{ id: string }>(server.databaseFile, `SELECT id FROM "${table}"`).map((r) => r.id);
      expect(ids.length, table).toBeGreaterThan(0);
      expect(ids.filter((id) => !UUID_V4.test(id)), `${table}: ids that are not random UUIDs`).toEqual([]);
    }
    // And those the tests made over HTTP just now.
    for (const name of ["roundId", "inspectionId", "fileId", "ownFileId", "actionId"]) expect(fixtures.ids[name], name).toMatch(UUID_V4);
  });

  it("an action reads only the fields its form lists: a trust user's extra fields change nothing else of the action", async () => {
    const trust = await clientOf(DEMO_EMAIL.trust_user);
    type ActionRow = Record<string, unknown> & { id: string; version: number; status: string };
    const actionRow = (id: string) => queryDatabase<ActionRow>(server.databaseFile, "SELECT * FROM actions WHERE id = ?", id)[0]!;
    const id = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM actions WHERE trust_code = 'RJ1' AND status IN ('open', 'in_progress') ORDER BY id LIMIT 1")[0]!.id;
    const before = actionRow(id);
    const response = await trust.post(`/portal/actions/${id}`, {
      status: "in_progress",
      note: "Firewall rules reviewed with the supplier",
      baseVersion: String(before.version),
      // Fields the form does not have, named as the columns and as the code names them.
      severity: "low",
      due_on: "2099-12-31",
      dueOn: "2099-12-31",
      text: "Nothing to do",
      trust_code: "RRU",
      trustCode: "RRU",
      criterion_code: "X1",
      inspection_id: fixtures.ids.rtdCheckId!,
      version: "99",
      updated_by: userId(DEMO_EMAIL.admin),
      id: "00000000-0000-4000-8000-000000000000",
    });
    expect(response.status).toBe(302);
    const after = actionRow(id);
    expect(after.status).toBe("in_progress");
    expect(after.version).toBe(before.version + 1);
    expect(after.updated_by).toBe(userId(DEMO_EMAIL.trust_user));
    const { status: _s, version: _v, updated_at: _a, updated_by: _b, ...unchanged } = before;
    expect(after).toMatchObject(unchanged);
  });

  it("an admin's new account takes only the fields the form lists: no demo flag, disabled date, second factor, id or hash from the post", async () => {
    const admin = await clientOf(DEMO_EMAIL.admin);
    const response = await admin.post("/admin/users/new", {
      email: "listed.fields@deepdive.test",
      name: "Listed Fields",
      role: "trust_user",
      trustCode: "RJ1",
      password: "a long and unusual passphrase",
      id: "00000000-0000-4000-8000-000000000001",
      isDemo: "true",
      is_demo: "1",
      disabledAt: "2020-01-01T00:00:00.000Z",
      disabled_at: "2020-01-01T00:00:00.000Z",
      passwordHash: "scrypt$2$1$1$AAAA$AAAA",
      password_hash: "scrypt$2$1$1$AAAA$AAAA",
      mfaSecret: "JBSWY3DPEHPK3PXP",
      mfa_secret: "JBSWY3DPEHPK3PXP",
      createdAt: "2000-01-01T00:00:00.000Z",
    });
    expect(response.status).toBe(302);
    const [made] = queryDatabase<Record<string, unknown>>(server.databaseFile, "SELECT * FROM users WHERE email = 'listed.fields@deepdive.test'");
    expect(made).toBeDefined();
    expect(made!.id).not.toBe("00000000-0000-4000-8000-000000000001");
    expect(made!.id).toMatch(UUID_V4);
    expect(made!.is_demo).toBe(0);
    expect(made!.disabled_at).toBeNull();
    expect(made!.password_hash).not.toMatch(/AAAA/);
    expect(made!.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(made!.created_at).not.toBe("2000-01-01T00:00:00.000Z");
    if ("mfa_secret" in made!) expect(made!.mfa_secret).toBeNull();
    // The account works with the password posted, and only that.
    expect((await new Client(server.url).signIn("listed.fields@deepdive.test", "a long and unusual passphrase")).status).toBe(302);
  });

  it("a trust user's pages and their data carry no risk band or score, selection, schedule, staff names or secrets", async () => {
    // The report (published, or its draft in the trust's check) names its team and reviewer: everyone else is unknown to
    // the trust, the team of a visit ahead above all.
    const staffUnknownTo = (code: string) =>
      queryDatabase<{ name: string }>(
        server.databaseFile,
        `SELECT name FROM users WHERE role <> 'trust_user' AND id NOT IN (
           SELECT m.inspector_id FROM visit_team_members m JOIN inspections i ON i.visit_id = m.visit_id WHERE i.trust_code = ? AND i.status IN ('factual_accuracy', 'published')
           UNION SELECT reviewer_id FROM inspections WHERE trust_code = ? AND status IN ('factual_accuracy', 'published') AND reviewer_id IS NOT NULL
           UNION SELECT decided_by FROM accuracy_comments c JOIN inspections i ON i.id = c.inspection_id WHERE i.trust_code = ? AND decided_by IS NOT NULL)`,
        code,
        code,
        code,
      ).map((u) => u.name.replace(/\s*\(.*\)$/, ""));
    const roundNames = queryDatabase<{ name: string }>(server.databaseFile, "SELECT name FROM selection_rounds").map((r) => r.name);
    const pages: [string, string[]][] = [
      [DEMO_EMAIL.trust_user, ["/portal", `/portal/actions/${fixtures.ids.actionId}`]],
      ["trust.rtd@deepdive.test", ["/portal", `/portal/accuracy/${fixtures.ids.rtdCheckId}`]],
    ];
    for (const [email, paths] of pages) {
      const client = await clientOf(email);
      const code = queryDatabase<{ c: string }>(server.databaseFile, "SELECT trust_code AS c FROM users WHERE email = ?", email)[0]!.c;
      const upcoming = queryDatabase<{ d: string }>(server.databaseFile, "SELECT visit_date AS d FROM visits WHERE trust_code = ? AND status IN ('proposed', 'scheduled')", code).map((v) => v.d);
      for (const target of paths.flatMap((p) => [p, `${p}.data`])) {
        const response = await client.get(target);
        expect(response.status, target).toBe(200);
        const body = await readPage(response);
        const what = `${email} ${target}`;
        for (const name of [...staffUnknownTo(code), ...roundNames]) expect(body, `${what}: ${name}`).not.toContain(name);
        for (const date of upcoming) expect(body, `${what}: the visit on ${date}`).not.toContain(date);
        expect(body, what).not.toMatch(/priority band|\bband [1-6]\b|risk score|"score"|"band"/i);
        expect(body, what).not.toMatch(/seed|commitment|passwordHash|password_hash|mfaSecret|mfa_secret|scrypt\$/i);
      }
    }
  });

  it("parameterised queries only: no SQL is built from strings anywhere in the app, its scripts or its seed", () => {
    const roots = ["app", "db", "scripts"].map((d) => path.resolve(d));
    const files: string[] = [path.resolve("server.js")];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(ts|tsx|mjs|js)$/.test(name) && !/\.test\./.test(name) && !/\.generated\./.test(name)) files.push(full);
      }
    };
    roots.forEach(walk);
    expect(files.length).toBeGreaterThan(100);
    // Reviewed: each builds an identifier or a number into SQL, never text from a request or a file.
    const allowed = [
      // Table names read from sqlite_master, quoted as identifiers, to count each table's rows.
      "app/operations/backup.server.ts: prepare(`SELECT count(*) AS n FROM \"${name.replaceAll('\"', '\"\"')}\"`)",
      // The synchronous setting as it was, a number read back from SQLite.
      "db/seed.server.ts: pragma(`synchronous = ${synchronous}`)",
    ];
    const found: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      const relative = path.relative(process.cwd(), file);
      const patterns = [
        // better-sqlite3 with a template that interpolates, or a string joined with +.
        /\.(prepare|exec|pragma)\(\s*(`(?:[^`\\]|\\.)*\$\{(?:[^`\\]|\\.)*`)/g,
        /\.(prepare|exec|pragma)\(\s*((["'`])(?:(?!\3)[^\\]|\\.)*\3\s*\+)/g,
        // drizzle's escape hatch for raw SQL text.
        /\b(sql)\.(raw)\(/g,
      ];
      for (const pattern of patterns) {
        for (const match of source.matchAll(pattern)) found.push(`${relative}: ${match[1]}(${match[2]})`);
      }
    }
    // The scan sees the reviewed cases (so it would see a new one), and nothing else.
    expect(found).toEqual(expect.arrayContaining(allowed));
    expect(found.filter((f) => !allowed.includes(f))).toEqual([]);
  });
});

// ── Download names (RFC 6266) ─────────────────────────────────────────────────────────────────────────────

/**
 * Reads a Content-Disposition as RFC 6266 defines it, strictly: `attachment`, then `filename` as a quoted string of
 * printable ASCII (the fallback for old clients; no quote, backslash or percent sign, so nothing needs unescaping or
 * could be decoded twice), then `filename*` as RFC 8187 UTF-8 with only attr-chars and percent-encoded octets.
 * Returns both names, the second decoded.
 */
function readContentDisposition(header: string | null): { fallback: string; name: string } {
  expect(header).not.toBeNull();
  expect(header).not.toMatch(/[\r\n]/);
  const match = /^attachment; filename="([\x20\x21\x23-\x24\x26-\x5b\x5d-\x7e]*)"; filename\*=UTF-8''((?:[A-Za-z0-9!#$&+.^_`|~-]|%[0-9A-F]{2})+)$/.exec(header!);
  expect(match, `RFC 6266 Content-Disposition: ${header}`).not.toBeNull();
  return { fallback: match![1]!, name: decodeURIComponent(match![2]!) };
}

/** The fallback is the name with every character that is not safe printable ASCII replaced, one for one. */
function expectFallbackOf(fallback: string, name: string) {
  const chars = Array.from(name);
  expect(fallback).toHaveLength(chars.length);
  chars.forEach((c, i) => expect(fallback[i]).toBe(/^[\x20-\x7e]$/.test(c) && !/["\\%]/.test(c) ? c : "_"));
}

describe("download names, encoded per RFC 6266 on every download route", () => {
  it("report PDFs (published, staff and trust; draft, staff preview and trust), the action plan, the snapshot and the calendar feed", async () => {
    const { ids } = fixtures;
    const feed = await (await clientOf(DEMO_EMAIL.inspector)).post("/my-visits", { intent: "create" });
    const feedPath = /http:\/\/[^/]+(\/calendar\/[A-Za-z0-9_-]{43}\/deep-dive\.ics)/.exec(await readPage(feed))?.[1];
    expect(feedPath, "the calendar link").toBeTruthy();
    const visitDate = (inspectionId: string) =>
      queryDatabase<{ d: string }>(server.databaseFile, "SELECT v.visit_date AS d FROM inspections i JOIN visits v ON v.id = i.visit_id WHERE i.id = ?", inspectionId)[0]!.d;
    const nextVersion = (inspectionId: string) =>
      queryDatabase<{ n: number }>(server.databaseFile, "SELECT coalesce(max(version), 0) + 1 AS n FROM report_versions WHERE inspection_id = ?", inspectionId)[0]!.n;
    const ownCode = queryDatabase<{ c: string }>(server.databaseFile, "SELECT trust_code AS c FROM inspections WHERE id = ?", ids.ownInspectionId!)[0]!.c;
    const downloads: { route: string; email: string | null; path: string; name: RegExp | string; type: string }[] = [
      { route: "portal.reports…[.pdf]", email: "trust.rj1@deepdive.test", path: `/portal/reports/${ids.rj1ReportId}/v/1.pdf`, name: `RJ1-deep-dive-${visitDate(ids.rj1ReportId!)}-v1.pdf`, type: "application/pdf" },
      { route: "portal.accuracy…draft[.pdf]", email: "trust.rtd@deepdive.test", path: `/portal/accuracy/${ids.rtdCheckId}/draft.pdf`, name: `RTD-deep-dive-${visitDate(ids.rtdCheckId!)}-v1-draft.pdf`, type: "application/pdf" },
      { route: "portal.actions[.csv]", email: "trust.rj1@deepdive.test", path: "/portal/actions.csv", name: /^RJ1-action-plan-\d{4}-\d{2}-\d{2}\.csv$/, type: "text/csv; charset=utf-8" },
      { route: "inspections…reports.$version[.pdf]", email: DEMO_EMAIL.programme_lead, path: `/inspections/${ids.rruReportId}/reports/1.pdf`, name: `RRU-deep-dive-${visitDate(ids.rruReportId!)}-v1.pdf`, type: "application/pdf" },
      {
        route: "inspections…report[.pdf]",
        email: DEMO_EMAIL.programme_lead,
        path: `/inspections/${ids.ownInspectionId}/report.pdf`,
        name: `${ownCode}-deep-dive-${visitDate(ids.ownInspectionId!)}-v${nextVersion(ids.ownInspectionId!)}-draft.pdf`,
        type: "application/pdf",
      },
      { route: "selection…snapshot", email: DEMO_EMAIL.programme_lead, path: `/selection/${ids.roundId}/snapshot`, name: `selection-round-${ids.roundId}-snapshot.json`, type: "application/json; charset=utf-8" },
      { route: "calendar…[.ics]", email: null, path: feedPath!, name: "deep-dive.ics", type: "text/calendar; charset=utf-8" },
    ];
    for (const download of downloads) {
      const client = download.email ? await clientOf(download.email) : new Client(server.url);
      const response = await client.get(download.path);
      expect(response.status, download.route).toBe(200);
      expect(response.headers.get("content-type"), download.route).toBe(download.type);
      expectSiteHeaders(response, download.route);
      const { fallback, name } = readContentDisposition(response.headers.get("content-disposition"));
      if (typeof download.name === "string") expect(name, download.route).toBe(download.name);
      else expect(name, download.route).toMatch(download.name);
      // The server's names are plain ASCII, so the fallback is the name itself.
      expect(fallback, download.route).toBe(name);
      await response.arrayBuffer();
    }
  });

  it("evidence files, whose names their uploaders chose: non-ASCII, quotes, percent signs and line breaks, safe in both forms", async () => {
    const { ids } = fixtures;
    const inspector = await clientOf(DEMO_EMAIL.inspector);
    const findingId = queryDatabase<{ id: string }>(server.databaseFile, "SELECT id FROM findings WHERE inspection_id = ? AND criterion_id = ?", ids.ownInspectionId, Number(ids.ownCriterionId))[0]!.id;
    const named = `Salle des serveurs — "baie n°2" 50% (été) l'accès 報告`;
    // As a browser sends it (the HTML form encoding writes a quote as %22 and a line break as %0D%0A, and the server keeps
    // them as written), with a line break and a header after it, and a tab.
    const asBrowser = await uploadEvidence(server, inspector, ids.ownInspectionId!, findingId, `${named}\r\nX-Injected: yes\t.png`, png(200, 0, 0));
    // As curl sends it: the quotes escaped in the part's header, which the server reads back as quotes.
    const boundary = "----deep-dive-test-boundary";
    const raw = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nupload\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="findingId"\r\n\r\n${findingId}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${named.replaceAll('"', '\\"')}.png"\r\nContent-Type: image/png\r\n\r\n`, "utf8"),
      png(0, 200, 0),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const asCurl = await inspector.request(`/inspections/${ids.ownInspectionId}/evidence`, { method: "POST", headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` }, body: raw });
    expect(asCurl.headers.get("location")).toMatch(/evidence=uploaded/);
    const files = queryDatabase<{ id: string; name: string; mediaType: EvidenceMediaType }>(
      server.databaseFile,
      "SELECT id, original_name AS name, media_type AS mediaType FROM evidence_files WHERE finding_id = ? AND id <> ? ORDER BY uploaded_at DESC, rowid DESC LIMIT 1",
      findingId,
      asBrowser,
    );
    const stored = [
      { id: asBrowser, ...queryDatabase<{ name: string; mediaType: EvidenceMediaType }>(server.databaseFile, "SELECT original_name AS name, media_type AS mediaType FROM evidence_files WHERE id = ?", asBrowser)[0]!, bytes: png(200, 0, 0) },
      { ...files[0]!, bytes: png(0, 200, 0) },
    ];
    // What reached the database: the browser's encoding as written, no line break, tab or path separator; and the quotes.
    expect(stored[0]!.name).toBe(`${named.replaceAll('"', "%22")}%0D%0AX-Injected: yes.png`);
    expect(stored[1]!.name).toBe(`${named}.png`);
    for (const file of stored) expect(file.name).toBe(cleanEvidenceName(file.name));

    for (const file of stored) {
      const expected = downloadName(file.name, file.mediaType);
      for (const email of [DEMO_EMAIL.inspector, DEMO_EMAIL.programme_lead, DEMO_EMAIL.admin]) {
        const response = await (await clientOf(email)).get(`/inspections/${ids.ownInspectionId}/evidence/${file.id}`);
        const what = `${file.name} as ${email}`;
        expect(response.status, what).toBe(200);
        expect(response.headers.get("content-type"), what).toBe("image/png");
        expect(response.headers.get("x-injected"), what).toBeNull();
        expectSiteHeaders(response, what);
        // The file is never shown as a page of this site: sandboxed, whatever it holds.
        expect(response.headers.get("content-security-policy"), what).toContain("default-src 'none'; sandbox");
        const { fallback, name } = readContentDisposition(response.headers.get("content-disposition"));
        expect(name, what).toBe(expected);
        expectFallbackOf(fallback, expected);
        expect(Buffer.from(await response.arrayBuffer()), what).toEqual(file.bytes);
      }
    }
  });
});

// ── Error pages ───────────────────────────────────────────────────────────────────────────────────────────

/** Nothing of an error's internals: no stack frame, no file path, no exception name or message from the code. */
function expectNothingOfTheError(body: string, what: string, internals: RegExp[]) {
  expect(body, what).not.toMatch(/\bat [\w.<>$]+ \(|\bat (file:\/\/|\/)|node:internal/);
  expect(body, what).not.toMatch(/\/work\/|node_modules|server\.js|build\/index\.js|\.tsx?\b|\.mjs\b/);
  expect(body, what).not.toMatch(/\b(TypeError|URIError|RangeError|SqliteError|ReferenceError)\b/);
  for (const internal of internals) expect(body, what).not.toMatch(internal);
}

describe("generic error pages in production, with nothing of the error in them", () => {
  it("a malformed percent-encoding in the address: 400 and a generic page with the site's headers, signed in or not", async () => {
    for (const client of [fixtures.clients.anonymous, fixtures.clients.programme_lead, fixtures.clients.trust_user]) {
      for (const target of ["/trusts/%E0%A4%A", "/%", "/portal/actions/%C0%AF", "/build/%E0.js", "/inspections/%ZZ/report.pdf"]) {
        const response = await client.get(target);
        const what = `GET ${target}`;
        expect(response.status, what).toBe(400);
        expect(response.headers.get("content-type"), what).toBe("text/html; charset=utf-8");
        expectSiteHeaders(response, what);
        const body = await response.text();
        expect(body, what).toContain("There is a problem with the request");
        expectNothingOfTheError(body, what, [/decode/i, /param/i, /%E0|%C0|%ZZ/i]);
      }
    }
  });

  it("a corrupt form body that makes an action throw: 500 and the service's error page, as a page and as data", async () => {
    const lead = fixtures.clients.programme_lead;
    const corrupt = { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=corrupt-7f3a" }, body: "--other-9c1e\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nbroken" };
    const page = await lead.request("/selection/new", corrupt);
    expect(page.status).toBe(500);
    expectSiteHeaders(page, "500 page");
    const html = await readPage(page);
    expect(/<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1]).toContain("Sorry, there is a problem with the service");
    expectNothingOfTheError(html, "500 page", [/Failed to parse/i, /FormData/, /corrupt-7f3a|other-9c1e/]);
    // Remix's own data request (JavaScript on): the error is sanitised to a generic message.
    const data = await lead.request("/selection/new.data", corrupt);
    expect(data.status).toBe(500);
    expectSiteHeaders(data, "500 data");
    const text = await data.text();
    expect(text).toContain("Unexpected Server Error");
    expectNothingOfTheError(text, "500 data", [/Failed to parse/i, /FormData/, /corrupt-7f3a|other-9c1e/]);
    expect(server.output()).toMatch(/Failed to parse body as FormData/);
  });

  it("a page that does not exist, and one the user may not see: the same 404 page, with the site's headers", async () => {
    const trust = fixtures.clients.trust_user;
    const [missing, refused] = [await trust.get("/no-such-page"), await trust.get("/risk")];
    for (const response of [missing, refused]) {
      expect(response.status).toBe(404);
      expectSiteHeaders(response, "404");
    }
    const mainOf = async (r: Response) => /<main[^>]*>([\s\S]*?)<\/main>/.exec(await r.text())?.[1];
    expect(await mainOf(missing)).toBe(await mainOf(refused));
  });
});

// ── Resource limits ───────────────────────────────────────────────────────────────────────────────────────

describe("resource limits (the others are proved where each is made: see docs/security.md)", () => {
  it("a selection round's period is at most 366 days, so planning its visits is bounded (a mistyped year would hold the server)", async () => {
    const lead = fixtures.clients.programme_lead;
    const roundsNamed = (name: string) => queryDatabase<{ n: number }>(server.databaseFile, "SELECT count(*) AS n FROM selection_rounds WHERE name = ?", name)[0]!.n;
    const open = (name: string, end: { day: string; month: string; year: string }) =>
      lead.post("/selection/new", {
        name,
        periodStartDay: "1",
        periodStartMonth: "1",
        periodStartYear: "2028",
        periodEndDay: end.day,
        periodEndMonth: end.month,
        periodEndYear: end.year,
        capacity: "5",
        minMonthsSinceInspection: "0",
      });
    const century = await open("A century", { day: "31", month: "12", year: "2127" });
    expect(century.status).toBe(400);
    expect(await readPage(century)).toContain("The period must be 366 days or shorter");
    expect(roundsNamed("A century")).toBe(0);
    const dayTooMany = await open("A year and a day", { day: "1", month: "1", year: "2029" });
    expect(dayTooMany.status).toBe(400);
    expect(roundsNamed("A year and a day")).toBe(0);
    // 2028 is a leap year: 1 January to 31 December is 366 days, the longest allowed.
    const year = await open("A leap year", { day: "31", month: "12", year: "2028" });
    expect(year.status).toBe(302);
    expect(roundsNamed("A leap year")).toBe(1);
  });

  it("request bodies: a form over 1 MB and an upload over 25 MB are refused unread (413), one without a length 411; nothing is written", async () => {
    const auditCount = () => queryDatabase<{ n: number }>(server.databaseFile, "SELECT count(*) AS n FROM audit_events")[0]!.n;
    const before = auditCount();
    const url = new URL(server.url);
    /** A POST that declares headers of its own and sends at most a little of its body: the answer must not wait for the rest. */
    const rawPost = (pathname: string, headers: Record<string, string>, body = "") =>
      new Promise<number>((resolve, reject) => {
        const request = http.request({ host: url.hostname, port: url.port, path: pathname, method: "POST", headers: { Origin: server.url, ...headers } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", reject);
        request.write(body);
        if (!headers["Content-Length"]) request.end();
      });
    const bigForm = await fixtures.clients.anonymous.post("/sign-in", { email: "lead@deepdive.test", password: "x".repeat(1_000_001) });
    expect(bigForm.status).toBe(413);
    expect(await rawPost("/sign-in", { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "1000001" }, "email=a")).toBe(413);
    expect(await rawPost("/indicators/import", { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": "25000001" }, "--x")).toBe(413);
    expect(await rawPost("/sign-in", { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, "email=a")).toBe(411);
    // Within the limit the form is read, and answered by the page (a password that long is refused unchecked).
    const ordinary = await fixtures.clients.anonymous.post("/sign-in", { email: "nobody@deepdive.test", password: "x".repeat(999_000) });
    expect(ordinary.status).toBe(400);
    expect(await readPage(ordinary)).toContain("Enter a correct email address and password");
    expect(auditCount()).toBe(before);
  });

  it("at most RENDER_QUEUE_MAX renders wait for a worker: one more is refused at once as busy, and those waiting are drawn", async () => {
    const db = openDatabase(server.databaseFile);
    try {
      const model = reportModelFor(fixtures.ids.rj1ReportId!, { version: 1, publishedAt: "2026-11-30T10:00:00.000Z", draft: false }, db);
      // The cover and the summary only: quick to draw, so the waiting renders finish soon.
      const small = { ...model, sections: model.sections.slice(0, 1) };
      // Started in one go: RENDER_WORKERS start drawing at once, RENDER_QUEUE_MAX wait.
      const accepted = Array.from({ length: RENDER_WORKERS + RENDER_QUEUE_MAX }, () => renderModelInWorker(small));
      const refused = await renderModelInWorker(small).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ReportRenderError);
      expect((refused as ReportRenderError).reason).toBe("busy");
      const drawn = await Promise.allSettled(accepted);
      expect(drawn.filter((d) => d.status === "rejected")).toEqual([]);
      for (const d of drawn) expect((d as PromiseFulfilledResult<Buffer>).value.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      // With the queue drained, a render is taken again.
      expect((await renderModelInWorker(small)).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    } finally {
      db.$client.close();
    }
  });
});

// ── Sessions ──────────────────────────────────────────────────────────────────────────────────────────────

const sessionsOf = (id: string) => queryDatabase<{ n: number }>(server.databaseFile, "SELECT count(*) AS n FROM sessions WHERE user_id = ?", id)[0]!.n;

describe("sessions", () => {
  it("signing in gives a new session id and ends the session the browser already had: the old id no longer works", async () => {
    // A trust user (one step to sign in), added to this file's database with the demo password.
    const { email } = addTrustUserForUnscheduledTrust(server.databaseFile, "rotation@deepdive.test");
    const id = userId(email);
    const browser = new Client(server.url);
    const first = await browser.signIn(email);
    expect(first.status).toBe(302);
    const old = browser.cookie;
    expect((await browser.get("/portal")).status).toBe(200);

    // Signing in again from the same browser, which sends its cookie as browsers do.
    const again = await browser.signIn(email);
    expect(again.status).toBe(302);
    const setCookie = again.headers.get("set-cookie") ?? "";
    const [oldName] = old.split("=");
    expect(setCookie.startsWith(`${oldName}=`), "the same cookie, so the browser replaces it").toBe(true);
    expect(browser.cookie).not.toBe(old);
    expect((await browser.get("/portal")).status).toBe(200);

    const replay = await new Client(server.url).get("/portal", { headers: { Cookie: old } });
    expect(replay.status, "the old session id still works after a new sign-in").toBe(302);
    expect(replay.headers.get("location")).toMatch(/^\/sign-in/);
    expect(sessionsOf(id)).toBe(1);
  });

  it("disabling an account on the admin page ends every session it has at once: pages and changes alike", async () => {
    const { email } = addTrustUserForUnscheduledTrust(server.databaseFile, "disabled@deepdive.test");
    const id = userId(email);
    const [laptop, phone] = [await signedIn(server.url, email), await signedIn(server.url, email)];
    for (const device of [laptop, phone]) expect((await device.get("/portal")).status).toBe(200);
    expect(sessionsOf(id)).toBe(2);

    const admin = await clientOf(DEMO_EMAIL.admin);
    const disabled = await admin.post(`/admin/users/${id}`, { intent: "disable" });
    expect(disabled.status).toBe(302);
    expect(sessionsOf(id)).toBe(0);

    for (const device of [laptop, phone]) {
      const next = await device.get("/portal");
      expect(next.status).toBe(302);
      expect(next.headers.get("location")).toMatch(/^\/sign-in/);
    }
    // A change sent from a page opened before: sent to sign in, and nothing is written.
    const auditBefore = queryDatabase<{ n: number }>(server.databaseFile, "SELECT count(*) AS n FROM audit_events WHERE actor_user_id = ?", id)[0]!.n;
    const posted = await laptop.post(`/portal/accuracy/${fixtures.ids.rtdCheckId}`, { part: "summary", category: "factual", text: "Sent after the account was disabled" });
    expect(posted.status).toBe(302);
    expect(posted.headers.get("location")).toMatch(/^\/sign-in/);
    expect(queryDatabase<{ n: number }>(server.databaseFile, "SELECT count(*) AS n FROM audit_events WHERE actor_user_id = ?", id)[0]!.n).toBe(auditBefore);
    expect((await new Client(server.url).signIn(email)).status).toBe(400);
  });
});
