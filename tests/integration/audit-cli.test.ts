/**
 * The command-line scripts, run as an operator would (tsx, DATABASE_PATH) against copies of the database:
 * audit:verify finds a changed and a deleted event, the triggers refuse changes in the first place,
 * audit:export writes JSON Lines that re-verify off-box, and users:create makes (or refuses) an account.
 */
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { recordAudit, SYSTEM_ACTOR } from "../../app/audit/audit.server";
import { verifyChain, type ChainedAuditEvent } from "../../app/audit/chain";
import { verifyPassword } from "../../app/auth/password.server";
import { openDatabase, writeTransaction } from "../../app/db.server";
import { copyTemplateDatabase } from "../support/database";
import { runScript } from "../support/scripts";

/** Opens a copy with better-sqlite3 directly, as someone with access to the file (not the app) would. */
function withSqlite<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const eventCount = (file: string) => withSqlite(file, (db) => (db.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n);

type ExportedEvent = {
  seq: number;
  occurred_at: string;
  actor_user_id: string | null;
  actor_label: string;
  client_address: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  summary: string;
  prev_hash: string;
  hash: string;
};

const toChained = (e: ExportedEvent): ChainedAuditEvent => ({
  seq: e.seq,
  occurredAt: e.occurred_at,
  actorUserId: e.actor_user_id,
  actorLabel: e.actor_label,
  clientAddress: e.client_address,
  action: e.action,
  objectType: e.object_type,
  objectId: e.object_id,
  summary: e.summary,
  prevHash: e.prev_hash,
  hash: e.hash,
});

const parseLines = (text: string): ExportedEvent[] =>
  text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as ExportedEvent);

