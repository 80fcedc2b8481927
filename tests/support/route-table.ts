/**
 * The route table: every route module, the URL that reaches it, and what each kind of user gets from it (GET and
 * POST). The authorisation matrix (tests/integration/authorisation-table.test.ts) holds every route to it, and the
 * security tests (tests/integration/security-hardening.test.ts) walk it for the headers on every response and for
 * "no state change on GET". A new route module fails the matrix until it has a row here.
 *
 * The objects the URLs name are made once per server by prepareRouteFixtures: a closed selection round, a scheduled
 * visit inspector1 is not on with an inspection the programme lead started, one of its criteria and sections, an
 * evidence file on it, and an action of RJ1; and, for "own trust / other trust" and "on the team / not on it", the
 * demo's published RJ1 report, RTD's report in its factual accuracy check and the inspection on site now, which
 * inspector1 leads.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect } from "vitest";
import { DEMO_TOTP_SECRET } from "../../app/auth/mfa";
import { Client, signedIn } from "./http";
import { publishedActionsOf } from "./inspections";
import { png } from "./png";
import { unusedCode } from "./second-factor";
import type { RunningServer } from "./server";

export type Who = "anonymous" | "admin" | "programme_lead" | "inspector" | "trust_user";
/** ok: the page (200, or a redirect to the role's own home); sign-in: redirected to sign in; 404: not found. */
export type Answer = "ok" | "sign-in" | "404";

export const WHO: readonly Who[] = ["anonymous", "admin", "programme_lead", "inspector", "trust_user"];

