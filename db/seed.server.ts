/**
 * Demo data: a seeded generator, so every fresh install gets the same people. Every row it makes is marked
 * as demo (users.is_demo). Never run when DEMO_DATA=off (see app/boot.server.ts).
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNull, ne } from "drizzle-orm";
import { DEMO_TOTP_SECRET } from "../app/auth/mfa";
import { settings, users } from "./schema";
import { recordAudit, SYSTEM_ACTOR } from "../app/audit/audit.server";
import { hashPassword } from "../app/auth/password.server";
import { writeTransaction, type Db } from "../app/db.server";
import { seedDemoIndicators, type DemoIndicatorReport } from "./demo-indicators.server";
import { RECENT_TRUST, seedDemoInspectionHistory, seedDemoOnSiteInspection, type DemoInspectionReport } from "./demo-inspections.server";
import { seedDemoAccuracyCheck, seedDemoReports, type DemoReportsReport } from "./demo-reports.server";
import { seedDemoInspectors, seedDemoRounds, type DemoScheduleReport } from "./demo-schedule.server";

export const DEMO_PASSWORD = "deep-dive-demo";
export const DEMO_SEED = 20170512; // the day WannaCry reached the NHS

/** A small deterministic generator (mulberry32): demo data only, never for anything secret. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = ["Aisha", "Ben", "Carys", "Dev", "Eleri", "Femi", "Grace", "Harpreet", "Ioan", "Jo", "Kwame", "Laila", "Morgan", "Niamh", "Olu", "Priya", "Rhys", "Sam", "Tariq", "Zofia"];
const LAST_NAMES = ["Ahmed", "Brennan", "Chowdhury", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Ibrahim", "Jones", "Khan", "Lewis", "Mensah", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh", "Taylor"];

export interface DemoAccount {
  email: string;
  name: string;
  role: (typeof users.$inferInsert)["role"];
  trustCode: string | null;
}

export function demoAccounts(seed = DEMO_SEED): DemoAccount[] {
  const random = seededRandom(seed);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const person = () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
  return [
    { email: "admin@deepdive.test", name: `${person()} (demo admin)`, role: "admin", trustCode: null },
    { email: "lead@deepdive.test", name: `${person()} (demo programme lead)`, role: "programme_lead", trustCode: null },
    ...Array.from({ length: 12 }, (_, i): DemoAccount => ({
      email: `inspector${i + 1}@deepdive.test`,
      name: `${person()} (demo inspector)`,
      role: "inspector",
      trustCode: null,
    })),
    { email: "trust.rj1@deepdive.test", name: `${person()} (demo, Guy's and St Thomas')`, role: "trust_user", trustCode: "RJ1" },
    { email: "trust.rru@deepdive.test", name: `${person()} (demo, London Ambulance Service)`, role: "trust_user", trustCode: "RRU" },
    { email: "trust.rtd@deepdive.test", name: `${person()} (demo, Newcastle upon Tyne Hospitals)`, role: "trust_user", trustCode: "RTD" },
  ];
}

export interface DemoSeedReport {
  seed: number;
  accounts: number;
  indicators: DemoIndicatorReport;
  schedule: DemoScheduleReport;
  inspections: DemoInspectionReport;
  reports: DemoReportsReport;
}

export async function seedDemoData(db: Db, seed = DEMO_SEED): Promise<DemoSeedReport> {
  // One hash serves every demo account: they share a published password, so separate salts would hide nothing,
  // and one scrypt run instead of seventeen keeps a fresh start quick.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts = demoAccounts(seed);
  // The seed is several hundred small transactions (most of them saving the demo findings) on an install nobody uses
  // yet, so it runs with synchronous = NORMAL rather than paying an fsync per commit: in WAL mode that is still
  // crash-safe for the database's consistency (docs/decisions/0002), and a checkpoint at the end, which syncs the
  // WAL first, makes it all durable before FULL is restored.
  const sqlite = db.$client;
  const synchronous = Number(sqlite.pragma("synchronous", { simple: true }));
  sqlite.pragma("synchronous = NORMAL");
  try {
    return await seedDemoRows(db, seed, accounts, passwordHash);
  } finally {
    sqlite.pragma("wal_checkpoint(PASSIVE)");
    sqlite.pragma(`synchronous = ${synchronous}`);
  }
}

async function seedDemoRows(db: Db, seed: number, accounts: DemoAccount[], passwordHash: string): Promise<DemoSeedReport> {
  writeTransaction((tx) => {
    for (const account of accounts) {
      const id = randomUUID();
      // Demo staff have their second factor set up with the published demo secret (decision 0022).
      const secondFactor = account.role === "trust_user" ? {} : { mfaSecret: DEMO_TOTP_SECRET, mfaEnrolledAt: new Date().toISOString() };
      tx.insert(users).values({ id, ...account, passwordHash, isDemo: true, ...secondFactor }).run();
      recordAudit(tx, SYSTEM_ACTOR, {
        action: "user.created",
        objectType: "user",
        objectId: id,
        summary: { email: account.email, role: account.role, trustCode: account.trustCode, demo: true },
      });
    }
    const now = new Date().toISOString();
    tx.insert(settings).values({ key: "demo_seed", value: String(seed), updatedAt: now }).run();
    recordAudit(tx, SYSTEM_ACTOR, { action: "demo.seeded", objectType: "install", summary: { seed, accounts: accounts.length } });
  }, db);
  // Indicator history: the real DSPT snapshots, then the synthetic monthly history (db/demo-indicators.server.ts).
  const indicators = seedDemoIndicators(db, seed);
  // In the order it would have happened. Inspectors' profiles, leave and conflicts (db/demo-schedule.server.ts);
  // two earlier rounds with approved inspections of RJ1 and RRU (db/demo-inspections.server.ts), before the later
  // rounds are drawn: a trust picked in a round not yet closed cannot be picked in another, and the later draws see
  // those visits as the trusts' last inspections; their factual accuracy checks, publication and the trusts' progress
  // on the actions (db/demo-reports.server.ts); last quarter's round (completed) and next quarter's (accepted, RJ1
  // among its visits); then a round for this quarter with an inspection of RTD approved a few days ago and now in its
  // factual accuracy check, and an inspection on site today, drawn last so the next quarter's round keeps its band 1
  // trusts and RJ1.
  const seededAt = new Date();
  const inspectors = seedDemoInspectors(db, seededAt);
  const history = seedDemoInspectionHistory(db, seededAt);
  const reports = await seedDemoReports(db, history.approved);
  const rounds = seedDemoRounds(db, seededAt, [RECENT_TRUST]);
  const onSite = seedDemoOnSiteInspection(db, seededAt);
  const accuracy = seedDemoAccuracyCheck(db, onSite.inAccuracyCheck);
  return {
    seed,
    accounts: accounts.length,
    indicators,
    schedule: { inspectors, ...rounds },
    inspections: {
      rounds: history.rounds + onSite.rounds,
      approved: history.approved.length + 1,
      onSite: onSite.onSite,
      findingSaves: history.findingSaves + onSite.findingSaves,
    },
    reports: { ...reports, accuracyComments: accuracy.comments },
  };
}

/**
 * Demo staff accounts from before the second factor (an install seeded by an earlier release) get the published demo
 * secret too, so the demo keeps working as the README says. Only demo accounts, only in demo mode; never a real one.
 */
export function ensureDemoSecondFactors(db: Db): number {
  const now = new Date().toISOString();
  return db
    .update(users)
    .set({ mfaSecret: DEMO_TOTP_SECRET, mfaEnrolledAt: now })
    .where(and(eq(users.isDemo, true), ne(users.role, "trust_user"), isNull(users.mfaSecret)))
    .run().changes;
}
