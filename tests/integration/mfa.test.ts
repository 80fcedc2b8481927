/**
 * The second factor over real HTTP against the real server (decision 0022): staff need a code after the password;
 * a new staff account sets one up (QR code and typed key, then recovery codes) before anything opens; each code works
 * once; wrong codes are audited, throttled and end the sign-in after five; recovery codes work once; trust users may
 * choose one and turn it off again with a code; the admin's reset and the sensitive actions ask for a code again; the
 * demo code is shown only on the sign-in page, only in demo mode.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOTP_SECRET, totpCode } from "../../app/auth/mfa";
import { Client, readPage, signedIn } from "../support/http";
import { unusedCode } from "../support/second-factor";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let admin: Client;

beforeAll(async () => {
  server = await startServer();
  admin = await signedIn(server.url, "admin@deepdive.test");
});
afterAll(async () => {
  await server?.stop();
});

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(server.databaseFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
const userRow = (email: string) =>
  query<{ id: string; mfa_secret: string | null; mfa_last_step: number | null }>("SELECT id, mfa_secret, mfa_last_step FROM users WHERE email = ?", email)[0]!;
const auditOf = (userId: string) =>
  query<{ action: string; summary: string }>("SELECT action, summary FROM audit_events WHERE object_type = 'user' AND object_id = ? ORDER BY seq", userId);
const sessionsOf = (userId: string) => query<{ n: number }>("SELECT count(*) AS n FROM sessions WHERE user_id = ?", userId)[0]!.n;

/** The password step; returns the client (holding the challenge cookie for staff) and where it was sent. */
async function passwordStep(email: string, password = "deep-dive-demo") {
  const client = new Client(server.url);
  const response = await client.signIn(email, password);
  expect(response.status, email).toBe(302);
  return { client, next: response.headers.get("location") };
}

/** The key shown on the set-up page, without its spaces. */
const shownSecret = (html: string) => /<code class="app-secret" id="secret">([A-Z2-7 ]+)<\/code>/.exec(html)?.[1]?.replaceAll(" ", "") ?? "";
const shownRecoveryCodes = (html: string) => [...html.matchAll(/<li><code>([0-9a-z-]{27})<\/code><\/li>/g)].map((m) => m[1]!);

describe("the second step of signing in", () => {
  it("opens nothing without the password step: the code page sends back to sign in, and the set-up page says the sign-in ended", async () => {
    const code = await new Client(server.url).get("/sign-in/code");
    expect(code.status).toBe(302);
    expect(code.headers.get("location")).toBe("/sign-in");
    const post = await new Client(server.url).post("/sign-in/code", { code: "123456" });
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toBe("/sign-in?ended=1");
    const setUp = await new Client(server.url).get("/sign-in/set-up");
    expect(setUp.status).toBe(200);
    expect(await readPage(setUp)).toContain("This sign-in has ended");
  });

  it("signs a demo inspector in with the code the demo shows, audited, and refuses the same code a second time", async () => {
    const { client, next } = await passwordStep("inspector4@deepdive.test");
    expect(next).toBe("/sign-in/code");
    const page = await readPage(await client.get("/sign-in/code"));
    const shown = /<strong class="app-demo-code">(\d{6})<\/strong>/.exec(page)?.[1];
    expect(shown).toMatch(/^\d{6}$/);
    const signedInNow = await client.post("/sign-in/code", { code: shown! });
    expect(signedInNow.status).toBe(302);
    expect(signedInNow.headers.get("location")).toBe("/my-visits");
    const cookies = signedInNow.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("deep-dive-sign-in=; "))).toBe(true);
    expect(cookies.some((c) => /^deep-dive-session=[A-Za-z0-9_-]{43};/.test(c))).toBe(true);
    const { id } = userRow("inspector4@deepdive.test");
    const succeeded = auditOf(id).filter((e) => e.action === "sign-in.succeeded").at(-1)!;
    expect(JSON.parse(succeeded.summary)).toEqual({ secondFactor: "authenticator app" });

    // The same code again, after the password again: refused, whoever types it.
    const again = await passwordStep("inspector4@deepdive.test");
    const replay = await again.client.post("/sign-in/code", { code: shown! });
    expect(replay.status).toBe(400);
    expect(await readPage(replay)).toContain("That code has already been used");
    expect(auditOf(id).at(-1)).toMatchObject({ action: "sign-in.failed" });
    expect(JSON.parse(auditOf(id).at(-1)!.summary).reason).toBe("second factor: used");
  });

  it("ends the sign-in after five wrong codes, audits each, and counts them towards throttling the account", async () => {
    const email = "inspector6@deepdive.test";
    const { client } = await passwordStep(email);
    for (let i = 0; i < 4; i++) {
      const wrong = await client.post("/sign-in/code", { code: "000000" });
      expect(wrong.status).toBe(400);
      expect(await readPage(wrong)).toContain("Enter the code your authenticator app shows now, or one of your recovery codes");
    }
    const fifth = await client.post("/sign-in/code", { code: "000000" });
    expect(fifth.status).toBe(302);
    expect(fifth.headers.get("location")).toBe("/sign-in?ended=1");
    expect((await client.get("/sign-in/code")).headers.get("location")).toBe("/sign-in");
    const { id } = userRow(email);
    expect(auditOf(id).filter((e) => e.action === "sign-in.failed")).toHaveLength(5);
    expect(query("SELECT 1 FROM sign_in_challenges WHERE user_id = ?", id)).toHaveLength(0);
    // Five failures for the account: now even the right password is refused, with the generic message.
    const throttled = await new Client(server.url).signIn(email);
    expect(throttled.status).toBe(400);
    expect(await readPage(throttled)).toContain("Enter a correct email address and password");
  });

  it("shows the demo code only in demo mode", async () => {
    const quiet = await startServer({ DEMO_DATA: "off" });
    try {
      const client = new Client(quiet.url);
      expect((await client.signIn("lead@deepdive.test")).headers.get("location")).toBe("/sign-in/code");
      const page = await readPage(await client.get("/sign-in/code"));
      expect(page).toContain("Enter the code from your authenticator app");
      expect(page).not.toContain("app-demo-code");
      expect(page).not.toContain(totpCode(DEMO_TOTP_SECRET, new Date()));
    } finally {
      await quiet.stop();
    }
  });
});

