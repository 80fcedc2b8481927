/** What people type about inspectors: profiles, leave and conflicts of interest, and the message for each problem. */
import { describe, expect, it } from "vitest";
import {
  daysBetween,
  isRealDate,
  parseConflictInput,
  parseLeaveInput,
  parseProfileInput,
  yearsLater,
} from "../../app/scheduling/inspector-input";

const REGIONS = ["Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"];
const PROFILE = {
  homeRegionCode: "Y63",
  baseLabel: "Leeds office",
  baseTrustCode: "",
  skills: ["technical_testing"],
  maxVisitsPerWeek: "2",
  nonWorkingWeekdays: [] as string[],
};

describe("profiles", () => {
  it("accepts a good profile, normalising codes, skills and weekdays", () => {
    const parsed = parseProfileInput(
      { ...PROFILE, homeRegionCode: " y63 ", baseLabel: "  LS1 4AP ", baseTrustCode: "rr8", skills: ["governance_risk", "technical_testing", "governance_risk"], nonWorkingWeekdays: ["5", "1", "5"] },
      REGIONS,
    );
    expect(parsed).toEqual({
      ok: true,
      input: {
        homeRegionCode: "Y63",
        baseLabel: "LS1 4AP",
        baseTrustCode: "RR8",
        skills: ["technical_testing", "governance_risk"],
        maxVisitsPerWeek: 2,
        nonWorkingWeekdays: [1, 5],
      },
    });
  });

  it("takes a single ticked checkbox as a string, numbers from code, and no base trust as null", () => {
    const parsed = parseProfileInput({ ...PROFILE, skills: "governance_risk", maxVisitsPerWeek: 5, nonWorkingWeekdays: 3, baseTrustCode: undefined }, REGIONS);
    expect(parsed.ok && parsed.input).toMatchObject({ skills: ["governance_risk"], maxVisitsPerWeek: 5, nonWorkingWeekdays: [3], baseTrustCode: null });
  });

  it("says what is missing from an empty form", () => {
    expect(parseProfileInput({}, REGIONS)).toEqual({
      ok: false,
      errors: {
        homeRegionCode: "Select the home region",
        baseLabel: "Enter where the inspector is based, like an office or a postcode",
        skills: "Select at least one skill",
        maxVisitsPerWeek: "Enter the most visits the inspector can make in a week",
      },
    });
  });

  it("refuses values out of range, one message per field", () => {
    const parsed = parseProfileInput(
      {
        homeRegionCode: "W15",
        baseLabel: "x".repeat(101),
        baseTrustCode: "not a code",
        skills: ["technical_testing", "flying"],
        maxVisitsPerWeek: "6",
        nonWorkingWeekdays: ["1", "2", "3", "4", "5"],
      },
      REGIONS,
    );
    expect(parsed).toEqual({
      ok: false,
      errors: {
        homeRegionCode: "Select a home region from the list",
        baseLabel: "Where the inspector is based must be 100 characters or fewer",
        baseTrustCode: "Select a trust from the list",
        skills: "Select skills from the list",
        maxVisitsPerWeek: "The most visits in a week must be from 1 to 5",
        nonWorkingWeekdays: "Select no more than 4 days not worked: the inspector must work at least 1 day a week",
      },
    });
  });

  it.each([
    ["0", "The most visits in a week must be from 1 to 5"],
    ["2.5", "The most visits in a week must be a whole number, like 2"],
    ["two", "The most visits in a week must be a number, like 2"],
  ])("refuses %s visits a week", (value, message) => {
    const parsed = parseProfileInput({ ...PROFILE, maxVisitsPerWeek: value }, REGIONS);
    expect(parsed).toEqual({ ok: false, errors: { maxVisitsPerWeek: message } });
  });

  it.each([["0"], ["6"], ["Saturday"], ["1.5"]])("refuses %s as a weekday", (day) => {
    const parsed = parseProfileInput({ ...PROFILE, nonWorkingWeekdays: [day] }, REGIONS);
    expect(parsed).toEqual({ ok: false, errors: { nonWorkingWeekdays: "Select days from Monday to Friday" } });
  });

  it("accepts exactly 100 characters of base and 4 days not worked", () => {
    const parsed = parseProfileInput({ ...PROFILE, baseLabel: "x".repeat(100), nonWorkingWeekdays: ["1", "2", "3", "4"] }, REGIONS);
    expect(parsed.ok).toBe(true);
  });
});

