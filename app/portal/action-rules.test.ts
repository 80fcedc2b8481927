import { describe, expect, it } from "vitest";
import {
  ACTION_NOTE_MAX,
  ACTION_STATUSES,
  ALLOWED_TRANSITIONS,
  canMove,
  checkActionUpdate,
  cleanNote,
  overdueStatus,
  overdueText,
  statusOptions,
  workingDaysAfter,
  type ActionStatus,
} from "./action-rules";
import { BUILT_IN_CODES, BUILT_IN_INDICATORS } from "../risk/indicator-catalogue";
import { ACTION_INDICATOR_CODES, GAP_SEVERITY_POINTS } from "./action-indicators";
import { SEVERITIES } from "../baseline/rating";

// Christmas 2026: Friday 25 December and Monday 28 December (Boxing Day's substitute) are bank holidays.
const HOLIDAYS = new Set(["2026-12-25", "2026-12-28", "2027-01-01"]);
const NONE = new Set<string>();

describe("working days after the due date", () => {
  it("counts the working days after the due date up to and including today", () => {
    // Due Monday 2 November 2026.
    expect(workingDaysAfter("2026-11-02", "2026-11-01", NONE)).toBe(0);
    expect(workingDaysAfter("2026-11-02", "2026-11-02", NONE)).toBe(0);
    expect(workingDaysAfter("2026-11-02", "2026-11-03", NONE)).toBe(1);
    expect(workingDaysAfter("2026-11-02", "2026-11-06", NONE)).toBe(4);
    // The weekend does not count: Friday to Monday is one working day.
    expect(workingDaysAfter("2026-11-06", "2026-11-07", NONE)).toBe(0);
    expect(workingDaysAfter("2026-11-06", "2026-11-08", NONE)).toBe(0);
    expect(workingDaysAfter("2026-11-06", "2026-11-09", NONE)).toBe(1);
  });

  it("skips bank holidays: due Thursday 24 December 2026, the next working day is Tuesday 29 December", () => {
    expect(workingDaysAfter("2026-12-24", "2026-12-25", HOLIDAYS)).toBe(0);
    expect(workingDaysAfter("2026-12-24", "2026-12-28", HOLIDAYS)).toBe(0);
    expect(workingDaysAfter("2026-12-24", "2026-12-29", HOLIDAYS)).toBe(1);
    // 29, 30, 31 December and 4 January (1 January is a holiday, then a weekend).
    expect(workingDaysAfter("2026-12-24", "2027-01-04", HOLIDAYS)).toBe(4);
    // Without the holidays the same span has 7 working days (25, 28, 29, 30, 31 December, 1 and 4 January).
    expect(workingDaysAfter("2026-12-24", "2027-01-04", NONE)).toBe(7);
  });

  it("refuses dates that are not real", () => {
    expect(() => workingDaysAfter("2026-02-30", "2026-03-02", NONE)).toThrow(RangeError);
    expect(() => workingDaysAfter("2026-03-02", "soon", NONE)).toThrow(RangeError);
  });
});

describe("overdue", () => {
  it("is overdue only when not done and a working day has passed after the due date", () => {
    expect(overdueStatus({ status: "open", dueOn: "2026-12-24" }, "2026-12-28", HOLIDAYS)).toEqual({ overdue: false, workingDays: 0 });
    expect(overdueStatus({ status: "open", dueOn: "2026-12-24" }, "2026-12-30", HOLIDAYS)).toEqual({ overdue: true, workingDays: 2 });
    expect(overdueStatus({ status: "in_progress", dueOn: "2026-12-24" }, "2026-12-30", HOLIDAYS)).toEqual({ overdue: true, workingDays: 2 });
    expect(overdueStatus({ status: "done", dueOn: "2026-12-24" }, "2027-06-30", HOLIDAYS)).toEqual({ overdue: false, workingDays: 0 });
  });

  it("says it in words", () => {
    expect(overdueText(1)).toBe("Overdue by 1 working day");
    expect(overdueText(12)).toBe("Overdue by 12 working days");
    expect(overdueText(1250)).toBe("Overdue by 1,250 working days");
  });
});

describe("status transitions", () => {
  it("allows open ↔ in progress, either to done, and reopening a done action as in progress only", () => {
    const allowed = ACTION_STATUSES.flatMap((from) => ACTION_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      ["open→open", "open→in_progress", "open→done", "in_progress→in_progress", "in_progress→open", "in_progress→done", "done→done", "done→in_progress"].sort(),
    );
    expect(canMove("done", "open")).toBe(false);
    for (const from of ACTION_STATUSES) expect(ALLOWED_TRANSITIONS[from]).toContain(from);
  });

  it("offers only the statuses the action may move to", () => {
    expect(statusOptions("open").map((o) => o.value)).toEqual(["open", "in_progress", "done"]);
    expect(statusOptions("done").map((o) => o.value)).toEqual(["in_progress", "done"]);
    expect(statusOptions("done").find((o) => o.value === "in_progress")!.hint).toMatch(/Reopen/);
  });
});