describe("audit:verify", () => {
  it("reports an intact chain and exits 0", async () => {
    const file = copyTemplateDatabase();
    const run = await runScript("audit-verify", file);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Audit chain intact: ${eventCount(file)} events`);
  });

  it("relies on triggers that refuse any UPDATE or DELETE of an event", async () => {
    const file = copyTemplateDatabase();
    withSqlite(file, (db) => {
      expect(() => db.prepare("UPDATE audit_events SET summary = '{}' WHERE seq = 3").run()).toThrow(/append-only/);
      expect(() => db.prepare("DELETE FROM audit_events WHERE seq = 3").run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE audit_events SET hash = prev_hash").run()).toThrow(/append-only/);
    });
    expect((await runScript("audit-verify", file)).code).toBe(0);
  });

  it("finds an event whose content was changed (once the trigger is dropped), exits 1 and names it", async () => {
    const file = copyTemplateDatabase();
    withSqlite(file, (db) => {
      db.exec("DROP TRIGGER audit_events_no_update");
      db.prepare("UPDATE audit_events SET summary = ? WHERE seq = 7").run(JSON.stringify({ email: "intruder@example.org", role: "admin" }));
    });
    const run = await runScript("audit-verify", file);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Audit chain broken at event 7: its content does not match its hash");
  });

  it("finds an event that was changed and re-hashed, because the next event's link no longer matches", async () => {
    const file = copyTemplateDatabase();
    withSqlite(file, (db) => {
      db.exec("DROP TRIGGER audit_events_no_update");
      db.prepare("UPDATE audit_events SET hash = ? WHERE seq = 4").run("f".repeat(64));
    });
    const run = await runScript("audit-verify", file);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Audit chain broken at event 4:/);
  });

  it("finds a deleted event in the middle of the trail", async () => {
    const file = copyTemplateDatabase();
    withSqlite(file, (db) => {
      db.exec("DROP TRIGGER audit_events_no_delete");
      db.prepare("DELETE FROM audit_events WHERE seq = 10").run();
    });
    const run = await runScript("audit-verify", file);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Audit chain broken at event 11: expected event 10, found 11 (a row is missing)");
  });

  it("exits 2 without creating anything when there is no database", async () => {
    const missing = path.join(path.dirname(copyTemplateDatabase()), "missing", "none.sqlite");
    const run = await runScript("audit-verify", missing);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("No database at");
  });
});

describe("audit:export", () => {
  it("writes every event once, in order, as JSON Lines that re-verify with the chain code", async () => {
    const file = copyTemplateDatabase();
    // More than one page of the export's reads, so paging is exercised.
    const db = openDatabase(file);
    try {
      writeTransaction((tx) => {
        for (let i = 0; i < 2345; i++) recordAudit(tx, SYSTEM_ACTOR, { action: "test.bulk", summary: { i } });
      }, db);
    } finally {
      db.$client.close();
    }
    const total = eventCount(file);
    const out = path.join(path.dirname(file), "audit.jsonl");
    const run = await runScript("audit-export", file, ["--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`Exported ${total} audit events`);

    const events = parseLines(readFileSync(out, "utf8"));
    expect(events).toHaveLength(total);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(Object.keys(events[0]!)).toEqual(expect.arrayContaining(["prev_hash", "hash", "occurred_at", "summary"]));
    const verdict = verifyChain(events.map(toChained));
    expect(verdict).toEqual({ ok: true, checked: total, headHash: events.at(-1)!.hash });

    // A changed line in the export is caught off-box too.
    const tampered = events.map(toChained);
    tampered[99] = { ...tampered[99]!, actorLabel: "someone-else" };
    expect(verifyChain(tampered)).toMatchObject({ ok: false, brokenAt: 100 });
  });

  it("writes to standard output by default, and continues after --since-seq N", async () => {
    const file = copyTemplateDatabase();
    const total = eventCount(file);
    const all = await runScript("audit-export", file);
    expect(all.code).toBe(0);
    const events = parseLines(all.stdout);
    expect(events).toHaveLength(total);

    const rest = await runScript("audit-export", file, ["--since-seq", "5"]);
    expect(rest.code).toBe(0);
    const later = parseLines(rest.stdout);
    expect(later.map((e) => e.seq)).toEqual(events.slice(5).map((e) => e.seq));
    expect(verifyChain(later.map(toChained), events[4]!.hash, 6)).toMatchObject({ ok: true, checked: total - 5 });
  });

  it("exits 2 on bad arguments", async () => {
    const file = copyTemplateDatabase();
    expect((await runScript("audit-export", file, ["--since-seq", "ten"])).code).toBe(2);
    expect((await runScript("audit-export", file, ["--bogus"])).code).toBe(2);
  });
});

describe("users:create", () => {
  const userCount = (file: string) => withSqlite(file, (db) => (db.prepare("SELECT count(*) AS n FROM users").get() as { n: number }).n);

  it("creates an admin with the password from DEEP_DIVE_PASSWORD, prints the id and audits it as the operating-system user", async () => {
    const file = copyTemplateDatabase();
    const run = await runScript("users-create", file, ["--email", "First.Admin@CQC.example", "--name", "First Admin", "--role", "admin"], {
      DEEP_DIVE_PASSWORD: "a long operator passphrase",
    });
    expect(run.stderr).toContain("Created admin account for first.admin@cqc.example");
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const { user, event } = withSqlite(file, (db) => ({
      user: db.prepare("SELECT * FROM users WHERE id = ?").get(id) as { email: string; name: string; role: string; trust_code: string | null; is_demo: number; password_hash: string },
      event: db.prepare("SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1").get() as { action: string; actor_label: string; object_id: string; summary: string },
    }));
    expect(user).toMatchObject({ email: "first.admin@cqc.example", name: "First Admin", role: "admin", trust_code: null, is_demo: 0 });
    expect(await verifyPassword("a long operator passphrase", user.password_hash)).toBe(true);
    expect(event).toMatchObject({ action: "user.created", actor_label: `cli:${userInfo().username}`, object_id: id });
    expect(event.summary).not.toContain("passphrase");
    expect((await runScript("audit-verify", file)).code).toBe(0);
  });

  it("creates a trust user for a trust given by its ODS code", async () => {
    const file = copyTemplateDatabase();
    const run = await runScript("users-create", file, ["--email", "t@rj1.example", "--name", "T User", "--role", "trust_user", "--trust", "rj1"], {
      DEEP_DIVE_PASSWORD: "a long operator passphrase",
    });
    expect(run.code).toBe(0);
    const trust = withSqlite(file, (db) => db.prepare("SELECT trust_code FROM users WHERE email = 't@rj1.example'").get());
    expect(trust).toEqual({ trust_code: "RJ1" });
  });

  it.for([
    ["a role that does not exist", ["--email", "x@cqc.example", "--name", "X", "--role", "superuser"], {}, "--role"],
    ["a missing email address", ["--name", "X", "--role", "admin"], {}, "--email"],
    ["a trust user without a trust", ["--email", "x@cqc.example", "--name", "X", "--role", "trust_user"], {}, "--trust"],
    ["a trust for a role that has none", ["--email", "x@cqc.example", "--name", "X", "--role", "admin", "--trust", "RJ1"], {}, "--trust"],
    ["a trust not in the register", ["--email", "x@cqc.example", "--name", "X", "--role", "trust_user", "--trust", "ZZZ"], {}, "Select a trust"],
    ["an unknown option", ["--email", "x@cqc.example", "--name", "X", "--role", "admin", "--admin"], {}, "Unknown option"],
    ["a common password", ["--email", "x@cqc.example", "--name", "X", "--role", "admin"], { DEEP_DIVE_PASSWORD: "password1234" }, "too common"],
    ["a short password", ["--email", "x@cqc.example", "--name", "X", "--role", "admin"], { DEEP_DIVE_PASSWORD: "short" }, "12 characters"],
    ["no password and no terminal", ["--email", "x@cqc.example", "--name", "X", "--role", "admin"], { DEEP_DIVE_PASSWORD: undefined }, "DEEP_DIVE_PASSWORD"],
    ["an email address already in use", ["--email", "ADMIN@deepdive.test", "--name", "X", "--role", "admin"], {}, "already exists"],
  ] as [string, string[], Record<string, string | undefined>, string][])("exits 2 and creates nothing for %s", async ([, args, env, message]) => {
    const file = copyTemplateDatabase();
    const [users, events] = [userCount(file), eventCount(file)];
    const run = await runScript("users-create", file, args, { DEEP_DIVE_PASSWORD: "a long operator passphrase", ...env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
    expect(userCount(file)).toBe(users);
    expect(eventCount(file)).toBe(events);
  });
});