export interface RouteRow {
  /**
   * A URL that reaches the module; :userId is replaced with a real user id (inspector2), :roundId with a closed
   * selection round, :visitId with a scheduled demo visit that inspector1 is not on, :inspectionId with that
   * visit's inspection (started by the lead), :criterionId with one of its criteria, :sectionId with that criterion's
   * section, :fileId with an evidence file of that criterion's finding (uploaded by the visit's lead), :actionId with
   * an action of RJ1 (the trust user's trust).
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
const signInForAll: Record<Who, Answer> = { anonymous: "sign-in", admin: "sign-in", programme_lead: "sign-in", inspector: "sign-in", trust_user: "sign-in" };
const everyone: Record<Who, Answer> = { anonymous: "ok", admin: "ok", programme_lead: "ok", inspector: "ok", trust_user: "ok" };
/** Selection is confidential: programme leads only, and 404 for everyone else, admins included (decision 0008). */
const leadOnly: Record<Who, Answer> = { anonymous: "sign-in", admin: "404", programme_lead: "ok", inspector: "404", trust_user: "404" };
const leadAndAdmin: Record<Who, Answer> = { anonymous: "sign-in", admin: "ok", programme_lead: "ok", inspector: "404", trust_user: "404" };
const inspectorOnly: Record<Who, Answer> = { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "ok", trust_user: "404" };

/** Signed in or not, nobody gets it: for routes whose row's object exists but is not in a state anyone may see. */
const signInThenNotFound: Record<Who, Answer> = { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" };

export const ROUTE_TABLE: Record<string, RouteRow> = {
  "_index.tsx": { url: "/", get: signedInAny },
  "sign-in.tsx": { url: "/sign-in", get: everyone, public: true },
  "sign-out.tsx": { url: "/sign-out", post: everyone, public: true },
  // The second step of signing in: public, its guard is the challenge cookie of the password step, which nobody here
  // holds: the code page sends back to sign in; the set-up page says the sign-in has ended; posts go back to sign in.
  "sign-in_.code.tsx": { url: "/sign-in/code", get: signInForAll, post: signInForAll, public: true },
  "sign-in_.set-up.tsx": { url: "/sign-in/set-up", get: everyone, post: signInForAll, public: true },
  "account._index.tsx": { url: "/account", get: signedInAny, post: signedInAny },
  "account.second-factor.tsx": { url: "/account/second-factor", get: signedInAny, post: signedInAny },
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
  // Factual accuracy and publication: from approval on (the row's inspection is on site, so 404 even for those who see
  // it); a report version downloads only once published.
  "inspections.$id_.accuracy.tsx": { url: "/inspections/:inspectionId/accuracy", get: signInThenNotFound, post: signInThenNotFound },
  "inspections.$id_.reports.$version[.pdf].ts": { url: "/inspections/:inspectionId/reports/1.pdf", get: signInThenNotFound, post: signInThenNotFound, download: true },
  // An evidence file: downloaded by those who may see the inspection; trust users get 404 until publication.
  "inspections.$id_.evidence.$fileId.ts": {
    url: "/inspections/:inspectionId/evidence/:fileId",
    get: leadAndAdmin,
    post: { anonymous: "sign-in", admin: "404", programme_lead: "404", inspector: "404", trust_user: "404" },
    download: true,
  },
};

/**
 * Object-level cases: the same route for the object's own trust (or, for inspectors, a visit they are on) and for
 * another. Each case names who asks (a demo account) and what they get. Placeholders, besides those of ROUTE_TABLE:
 * :rj1ReportId (RJ1's published demo inspection), :rtdCheckId (RTD's inspection in its factual accuracy check),
 * :ownInspectionId / :ownVisitId / :ownCriterionId / :ownSectionId / :ownFileId (the demo inspection on site now,
 * which inspector1 leads, its visit, a criterion, its section and an evidence file inspector1 added),
 * :rruReportId (RRU's published demo inspection, which inspector1 led).
 */
export interface ScopedCase {
  /** Why the answer is what it is, in a few words ("own trust", "another trust's user"). */
  as: string;
  email: string;
  method: "get" | "post";
  answer: Answer;
}

export interface ScopedRow {
  url: string;
  download?: boolean;
  cases: ScopedCase[];
}

const RJ1 = "trust.rj1@deepdive.test";
const RRU = "trust.rru@deepdive.test";
const RTD = "trust.rtd@deepdive.test";
const ON_TEAM = "inspector1@deepdive.test";
const NOT_ON_TEAM = "inspector5@deepdive.test";

/** [what the first gets, what the second gets] for a method; null where that case is not asked (see the row). */
type Pair = [Answer | null, Answer | null] | null;

const pairCases = (first: { as: string; email: string }, second: { as: string; email: string }, get: Pair, post: Pair): ScopedCase[] =>
  (["get", "post"] as const).flatMap((method) => {
    const answers = method === "get" ? get : post;
    if (!answers) return [];
    return [first, second].flatMap((who, i) => (answers[i] ? [{ ...who, method, answer: answers[i]! }] : []));
  });

const ownAndOther = (own: string, other: string, get: Pair, post: Pair) =>
  pairCases({ as: "own trust's user", email: own }, { as: "another trust's user", email: other }, get, post);

const teamAndNot = (get: Pair, post: Pair) =>
  pairCases({ as: "inspector on the team", email: ON_TEAM }, { as: "inspector not on the team", email: NOT_ON_TEAM }, get, post);

/**
 * Routes whose answer depends on whose object it is. Every portal route is here or in SESSION_SCOPED; the trust pages
 * (staff only) answer 404 to every trust user, whichever trust.
 */
export const SCOPED_TABLE: Record<string, ScopedRow> = {
  "portal.actions.$id.tsx": { url: "/portal/actions/:actionId", cases: ownAndOther(RJ1, RRU, ["ok", "404"], ["ok", "404"]) },
  "portal.reports.$inspectionId.v.$version[.pdf].ts": { url: "/portal/reports/:rj1ReportId/v/1.pdf", download: true, cases: ownAndOther(RJ1, RRU, ["ok", "404"], ["404", "404"]) },
  "portal.accuracy.$inspectionId.tsx": { url: "/portal/accuracy/:rtdCheckId", cases: ownAndOther(RTD, RJ1, ["ok", "404"], ["ok", "404"]) },
  "portal.accuracy.$inspectionId_.draft[.pdf].ts": { url: "/portal/accuracy/:rtdCheckId/draft.pdf", download: true, cases: ownAndOther(RTD, RJ1, ["ok", "404"], ["404", "404"]) },
  "trusts.$code.tsx": { url: "/trusts/RJ1", cases: ownAndOther(RJ1, RRU, ["404", "404"], null) },
  "trusts.$code_.actions.tsx": { url: "/trusts/RJ1/actions", cases: ownAndOther(RJ1, RRU, ["404", "404"], null) },
  "risk.trusts.$code.tsx": { url: "/risk/trusts/RJ1", cases: ownAndOther(RJ1, RRU, ["404", "404"], null) },
  // An inspector sees the visits and inspections they are on, and nothing of the others (0010, issue 5).
  "visits.$id.tsx": { url: "/visits/:ownVisitId", cases: teamAndNot(["ok", "404"], null) },
  "inspections.$id.tsx": { url: "/inspections/:ownInspectionId", cases: teamAndNot(["ok", "404"], ["ok", "404"]) },
  "inspections.$id_.criteria.$criterionId.tsx": { url: "/inspections/:ownInspectionId/criteria/:ownCriterionId", cases: teamAndNot(["ok", "404"], ["ok", "404"]) },
  // An empty POST to a section names none of its criteria, which is 404 for the team too: the team's saves are in
  // inspection-sections.test.ts.
  "inspections.$id_.sections.$sectionId.tsx": { url: "/inspections/:ownInspectionId/sections/:ownSectionId", cases: teamAndNot(["ok", "404"], [null, "404"]) },
  "inspections.$id_.report[.pdf].ts": { url: "/inspections/:ownInspectionId/report.pdf", download: true, cases: teamAndNot(["ok", "404"], null) },
  "inspections.$id_.offline[.json].ts": { url: "/inspections/:ownInspectionId/offline.json", download: true, cases: teamAndNot(["ok", "404"], null) },
  "inspections.$id_.offline-status[.json].ts": { url: "/inspections/:ownInspectionId/offline-status.json", download: true, cases: teamAndNot(["ok", "404"], null) },
  "inspections.$id_.presence.ts": { url: "/inspections/:ownInspectionId/presence", download: true, cases: teamAndNot(null, ["ok", "404"]) },
  "inspections.$id_.evidence.$fileId.ts": { url: "/inspections/:ownInspectionId/evidence/:ownFileId", download: true, cases: teamAndNot(["ok", "404"], null) },
  "inspections.$id_.reports.$version[.pdf].ts": { url: "/inspections/:rruReportId/reports/1.pdf", download: true, cases: teamAndNot(["ok", "404"], null) },
};

/** Portal routes with no object in their address: the trust comes from the session alone. */
export const SESSION_SCOPED = ["portal._index.tsx", "portal.actions[.csv].ts"] as const;

/** The account each kind of user is in the tables. */
export const DEMO_EMAIL: Record<Exclude<Who, "anonymous">, string> = {
  admin: "admin@deepdive.test",
  programme_lead: "lead@deepdive.test",
  inspector: "inspector1@deepdive.test",
  trust_user: "trust.rj1@deepdive.test",
};

const routesDir = path.resolve("app", "routes");

/** Every route module's file name, as the table keys them. */
export function routeFiles(): string[] {
  return readdirSync(routesDir).filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f));
}