describe("a new staff account", () => {
  it("sets up its second factor before anything opens, gets ten recovery codes once, and each recovery code works once", async () => {
    const created = await admin.post("/admin/users/new", {
      name: "Ola Newstaff",
      email: "ola.newstaff@cqc.example",
      role: "programme_lead",
      trustCode: "",
      password: "a sound long passphrase",
    });
    expect(created.status).toBe(302);
    const { client, next } = await passwordStep("ola.newstaff@cqc.example", "a sound long passphrase");
    expect(next).toBe("/sign-in/set-up");
    // Nothing opens before it is set up.
    expect((await client.get("/trusts")).headers.get("location")).toMatch(/^\/sign-in/);
    expect((await client.get("/sign-in/code")).headers.get("location")).toBe("/sign-in/set-up");

    const page = await readPage(await client.get("/sign-in/set-up"));
    expect(page).toContain("Set up your second factor");
    expect(page).toMatch(/<div class="app-qr-code" role="img" aria-label="QR code to add Deep Dive \(ola.newstaff@cqc.example\) to an authenticator app"><svg/);
    const secret = shownSecret(page);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // A reload shows the same key (the person may already have scanned it).
    expect(shownSecret(await readPage(await client.get("/sign-in/set-up")))).toBe(secret);

    const wrong = await client.post("/sign-in/set-up", { code: "000000" });
    expect(wrong.status).toBe(400);
    expect(userRow("ola.newstaff@cqc.example").mfa_secret).toBeNull();

    const done = await client.post("/sign-in/set-up", { code: totpCode(secret, new Date()) });
    expect(done.status).toBe(200);
    const html = await readPage(done);
    expect(html).toContain("Your second factor is set up");
    const codes = shownRecoveryCodes(html);
    expect(codes).toHaveLength(10);
    expect(html).toContain('href="/trusts"');
    expect(client.cookie).toMatch(/^deep-dive-session=/);
    expect((await client.get("/trusts")).status).toBe(200);

    const user = userRow("ola.newstaff@cqc.example");
    expect(user.mfa_secret).toBe(secret);
    const stored = query<{ code_hash: string }>("SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ?", user.id);
    expect(stored).toHaveLength(10);
    for (const code of codes) for (const row of stored) expect(row.code_hash).not.toContain(code.replaceAll("-", ""));
    expect(auditOf(user.id).map((e) => e.action)).toEqual(expect.arrayContaining(["sign-in.password-accepted", "mfa.enrolled", "sign-in.succeeded"]));
    // The codes are not on the account page, ever again.
    const account = await readPage(await client.get("/account"));
    expect(account).toContain("Recovery codes left");
    for (const code of codes) expect(account).not.toContain(code);

    // Next time: the code step, where a recovery code also works, once.
    const later = await passwordStep("ola.newstaff@cqc.example", "a sound long passphrase");
    expect(later.next).toBe("/sign-in/code");
    const recovered = await later.client.post("/sign-in/code", { code: codes[3]!.toUpperCase() });
    expect(recovered.status).toBe(302);
    expect(JSON.parse(auditOf(user.id).filter((e) => e.action === "sign-in.succeeded").at(-1)!.summary)).toEqual({ secondFactor: "recovery code" });
    const reused = await passwordStep("ola.newstaff@cqc.example", "a sound long passphrase");
    expect((await reused.client.post("/sign-in/code", { code: codes[3]! })).status).toBe(400);
    expect(query<{ n: number }>("SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL", user.id)[0]!.n).toBe(9);
  });
});

