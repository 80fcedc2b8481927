/**
 * The hourly calendar job (app/calendar-jobs.server.ts), on a fresh copy of the demo database with its clock moved on
 * a month: it records the day's action indicators as the actions stand then (more of the demo trusts' actions
 * overdue), once however many times it runs, and stops when told.
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
});
