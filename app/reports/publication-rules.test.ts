import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { holidaySet, parseBankHolidaysCsv, workingDaysBetween } from "../scheduling/working-days";
import {
  ACCURACY_COMMENT_MAX,
  ACCURACY_WINDOW_WORKING_DAYS,
  accuracyCloseDate,
  checkCommentInput,
  cleanText,
  isWindowOpen,
  parseVersion,
  publicationStaffRefusal,
  publishRefusal,
  requiredText,
  withSuperseded,
} from "./publication-rules";

const holidays = holidaySet(parseBankHolidaysCsv(readFileSync(fileURLToPath(new URL("../../db/reference/bank-holidays-england-and-wales.csv", import.meta.url)), "utf8")));

describe("the factual accuracy window", () => {
  it("closes ten working days after the day it opens, that day not counted", () => {
    expect(ACCURACY_WINDOW_WORKING_DAYS).toBe(10);
    // Monday 2 March 2026 → Monday 16 March 2026.
    expect(accuracyCloseDate("2026-03-02", holidays)).toBe("2026-03-16");
    // Opened on a Saturday: the Monday after is the first of the ten.
    expect(accuracyCloseDate("2026-03-07", holidays)).toBe("2026-03-20");
  });

  it("steps over bank holidays: Easter 2026 (Good Friday 3 April, Easter Monday 6 April)", () => {
    // From Wednesday 1 April: Thursday 2, then 7–10 and 13–17 April → the tenth is Friday 17 April.
    expect(accuracyCloseDate("2026-04-01", holidays)).toBe("2026-04-17");
    expect(workingDaysBetween("2026-04-02", "2026-04-17", holidays)).toHaveLength(10);
    // Over Christmas 2026 (25 Dec Friday, 28 Dec Monday substitute for Boxing Day, 1 Jan): 22–24, 29–31 Dec, 4–7 Jan.
    expect(accuracyCloseDate("2026-12-21", holidays)).toBe("2027-01-07");
  });

  it("is open up to and including the close date, and never without one", () => {
    expect(isWindowOpen("2026-03-15", "2026-03-16")).toBe(true);
    expect(isWindowOpen("2026-03-16", "2026-03-16")).toBe(true);
    expect(isWindowOpen("2026-03-17", "2026-03-16")).toBe(false);
    expect(isWindowOpen("2026-03-01", null)).toBe(false);
  });
});