describe("your account", () => {
  it("lets a trust user set up a second factor, then asks for it at sign-in, and turns it off only with a code", async () => {
    const email = "trust.rtd@deepdive.test";
    const trust = await signedIn(server.url, email);
    const account = await readPage(await trust.get("/account"));
    expect(account).toContain("Not set up");
    const page = await readPage(await trust.get("/account/second-factor"));
    const secret = /name="secret" value="([A-Z2-7]{32})"/.exec(page)?.[1] ?? "";
    expect(shownSecret(page)).toBe(secret);
    const wrong = await trust.post("/account/second-factor", { secret, code: "000000" });
    expect(wrong.status).toBe(400);
    // After a wrong code the same key is offered again, not a new one.
    expect(shownSecret(await readPage(wrong))).toBe(secret);
    const set = await trust.post("/account/second-factor", { secret, code: totpCode(secret, new Date()) });
    expect(set.status).toBe(200);
    const recoveryCodes = shownRecoveryCodes(await readPage(set));
    expect(recoveryCodes).toHaveLength(10);

    const { client, next } = await passwordStep(email);
    expect(next).toBe("/sign-in/code");
    const inNow = await client.post("/sign-in/code", { code: recoveryCodes[0]! });
    expect(inNow.headers.get("location")).toBe("/portal");

    const { id } = userRow(email);
    const noCode = await client.post("/account", { intent: "turn-off", turnOffCode: "" });
    expect(noCode.status).toBe(400);
    expect(userRow(email).mfa_secret).toBe(secret);
    const off = await client.post("/account", { intent: "turn-off", turnOffCode: await unusedCode(server.url, email, secret) });
    expect(off.status).toBe(302);
    expect(off.headers.get("location")).toBe("/account?done=turned-off");
    expect(userRow(email).mfa_secret).toBeNull();
    expect(query("SELECT 1 FROM mfa_recovery_codes WHERE user_id = ?", id)).toHaveLength(0);
    expect(auditOf(id).map((e) => e.action)).toEqual(expect.arrayContaining(["mfa.enrolled", "mfa.removed"]));
    expect((await passwordStep(email)).next).toBe("/portal");
  });

  it("does not let staff turn theirs off, and gives them new recovery codes after a code", async () => {
    const email = "inspector8@deepdive.test";
    const staff = await signedIn(server.url, email);
    const off = await staff.post("/account", { intent: "turn-off", turnOffCode: await unusedCode(server.url, email, DEMO_TOTP_SECRET) });
    expect(off.status).toBe(400);
    expect(userRow(email).mfa_secret).toBe(DEMO_TOTP_SECRET);
    expect(await readPage(await staff.get("/account"))).toContain("Your role needs a second factor, so it cannot be turned off");
    const fresh = await staff.post("/account", { intent: "new-recovery-codes", code: await unusedCode(server.url, email, DEMO_TOTP_SECRET) });
    expect(fresh.status).toBe(200);
    expect(shownRecoveryCodes(await readPage(fresh))).toHaveLength(10);
  });
});

describe("an admin resetting someone's second factor", () => {
  it("asks for the admin's own code, ends the person's sessions, and has them set it up again", async () => {
    const email = "inspector9@deepdive.test";
    const { id } = userRow(email);
    const theirs = await signedIn(server.url, email);
    expect(await readPage(await admin.get(`/admin/users/${id}`))).toContain("Reset second factor");
    const withoutCode = await admin.post(`/admin/users/${id}`, { intent: "reset-second-factor", resetCode: "" });
    expect(withoutCode.status).toBe(400);
    expect(userRow(email).mfa_secret).toBe(DEMO_TOTP_SECRET);
    const reset = await admin.post(`/admin/users/${id}`, { intent: "reset-second-factor", resetCode: await unusedCode(server.url, "admin@deepdive.test", DEMO_TOTP_SECRET) });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("location")).toBe(`/admin/users/${id}?done=second-factor`);
    expect(userRow(email).mfa_secret).toBeNull();
    expect(sessionsOf(id)).toBe(0);
    expect((await theirs.get("/my-visits")).headers.get("location")).toMatch(/^\/sign-in/);
    expect(auditOf(id).at(-1)).toMatchObject({ action: "mfa.reset" });
    expect((await passwordStep(email)).next).toBe("/sign-in/set-up");
  });
});
