/**
 * Inspector profiles, leave and conflicts of interest over real HTTP and a real SQLite file: the lead's list, the
 * lead changing any inspector's details, an inspector changing only their own, refusals with a message per field
 * that change nothing, 404 (audited) for everyone else, and an audit event for every change. Then the module
 * itself on a copy of the database, for what depends on the day in London.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../app/audit/audit.server";
import {
  addConflict,
  addLeave,
  InspectorError,
  InspectorNotFound,
  inspectorView,
  listInspectors,
  saveProfile,
} from "../../app/scheduling/inspectors.server";
import { useFreshDatabase } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let lead: Client;
let inspector1: Client;
let trustUser: Client;
let admin: Client;
let anonymous: Client;
const ids = {} as Record<"lead" | "admin" | "inspector1" | "inspector2" | "inspector5" | "inspector12", string>;

/** Opens the server's database file directly (WAL mode, so it sees every committed change). */
function withSqlite<T>(fn: (db: Database.Database) => T, readonly = true): T {
  const db = new Database(server.databaseFile, { readonly });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const query = <T,>(sql: string, ...params: unknown[]) => withSqlite((db) => db.prepare(sql).all(...params) as T[]);
const change = (sql: string, ...params: unknown[]) => withSqlite((db) => db.prepare(sql).run(...params), false);

type ProfileRow = {
  user_id: string;
  home_region_code: string;
  base_label: string;
  base_trust_code: string | null;
  skills: string;
  max_visits_per_week: number;
  non_working_weekdays: string;
  updated_at: string | null;
  updated_by: string | null;
};
type LeaveRow = { id: string; inspector_id: string; start_date: string; end_date: string; kind: string; note: string; created_by: string; cancelled_at: string | null; cancelled_by: string | null };
type ConflictRow = { id: string; inspector_id: string; trust_code: string; reason: string; until: string; declared_by: string; withdrawn_at: string | null; withdrawn_by: string | null };
type AuditRow = { seq: number; actor_label: string; actor_user_id: string | null; action: string; object_type: string | null; object_id: string | null; summary: string };

const profileOf = (id: string) => query<ProfileRow>("SELECT * FROM inspector_profiles WHERE user_id = ?", id)[0];
const leaveOf = (id: string) => query<LeaveRow>("SELECT * FROM inspector_leave WHERE inspector_id = ? ORDER BY start_date", id);
const conflictsOf = (id: string) => query<ConflictRow>("SELECT * FROM conflicts_of_interest WHERE inspector_id = ? ORDER BY created_at", id);
const lastAuditSeq = () => query<{ seq: number | null }>("SELECT max(seq) AS seq FROM audit_events")[0]!.seq ?? 0;
const auditSince = (seq: number) => query<AuditRow>("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq", seq);
const userId = (email: string) => query<{ id: string }>("SELECT id FROM users WHERE email = ?", email)[0]!.id;

/** Next year, so every date below is in the future (and less than two years away) whenever the tests run. */
const YEAR = new Date().getFullYear() + 1;
const dateParts = (name: string, iso: string) => {
  const [y, m, d] = iso.split("-");
  return { [`${name}Day`]: String(Number(d)), [`${name}Month`]: String(Number(m)), [`${name}Year`]: y! };
};

const PROFILE_FORM = {
  intent: "saveProfile",
  homeRegionCode: "Y63",
  baseLabel: "Leeds office",
  baseTrustCode: "RR8",
  skills: "technical_testing",
  maxVisitsPerWeek: "3",
};

/** A form with a field sent more than once, as ticked checkboxes are. */
function formWith(fields: Record<string, string>, repeated: Record<string, string[]> = {}): URLSearchParams {
  const body = new URLSearchParams(fields);
  for (const [name, values] of Object.entries(repeated)) for (const value of values) body.append(name, value);
  return body;
}
const postForm = (client: Client, pathname: string, body: URLSearchParams) => client.request(pathname, { method: "POST", body });

beforeAll(async () => {
  server = await startServer();
  [lead, inspector1, trustUser, admin] = await Promise.all([
    signedIn(server.url, "lead@deepdive.test"),
    signedIn(server.url, "inspector1@deepdive.test"),
    signedIn(server.url, "trust.rj1@deepdive.test"),
    signedIn(server.url, "admin@deepdive.test"),
  ]);
  anonymous = new Client(server.url);
  ids.lead = userId("lead@deepdive.test");
  ids.admin = userId("admin@deepdive.test");
  ids.inspector1 = userId("inspector1@deepdive.test");
  ids.inspector2 = userId("inspector2@deepdive.test");
  ids.inspector5 = userId("inspector5@deepdive.test");
  ids.inspector12 = userId("inspector12@deepdive.test");
  // Demo profiles, leave and conflicts may or may not be seeded: these inspectors start with none, whatever the template holds.
  for (const id of [ids.inspector1, ids.inspector2, ids.inspector5]) {
    change("DELETE FROM inspector_leave WHERE inspector_id = ?", id);
    change("DELETE FROM conflicts_of_interest WHERE inspector_id = ?", id);
  }
  change("DELETE FROM inspector_profiles WHERE user_id = ?", ids.inspector5);
});
afterAll(async () => {
  await server?.stop();
});

describe("the list of inspectors", () => {
  it("shows the lead every active inspector, linked to their page, and which have no profile yet", async () => {
    const response = await lead.get("/inspectors");
    expect(response.status).toBe(200);
    const page = await readPage(response);
    const inspectors = query<{ id: string; name: string }>("SELECT id, name FROM users WHERE role = 'inspector' AND disabled_at IS NULL");
    expect(inspectors).toHaveLength(12);
    for (const inspector of inspectors) {
      expect(page).toContain(`href="/inspectors/${inspector.id}"`);
      expect(page).toContain(inspector.name);
    }
    const row5 = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*?\/inspectors\/INSPECTOR5(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(page.replace(ids.inspector5, "INSPECTOR5"));
    expect(row5?.[0]).toContain("No profile yet");
    for (const heading of ["Home region", "Skills", "Most visits a week", "Days not worked", "Periods of leave ahead", "Conflicts of interest"]) {
      expect(page).toContain(heading);
    }
    for (const other of query<{ id: string }>("SELECT id FROM users WHERE role != 'inspector'")) expect(page).not.toContain(`/inspectors/${other.id}"`);
  });

  it("is not found for inspectors, admins and trust users, and sends the signed-out to sign in", async () => {
    for (const client of [inspector1, admin, trustUser]) {
      const response = await client.get("/inspectors");
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("Page not found");
    }
    const signedOut = await anonymous.get("/inspectors");
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("location")).toMatch(/^\/sign-in/);
  });
});

describe("a profile", () => {
  it("shows a page with no profile as such, with the form to add one", async () => {
    const page = await readPage(await lead.get(`/inspectors/${ids.inspector5}`));
    expect(page).toContain("No profile yet");
    expect(page).toContain("Add the profile");
    expect(page).toMatch(/<form method="post"[^>]*>\s*<input type="hidden" name="intent" value="saveProfile"/);
    for (const label of ["Technical testing", "Governance and risk", "Monday", "Friday", "North East and Yorkshire", "Leeds Teaching Hospitals NHS Trust (RR8)"]) {
      expect(page).toContain(label);
    }
    expect(page).toContain('class="govuk-checkboxes__input" id="skills" name="skills" type="checkbox" value="technical_testing"');
  });

  it("is saved by the lead for any inspector, audited, and shown on the page", async () => {
    const before = lastAuditSeq();
    const response = await postForm(
      lead,
      `/inspectors/${ids.inspector2}`,
      formWith(PROFILE_FORM, { skills: ["governance_risk"], nonWorkingWeekdays: ["5", "3"] }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/inspectors/${ids.inspector2}?done=profile-saved`);

    const row = profileOf(ids.inspector2)!;
    expect(row).toMatchObject({ home_region_code: "Y63", base_label: "Leeds office", base_trust_code: "RR8", max_visits_per_week: 3, updated_by: ids.lead });
    expect(JSON.parse(row.skills)).toEqual(["technical_testing", "governance_risk"]);
    expect(JSON.parse(row.non_working_weekdays)).toEqual([3, 5]);
    expect(Date.now() - Date.parse(row.updated_at!)).toBeLessThan(60_000);

    const events = auditSince(before);
    expect(events.map((e) => e.action)).toEqual(["inspector.profile-saved"]);
    expect(events[0]).toMatchObject({ actor_label: "lead@deepdive.test", object_type: "inspector", object_id: ids.inspector2 });
    expect(JSON.parse(events[0]!.summary)).toMatchObject({ homeRegionCode: "Y63", maxVisitsPerWeek: 3, nonWorkingWeekdays: [3, 5] });

    const page = await readPage(await lead.get(`/inspectors/${ids.inspector2}?done=profile-saved`));
    expect(page).toContain("Profile saved");
    expect(page).toContain("Technical testing, Governance and risk");
    expect(page).toContain("Wednesday, Friday");
    expect(page).toContain("Leeds Teaching Hospitals NHS Trust (RR8)");
    expect(page).toContain("by lead@deepdive.test");

    const list = await readPage(await lead.get("/inspectors"));
    expect(list).toContain("North East and Yorkshire");
  });

  it("is refused with a message for each problem, keeping what was typed and changing nothing", async () => {
    const saved = profileOf(ids.inspector2);
    const before = lastAuditSeq();
    const response = await postForm(
      lead,
      `/inspectors/${ids.inspector2}`,
      formWith(
        { intent: "saveProfile", homeRegionCode: "W15", baseLabel: `Typed base ${"x".repeat(100)}`, baseTrustCode: "ZZZ99", maxVisitsPerWeek: "6" },
        { nonWorkingWeekdays: ["1", "2", "3", "4", "5"] },
      ),
    );
    expect(response.status).toBe(400);
    const page = await readPage(response);
    for (const [field, message] of [
      ["homeRegionCode", "Select a home region from the list"],
      ["baseLabel", "Where the inspector is based must be 100 characters or fewer"],
      ["baseTrustCode", "Select a trust from the register"],
      ["skills", "Select at least one skill"],
      ["maxVisitsPerWeek", "The most visits in a week must be from 1 to 5"],
      ["nonWorkingWeekdays", "Select no more than 4 days not worked"],
    ]) {
      expect(page).toMatch(new RegExp(`<a href="#${field}">${message}`));
    }
    expect(page).toContain("There is a problem");
    expect(page).toContain(`value="Typed base ${"x".repeat(100)}"`);
    expect(page).toMatch(/id="maxVisitsPerWeek" name="maxVisitsPerWeek" type="text"[^>]* value="6"/);
    expect(profileOf(ids.inspector2)).toEqual(saved);
    expect(auditSince(before)).toEqual([]);

    const badTrust = await postForm(lead, `/inspectors/${ids.inspector2}`, formWith({ ...PROFILE_FORM, baseTrustCode: "ZZZ99" }));
    expect(badTrust.status).toBe(400);
    expect(await readPage(badTrust)).toContain("Select a trust from the register");
    expect(profileOf(ids.inspector2)).toEqual(saved);
  });

  it("caps what is posted: an enormous base is refused, not stored or echoed whole", async () => {
    const response = await postForm(lead, `/inspectors/${ids.inspector2}`, formWith({ ...PROFILE_FORM, baseLabel: "y".repeat(200_000) }));
    expect(response.status).toBe(400);
    const page = await readPage(response);
    expect(page).toContain("Where the inspector is based must be 100 characters or fewer");
    expect(page).not.toContain("y".repeat(1101));
  });

  it("refuses a base trust that has closed, unless it is the one already chosen", async () => {
    change("UPDATE trusts SET closed_on = '2020-03-31' WHERE ods_code = 'RR8'");
    try {
      // inspector2's base is RR8 already: saving the profile again keeps it.
      const kept = await postForm(lead, `/inspectors/${ids.inspector2}`, formWith({ ...PROFILE_FORM, maxVisitsPerWeek: "2" }));
      expect(kept.status).toBe(302);
      expect(profileOf(ids.inspector2)).toMatchObject({ base_trust_code: "RR8", max_visits_per_week: 2 });
      const page = await readPage(await lead.get(`/inspectors/${ids.inspector2}`));
      expect(page).toContain("(RR8, closed)");

      const refused = await postForm(lead, `/inspectors/${ids.inspector5}`, formWith(PROFILE_FORM));
      expect(refused.status).toBe(400);
      expect(await readPage(refused)).toContain("Select a trust that is open");
      expect(profileOf(ids.inspector5)).toBeUndefined();
    } finally {
      change("UPDATE trusts SET closed_on = NULL WHERE ods_code = 'RR8'");
    }
  });

  it("is saved by an inspector for themself", async () => {
    const response = await postForm(inspector1, `/inspectors/${ids.inspector1}`, formWith({ ...PROFILE_FORM, homeRegionCode: "Y56", baseLabel: "SE1 7EH", baseTrustCode: "" }));
    expect(response.status).toBe(302);
    expect(profileOf(ids.inspector1)).toMatchObject({ home_region_code: "Y56", base_label: "SE1 7EH", base_trust_code: null, updated_by: ids.inspector1 });
    const page = await readPage(await inspector1.get(`/inspectors/${ids.inspector1}`));
    expect(page).toContain("Your profile, leave and conflicts of interest");
    expect(page).not.toContain("Back to inspectors");
  });
});

describe("leave", () => {
  const LEAVE_FORM = { intent: "addLeave", ...dateParts("startDate", `${YEAR}-04-06`), ...dateParts("endDate", `${YEAR}-04-10`), kind: "leave", note: "Family holiday" };

  it("is added by an inspector for themself, audited without its note, and shown on the page", async () => {
    const before = lastAuditSeq();
    const response = await inspector1.post(`/inspectors/${ids.inspector1}`, LEAVE_FORM);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/inspectors/${ids.inspector1}?done=leave-added`);
    const [row] = leaveOf(ids.inspector1);
    expect(row).toMatchObject({ start_date: `${YEAR}-04-06`, end_date: `${YEAR}-04-10`, kind: "leave", note: "Family holiday", created_by: ids.inspector1, cancelled_at: null });

    const events = auditSince(before);
    expect(events.map((e) => e.action)).toEqual(["inspector.leave-added"]);
    expect(events[0]).toMatchObject({ actor_label: "inspector1@deepdive.test", object_type: "inspector", object_id: ids.inspector1 });
    expect(JSON.parse(events[0]!.summary)).toEqual({ leaveId: row!.id, startDate: `${YEAR}-04-06`, endDate: `${YEAR}-04-10`, kind: "leave" });

    const page = await readPage(await inspector1.get(`/inspectors/${ids.inspector1}?done=leave-added`));
    expect(page).toContain("Leave added");
    expect(page).toContain(`6 April ${YEAR} to 10 April ${YEAR}`);
    expect(page).toContain("Family holiday");
  });

  it("marks leave that is over as past, and counts only leave ahead in the list", async () => {
    const past = await lead.post(`/inspectors/${ids.inspector1}`, {
      ...LEAVE_FORM,
      ...dateParts("startDate", `${YEAR - 2}-01-05`),
      ...dateParts("endDate", `${YEAR - 2}-01-05`),
      kind: "training",
      note: "",
    });
    expect(past.status).toBe(302);
    const page = await readPage(await lead.get(`/inspectors/${ids.inspector1}`));
    expect(page).toMatch(new RegExp(`5 January ${YEAR - 2} <strong class="govuk-tag govuk-tag--grey">Past</strong>`));
    expect(page).not.toMatch(new RegExp(`10 April ${YEAR} <strong`));
    const list = (await readPage(await lead.get("/inspectors"))).replace(ids.inspector1, "INSPECTOR1");
    const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*?\/inspectors\/INSPECTOR1(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(list)![0];
    // Periods of leave ahead, then conflicts of interest: only the leave in April is ahead.
    expect(row).toMatch(/>1<\/td><td[^>]*>\d+<\/td><\/tr>$/);
  });

  it("is refused with a message for each problem, keeping the dates typed", async () => {
    const count = leaveOf(ids.inspector1).length;
    const response = await inspector1.post(`/inspectors/${ids.inspector1}`, {
      intent: "addLeave",
      ...dateParts("startDate", `${YEAR}-04-10`),
      endDateDay: "31",
      endDateMonth: "2",
      endDateYear: String(YEAR),
      kind: "sabbatical",
      note: "n".repeat(201),
    });
    expect(response.status).toBe(400);
    const page = await readPage(response);
    for (const [field, message] of [
      ["endDate", "The end date must be a real date"],
      ["kind", "Select the kind of unavailability"],
      ["note", "The note must be 200 characters or fewer"],
    ]) {
      expect(page).toContain(`<a href="#${field}">${message}`);
    }
    expect(page).toMatch(/id="endDate" name="endDateDay" type="text" input[mM]ode="numeric" value="31"/);

    const backwards = await inspector1.post(`/inspectors/${ids.inspector1}`, { ...LEAVE_FORM, ...dateParts("endDate", `${YEAR}-04-05`) });
    expect(backwards.status).toBe(400);
    expect(await readPage(backwards)).toContain("The end date must be the same as or after the start date");
    const tooFar = await inspector1.post(`/inspectors/${ids.inspector1}`, { ...LEAVE_FORM, ...dateParts("startDate", `${YEAR + 2}-04-06`), ...dateParts("endDate", `${YEAR + 2}-04-06`) });
    expect(tooFar.status).toBe(400);
    expect(await readPage(tooFar)).toContain("The start date must be no more than 2 years from today");
    const missing = await inspector1.post(`/inspectors/${ids.inspector1}`, { intent: "addLeave" });
    expect(await readPage(missing)).toContain("Enter the date the leave starts");
    expect(leaveOf(ids.inspector1)).toHaveLength(count);
  });

  it("is cancelled: kept, marked cancelled with who, audited, and gone from the page; cancelling again is refused", async () => {
    const row = leaveOf(ids.inspector1).find((l) => l.start_date === `${YEAR}-04-06`)!;
    const before = lastAuditSeq();
    const response = await inspector1.post(`/inspectors/${ids.inspector1}`, { intent: "cancelLeave", leaveId: row.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/inspectors/${ids.inspector1}?done=leave-cancelled`);
    const after = leaveOf(ids.inspector1).find((l) => l.id === row.id)!;
    expect(after.cancelled_at).not.toBeNull();
    expect(after.cancelled_by).toBe(ids.inspector1);
    const events = auditSince(before);
    expect(events.map((e) => e.action)).toEqual(["inspector.leave-cancelled"]);
    expect(JSON.parse(events[0]!.summary)).toMatchObject({ leaveId: row.id });
    const page = await readPage(await inspector1.get(`/inspectors/${ids.inspector1}?done=leave-cancelled`));
    expect(page).toContain("Leave cancelled");
    expect(page).not.toContain("Family holiday");

    const again = await inspector1.post(`/inspectors/${ids.inspector1}`, { intent: "cancelLeave", leaveId: row.id });
    expect(again.status).toBe(400);
    expect(await readPage(again)).toContain('<a href="#leaveId">That leave is not recorded, or is already cancelled');
  });
});

describe("conflicts of interest", () => {
  const CONFLICT_FORM = { intent: "addConflict", trustCode: "RJ1", reason: "My sister leads its cyber team", ...dateParts("until", `${YEAR}-12-31`) };

  it("are declared by an inspector for themself, audited naming the trust, and shown on the page", async () => {
    const before = lastAuditSeq();
    const response = await inspector1.post(`/inspectors/${ids.inspector1}`, CONFLICT_FORM);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/inspectors/${ids.inspector1}?done=conflict-declared`);
    const [row] = conflictsOf(ids.inspector1);
    expect(row).toMatchObject({ trust_code: "RJ1", reason: "My sister leads its cyber team", until: `${YEAR}-12-31`, declared_by: ids.inspector1, withdrawn_at: null });
    const events = auditSince(before);
    expect(events.map((e) => e.action)).toEqual(["inspector.conflict-declared"]);
    expect(events[0]).toMatchObject({ actor_label: "inspector1@deepdive.test", object_type: "inspector", object_id: ids.inspector1 });
    expect(JSON.parse(events[0]!.summary)).toMatchObject({ conflictId: row!.id, trustCode: "RJ1", until: `${YEAR}-12-31` });

    const page = await readPage(await inspector1.get(`/inspectors/${ids.inspector1}?done=conflict-declared`));
    expect(page).toContain("Conflict of interest declared");
    expect(page).toContain("Guy's and St Thomas' NHS Foundation Trust (RJ1)");
    expect(page).toContain(`31 December ${YEAR}`);
    const list = (await readPage(await lead.get("/inspectors"))).replace(ids.inspector1, "INSPECTOR1");
    const listRow = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*?\/inspectors\/INSPECTOR1(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(list)![0];
    expect(listRow).toMatch(/>1<\/td><\/tr>$/);
  });

  it("are refused twice for the same trust, for a closed or unknown trust, without a reason, or for a past date", async () => {
    const count = conflictsOf(ids.inspector1).length;
    const before = lastAuditSeq();
    const duplicate = await inspector1.post(`/inspectors/${ids.inspector1}`, { ...CONFLICT_FORM, ...dateParts("until", `${YEAR}-06-30`) });
    expect(duplicate.status).toBe(400);
    expect(await readPage(duplicate)).toContain('<a href="#trustCode">A conflict of interest with this trust is already declared');

    const bad = await inspector1.post(`/inspectors/${ids.inspector1}`, { intent: "addConflict", trustCode: "ZZZ99", reason: " ", ...dateParts("until", `${YEAR - 2}-01-01`) });
    expect(bad.status).toBe(400);
    const page = await readPage(bad);
    expect(page).toContain('<a href="#reason">Enter the reason for the conflict of interest');
    expect(page).toContain('<a href="#until">The date the conflict lasts until must be today or later');

    const unknown = await inspector1.post(`/inspectors/${ids.inspector1}`, { ...CONFLICT_FORM, trustCode: "ZZZ99" });
    expect(await readPage(unknown)).toContain("Select a trust from the register");

    change("UPDATE trusts SET closed_on = '2020-03-31' WHERE ods_code = 'RTD'");
    try {
      const closed = await inspector1.post(`/inspectors/${ids.inspector1}`, { ...CONFLICT_FORM, trustCode: "RTD" });
      expect(closed.status).toBe(400);
      expect(await readPage(closed)).toContain("Select a trust that is open");
    } finally {
      change("UPDATE trusts SET closed_on = NULL WHERE ods_code = 'RTD'");
    }
    expect(conflictsOf(ids.inspector1)).toHaveLength(count);
    expect(auditSince(before)).toEqual([]);
  });

  it("are withdrawn: kept, marked withdrawn with who, audited; the trust can then be declared again", async () => {
    const [row] = conflictsOf(ids.inspector1);
    const before = lastAuditSeq();
    const response = await lead.post(`/inspectors/${ids.inspector1}`, { intent: "withdrawConflict", conflictId: row!.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/inspectors/${ids.inspector1}?done=conflict-withdrawn`);
    expect(conflictsOf(ids.inspector1)[0]).toMatchObject({ id: row!.id, withdrawn_by: ids.lead });
    expect(conflictsOf(ids.inspector1)[0]!.withdrawn_at).not.toBeNull();
    const events = auditSince(before);
    expect(events.map((e) => e.action)).toEqual(["inspector.conflict-withdrawn"]);
    expect(events[0]).toMatchObject({ actor_label: "lead@deepdive.test", object_id: ids.inspector1 });
    const page = await readPage(await lead.get(`/inspectors/${ids.inspector1}?done=conflict-withdrawn`));
    expect(page).toContain("Conflict of interest withdrawn");
    expect(page).toContain("No conflicts of interest are declared.");

    const again = await lead.post(`/inspectors/${ids.inspector1}`, { intent: "withdrawConflict", conflictId: row!.id });
    expect(again.status).toBe(400);
    expect(await readPage(again)).toContain("That conflict of interest is not recorded, or is already withdrawn");
    const redeclared = await inspector1.post(`/inspectors/${ids.inspector1}`, CONFLICT_FORM);
    expect(redeclared.status).toBe(302);
  });
});

describe("who may see and change an inspector's page", () => {
  it("answers 404 to an inspector opening or posting to another inspector's page, audits it, and changes nothing", async () => {
    const before = lastAuditSeq();
    const leaveCount = leaveOf(ids.inspector2).length;
    const get = await inspector1.get(`/inspectors/${ids.inspector2}`);
    expect(get.status).toBe(404);
    const text = await get.text();
    expect(text).toContain("Page not found");
    expect(text).not.toContain(query<{ name: string }>("SELECT name FROM users WHERE id = ?", ids.inspector2)[0]!.name);
    for (const body of [
      { intent: "addLeave", ...dateParts("startDate", `${YEAR}-05-01`), ...dateParts("endDate", `${YEAR}-05-01`), kind: "leave" },
      { ...PROFILE_FORM },
      { intent: "addConflict", trustCode: "RJ1", reason: "Not mine to declare", ...dateParts("until", `${YEAR}-12-31`) },
    ]) {
      expect((await inspector1.post(`/inspectors/${ids.inspector2}`, body)).status).toBe(404);
    }
    expect(leaveOf(ids.inspector2)).toHaveLength(leaveCount);
    expect(conflictsOf(ids.inspector2)).toEqual([]);
    const events = auditSince(before);
    expect(events.map((e) => e.action)).toEqual(Array(4).fill("authorisation.denied"));
    expect(events.every((e) => e.actor_user_id === ids.inspector1 && e.object_id === `/inspectors/${ids.inspector2}`)).toBe(true);
    expect(events.map((e) => JSON.parse(e.summary).method)).toEqual(["GET", "POST", "POST", "POST"]);
  });

  it("answers 404 to admins and trust users, and to an inspector for a page that is not an inspector's", async () => {
    for (const client of [admin, trustUser]) {
      expect((await client.get(`/inspectors/${ids.inspector2}`)).status).toBe(404);
      expect((await client.post(`/inspectors/${ids.inspector2}`, { intent: "addLeave" })).status).toBe(404);
    }
    expect((await inspector1.get(`/inspectors/${ids.lead}`)).status).toBe(404);
    const signedOut = await anonymous.get(`/inspectors/${ids.inspector2}`);
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("location")).toMatch(/^\/sign-in/);
  });

  it("answers 404 to the lead for anyone who is not an active inspector", async () => {
    for (const id of [ids.lead, ids.admin, "no-such-user"]) {
      expect((await lead.get(`/inspectors/${id}`)).status).toBe(404);
      expect((await lead.post(`/inspectors/${id}`, { ...PROFILE_FORM })).status).toBe(404);
    }
    expect((await admin.post(`/admin/users/${ids.inspector12}`, { intent: "disable" })).status).toBe(302);
    expect((await lead.get(`/inspectors/${ids.inspector12}`)).status).toBe(404);
    expect(await readPage(await lead.get("/inspectors"))).not.toContain(ids.inspector12);
  });

  it("asks what to do when the form names nothing it knows", async () => {
    const response = await lead.post(`/inspectors/${ids.inspector2}`, { intent: "explode" });
    expect(response.status).toBe(400);
    expect(await readPage(response)).toContain('<a href="#form">Choose what to change');
  });
});

describe("the module, on a copy of the database", () => {
  let db: ReturnType<typeof useFreshDatabase>["db"];
  let inspectorId: string;
  let actor: Actor;

  beforeAll(() => {
    db = useFreshDatabase().db;
    const lead = db.$client.prepare("SELECT id FROM users WHERE email = 'lead@deepdive.test'").get() as { id: string };
    inspectorId = (db.$client.prepare("SELECT id FROM users WHERE email = 'inspector3@deepdive.test'").get() as { id: string }).id;
    actor = { userId: lead.id, label: "lead@deepdive.test", clientAddress: null };
    // Whatever demo leave and conflicts the template holds, this inspector starts with none.
    db.$client.prepare("DELETE FROM inspector_leave WHERE inspector_id = ?").run(inspectorId);
    db.$client.prepare("DELETE FROM conflicts_of_interest WHERE inspector_id = ?").run(inspectorId);
  });

  it("takes today as the day in London: just after midnight in summer, yesterday's UTC date is already past", () => {
    const now = new Date("2026-06-30T23:30:00Z"); // 00:30 on 1 July in London
    const refused = (() => {
      try {
        addConflict(inspectorId, { trustCode: "RJ1", reason: "Former employer", until: "2026-06-30" }, actor, db, now);
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(InspectorError);
    expect((refused as InspectorError).fieldErrors).toEqual({ until: "The date the conflict lasts until must be today or later" });
    const id = addConflict(inspectorId, { trustCode: "RJ1", reason: "Former employer", until: "2026-07-01" }, actor, db, now);
    expect(inspectorView(inspectorId, db, now)!.conflicts).toEqual([expect.objectContaining({ id, trustCode: "RJ1", until: "2026-07-01", ended: false })]);
    expect(inspectorView(inspectorId, db, new Date("2026-07-02T12:00:00Z"))!.conflicts[0]!.ended).toBe(true);
  });

  it("counts only conflicts in force and leave ahead, as of the day given", () => {
    addLeave(inspectorId, { startDate: "2026-08-03", endDate: "2026-08-07", kind: "leave", note: "" }, actor, db, new Date("2026-07-01T12:00:00Z"));
    const on = (iso: string) => listInspectors(db, new Date(iso)).find((i) => i.id === inspectorId)!;
    expect(on("2026-07-01T12:00:00Z")).toMatchObject({ leaveAhead: 1, activeConflicts: 1 });
    expect(on("2026-08-07T12:00:00Z")).toMatchObject({ leaveAhead: 1, activeConflicts: 0 });
    expect(on("2026-08-08T12:00:00Z")).toMatchObject({ leaveAhead: 0, activeConflicts: 0 });
  });

  it("reads stored skills and weekdays in a fixed order, leaving out values it does not know", () => {
    db.$client
      .prepare(
        "INSERT OR REPLACE INTO inspector_profiles (user_id, home_region_code, base_label, skills, max_visits_per_week, non_working_weekdays) VALUES (?, 'Y56', 'Base', ?, 2, ?)",
      )
      .run(inspectorId, '["governance_risk","flying","technical_testing"]', '[5,1,9,"x",1]');
    expect(inspectorView(inspectorId, db)!.profile).toMatchObject({
      homeRegionName: "London",
      skills: ["technical_testing", "governance_risk"],
      skillLabels: ["Technical testing", "Governance and risk"],
      nonWorkingWeekdays: [1, 5],
    });
  });

  it("refuses anyone who is not an active inspector, before looking at the input", () => {
    const leadId = actor.userId!;
    expect(() => saveProfile(leadId, {}, actor, db)).toThrow(InspectorNotFound);
    expect(() => addLeave("no-such-user", {}, actor, db)).toThrow(InspectorNotFound);
    expect(inspectorView(leadId, db)).toBeUndefined();
    expect(listInspectors(db).some((i) => i.id === leadId)).toBe(false);
  });
});
