/** The database client, start-up and demo seed on real SQLite files. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, majorTraumaCentres, trusts, users } from "../../db/schema";
import { recordAudit, SYSTEM_ACTOR, verifyAuditChain } from "../../app/audit/audit.server";
import { boot } from "../../app/boot.server";
import { migrationStatus, writeTransaction } from "../../app/db.server";
import { useEmptyDatabase, useFreshDatabase } from "../support/database";

describe("the database client", () => {
  it("runs SQLite in WAL mode with full sync, a busy timeout and foreign keys", () => {
    const { db } = useFreshDatabase();
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.$client.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(db.$client.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(() => db.insert(users).values({ id: "x", email: "x@y.test", name: "X", role: "trust_user", trustCode: "NOPE", passwordHash: "x" }).run()).toThrow(/FOREIGN KEY/);
  });

  it("rolls back the change and its audit event together when the transaction fails", () => {
    const { db } = useFreshDatabase();
    const before = db.select({ n: count() }).from(auditEvents).get()!.n;
    expect(() =>
      writeTransaction((tx) => {
        tx.update(trusts).set({ name: "Renamed" }).where(eq(trusts.odsCode, "RJ1")).run();
        recordAudit(tx, SYSTEM_ACTOR, { action: "trust.renamed", objectType: "trust", objectId: "RJ1" });
        throw new Error("something went wrong after the write");
      }),
    ).toThrow(/something went wrong/);
    expect(db.select({ name: trusts.name }).from(trusts).where(eq(trusts.odsCode, "RJ1")).get()!.name).toBe("Guy's and St Thomas' NHS Foundation Trust");
    expect(db.select({ n: count() }).from(auditEvents).get()!.n).toBe(before);
  });

  it("refuses an async transaction callback and keeps nothing it wrote", () => {
    const { db } = useFreshDatabase();
    const before = db.select({ n: count() }).from(auditEvents).get()!.n;
    expect(() =>
      writeTransaction(((tx: Parameters<Parameters<typeof writeTransaction>[0]>[0]) => {
        recordAudit(tx, SYSTEM_ACTOR, { action: "should.not.stay" });
        return Promise.resolve();
      }) as never),
    ).toThrow(/synchronous/);
    expect(db.select({ n: count() }).from(auditEvents).get()!.n).toBe(before);
  });

  it("takes the write lock at BEGIN (IMMEDIATE), so a second writer waits instead of failing later", () => {
    const { db, file } = useFreshDatabase();
    const other = new (db.$client.constructor as typeof import("better-sqlite3"))(file, { timeout: 50 });
    try {
      other.exec("BEGIN IMMEDIATE");
      // Our writer cannot even begin while the other holds the lock: BEGIN IMMEDIATE fails fast with SQLITE_BUSY
      // after the busy timeout, before any of its work has run.
      db.$client.pragma("busy_timeout = 100");
      let ran = false;
      expect(() =>
        writeTransaction(() => {
          ran = true;
        }),
      ).toThrow(/locked|busy/i);
      expect(ran).toBe(false);
    } finally {
      other.exec("ROLLBACK");
      other.close();
      db.$client.pragma("busy_timeout = 5000");
    }
  });
});

describe("start-up", () => {
  it("migrates an empty file, loads the real register and seeds the demo, and a second start changes nothing", async () => {
    const { db } = useEmptyDatabase();
    expect(migrationStatus(db)).toMatchObject({ current: true });
    await boot();
    const trustCount = db.select({ n: count() }).from(trusts).get()!.n;
    expect(trustCount).toBe(202);
    expect(db.select({ n: count() }).from(majorTraumaCentres).get()!.n).toBeGreaterThanOrEqual(25);
    const rj1 = db.select().from(trusts).where(eq(trusts.odsCode, "RJ1")).get()!;
    expect(rj1).toMatchObject({ name: "Guy's and St Thomas' NHS Foundation Trust", regionCode: "Y56", regionName: "London", broadType: "acute" });
    expect(rj1.latitude).toBeCloseTo(51.5, 0);
    const rru = db.select().from(trusts).where(eq(trusts.odsCode, "RRU")).get()!;
    expect(rru).toMatchObject({ isAmbulance: true, broadType: "ambulance" });
    const demo = db.select().from(users).all();
    expect(demo).toHaveLength(17);
    expect(demo.every((u) => u.isDemo)).toBe(true);
    expect(demo.find((u) => u.email === "trust.rtd@deepdive.test")).toMatchObject({ role: "trust_user", trustCode: "RTD" });
    const events = db.select({ n: count() }).from(auditEvents).get()!.n;
    // The demo seed runs with synchronous = NORMAL (db/seed.server.ts); every commit after it is fsynced again.
    expect(db.$client.pragma("synchronous", { simple: true })).toBe(2);

    const again = await boot();
    expect(db.select({ n: count() }).from(trusts).get()!.n).toBe(202);
    expect(db.select({ n: count() }).from(users).get()!.n).toBe(17);
    expect(db.select({ n: count() }).from(auditEvents).get()!.n).toBe(events);
    expect(again.messages.join("\n")).toContain("admin@deepdive.test");
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, checked: events });
  });

  it("creates no demo data when DEMO_DATA=off, and says how to create the first admin", async () => {
    const { db } = useEmptyDatabase();
    process.env.DEMO_DATA = "off";
    const { resetConfigForTests } = await import("../../app/config.server");
    resetConfigForTests();
    try {
      const report = await boot();
      expect(db.select({ n: count() }).from(users).get()!.n).toBe(0);
      expect(db.select({ n: count() }).from(trusts).get()!.n).toBe(202);
      expect(report.messages.join("\n")).toContain("npm run users:create");
    } finally {
      process.env.DEMO_DATA = "on";
      resetConfigForTests();
    }
  });

  it("finds its migrations whatever the working directory", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "deep-dive-cwd-"));
    const script = path.join(dir, "start.mts");
    writeFileSync(script, `import { boot } from ${JSON.stringify(path.resolve("app/boot.server.ts"))};\nconst r = await boot();\nconsole.log(r.messages[1]);\n`);
    const result = spawnSync(path.resolve("node_modules/.bin/tsx"), [script], {
      cwd: dir,
      env: { ...process.env, DATABASE_PATH: path.join(dir, "db.sqlite"), DEMO_DATA: "off" },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Loaded the register of 202 NHS trusts");
  });
});
