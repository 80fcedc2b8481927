/**
 * The authorisation table: every route module, and what each kind of user gets from it over real HTTP.
 * A new route module fails this suite until it is added here with its answers, and a loader or action
 * that does not begin with a guard fails the static check below.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signedIn } from "../support/http";
import { publishedActionsOf } from "../support/inspections";
import { png } from "../support/png";
import { startServer, type RunningServer } from "../support/server";

type Who = "anonymous" | "admin" | "programme_lead" | "inspector" | "trust_user";
/** ok: the page (200, or a redirect to the role's own home); sign-in: redirected to sign in; 404: not found. */
type Answer = "ok" | "sign-in" | "404";

interface RouteRow {
  /**
   * A URL that reaches the module; :userId is replaced with a real user id (inspector2), :roundId with a closed
   * selection round, :visitId with a scheduled demo visit that inspector1 is not on, :inspectionId with that
   * visit's inspection (started by the lead), :criterionId with one of its criteria, :sectionId with that criterion's
   * section, :fileId with an evidence file
   * of that criterion's finding (uploaded by the lead).
   */
  url: string;
  get?: Record<Who, Answer>;
  post?: Record<Who, Answer>;
  /** Routes anyone may use; every other loader and action must begin with a guard. */
  public?: boolean;
  /** A file download (a resource route), not a page: its refusal is the plain "Not found" response. */
  download?: boolean;
}