export const routeFilePath = (file: string) => path.join(routesDir, file);

/** The objects the tables' URLs name, by placeholder (without the colon). */
export type RouteIds = Record<string, string>;

export interface RouteFixtures {
  /** A client for each kind of user, signed in as the demo account of DEMO_EMAIL (anonymous: no session). */
  clients: Record<Who, Client>;
  ids: RouteIds;
}

/** A URL of the tables with its placeholders filled in (longest names first, so :ownInspectionId is not :inspectionId). */
export function fillUrl(url: string, ids: RouteIds): string {
  let filled = url;
  for (const name of Object.keys(ids).sort((a, b) => b.length - a.length)) filled = filled.replaceAll(`:${name}`, ids[name]!);
  if (/:[a-zA-Z]+/.test(filled.replace(/^https?:/, ""))) throw new Error(`A placeholder of ${url} has no object: ${filled}`);
  return filled;
}

const one = <T>(file: string, sql: string, ...params: unknown[]): T => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(sql).get(...params) as T | undefined;
    if (row === undefined) throw new Error(`No row for ${sql}`);
    return row;
  } finally {
    db.close();
  }
};

/** Uploads a PNG to a finding as a member of its inspection's team, and returns the new file's id. */
export async function uploadEvidence(server: RunningServer, member: Client, inspectionId: string, findingId: string, name = "photo.png", bytes: Uint8Array = png(0, 128, 0)): Promise<string> {
  const form = new FormData();
  form.append("intent", "upload");
  form.append("findingId", findingId);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), name);
  const response = await member.request(`/inspections/${inspectionId}/evidence`, { method: "POST", body: form });
  expect(response.status, "evidence upload").toBe(302);
  expect(response.headers.get("location") ?? "").toMatch(/evidence=uploaded/);
  return one<{ id: string }>(server.databaseFile, "SELECT id FROM evidence_files WHERE finding_id = ? ORDER BY uploaded_at DESC, rowid DESC LIMIT 1", findingId).id;
}