describe("checking an update", () => {
  const today = "2026-11-30";
  const context = (current: ActionStatus) => ({ current, today, earliest: "2026-03-12" });
  const check = (current: ActionStatus, form: Partial<{ status: string; note: string; progressOn: string }>) =>
    checkActionUpdate({ status: "", note: "", progressOn: "", ...form }, context(current));

  it("accepts a move to in progress without a note or a date", () => {
    expect(check("open", { status: "in_progress" })).toEqual({ ok: true, values: { status: "in_progress", note: "", progressOn: null } });
  });

  it("accepts a note on its own (the same status), and refuses the same status with nothing to say", () => {
    expect(check("in_progress", { status: "in_progress", note: "  Supplier engaged.  ", progressOn: "2026-11-27" })).toEqual({
      ok: true,
      values: { status: "in_progress", note: "Supplier engaged.", progressOn: "2026-11-27" },
    });
    expect(check("in_progress", { status: "in_progress" })).toEqual({ ok: false, errors: { note: "Enter a progress note, or choose a different status" } });
  });

  it("needs a note and the date when marking done, and a reason when reopening", () => {
    expect(check("in_progress", { status: "done" })).toEqual({
      ok: false,
      errors: { note: "Say what was done to complete the action", progressOn: "Enter the date the action was done" },
    });
    expect(check("open", { status: "done", note: "MFA on for every admin account.", progressOn: "2026-11-30" }).ok).toBe(true);
    expect(check("done", { status: "in_progress" })).toEqual({ ok: false, errors: { note: "Say why the action is being reopened" } });
    expect(check("done", { status: "in_progress", note: "Audit found two accounts without MFA." }).ok).toBe(true);
    // A note on a done action needs no new date.
    expect(check("done", { status: "done", note: "Checked again in the quarterly audit." }).ok).toBe(true);
  });

  it("refuses a status that is not offered, or none", () => {
    expect(check("open", {}).ok).toBe(false);
    expect(check("open", {})).toMatchObject({ errors: { status: "Choose the action's status" } });
    expect(check("open", { status: "closed", note: "x" })).toMatchObject({ errors: { status: "Choose the action's status" } });
    expect(check("done", { status: "open", note: "x" })).toMatchObject({ errors: { status: "A done action can be reopened as in progress, not as open" } });
  });

  it("cleans the note and caps its length once cleaned", () => {
    expect(cleanNote("  Cafe\u0301\r\nline two\u0000\u0007\tend  ")).toBe("Café\nline two\tend");
    const exact = "é".repeat(ACTION_NOTE_MAX);
    expect(check("open", { status: "in_progress", note: exact }).ok).toBe(true);
    // "e" + combining acute is two characters typed and one once cleaned (NFC).
    expect(check("open", { status: "in_progress", note: "e\u0301".repeat(ACTION_NOTE_MAX) }).ok).toBe(true);
    expect(check("open", { status: "in_progress", note: exact + "x" })).toEqual({ ok: false, errors: { note: "The progress note must be 2,000 characters or fewer" } });
  });

  it("refuses a progress date that is not real, in the future or before the visit", () => {
    expect(check("open", { status: "in_progress", progressOn: "not a date" })).toMatchObject({ errors: { progressOn: "The date of the progress must be a real date, for example 27 3 2026" } });
    expect(check("open", { status: "in_progress", progressOn: "2026-02-30" }).ok).toBe(false);
    expect(check("open", { status: "in_progress", progressOn: "2026-12-01" })).toMatchObject({ errors: { progressOn: "The date of the progress must be today or in the past" } });
    expect(check("open", { status: "in_progress", progressOn: today }).ok).toBe(true);
    expect(check("open", { status: "in_progress", progressOn: "2026-03-11" })).toMatchObject({ errors: { progressOn: "The date of the progress must be on or after the visit, 12 March 2026" } });
    expect(check("open", { status: "in_progress", progressOn: "2026-03-12" }).ok).toBe(true);
  });

  it("lists every problem at once", () => {
    const result = check("done", { status: "open", note: "x".repeat(ACTION_NOTE_MAX + 1), progressOn: "2099-01-01" });
    expect(result.ok).toBe(false);
    expect(Object.keys(result.ok ? {} : result.errors)).toEqual(["status", "note", "progressOn"]);
  });
});

describe("the action indicators", () => {
  it("are built-in computed count indicators of the catalogue", () => {
    for (const code of Object.values(ACTION_INDICATOR_CODES)) {
      expect(BUILT_IN_CODES.has(code)).toBe(true);
      expect(BUILT_IN_INDICATORS.find((i) => i.code === code)).toMatchObject({ valueType: "count", origin: "computed", higherIsWorse: true, minValue: 0 });
    }
  });

  it("weigh an open gap by its severity, critical heaviest", () => {
    expect(SEVERITIES.map((s) => GAP_SEVERITY_POINTS[s])).toEqual([4, 3, 2, 1]);
  });
});
