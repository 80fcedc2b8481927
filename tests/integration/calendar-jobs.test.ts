/**
 * The hourly calendar job (app/calendar-jobs.server.ts), on a fresh copy of the demo database with its clock moved on
 * a month: it records the day's action indicators as the actions stand then (more of the demo trusts' actions
 * overdue), once however many times it runs, and stops when told; and it sweeps the rows of ended sessions.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCalendarJobs } from "../../app/calendar-jobs.server";
import type { Db } from "../../app/db.server";
import { computeActionIndicators } from "../../app/portal/actions.server";
import { todayInLondon } from "../../app/trusts/register.server";
import { useFreshDatabase } from "../support/database";

let db: Db;
let stop: (() => void) | undefined;
const MONTH_ON = new Date(Date.now() + 30 * 86_400_000);

beforeAll(() => {
  ({ db } = useFreshDatabase());
});
afterEach(() => stop?.());

const observations = (on: string) =>
  db.$client
    .prepare("SELECT trust_code AS trustCode, indicator_code AS code, numeric_value AS value FROM indicator_observations WHERE observed_on = ? AND import_id LIKE 'deep-dive-actions-%' ORDER BY 1, 2")
    .all(on) as { trustCode: string; code: string; value: number }[];

describe("the calendar job", () => {
  it("records the day's action indicators as they stand that day, once, and stops when told", async () => {
    const on = todayInLondon(MONTH_ON);
    expect(observations(on)).toEqual([]);
    const expected = computeActionIndicators(db, MONTH_ON).flatMap((t) => [
      { trustCode: t.trustCode, code: "open_gaps_weighted", value: t.openGapPoints },
      { trustCode: t.trustCode, code: "overdue_actions", value: t.overdueActions },
    ]);
    expect(expected.map((e) => e.trustCode)).toContain("RJ1");
    let ticks = 0;
    stop = startCalendarJobs({
      db,
      everyMs: 25,
      now: () => {
        ticks += 1;
        return MONTH_ON;
      },
    });
    await expect.poll(() => observations(on)).toEqual(expected);
    // Later runs the same day find the values unchanged and record nothing more.
    const after = ticks;
    await expect.poll(() => ticks).toBeGreaterThan(after + 3);
    expect(observations(on)).toEqual(expected);
    stop();
    const stoppedAt = ticks;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(ticks).toBe(stoppedAt);
  });

  it("deletes the rows of sessions past their idle or absolute limit and of sign-ins left halfway, and keeps the rest", async () => {
    const now = new Date();
    const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
    const user = db.$client.prepare("SELECT id FROM users WHERE email = 'trust.rj1@deepdive.test'").get() as { id: string };
    const addSession = (idHash: string, createdAt: string, lastSeenAt: string) =>
      db.$client.prepare("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)").run(idHash, user.id, createdAt, lastSeenAt);
    addSession("active", ago(60), ago(5));
    addSession("idle", ago(60), ago(31));
    addSession("too-old", ago(12 * 60 + 1), ago(1));
    const addChallenge = (idHash: string, createdAt: string) =>
      db.$client.prepare("INSERT INTO sign_in_challenges (id_hash, user_id, created_at) VALUES (?, ?, ?)").run(idHash, user.id, createdAt);
    addChallenge("fresh", ago(2));
    addChallenge("stale", ago(11));
    const hashes = (table: string) => (db.$client.prepare(`SELECT id_hash AS h FROM ${table} WHERE id_hash IN ('active', 'idle', 'too-old', 'fresh', 'stale') ORDER BY 1`).all() as { h: string }[]).map((r) => r.h);
    stop = startCalendarJobs({ db, everyMs: 25, now: () => now });
    await expect.poll(() => hashes("sessions")).toEqual(["active"]);
    await expect.poll(() => hashes("sign_in_challenges")).toEqual(["fresh"]);
  });
});