describe("leave", () => {
  const TODAY = "2026-03-27";
  const LEAVE = { startDate: "2026-04-06", endDate: "2026-04-10", kind: "leave", note: "" };

  it("accepts a period, trimming the note", () => {
    expect(parseLeaveInput({ ...LEAVE, kind: "training", note: "  Course in Leeds " }, TODAY)).toEqual({
      ok: true,
      input: { startDate: "2026-04-06", endDate: "2026-04-10", kind: "training", note: "Course in Leeds" },
    });
    expect(parseLeaveInput({ ...LEAVE, endDate: "2026-04-06", note: undefined }, TODAY)).toMatchObject({ ok: true, input: { note: "" } });
  });

  it("says what is missing", () => {
    expect(parseLeaveInput({}, TODAY)).toEqual({
      ok: false,
      errors: {
        startDate: "Enter the date the leave starts",
        endDate: "Enter the date the leave ends",
        kind: "Select the kind of unavailability",
      },
    });
  });

  it("refuses dates that are not real, an end before the start, and a note too long", () => {
    expect(parseLeaveInput({ ...LEAVE, startDate: "2026-02-29", endDate: "not a date", kind: "holiday", note: "n".repeat(201) }, TODAY)).toEqual({
      ok: false,
      errors: {
        startDate: "The start date must be a real date",
        endDate: "The end date must be a real date",
        kind: "Select the kind of unavailability",
        note: "The note must be 200 characters or fewer",
      },
    });
    expect(parseLeaveInput({ ...LEAVE, endDate: "2026-04-05" }, TODAY)).toEqual({
      ok: false,
      errors: { endDate: "The end date must be the same as or after the start date" },
    });
  });

  it("takes at most 366 days in one period, both dates counted", () => {
    expect(parseLeaveInput({ ...LEAVE, startDate: "2026-04-01", endDate: "2027-04-01" }, TODAY).ok).toBe(true); // 366 days
    expect(parseLeaveInput({ ...LEAVE, startDate: "2026-04-01", endDate: "2027-04-02" }, TODAY)).toEqual({
      ok: false,
      errors: { endDate: "One period can be at most 366 days long: add a longer absence as more than one period" },
    });
  });

  it("takes a start up to 2 years from today, and no later", () => {
    expect(parseLeaveInput({ ...LEAVE, startDate: "2028-03-27", endDate: "2028-03-28" }, TODAY).ok).toBe(true);
    expect(parseLeaveInput({ ...LEAVE, startDate: "2028-03-28", endDate: "2028-03-28" }, TODAY)).toEqual({
      ok: false,
      errors: { startDate: "The start date must be no more than 2 years from today" },
    });
  });
});

describe("conflicts of interest", () => {
  const TODAY = "2026-03-27";

  it("accepts a trust, a reason and a date from today on", () => {
    expect(parseConflictInput({ trustCode: " rj1", reason: " Sister is its CIO ", until: TODAY }, TODAY)).toEqual({
      ok: true,
      input: { trustCode: "RJ1", reason: "Sister is its CIO", until: TODAY },
    });
  });

  it("says what is missing, and refuses a past date, a date that is not real and a reason too long", () => {
    expect(parseConflictInput({ trustCode: "", reason: "  ", until: "" }, TODAY)).toEqual({
      ok: false,
      errors: {
        trustCode: "Select the trust",
        reason: "Enter the reason for the conflict of interest",
        until: "Enter the date the conflict of interest lasts until",
      },
    });
    expect(parseConflictInput({ trustCode: "RJ1", reason: "r".repeat(501), until: "2026-03-26" }, TODAY)).toEqual({
      ok: false,
      errors: { reason: "The reason must be 500 characters or fewer", until: "The date the conflict lasts until must be today or later" },
    });
    expect(parseConflictInput({ trustCode: "RJ1", reason: "Reason", until: "2026-13-01" }, TODAY)).toEqual({
      ok: false,
      errors: { until: "The date the conflict lasts until must be a real date" },
    });
  });
});

describe("dates", () => {
  it("knows real dates, counts days and moves by years", () => {
    expect(isRealDate("2028-02-29")).toBe(true);
    expect(isRealDate("2027-02-29")).toBe(false);
    expect(isRealDate("2027-2-01")).toBe(false);
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // across the clock change
    expect(daysBetween("2026-03-30", "2026-03-28")).toBe(-2);
    expect(yearsLater("2026-03-27", 2)).toBe("2028-03-27");
    expect(yearsLater("2028-02-29", 1)).toBe("2029-03-01");
  });
});