describe("who opens the check, decides comments, publishes and corrects", () => {
  const inspection = { reviewerId: "rev", teamIds: ["lead", "member"], conflicted: false };
  const user = (id: string, role: string, disabled = false) => ({ id, role, disabled });

  it("lets the inspection's reviewer and a programme lead not on the team", () => {
    expect(publicationStaffRefusal(user("rev", "inspector"), inspection, "publishes the report")).toBeNull();
    expect(publicationStaffRefusal(user("pl", "programme_lead"), inspection, "publishes the report")).toBeNull();
  });

  it("refuses the team, other inspectors, admins, trust users, disabled accounts and anyone with a conflict of interest", () => {
    expect(publicationStaffRefusal(user("lead", "inspector"), inspection, "publishes the report")).toMatch(/^Only the inspection's reviewer/);
    expect(publicationStaffRefusal(user("member", "inspector"), inspection, "publishes the report")).toMatch(/^Only the inspection's reviewer/);
    expect(publicationStaffRefusal(user("other", "inspector"), inspection, "publishes the report")).toBe(
      "Only the inspection's reviewer, or a programme lead who was not on the visit, publishes the report",
    );
    expect(publicationStaffRefusal(user("admin", "admin"), inspection, "decides")).toMatch(/^Only/);
    expect(publicationStaffRefusal(user("trust", "trust_user"), inspection, "decides")).toMatch(/^Only/);
    expect(publicationStaffRefusal(user("rev", "inspector", true), inspection, "decides")).toMatch(/^Only/);
    // A programme lead who was on the visit's team.
    expect(publicationStaffRefusal(user("lead", "programme_lead"), inspection, "decides the trust's comments")).toMatch(/^The visit's team cannot decide about its own report/);
    expect(publicationStaffRefusal(user("rev", "inspector"), { ...inspection, conflicted: true }, "decides")).toMatch(/conflict of interest/);
    expect(publicationStaffRefusal(user("pl", "programme_lead"), { ...inspection, conflicted: true }, "decides")).toMatch(/conflict of interest/);
  });
});

describe("when the report may be published", () => {
  const state = { status: "factual_accuracy", undecided: 0, today: "2026-03-17", closesOn: "2026-03-16", trustFinished: false };

  it("is after the close date with every comment decided", () => {
    expect(publishRefusal(state)).toBeNull();
  });

  it("is refused while a comment is undecided, whatever the date or confirmation", () => {
    expect(publishRefusal({ ...state, undecided: 1 })).toBe("Decide every comment from the trust first: 1 comment is not decided yet");
    expect(publishRefusal({ ...state, undecided: 3, trustFinished: true })).toBe("Decide every comment from the trust first: 3 comments are not decided yet");
  });

  it("before the close date, only when the publisher confirms the trust has finished", () => {
    const open = { ...state, today: "2026-03-16" };
    expect(publishRefusal(open, (d) => `«${d}»`)).toBe(
      "The trust can comment until «2026-03-16»: publish after that, or confirm that the trust has told you it has finished checking",
    );
    expect(publishRefusal({ ...open, trustFinished: true })).toBeNull();
  });

  it("only from the factual accuracy check", () => {
    expect(publishRefusal({ ...state, status: "approved" })).toMatch(/after the trust's factual accuracy check/);
    expect(publishRefusal({ ...state, status: "in_review" })).toMatch(/after the trust's factual accuracy check/);
    expect(publishRefusal({ ...state, status: "published" })).toBe("The report is already published");
  });
});

describe("a trust's comment", () => {
  it("is accepted with a part, a category and text; a finding only for the finding part", () => {
    expect(checkCommentInput({ part: "summary", category: "typing_error", text: "  Our name is misspelt.\u0000 ", findingId: "f1" })).toEqual({
      ok: true,
      value: { part: "summary", findingId: null, category: "typing_error", text: "Our name is misspelt." },
    });
    expect(checkCommentInput({ part: "finding", findingId: "f1", category: "omitted_evidence", text: "We showed the policy." })).toEqual({
      ok: true,
      value: { part: "finding", findingId: "f1", category: "omitted_evidence", text: "We showed the policy." },
    });
  });

  it("lists every problem by field", () => {
    expect(checkCommentInput({ part: "cover", category: "opinion", text: " " })).toEqual({
      ok: false,
      errors: { part: "Choose which part of the report your comment is about", category: "Choose what kind of comment it is", text: "Write your comment" },
    });
    expect(checkCommentInput({ part: "finding", findingId: "", category: "inaccurate_fact", text: "x".repeat(ACCURACY_COMMENT_MAX + 1) })).toEqual({
      ok: false,
      errors: { findingId: "Choose the finding your comment is about", text: "Your comment must be 2,000 characters or fewer" },
    });
    expect(checkCommentInput({ part: "method", category: "inaccurate_fact", text: "x".repeat(ACCURACY_COMMENT_MAX) }).ok).toBe(true);
    expect(checkCommentInput({ part: 7, category: null, text: undefined }).ok).toBe(false);
  });

  it("text is NFC with control characters removed (tab and new line kept), then trimmed and capped", () => {
    expect(cleanText("Cafe\u0301\r\nB\u0007\tC")).toBe("Café\nB\tC");
    expect(requiredText(" \n ", 5, { empty: "empty", long: "long" })).toEqual({ ok: false, error: "empty" });
    expect(requiredText("abcdef", 5, { empty: "empty", long: "long" })).toEqual({ ok: false, error: "long" });
    // Counted once cleaned: the decomposed é is one character in NFC.
    expect(requiredText("abcde\u0301", 5, { empty: "empty", long: "long" })).toEqual({ ok: true, text: "abcdé" });
  });
});

describe("report versions", () => {
  it("every version but the latest is superseded", () => {
    expect(withSuperseded([{ version: 2 }, { version: 1 }, { version: 3 }]).map((v) => [v.version, v.superseded])).toEqual([
      [2, true],
      [1, true],
      [3, false],
    ]);
    expect(withSuperseded([{ version: 1 }])).toEqual([{ version: 1, superseded: false }]);
    expect(withSuperseded([])).toEqual([]);
  });

  it("a version in a URL is a whole positive number written plainly", () => {
    expect(parseVersion("1")).toBe(1);
    expect(parseVersion("12")).toBe(12);
    for (const bad of ["0", "01", "1.5", "-1", "abc", "", undefined, "1e3", "9999999"]) expect(parseVersion(bad), String(bad)).toBeNull();
  });
});
