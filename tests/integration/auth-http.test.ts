/** Sign-in, sessions, throttling, headers and cross-site refusal over real HTTP against the real server. */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOTP_SECRET } from "../../app/auth/mfa";
import { Client, signedIn } from "../support/http";
import { unusedCode } from "../support/second-factor";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const auditActions = (action: string) => {
  const db = new Database(server.databaseFile, { readonly: true });
  try {
    return db.prepare("SELECT actor_label, client_address, summary FROM audit_events WHERE action = ? ORDER BY seq").all(action) as {
      actor_label: string;
      client_address: string | null;
      summary: string;
    }[];
  } finally {
    db.close();
  }
};

describe("signing in", () => {
  it("lands each role on its home: staff after the code from their app, trust users after the password", async () => {
    for (const [email, home] of [
      ["admin@deepdive.test", "/admin/users"],
      ["lead@deepdive.test", "/trusts"],
      ["inspector1@deepdive.test", "/my-visits"],
      ["trust.rj1@deepdive.test", "/portal"],
    ] as const) {
      const client = new Client(server.url);
      let response = await client.signIn(email);
      expect(response.status, email).toBe(302);
      if (email.startsWith("trust.")) {
        expect(response.headers.get("location")).toBe(home);
        continue;
      }
      expect(response.headers.get("location"), email).toBe("/sign-in/code");
      response = await client.post("/sign-in/code", { code: await unusedCode(server.url, email, DEMO_TOTP_SECRET) });
      expect(response.status, email).toBe(302);
      expect(response.headers.get("location"), email).toBe(home);
    }
  });

  it("sets an HttpOnly, SameSite=Lax session cookie with a 256-bit random id, new at every sign-in", async () => {
    const first = new Client(server.url);
    const response = await first.signIn("trust.rru@deepdive.test");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^deep-dive-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    const second = new Client(server.url);
    second.cookie = first.cookie;
    await second.signIn("trust.rru@deepdive.test");
    expect(second.cookie).not.toBe(first.cookie);
  });

  it("gives staff no session for the password alone: only a short-lived cookie for the second step", async () => {
    const client = new Client(server.url);
    const response = await client.signIn("lead@deepdive.test");
    expect(response.headers.get("location")).toBe("/sign-in/code");
    expect(response.headers.get("set-cookie")).toMatch(/^deep-dive-sign-in=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
    const page = await client.get("/trusts");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/sign-in?redirectTo=%2Ftrusts");
  });

  it("gives the same generic error for an unknown account and a wrong password, and audits both", async () => {
    const before = auditActions("sign-in.failed").length;
    const unknown = await new Client(server.url).signIn("nobody@deepdive.test", "whatever-password");
    const wrong = await new Client(server.url).signIn("inspector2@deepdive.test", "not-the-password");
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    const [a, b] = [await unknown.text(), await wrong.text()];
    expect(a).toContain("Enter a correct email address and password");
    expect(b).toContain("Enter a correct email address and password");
    const failures = auditActions("sign-in.failed");
    expect(failures.length).toBe(before + 2);
    expect(failures.at(-1)!.client_address).toBeTruthy();
  });

  it("does not follow a redirect to another site after sign-in, and follows one on this site after the second step", async () => {
    const client = new Client(server.url);
    await client.post("/sign-in", { email: "lead@deepdive.test", password: "deep-dive-demo", redirectTo: "//evil.example/" });
    const away = await client.post("/sign-in/code", { code: await unusedCode(server.url, "lead@deepdive.test", DEMO_TOTP_SECRET) });
    expect(away.headers.get("location")).toBe("/trusts");
    const back = new Client(server.url);
    await back.post("/sign-in", { email: "inspector2@deepdive.test", password: "deep-dive-demo", redirectTo: "/risk" });
    const there = await back.post("/sign-in/code", { code: await unusedCode(server.url, "inspector2@deepdive.test", DEMO_TOTP_SECRET) });
    expect(there.headers.get("location")).toBe("/risk");
  });
});

describe("signing out", () => {
  it("ends the session on the server: the old cookie no longer works", async () => {
    const client = await signedIn(server.url, "inspector3@deepdive.test");
    const oldCookie = client.cookie;
    expect((await client.get("/trusts")).status).toBe(200);
    const out = await client.post("/sign-out", {});
    expect(out.status).toBe(302);
    const replay = await new Client(server.url).get("/trusts", { headers: { Cookie: oldCookie } });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toMatch(/^\/sign-in/);
    expect(auditActions("sign-out").some((e) => e.actor_label === "inspector3@deepdive.test")).toBe(true);
  });

  it("does not sign out on GET", async () => {
    const client = await signedIn(server.url, "inspector4@deepdive.test");
    await client.get("/sign-out");
    expect((await client.get("/trusts")).status).toBe(200);
  });
});

describe("throttling", () => {
  it("refuses an account after 5 failures even with the right password, with the same message", async () => {
    const email = "inspector5@deepdive.test";
    for (let i = 0; i < 5; i++) {
      expect((await new Client(server.url).signIn(email, `wrong password ${i}`)).status).toBe(400);
    }
    const right = await new Client(server.url).signIn(email);
    expect(right.status).toBe(400);
    expect(await right.text()).toContain("Enter a correct email address and password");
    expect(auditActions("sign-in.failed").some((e) => JSON.parse(e.summary).reason === "throttled")).toBe(true);
    // Another account from the same address is not locked out by this one.
    expect((await new Client(server.url).signIn("inspector6@deepdive.test")).status).toBe(302);
  });
});

describe("per-address throttling", () => {
  it("refuses every account from an address after 20 failures", async () => {
    const own = await startServer();
    try {
      // 19 earlier failures from this address against other accounts (as if typed; each real one takes a scrypt run),
      // then the 20th over HTTP.
      const db = new Database(own.databaseFile);
      const insert = db.prepare("INSERT INTO sign_in_failures (account_key, client_address, failed_at) VALUES (?, ?, ?)");
      for (let i = 0; i < 19; i++) insert.run(`nobody${i}@deepdive.test`, "127.0.0.1", new Date().toISOString());
      db.close();
      expect((await new Client(own.url).signIn("lead@deepdive.test")).status).toBe(302);
      expect((await new Client(own.url).signIn("nobody20@deepdive.test", "wrong password here")).status).toBe(400);
      expect((await new Client(own.url).signIn("lead@deepdive.test")).status).toBe(400);
    } finally {
      await own.stop();
    }
  });
});

describe("security headers", () => {
  const paths = ["/sign-in", "/healthz", "/no-such-page", "/trusts"];
  it.each(paths)("sends CSP with a nonce, nosniff, referrer policy and no-store on %s", async (pathname) => {
    const response = await new Client(server.url).get(pathname);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("gives every script the request's nonce, different on every request", async () => {
    const [a, b] = [await new Client(server.url).get("/sign-in"), await new Client(server.url).get("/sign-in")];
    const nonceOf = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy")!)![1];
    const [na, nb] = [nonceOf(a), nonceOf(b)];
    expect(na).not.toBe(nb);
    const html = await a.text();
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${na}"`);
  });

  it("sends HSTS and a __Host- cookie when served over HTTPS behind a trusted proxy", async () => {
    const proxied = await startServer({ TRUST_PROXY: "loopback" });
    try {
      const client = new Client(proxied.url);
      const page = await client.get("/sign-in", { headers: { "X-Forwarded-Proto": "https" } });
      expect(page.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      const https = { headers: { "X-Forwarded-Proto": "https", Origin: proxied.url.replace("http:", "https:") } };
      const response = await client.post("/sign-in", { email: "trust.rj1@deepdive.test", password: "deep-dive-demo" }, https);
      expect(response.headers.get("set-cookie")).toMatch(/^__Host-deep-dive-session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
      const staff = await new Client(proxied.url).post("/sign-in", { email: "lead@deepdive.test", password: "deep-dive-demo" }, https);
      expect(staff.headers.get("set-cookie")).toMatch(/^__Host-deep-dive-sign-in=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/);
      const plain = await new Client(proxied.url).get("/sign-in");
      expect(plain.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await proxied.stop();
    }
  });
});

describe("cross-site requests", () => {
  it("refuses a POST from another origin and changes nothing", async () => {
    const before = auditActions("sign-in.succeeded").length;
    const response = await new Client(server.url).post(
      "/sign-in",
      { email: "lead@deepdive.test", password: "deep-dive-demo" },
      { headers: { Origin: "https://evil.example" } },
    );
    expect(response.status).toBe(403);
    expect(auditActions("sign-in.succeeded").length).toBe(before);
  });

  it("refuses a POST the browser marks cross-site even without an Origin header", async () => {
    const response = await fetch(`${server.url}/sign-out`, { method: "POST", headers: { "Sec-Fetch-Site": "cross-site" }, redirect: "manual" });
    expect(response.status).toBe(403);
  });
});

describe("pages a user may not use", () => {
  it("answers 404, not 405, to a POST to a page that has no form, for every role", async () => {
    const trust = await signedIn(server.url, "trust.rtd@deepdive.test");
    const lead = await signedIn(server.url, "lead@deepdive.test");
    for (const client of [trust, lead]) {
      expect((await client.post("/trusts", {})).status).toBe(404);
      expect((await client.post("/trusts/RJ1", {})).status).toBe(404);
      expect((await client.post("/trusts.data", {})).status).toBe(404);
    }
  });
});

describe("health", () => {
  it("says the database is reachable and migrations are current", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "reachable", migrations: "current" });
  });
});

describe("session timeouts (30 minutes idle, 12 hours absolute)", () => {
  // The server enforces the limits on each request; the clock is moved by ageing the session row in the
  // real database file, so the test does not depend on how fast this machine is.
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const ageSession = (email: string, times: { createdAt?: string; lastSeenAt?: string }) => {
    const db = new Database(server.databaseFile);
    try {
      const userId = (db.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: string }).id;
      if (times.createdAt) db.prepare("UPDATE sessions SET created_at = ? WHERE user_id = ?").run(times.createdAt, userId);
      if (times.lastSeenAt) db.prepare("UPDATE sessions SET last_seen_at = ? WHERE user_id = ?").run(times.lastSeenAt, userId);
      return userId;
    } finally {
      db.close();
    }
  };
  const sessionRows = (userId: string) => {
    const db = new Database(server.databaseFile, { readonly: true });
    try {
      return db.prepare("SELECT last_seen_at FROM sessions WHERE user_id = ?").all(userId) as { last_seen_at: string }[];
    } finally {
      db.close();
    }
  };

  it("keeps a session used within the idle limit, and records the activity", async () => {
    const client = await signedIn(server.url, "inspector7@deepdive.test");
    const userId = ageSession("inspector7@deepdive.test", { createdAt: minutesAgo(29), lastSeenAt: minutesAgo(29) });
    expect((await client.get("/trusts")).status).toBe(200);
    const [row] = sessionRows(userId);
    expect(Date.now() - Date.parse(row!.last_seen_at)).toBeLessThan(60_000);
  });

  it("ends a session after 30 minutes without a request, and deletes it", async () => {
    const client = await signedIn(server.url, "inspector8@deepdive.test");
    const userId = ageSession("inspector8@deepdive.test", { createdAt: minutesAgo(31), lastSeenAt: minutesAgo(30.5) });
    const response = await client.get("/trusts");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/sign-in/);
    expect(sessionRows(userId)).toEqual([]);
  });

  it("ends a session 12 hours after sign-in however busy it is", async () => {
    const client = await signedIn(server.url, "inspector9@deepdive.test");
    ageSession("inspector9@deepdive.test", { createdAt: minutesAgo(12 * 60 - 1), lastSeenAt: minutesAgo(1) });
    expect((await client.get("/trusts")).status).toBe(200);
    ageSession("inspector9@deepdive.test", { createdAt: minutesAgo(12 * 60 + 1), lastSeenAt: minutesAgo(0) });
    const response = await client.get("/trusts");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/sign-in/);
  });

  it("reads its limits from the environment", async () => {
    const short = await startServer({ SESSION_IDLE_MINUTES: "5" });
    try {
      const client = await signedIn(short.url, "inspector10@deepdive.test");
      const db = new Database(short.databaseFile);
      db.prepare("UPDATE sessions SET last_seen_at = ?").run(minutesAgo(6));
      db.close();
      expect((await client.get("/trusts")).status).toBe(302);
    } finally {
      await short.stop();
    }
  });
});