/**
 * Makes the objects the tables name, over HTTP as people make them (the round opened, drawn and closed by the lead;
 * the inspection started by the lead; evidence uploaded by the visit's lead and by inspector1 on the inspection on
 * site), and signs in a client for each kind of user.
 */
export async function prepareRouteFixtures(server: RunningServer): Promise<RouteFixtures> {
  const file = server.databaseFile;
  const clients = { anonymous: new Client(server.url) } as Record<Who, Client>;
  [clients.admin, clients.programme_lead, clients.inspector, clients.trust_user] = await Promise.all([
    signedIn(server.url, DEMO_EMAIL.admin),
    signedIn(server.url, DEMO_EMAIL.programme_lead),
    signedIn(server.url, DEMO_EMAIL.inspector),
    signedIn(server.url, DEMO_EMAIL.trust_user),
  ]);
  const ids: RouteIds = {};
  ids.userId = one<{ id: string }>(file, "SELECT id FROM users WHERE email = 'inspector2@deepdive.test'").id;
  ids.visitId = one<{ id: string }>(
    file,
    `SELECT v.id FROM visits v WHERE v.status = 'scheduled' AND NOT EXISTS (
       SELECT 1 FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = v.id AND u.email = ?)
       AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.visit_id = v.id)
     ORDER BY v.visit_date LIMIT 1`,
    DEMO_EMAIL.inspector,
  ).id;
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
  ids.roundId = /^\/selection\/([0-9a-f-]{36})/.exec(opened.headers.get("location") ?? "")?.[1] ?? "";
  if (!ids.roundId) throw new Error(`could not open a selection round: ${opened.status}`);
  expect((await lead.post(`/selection/${ids.roundId}`, { intent: "draw" })).status).toBe(302);
  // Closing reveals the seed, so it asks for the lead's code again.
  const code = await unusedCode(server.url, "lead@deepdive.test", DEMO_TOTP_SECRET);
  expect((await lead.post(`/selection/${ids.roundId}`, { intent: "close", code })).status).toBe(302);
  // The visit's inspection, started by the lead against the first framework and its first profile.
  const profile = one<{ id: number; framework_version_id: number }>(file, "SELECT id, framework_version_id FROM framework_profiles ORDER BY id LIMIT 1");
  const started = await lead.post(`/inspections/new?visit=${ids.visitId}`, { [`profile-${profile.framework_version_id}`]: String(profile.id) });
  ids.inspectionId = /^\/inspections\/([0-9a-f-]{36})$/.exec(started.headers.get("location") ?? "")?.[1] ?? "";
  if (!ids.inspectionId) throw new Error(`could not start an inspection: ${started.status}`);
  ids.criterionId = String(one<{ id: number }>(file, "SELECT min(criterion_id) AS id FROM findings WHERE inspection_id = ?", ids.inspectionId).id);
  ids.sectionId = String(one<{ id: number }>(file, "SELECT section_id AS id FROM framework_criteria WHERE id = ?", Number(ids.criterionId)).id);
  // An evidence file on that criterion's finding: the visit's lead records the arrival, then uploads a photo.
  const visitLead = one<{ email: string }>(file, "SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = ? AND m.role = 'lead'", ids.visitId).email;
  const findingId = one<{ id: string }>(file, "SELECT id FROM findings WHERE inspection_id = ? AND criterion_id = ?", ids.inspectionId, Number(ids.criterionId)).id;
  const visitLeadClient = await signedIn(server.url, visitLead);
  expect((await visitLeadClient.post(`/inspections/${ids.inspectionId}`, { intent: "arrive" })).status).toBe(302);
  ids.fileId = await uploadEvidence(server, visitLeadClient, ids.inspectionId, findingId);
  // An action of RJ1, the trust user's trust: of a published demo inspection (its latest approved one published, if none is yet).
  ids.actionId = publishedActionsOf(file, "RJ1")[0]!;

  // The demo's objects for "own trust / other trust" and "on the team / not on it".
  ids.rj1ReportId = one<{ id: string }>(file, "SELECT i.id FROM inspections i WHERE i.trust_code = 'RJ1' AND i.status = 'published' ORDER BY i.id LIMIT 1").id;
  ids.rruReportId = one<{ id: string }>(file, "SELECT i.id FROM inspections i WHERE i.trust_code = 'RRU' AND i.status = 'published' LIMIT 1").id;
  ids.rtdCheckId = one<{ id: string }>(file, "SELECT i.id FROM inspections i WHERE i.trust_code = 'RTD' AND i.status = 'factual_accuracy' LIMIT 1").id;
  const own = one<{ id: string; visitId: string }>(
    file,
    `SELECT i.id, i.visit_id AS visitId FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id JOIN users u ON u.id = m.inspector_id
      WHERE i.status = 'on_site' AND u.email = ? LIMIT 1`,
    DEMO_EMAIL.inspector,
  );
  ids.ownInspectionId = own.id;
  ids.ownVisitId = own.visitId;
  const ownFinding = one<{ id: string; criterionId: number }>(file, "SELECT id, criterion_id AS criterionId FROM findings WHERE inspection_id = ? ORDER BY criterion_id LIMIT 1", own.id);
  ids.ownCriterionId = String(ownFinding.criterionId);
  ids.ownSectionId = String(one<{ id: number }>(file, "SELECT section_id AS id FROM framework_criteria WHERE id = ?", ownFinding.criterionId).id);
  ids.ownFileId = await uploadEvidence(server, clients.inspector, own.id, ownFinding.id, "own-photo.png", png(0, 0, 200));
  return { clients, ids };
}

/** Asserts a response is the answer the tables give (see Answer). */
export async function expectAnswer(response: Response, answer: Answer, options: { download?: boolean } = {}) {
  const location = response.headers.get("location") ?? "";
  if (answer === "404") {
    expect(response.status).toBe(404);
    // The refusal itself says nothing about what was asked for (the navigation around it is the user's own).
    const text = await response.text();
    const main = options.download ? text : (/<main[^>]*>([\s\S]*?)<\/main>/.exec(text)?.[1] ?? "");
    expect(main).toContain(options.download ? "Not found" : "Page not found");
    expect(main).not.toMatch(/risk|score|visit|round|seed/i);
  } else if (answer === "sign-in") {
    expect(response.status).toBe(302);
    expect(location).toMatch(/^\/sign-in/);
  } else {
    expect([200, 302, 303, 400]).toContain(response.status);
    expect(location).not.toMatch(/^\/sign-in(\?redirectTo=|$)/);
  }
}
