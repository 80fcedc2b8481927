import { describe, expect, it } from "vitest";
import { BUILT_IN_INDICATORS } from "./indicator-catalogue";
import {
  canonicalCategory,
  dsptPeriodInName,
  dsptYearEnd,
  londonToday,
  normaliseDsptStatus,
  normaliseIndicatorValue,
  parseDecimal,
  parseObservationDate,
  type IndicatorRules,
} from "./indicator-csv";

const builtIn = (code: string): IndicatorRules => {
  const found = BUILT_IN_INDICATORS.find((i) => i.code === code);
  if (!found) throw new Error(code);
  return found;
};
const value = (code: string, raw: string) => normaliseIndicatorValue(builtIn(code), raw);
const error = (code: string, raw: string) => {
  const result = value(code, raw);
  if (result.ok) throw new Error(`accepted ${raw}`);
  return result.error;
};

describe("category values", () => {
  it("are matched ignoring case, spaces and hyphens; the number is the position, best first", () => {
    expect(value("dspt_status", "exceeded")).toEqual({ ok: true, value: "exceeded", numericValue: 0, period: null });
    expect(value("dspt_status", " Not Met ")).toEqual({ ok: true, value: "not_met", numericValue: 3, period: null });
    expect(value("dspt_status", "NOT-PUBLISHED")).toEqual({ ok: true, value: "not_published", numericValue: 4, period: null });
    expect(canonicalCategory("  Not   Fully-Met ")).toBe("not_fully_met");
  });

  it("take DSPT statuses in NHS England's wording, with the year they name", () => {
    expect(value("dspt_status", "22/23 Standards Met")).toEqual({ ok: true, value: "met", numericValue: 1, period: "2022/23" });
    expect(value("dspt_status", "Approaching Standards")).toEqual({ ok: true, value: "approaching", numericValue: 2, period: null });
  });

  it("refuse anything else, and an empty value", () => {
    expect(error("dspt_status", "Good")).toBe('"Good" is not a category of dspt_status (exceeded, met, approaching, not_met, not_published)');
    expect(error("dspt_status", "  ")).toBe("the value for dspt_status is empty");
    const custom: IndicatorRules = { code: "backup_rating", valueType: "category", categories: ["good", "fair", "poor"] };
    expect(normaliseIndicatorValue(custom, "Fair")).toEqual({ ok: true, value: "fair", numericValue: 1, period: null });
    // DSPT wording only counts for the DSPT list.
    expect(normaliseIndicatorValue(custom, "Standards Met").ok).toBe(false);
  });
});

describe("percentages", () => {
  it("are numbers from 0 to 100, stored in canonical form", () => {
    expect(value("unsupported_devices_pct", "73.36116336")).toEqual({ ok: true, value: "73.36116336", numericValue: 73.36116336, period: null });
    expect(value("unsupported_devices_pct", "0")).toMatchObject({ value: "0", numericValue: 0 });
    expect(value("unsupported_devices_pct", "100")).toMatchObject({ value: "100" });
    expect(value("unsupported_devices_pct", "05.50")).toMatchObject({ value: "5.5", numericValue: 5.5 });
    expect(value("unsupported_devices_pct", "12.5 %")).toMatchObject({ value: "12.5" });
    expect(value("unsupported_devices_pct", ".5")).toMatchObject({ value: "0.5" });
    expect(value("unsupported_devices_pct", "-0")).toMatchObject({ value: "0" });
  });

  it("refuse out-of-range and non-numbers", () => {
    expect(error("unsupported_devices_pct", "100.01")).toBe('"100.01" for unsupported_devices_pct is not a percentage from 0 to 100');
    expect(error("unsupported_devices_pct", "-1")).toContain("is not a percentage from 0 to 100");
    for (const bad of ["abc", "1e2", "NaN", "Infinity", "12.5.1", "#N/A", "0x10"]) expect(value("unsupported_devices_pct", bad).ok).toBe(false);
  });

  it("keep to a narrower range an indicator sets", () => {
    const rules: IndicatorRules = { code: "narrow_pct", valueType: "percentage", minValue: 10, maxValue: 50 };
    expect(normaliseIndicatorValue(rules, "50").ok).toBe(true);
    expect(normaliseIndicatorValue(rules, "9.9")).toEqual({ ok: false, error: '"9.9" for narrow_pct is not a percentage from 10 to 50' });
  });
});

describe("counts", () => {
  it("are whole numbers from 0 to the indicator's maximum", () => {
    expect(value("incidents_12m", "0")).toEqual({ ok: true, value: "0", numericValue: 0, period: null });
    expect(value("incidents_12m", "1000")).toMatchObject({ value: "1000", numericValue: 1000 });
    expect(value("incidents_12m", "007")).toMatchObject({ value: "7" });
    expect(value("incidents_12m", "3.0")).toMatchObject({ value: "3" });
    expect(value("overdue_actions", "1,250")).toMatchObject({ value: "1250", numericValue: 1250 });
  });

  it("refuse fractions, negatives and values over the maximum", () => {
    expect(error("incidents_12m", "2.5")).toBe('"2.5" for incidents_12m is not a whole number from 0 to 1000');
    expect(error("incidents_12m", "-1")).toContain("not a whole number from 0 to 1000");
    expect(error("incidents_12m", "1001")).toContain("not a whole number from 0 to 1000");
    expect(error("unacked_high_alerts_48h", "many")).toContain("not a whole number");
    expect(normaliseIndicatorValue({ code: "open_ended", valueType: "count" }, "5").ok).toBe(true);
    expect(normaliseIndicatorValue({ code: "open_ended", valueType: "count" }, "-5")).toEqual({
      ok: false,
      error: '"-5" for open_ended is not a whole number 0 or more',
    });
  });
});