const staffOnly: Record<Who, Answer> = { anonymous: "sign-in", admin: "ok", programme_lead: "ok", inspector: "ok", trust_user: "404" };
const adminOnly: Record<Who, Answer> = { anonymous: "sign-in", admin: "ok", programme_lead: "404", inspector: "404", trust_user: "404" };
const trustOnly: Record<Who, Answer> = { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "ok" };
const signedInAny: Record<Who, Answer> = { anonymous: "sign-in", admin: "ok", programme_lead: "ok", inspector: "ok", trust_user: "ok" };
const nobody: Record<Who, Answer> = { anonymous: "404", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" };
const everyone: Record<Who, Answer> = { anonymous: "ok", admin: "ok", programme_lead: "ok", inspector: "ok", trust_user: "ok" };
/** Selection is confidential: programme leads only, and 404 for everyone else, admins included (decision 0008). */
const leadOnly: Record<Who, Answer> = { anonymous: "sign-in", admin: "404", programme_lead: "ok", inspector: "404", trust_user: "404" };
const leadAndAdmin: Record<Who, Answer> = { anonymous: "sign-in", admin: "ok", programme_lead: "ok", inspector: "404", trust_user: "404" };
const inspectorOnly: Record<Who, Answer> = { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "ok", trust_user: "404" };

/** Signed in or not, nobody gets it: for routes whose row's object exists but is not in a state anyone may see. */
const signInThenNotFound: Record<Who, Answer> = { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" };

const TABLE: Record<string, RouteRow> = {
  "_index.tsx": { url: "/", get: signedInAny },
  "sign-in.tsx": { url: "/sign-in", get: everyone, public: true },
  "sign-out.tsx": { url: "/sign-out", post: everyone, public: true },
  "healthz.ts": { url: "/healthz", get: everyone, public: true },
  "$.tsx": { url: "/no-such-page", get: nobody, post: nobody, public: true },
  "portal._index.tsx": { url: "/portal", get: trustOnly },
  // An action of RJ1 (the trust user's trust); staff read actions only on the trust's actions page.
  "portal.actions.$id.tsx": { url: "/portal/actions/:actionId", get: trustOnly, post: trustOnly },
  "portal.actions[.csv].ts": {
    url: "/portal/actions.csv",
    get: trustOnly,
    post: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
    download: true,
  },
  // The trust's factual accuracy check and report downloads: the row's inspection is on site (no check, no report), so
  // the trust user gets the same 404 as for an id that does not exist; staff are not trust users.
  "portal.accuracy.$inspectionId.tsx": { url: "/portal/accuracy/:inspectionId", get: signInThenNotFound, post: signInThenNotFound },
  "portal.accuracy.$inspectionId_.draft[.pdf].ts": { url: "/portal/accuracy/:inspectionId/draft.pdf", get: signInThenNotFound, post: signInThenNotFound, download: true },
  "portal.reports.$inspectionId.v.$version[.pdf].ts": { url: "/portal/reports/:inspectionId/v/1.pdf", get: signInThenNotFound, post: signInThenNotFound, download: true },
  "trusts._index.tsx": { url: "/trusts", get: staffOnly },
  "trusts.$code.tsx": { url: "/trusts/RJ1", get: staffOnly },
  // A trust's actions: read by programme leads and admins (decision 0018).
  "trusts.$code_.actions.tsx": { url: "/trusts/RJ1/actions", get: leadAndAdmin },
  "admin.trusts.import.tsx": { url: "/admin/trusts/import", get: adminOnly, post: adminOnly },
  "admin.users._index.tsx": { url: "/admin/users", get: adminOnly },
  "admin.users.new.tsx": { url: "/admin/users/new", get: adminOnly, post: adminOnly },
  "admin.users.$id.tsx": { url: "/admin/users/:userId", get: adminOnly, post: adminOnly },
  "admin.audit.tsx": { url: "/admin/audit", get: adminOnly },
  "selection._index.tsx": { url: "/selection", get: leadOnly },
  "selection.new.tsx": { url: "/selection/new", get: leadOnly, post: leadOnly },
  "selection.$id.tsx": { url: "/selection/:roundId", get: leadOnly, post: leadOnly },
  "selection.$id_.verify.tsx": { url: "/selection/:roundId/verify", get: leadOnly },
  "selection.$id_.snapshot.ts": {
    url: "/selection/:roundId/snapshot",
    get: leadOnly,
    post: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
    download: true,
  },
  "indicators.import.tsx": { url: "/indicators/import", get: { anonymous: "sign-in", admin: "ok", programme_lead: "ok", inspector: "404", trust_user: "404" }, post: { anonymous: "sign-in", admin: "ok", programme_lead: "ok", inspector: "404", trust_user: "404" } },
  "admin.indicators.tsx": { url: "/admin/indicators", get: adminOnly, post: adminOnly },
  "risk._index.tsx": { url: "/risk", get: staffOnly },
  "risk.trusts.$code.tsx": { url: "/risk/trusts/RJ1", get: staffOnly },
  "risk.models._index.tsx": { url: "/risk/models", get: staffOnly },
  "risk.models.new.tsx": { url: "/risk/models/new", get: leadOnly, post: leadOnly },
  "risk.models.$id.tsx": { url: "/risk/models/1", get: staffOnly, post: leadOnly },
  // Scheduling is confidential like selection; an inspector sees only visits they are on (the row's visit is not theirs).
  "selection.$id_.schedule.tsx": { url: "/selection/:roundId/schedule", get: leadOnly, post: leadOnly },
  "visits.$id.tsx": { url: "/visits/:visitId", get: leadOnly },
  "visits.$id_.change.tsx": { url: "/visits/:visitId/change", get: leadOnly, post: leadOnly },
  "my-visits.tsx": { url: "/my-visits", get: inspectorOnly, post: inspectorOnly },
  "calendar.$token.deep-dive[.ics].ts": { url: "/calendar/not-a-real-token/deep-dive.ics", get: nobody, post: nobody, public: true, download: true },
  "inspectors._index.tsx": { url: "/inspectors", get: leadOnly },
  "inspectors.$id.tsx": { url: "/inspectors/:userId", get: leadOnly, post: leadOnly },
  "admin.bank-holidays.tsx": { url: "/admin/bank-holidays", get: adminOnly, post: adminOnly },
  "admin.frameworks.tsx": { url: "/admin/frameworks", get: adminOnly, post: adminOnly },
  "frameworks._index.tsx": { url: "/frameworks", get: staffOnly },
  "frameworks.$id.tsx": { url: "/frameworks/1", get: staffOnly },
  // Programme leads decide what good looks like (as they do the risk model); admins load framework files, not profiles.
  "frameworks.$id_.profiles.new.tsx": { url: "/frameworks/1/profiles/new", get: leadOnly, post: leadOnly },
  // Inspections: the team, programme leads and admins; the row's inspection is of a visit inspector1 is not on.
  "inspections._index.tsx": { url: "/inspections", get: staffOnly },
  // The national picture shows every inspected trust's ratings: those who may see every inspection (decision 0019).
  "national.tsx": { url: "/national", get: leadAndAdmin },
  "inspections.new.tsx": { url: "/inspections/new?visit=:visitId", get: leadOnly, post: leadOnly },
  "inspections.$id.tsx": { url: "/inspections/:inspectionId", get: leadAndAdmin, post: leadAndAdmin },
  // The staff preview of the report (a DRAFT PDF, at any stage): those who may see the inspection; nothing to POST.
  "inspections.$id_.report[.pdf].ts": {
    url: "/inspections/:inspectionId/report.pdf",
    get: leadAndAdmin,
    post: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
    download: true,
  },
  // What to keep for working offline: only the inspection's team while recording (nobody in this table is on it).
  "inspections.$id_.offline[.json].ts": { url: "/inspections/:inspectionId/offline.json", get: signInThenNotFound, post: signInThenNotFound, download: true },
  // Whether a prepared inspection may still be kept offline: the team only (nobody in this table is on it).
  "inspections.$id_.offline-status[.json].ts": { url: "/inspections/:inspectionId/offline-status.json", get: signInThenNotFound, post: signInThenNotFound, download: true },
  // The offline outbox's save: the team only (nobody in this table is on it); nothing to GET.
  "inspections.$id_.criteria.$criterionId_.save[.json].ts": {
    url: "/inspections/:inspectionId/criteria/:criterionId/save.json",
    get: signInThenNotFound,
    post: signInThenNotFound,
    download: true,
  },
  // The presence heartbeat: posted by open workspace pages; nothing to GET.
  "inspections.$id_.presence.ts": {
    url: "/inspections/:inspectionId/presence",
    get: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
    post: leadAndAdmin,
    download: true,
  },
  "inspections.$id_.criteria.$criterionId.tsx": {
    url: "/inspections/:inspectionId/criteria/:criterionId",
    get: leadAndAdmin,
    post: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
  },
  // A section at a time: read like the criterion page, saved only by the team (nobody in this table is on it).
  "inspections.$id_.sections.$sectionId.tsx": {
    url: "/inspections/:inspectionId/sections/:sectionId",
    get: leadAndAdmin,
    post: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
  },
  // Evidence files: only the team adds and removes them (nobody in this table is on it); nothing to GET there.
  // The offline outbox's evidence upload: the team only (nobody in this table is on it).
  "inspections.$id_.evidence[.json].ts": { url: "/inspections/:inspectionId/evidence.json", get: signInThenNotFound, post: signInThenNotFound, download: true },
  "inspections.$id_.evidence.ts": {
    url: "/inspections/:inspectionId/evidence",
    get: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
    post: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
    download: true,
  },
  // An evidence file: downloaded by those who may see the inspection; trust users get 404 until publication.
  // Factual accuracy and publication: from approval on (the row's inspection is on site, so 404 even for those who see
  // it); a report version downloads only once published.
  "inspections.$id_.accuracy.tsx": { url: "/inspections/:inspectionId/accuracy", get: signInThenNotFound, post: signInThenNotFound },
  "inspections.$id_.reports.$version[.pdf].ts": { url: "/inspections/:inspectionId/reports/1.pdf", get: signInThenNotFound, post: signInThenNotFound, download: true },
  "inspections.$id_.evidence.$fileId.ts": {
    url: "/inspections/:inspectionId/evidence/:fileId",
    get: leadAndAdmin,
    post: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
    download: true,
  },
};

const routesDir = path.resolve("app", "routes");
const routeFiles = readdirSync(routesDir).filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f));

