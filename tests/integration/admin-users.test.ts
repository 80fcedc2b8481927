/**
 * The admin's account pages over real HTTP against the real server: creating accounts (and refusing bad
 * ones), changing role, disabling (which ends sessions at once), enabling, resetting passwords, the limits
 * on what an admin may do to their own account, 404 for everyone else, and an audit event for each change.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../app/audit/audit.server";
import { openDatabase } from "../../app/db.server";
import { DEMO_TOTP_SECRET } from "../../app/auth/mfa";
import { Client, signedIn } from "../support/http";
import { unusedCode } from "../support/second-factor";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let admin: Client;
let adminId: string;

/** A read-only look at the server's database (WAL mode, so it sees every committed change). */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(server.databaseFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

type UserRow = { id: string; email: string; name: string; role: string; trust_code: string | null; disabled_at: string | null; password_hash: string };
type AuditRow = { seq: number; actor_label: string; action: string; object_type: string | null; object_id: string | null; summary: string };

const userByEmail = (email: string) => query<UserRow>("SELECT * FROM users WHERE email = ?", email)[0];
const userCount = () => query<{ n: number }>("SELECT count(*) AS n FROM users")[0]!.n;
const lastAuditSeq = () => query<{ seq: number | null }>("SELECT max(seq) AS seq FROM audit_events")[0]!.seq ?? 0;
const auditSince = (seq: number) => query<AuditRow>("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq", seq);
const sessionCount = (userId: string) => query<{ n: number }>("SELECT count(*) AS n FROM sessions WHERE user_id = ?", userId)[0]!.n;

const newUser = (fields: Partial<Record<"name" | "email" | "role" | "trustCode" | "password", string>>) =>
  admin.post("/admin/users/new", {
    name: "Robin Example",
    email: "robin.example@cqc.example",
    role: "inspector",
    trustCode: "",
    password: "a sound long passphrase",
    ...fields,
  });

const updateDetails = (client: Client, user: UserRow, changes: Partial<Record<"name" | "email" | "role" | "trustCode" | "code", string>>) =>
  client.post(`/admin/users/${user.id}`, {
    intent: "update",
    name: user.name,
    email: user.email,
    role: user.role,
    trustCode: user.trust_code ?? "",
    ...changes,
  });

/** The page's HTML, without the comments React puts between adjacent pieces of text. */
const html = async (response: Response): Promise<string> => (await response.text()).replaceAll("<!-- -->", "");

/** Whether a session cookie still signs someone in: a signed-out request to the front door goes to sign in. */
async function stillSignedIn(client: Client): Promise<boolean> {
  const response = await client.get("/");
  expect(response.status).toBe(302);
  return !response.headers.get("location")!.startsWith("/sign-in");
}

beforeAll(async () => {
  server = await startServer();
  admin = await signedIn(server.url, "admin@deepdive.test");
  adminId = userByEmail("admin@deepdive.test")!.id;
});

afterAll(async () => {
  await server?.stop();
});

describe("the list of users", () => {
  it("shows every account with its role, trust and status, and links to create and change", async () => {
    const response = await admin.get("/admin/users");
    expect(response.status).toBe(200);
    const page = await html(response);
    expect(page).toContain('<h1 class="govuk-heading-l">Users</h1>');
    expect(page).toMatch(/<table class="govuk-table">\s*<caption/);
    expect(page).toContain('href="/admin/users/new"');
    expect(page).toContain("trust.rj1@deepdive.test");
    expect(page).toContain("Programme lead");
    expect(page).toContain(">RJ1<");
    expect(page).toContain('govuk-tag--blue">Demo');
    expect(page).toContain('govuk-tag--green">Active');
    expect(page).toContain(`href="/admin/users/${adminId}"`);
    expect(page).not.toContain("scrypt$");
  });
});

describe("creating a user", () => {
  it("creates the account, shows a success banner, audits it, and the new user can sign in", async () => {
    const before = lastAuditSeq();
    const response = await newUser({ name: "Nia Inspector", email: "Nia.Inspector@CQC.example", role: "inspector" });
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    const created = userByEmail("nia.inspector@cqc.example")!;
    expect(location).toBe(`/admin/users?created=${created.id}`);
    expect(created).toMatchObject({ name: "Nia Inspector", role: "inspector", trust_code: null, disabled_at: null });
    expect(created.password_hash).toMatch(/^scrypt\$/);

    const list = await html(await admin.get(location));
    expect(list).toContain("govuk-notification-banner--success");
    expect(list).toContain("Account created for Nia Inspector (nia.inspector@cqc.example)");

    const events = auditSince(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.created", actor_label: "admin@deepdive.test", object_type: "user", object_id: created.id });
    expect(JSON.parse(events[0]!.summary)).toEqual({ email: "nia.inspector@cqc.example", role: "inspector", trustCode: null, demo: false });
    expect(events[0]!.summary).not.toContain("passphrase");

    // Staff set up their second factor before anything opens (mfa.test.ts follows it through).
    const signIn = await new Client(server.url).signIn("nia.inspector@cqc.example", "a sound long passphrase");
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get("location")).toBe("/sign-in/set-up");
  });

  it("gives a trust user their trust, and ignores a trust chosen for any other role", async () => {
    expect((await newUser({ email: "tess.trust@rru.example", role: "trust_user", trustCode: "RRU" })).status).toBe(302);
    expect(userByEmail("tess.trust@rru.example")).toMatchObject({ role: "trust_user", trust_code: "RRU" });
    const signIn = await new Client(server.url).signIn("tess.trust@rru.example", "a sound long passphrase");
    expect(signIn.headers.get("location")).toBe("/portal");

    expect((await newUser({ email: "ivo.inspector@cqc.example", role: "inspector", trustCode: "RJ1" })).status).toBe(302);
    expect(userByEmail("ivo.inspector@cqc.example")).toMatchObject({ role: "inspector", trust_code: null });
  });

  it.each([
    ["a short password", { password: "too short" }, "password", "Password must be 12 characters or more"],
    ["a common password", { password: "password1234" }, "password", "Password is too common"],
    ["no password", { password: "" }, "password", "Enter an initial password"],
    ["a trust user without a trust", { role: "trust_user", trustCode: "" }, "trustCode", "Select the trust this user belongs to"],
    ["a trust that is not in the register", { role: "trust_user", trustCode: "ZZZ" }, "trustCode", "Select a trust from the register"],
    ["no role", { role: "" }, "role", "Select a role"],
    ["a role that does not exist", { role: "superuser" }, "role", "Select a role"],
    ["an invalid email address", { email: "not-an-email" }, "email", "Enter an email address in the correct format"],
    ["an email address already in use", { email: "LEAD@deepdive.test" }, "email", "An account with this email address already exists"],
    ["no name", { name: "  " }, "name", "Enter a name"],
  ])("refuses %s with 400 and an error message, and creates nothing", async (_case, fields, field, message) => {
    const [users, seq] = [userCount(), lastAuditSeq()];
    const response = await newUser({ email: "refused.person@cqc.example", ...fields });
    expect(response.status).toBe(400);
    const page = await html(response);
    expect(page).toContain("There is a problem");
    expect(page).toContain(`href="#${field}"`);
    expect(page).toContain(`id="${field}-error"`);
    expect(page).toContain(message);
    expect(page).not.toContain('value="too short"');
    expect(userCount()).toBe(users);
    expect(lastAuditSeq()).toBe(seq);
  });

  it("shows every problem at once and keeps what was typed, except the password", async () => {
    const response = await newUser({ name: "Kept Name", email: "kept@cqc.example", role: "trust_user", trustCode: "", password: "short" });
    expect(response.status).toBe(400);
    const page = await html(response);
    expect(page).toContain("Select the trust this user belongs to");
    expect(page).toContain("Password must be 12 characters or more");
    expect(page).toContain('value="Kept Name"');
    expect(page).toContain('value="kept@cqc.example"');
    expect(page).not.toContain('value="short"');
    expect(page.indexOf('href="#trustCode"')).toBeLessThan(page.indexOf('href="#password"'));
  });
});

describe("changing a user", () => {
  it("shows the account with forms for details, password and disabling; 404 for an unknown id", async () => {
    const lead = userByEmail("lead@deepdive.test")!;
    const response = await admin.get(`/admin/users/${lead.id}`);
    expect(response.status).toBe(200);
    const page = await html(response);
    expect(page).toContain("govuk-summary-list");
    expect(page).toContain('name="intent" value="update"');
    expect(page).toContain('name="intent" value="reset-password"');
    expect(page).toContain('name="intent" value="disable"');
    expect(page).toContain("govuk-button--warning");
    expect(page).toContain("govuk-radios");
    expect((await admin.get("/admin/users/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await admin.post("/admin/users/00000000-0000-4000-8000-000000000000", { intent: "disable" })).status).toBe(404);
  });

  it("changes the role, audits what changed, and ends the user's sessions so it applies at once", async () => {
    const target = userByEmail("inspector5@deepdive.test")!;
    const theirs = await signedIn(server.url, target.email);
    const before = lastAuditSeq();
    // A change of role asks for the admin's second factor again: without the code, nothing changes.
    const withoutCode = await updateDetails(admin, target, { role: "programme_lead" });
    expect(withoutCode.status).toBe(400);
    expect(await html(withoutCode)).toContain("Enter the 6-digit code from your authenticator app");
    const wrongCode = await updateDetails(admin, target, { role: "programme_lead", code: "000000" });
    expect(wrongCode.status).toBe(400);
    expect(userByEmail(target.email)!.role).toBe("inspector");
    expect(auditSince(before).map((e) => e.action)).toEqual(["mfa.confirm-failed"]);
    const afterRefusals = lastAuditSeq();
    const response = await updateDetails(admin, target, { role: "programme_lead", code: await unusedCode(server.url, "admin@deepdive.test", DEMO_TOTP_SECRET) });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/admin/users/${target.id}?done=updated`);
    expect(userByEmail(target.email)!.role).toBe("programme_lead");
    expect(await html(await admin.get(response.headers.get("location")!))).toContain("Details saved");

    const events = auditSince(afterRefusals);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.updated", actor_label: "admin@deepdive.test", object_id: target.id });
    expect(JSON.parse(events[0]!.summary)).toEqual({ role: { from: "inspector", to: "programme_lead" } });
    expect(await stillSignedIn(theirs)).toBe(false);
  });

  it("saves nothing and audits nothing when nothing changed", async () => {
    const target = userByEmail("inspector8@deepdive.test")!;
    const before = lastAuditSeq();
    const response = await updateDetails(admin, target, {});
    expect(response.headers.get("location")).toBe(`/admin/users/${target.id}?done=unchanged`);
    expect(lastAuditSeq()).toBe(before);
  });

  it("refuses invalid details with 400 and changes nothing", async () => {
    const target = userByEmail("inspector9@deepdive.test")!;
    const before = lastAuditSeq();
    const clash = await updateDetails(admin, target, { email: "inspector10@deepdive.test" });
    expect(clash.status).toBe(400);
    expect(await html(clash)).toContain("An account with this email address already exists");
    const noTrust = await updateDetails(admin, target, { role: "trust_user", trustCode: "" });
    expect(noTrust.status).toBe(400);
    expect(userByEmail(target.email)).toEqual(target);
    expect(lastAuditSeq()).toBe(before);
  });

  it("disabling ends the user's session at once and stops them signing in; enabling lets them back", async () => {
    const target = userByEmail("trust.rtd@deepdive.test")!;
    const theirs = await signedIn(server.url, target.email);
    expect((await theirs.get("/portal")).status).toBe(200);

    const before = lastAuditSeq();
    const disable = await admin.post(`/admin/users/${target.id}`, { intent: "disable" });
    expect(disable.status).toBe(302);
    expect(disable.headers.get("location")).toBe(`/admin/users/${target.id}?done=disabled`);
    expect(userByEmail(target.email)!.disabled_at).not.toBeNull();
    expect(sessionCount(target.id)).toBe(0);
    expect(auditSince(before).map((e) => [e.action, e.object_id, e.actor_label])).toEqual([["user.disabled", target.id, "admin@deepdive.test"]]);

    const next = await theirs.get("/portal");
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toMatch(/^\/sign-in/);
    expect((await new Client(server.url).signIn(target.email)).status).toBe(400);

    const page = await html(await admin.get(`/admin/users/${target.id}`));
    expect(page).toContain('govuk-tag--grey">Disabled');
    expect(page).toContain('name="intent" value="enable"');
    expect((await admin.get("/admin/users")).status).toBe(200);

    const seq = lastAuditSeq();
    const enable = await admin.post(`/admin/users/${target.id}`, { intent: "enable" });
    expect(enable.headers.get("location")).toBe(`/admin/users/${target.id}?done=enabled`);
    expect(userByEmail(target.email)!.disabled_at).toBeNull();
    expect(auditSince(seq).map((e) => [e.action, e.object_id])).toEqual([["user.enabled", target.id]]);
    const again = await new Client(server.url).signIn(target.email);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/portal");
  });

  it("resets a password: the old one and the old session stop working, the new one works", async () => {
    const target = userByEmail("inspector7@deepdive.test")!;
    const theirs = await signedIn(server.url, target.email);

    const weak = await admin.post(`/admin/users/${target.id}`, { intent: "reset-password", password: "password1234" });
    expect(weak.status).toBe(400);
    expect(await html(weak)).toContain("Password is too common");
    expect(userByEmail(target.email)!.password_hash).toBe(target.password_hash);

    const before = lastAuditSeq();
    const reset = await admin.post(`/admin/users/${target.id}`, { intent: "reset-password", password: "a fresh passphrase for seven" });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("location")).toBe(`/admin/users/${target.id}?done=password`);
    const events = auditSince(before);
    expect(events.map((e) => [e.action, e.object_id])).toEqual([["user.password-reset", target.id]]);
    expect(events[0]!.summary).not.toContain("fresh passphrase");

    expect(await stillSignedIn(theirs)).toBe(false);
    expect((await new Client(server.url).signIn(target.email)).status).toBe(400);
    expect((await new Client(server.url).signIn(target.email, "a fresh passphrase for seven")).status).toBe(302);
  });

  it("does not let an admin disable themselves or remove their own admin role", async () => {
    const me = userByEmail("admin@deepdive.test")!;
    const before = lastAuditSeq();
    const disable = await admin.post(`/admin/users/${adminId}`, { intent: "disable" });
    expect(disable.status).toBe(400);
    expect(await html(disable)).toContain("You cannot disable your own account");
    const demote = await updateDetails(admin, me, { role: "inspector" });
    expect(demote.status).toBe(400);
    expect(await html(demote)).toContain("You cannot remove your own admin role");
    expect(userByEmail(me.email)).toEqual(me);
    expect(lastAuditSeq()).toBe(before);
    expect(await stillSignedIn(admin)).toBe(true);
    const page = await html(await admin.get(`/admin/users/${adminId}`));
    expect(page).not.toContain('value="disable"');
  });

  it("refuses an unknown intent", async () => {
    const target = userByEmail("inspector11@deepdive.test")!;
    const response = await admin.post(`/admin/users/${target.id}`, { intent: "delete" });
    expect(response.status).toBe(400);
    expect(userByEmail(target.email)).toEqual(target);
  });
});

describe("who may use the admin pages", () => {
  it("accepts no POST to the list itself, even from an admin (404, like every refusal)", async () => {
    expect((await admin.post("/admin/users?index", { name: "X" })).status).toBe(404);
    expect((await admin.post("/admin/users", { name: "X" })).status).toBe(404);
  });

  it("sends someone who is not signed in to sign in", async () => {
    const response = await new Client(server.url).get("/admin/users");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/sign-in?redirectTo=%2Fadmin%2Fusers");
  });

  it.each(["lead@deepdive.test", "inspector1@deepdive.test", "trust.rj1@deepdive.test"])(
    "gives %s 404 on every admin page and form, changes nothing, and audits the refusal",
    async (email) => {
      const client = await signedIn(server.url, email);
      const target = userByEmail("inspector12@deepdive.test")!;
      const [users, seq] = [userCount(), lastAuditSeq()];
      for (const path of ["/admin/users", "/admin/users/new", `/admin/users/${target.id}`, "/admin/audit"]) {
        expect((await client.get(path)).status, path).toBe(404);
      }
      const create = await client.post("/admin/users/new", {
        name: "Sneaky",
        email: "sneaky@cqc.example",
        role: "admin",
        trustCode: "",
        password: "a sound long passphrase",
      });
      expect(create.status).toBe(404);
      expect((await client.post(`/admin/users/${target.id}`, { intent: "disable" })).status).toBe(404);
      expect((await client.post(`/admin/users/${target.id}`, { intent: "update", name: "X", email: email, role: "admin", trustCode: "" })).status).toBe(404);
      expect((await client.post("/admin/users?index", { name: "X" })).status).toBe(404);
      expect(userCount()).toBe(users);
      expect(userByEmail(target.email)).toEqual(target);
      const events = auditSince(seq);
      // Four pages and three forms refused by the guard; the list has no form, so that POST is 404 for everyone
      // and is not an authorisation failure.
      expect(events.length).toBe(7);
      expect(new Set(events.map((e) => e.action))).toEqual(new Set(["authorisation.denied"]));
      expect(new Set(events.map((e) => e.actor_label))).toEqual(new Set([email]));
    },
  );
});

describe("the audit trail after all this", () => {
  it("is still an intact chain", () => {
    const db = openDatabase(server.databaseFile);
    try {
      const verdict = verifyAuditChain(db);
      expect(verdict).toMatchObject({ ok: true });
      expect(verdict.checked).toBe(lastAuditSeq());
    } finally {
      db.$client.close();
    }
  });
});