describe("yes/no values", () => {
  it("take 1/0, true/false, yes/no in any case, stored as 1 or 0", () => {
    for (const yes of ["1", "true", "TRUE", "Yes", "y"]) expect(value("ceplus_current", yes)).toEqual({ ok: true, value: "1", numericValue: 1, period: null });
    for (const no of ["0", "false", "No", "N"]) expect(value("ceplus_current", no)).toEqual({ ok: true, value: "0", numericValue: 0, period: null });
  });

  it("refuse anything else", () => {
    expect(error("ceplus_current", "2")).toBe('"2" for ceplus_current is not yes or no (use 1 or 0, true or false, yes or no)');
    expect(value("ceplus_current", "maybe").ok).toBe(false);
  });
});

describe("DSPT statuses as NHS England publishes them", () => {
  it.each([
    ["22/23 Standards Met", "met", "2022/23"],
    ["21/22 Approaching Standards", "approaching", "2021/22"],
    ["21/22 Standards Exceeded", "exceeded", "2021/22"],
    ["21/22 Standards Not Met", "not_met", "2021/22"],
    ["Standards Exceeded", "exceeded", null],
    ["Standards Not Met", "not_met", null],
    ["Not Met", "not_met", null],
    ["Not Published", "not_published", null],
    ["N/A", "not_published", null],
    ["#N/A", "not_published", null],
    ["", "not_published", null],
    ["  22/23   standards   MET ", "met", "2022/23"],
    ["2023/24 Standards Met", "met", "2023/24"],
    ["2023-24 Approaching Standards", "approaching", "2023/24"],
    ["19/20 Standards Not Fully Met (Plan Agreed)", "approaching", "2019/20"],
    ["not_met", "not_met", null],
  ])("%j is %s (%s)", (raw, status, period) => {
    expect(normaliseDsptStatus(raw)).toEqual({ ok: true, value: status, period });
  });

  it("refuse other wording and impossible years", () => {
    expect(normaliseDsptStatus("Standards Partly Met")).toEqual({ ok: false, error: '"Standards Partly Met" is not a DSPT status (such as "22/23 Standards Met")' });
    expect(normaliseDsptStatus("22/24 Standards Met")).toEqual({ ok: false, error: '"22/24 Standards Met" names a year that is not a DSPT year such as 22/23' });
  });

  it("end their year on 30 June after the year named", () => {
    expect(dsptYearEnd("2021/22")).toBe("2022-06-30");
    expect(dsptYearEnd("2022/23")).toBe("2023-06-30");
    expect(dsptYearEnd("2022/24")).toBeNull();
    expect(dsptYearEnd("22/23")).toBeNull();
  });

  it("can take their year from a file name", () => {
    expect(dsptPeriodInName("dspt_trusts_2021-22_snapshot_2022-09-09.csv")).toBe("2021/22");
    expect(dsptPeriodInName("dspt_trusts_2022_23.csv")).toBe("2022/23");
    expect(dsptPeriodInName("snapshot_2022-09-09.csv")).toBeNull();
    expect(dsptPeriodInName("values.csv")).toBeNull();
  });
});

describe("dates", () => {
  const today = "2026-11-30";
  it("are yyyy-mm-dd or dd/mm/yyyy, and real", () => {
    expect(parseObservationDate("2023-06-30", today)).toEqual({ ok: true, date: "2023-06-30" });
    expect(parseObservationDate("30/06/2023", today)).toEqual({ ok: true, date: "2023-06-30" });
    expect(parseObservationDate(" 1/6/2023 ", today)).toEqual({ ok: true, date: "2023-06-01" });
    expect(parseObservationDate("2024-02-29", today)).toEqual({ ok: true, date: "2024-02-29" });
    expect(parseObservationDate("2026-11-30", today)).toEqual({ ok: true, date: "2026-11-30" });
  });

  it("refuse impossible, future, ancient, empty and other forms", () => {
    expect(parseObservationDate("2023-02-29", today)).toEqual({ ok: false, error: 'the date "2023-02-29" is not a real date' });
    expect(parseObservationDate("31/04/2023", today)).toEqual({ ok: false, error: 'the date "31/04/2023" is not a real date' });
    expect(parseObservationDate("2023-13-01", today)).toMatchObject({ ok: false });
    expect(parseObservationDate("2026-12-01", today)).toEqual({ ok: false, error: 'the date "2026-12-01" is in the future' });
    expect(parseObservationDate("1999-12-31", today)).toEqual({ ok: false, error: 'the date "1999-12-31" is before 2000: check the year' });
    expect(parseObservationDate("", today)).toEqual({ ok: false, error: "the date is empty" });
    for (const other of ["2023/06/30", "06/30/2023x", "30-06-2023", "2023-6-30", "30 June 2023", "2023-06-30T00:00:00Z"]) {
      expect(parseObservationDate(other, today)).toMatchObject({ ok: false, error: expect.stringContaining("not in the form yyyy-mm-dd or dd/mm/yyyy") });
    }
  });

  it("count today in England", () => {
    expect(londonToday(new Date("2026-06-30T23:30:00Z"))).toBe("2026-07-01"); // BST
    expect(londonToday(new Date("2026-12-31T23:30:00Z"))).toBe("2026-12-31"); // GMT
  });
});

describe("numbers", () => {
  it("are plain decimals only", () => {
    expect(parseDecimal(" 12 ")).toBe(12);
    expect(parseDecimal("1,234,567.5")).toBe(1234567.5);
    expect(parseDecimal("12,34")).toBeNull();
    expect(parseDecimal("")).toBeNull();
    expect(parseDecimal("1e3")).toBeNull();
  });
});