describe("every route module is in the authorisation table", () => {
  it("has a row for each route file, and no row for a file that does not exist", () => {
    expect(routeFiles.filter((f) => !(f in TABLE)), "route files missing from the table").toEqual([]);
    expect(Object.keys(TABLE).filter((f) => !routeFiles.includes(f)), "rows for missing files").toEqual([]);
  });

  it.each(routeFiles)("%s: each loader and action begins with a guard (or the route is public)", (file) => {
    const source = readFileSync(path.join(routesDir, file), "utf8");
    const row = TABLE[file];
    for (const kind of ["loader", "action"] as const) {
      const match = new RegExp(`export (?:async )?function ${kind}\\s*\\([^)]*\\)[^{]*\\{\\s*\\n([^\\n]*)`).exec(source);
      const exported = new RegExp(`export (?:async )?function ${kind}\\b|export const ${kind}\\b`).test(source);
      if (!exported) {
        expect(row?.[kind === "loader" ? "get" : "post"] === undefined || kind === "loader", `${file} ${kind} in table but not exported`).toBe(true);
        continue;
      }
      if (row?.public) continue;
      expect(match, `${file}: ${kind} should be a function declaration`).not.toBeNull();
      expect(match![1], `${file}: the first line of ${kind} must call a guard`).toMatch(/\brequire(User|Role|Staff|TrustUser)\(/);
    }
  });
});

describe("what each kind of user gets", () => {
  let server: RunningServer;
  const clients = {} as Record<Who, Client>;
  let userId = "";
  let roundId = "";
  let visitId = "";
  let inspectionId = "";
  let criterionId = "";
  let sectionId = "";
  let fileId = "";
  let actionId = "";

  beforeAll(async () => {
    server = await startServer();
    clients.anonymous = new Client(server.url);
    [clients.admin, clients.programme_lead, clients.inspector, clients.trust_user] = await Promise.all([
      signedIn(server.url, "admin@deepdive.test"),
      signedIn(server.url, "lead@deepdive.test"),
      signedIn(server.url, "inspector1@deepdive.test"),
      signedIn(server.url, "trust.rj1@deepdive.test"),
    ]);
    const db = new Database(server.databaseFile, { readonly: true });
    userId = (db.prepare("SELECT id FROM users WHERE email = 'inspector2@deepdive.test'").get() as { id: string }).id;
    visitId = (
      db
        .prepare(
          `SELECT v.id FROM visits v WHERE v.status = 'scheduled' AND NOT EXISTS (
             SELECT 1 FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND u.email = 'inspector1@deepdive.test')
           ORDER BY v.visit_date LIMIT 1`,
        )
        .get() as { id: string }
    ).id;
    db.close();
    // A selection round the lead opens, draws and closes over HTTP (a closed round answers on every selection URL).
    const lead = clients.programme_lead;
    const opened = await lead.post("/selection/new", {
      name: "Authorisation table",
      periodStartDay: "1",
      periodStartMonth: "4",
      periodStartYear: "2027",
      periodEndDay: "30",
      periodEndMonth: "6",
      periodEndYear: "2027",
      capacity: "5",
      minMonthsSinceInspection: "0",
    });
    roundId = /^\/selection\/([0-9a-f-]{36})/.exec(opened.headers.get("location") ?? "")?.[1] ?? "";
    if (!roundId) throw new Error(`could not open a selection round: ${opened.status}`);
    for (const intent of ["draw", "close"]) expect((await lead.post(`/selection/${roundId}`, { intent })).status).toBe(302);
    // The visit's inspection, started by the lead against the first framework and its first profile.
    const profile = new Database(server.databaseFile, { readonly: true });
    const { id: profileId, framework_version_id: frameworkId } = profile.prepare("SELECT id, framework_version_id FROM framework_profiles ORDER BY id LIMIT 1").get() as { id: number; framework_version_id: number };
    profile.close();
    const started = await lead.post(`/inspections/new?visit=${visitId}`, { [`profile-${frameworkId}`]: String(profileId) });
    inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(started.headers.get("location") ?? "")?.[1] ?? "";
    if (!inspectionId) throw new Error(`could not start an inspection: ${started.status}`);
    const findingDb = new Database(server.databaseFile, { readonly: true });
    criterionId = String((findingDb.prepare("SELECT min(criterion_id) AS id FROM findings WHERE inspection_id = ?").get(inspectionId) as { id: number }).id);
    sectionId = String((findingDb.prepare("SELECT section_id AS id FROM framework_criteria WHERE id = ?").get(Number(criterionId)) as { id: number }).id);
    findingDb.close();
    // An evidence file on that criterion's finding: the visit's lead records the arrival, then uploads a photo.
    const setupDb = new Database(server.databaseFile, { readonly: true });
    const visitLead = (setupDb.prepare("SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = ? AND m.role = 'lead'").get(visitId) as { email: string }).email;
    const findingId = (setupDb.prepare("SELECT id FROM findings WHERE inspection_id = ? AND criterion_id = ?").get(inspectionId, Number(criterionId)) as { id: string }).id;
    setupDb.close();
    const visitLeadClient = await signedIn(server.url, visitLead);
    expect((await visitLeadClient.post(`/inspections/${inspectionId}`, { intent: "arrive" })).status).toBe(302);
    const evidence = new FormData();
    evidence.append("intent", "upload");
    evidence.append("findingId", findingId);
    evidence.append("file", new Blob([new Uint8Array(png(0, 128, 0))], { type: "image/png" }), "photo.png");
    expect((await visitLeadClient.request(`/inspections/${inspectionId}/evidence`, { method: "POST", body: evidence })).status).toBe(302);
    const fileDb = new Database(server.databaseFile, { readonly: true });
    fileId = (fileDb.prepare("SELECT id FROM evidence_files WHERE finding_id = ?").get(findingId) as { id: string }).id;
    fileDb.close();
    // An action of RJ1, the trust user's trust: of a published demo inspection (its latest approved one published, if none is yet).
    actionId = publishedActionsOf(server.databaseFile, "RJ1")[0]!;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const cases = Object.entries(TABLE).flatMap(([file, row]) =>
    (["get", "post"] as const).flatMap((method) =>
      Object.entries(row[method] ?? {}).map(([who, answer]) => ({ file, url: row.url, method, who: who as Who, answer })),
    ),
  );

  const demoEmail: Record<Exclude<Who, "anonymous">, string> = {
    admin: "admin@deepdive.test",
    programme_lead: "lead@deepdive.test",
    inspector: "inspector1@deepdive.test",
    trust_user: "trust.rj1@deepdive.test",
  };

  it.each(cases)("$method $url as $who → $answer", async ({ file, url, method, who, answer }) => {
    const target = url.replace(":userId", userId).replace(":roundId", roundId).replace(":visitId", visitId).replace(":inspectionId", inspectionId).replace(":criterionId", criterionId).replace(":sectionId", sectionId).replace(":fileId", fileId).replace(":actionId", actionId);
    // Signing out ends the session it is sent with, so it gets a session of its own.
    const client =
      file === "sign-out.tsx" && who !== "anonymous" ? await signedIn(server.url, demoEmail[who]) : clients[who];
    // An empty POST: enough to reach the guard, never enough to change anything.
    const response = method === "get" ? await client.get(target) : await client.post(target, {});
    const location = response.headers.get("location") ?? "";
    if (answer === "404") {
      expect(response.status).toBe(404);
      // The refusal itself says nothing about what was asked for (the navigation around it is the user's own).
      const text = await response.text();
      const main = TABLE[file]!.download ? text : (/<main[^>]*>([\s\S]*?)<\/main>/.exec(text)?.[1] ?? "");
      expect(main).toContain(TABLE[file]!.download ? "Not found" : "Page not found");
      expect(main).not.toMatch(/risk|score|visit|round|seed/i);
    } else if (answer === "sign-in") {
      expect(response.status).toBe(302);
      expect(location).toMatch(/^\/sign-in/);
    } else {
      expect([200, 302, 303, 400]).toContain(response.status);
      expect(location).not.toMatch(/^\/sign-in(\?redirectTo=|$)/);
    }
  });
});
