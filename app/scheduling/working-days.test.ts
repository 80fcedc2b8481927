import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  addCalendarDays,
  addWorkingDays,
  BankHolidaysCsvError,
  holidaySet,
  isCalendarDate,
  isoWeek,
  isWeekend,
  isWorkingDay,
  nextWorkingDay,
  parseBankHolidaysCsv,
  previousWorkingDay,
  workingDaysBetween,
} from "./working-days";

const csvPath = fileURLToPath(new URL("../../db/reference/bank-holidays-england-and-wales.csv", import.meta.url));
const shipped = parseBankHolidaysCsv(readFileSync(csvPath, "utf8"));
const holidays = holidaySet(shipped);

const problemsOf = (text: string) => {
  try {
    parseBankHolidaysCsv(text);
  } catch (error) {
    if (error instanceof BankHolidaysCsvError) return error.problems;
    throw error;
  }
  throw new Error("accepted");
};

describe("the shipped England and Wales bank holidays", () => {
  it("has 8 holidays in each year 2025 to 2028 and nothing else", () => {
    const perYear = new Map<string, number>();
    for (const h of shipped) perYear.set(h.date.slice(0, 4), (perYear.get(h.date.slice(0, 4)) ?? 0) + 1);
    expect(Object.fromEntries(perYear)).toEqual({ "2025": 8, "2026": 8, "2027": 8, "2028": 8 });
  });

  it("falls on weekdays only, substitute days included", () => {
    expect(shipped.filter((h) => isWeekend(h.date))).toEqual([]);
  });

  it("has Easter 2026 and the substitute days of Christmas 2026, Christmas 2027 and New Year 2028", () => {
    const byDate = new Map(shipped.map((h) => [h.date, h]));
    expect(byDate.get("2026-04-03")).toEqual({ date: "2026-04-03", title: "Good Friday", notes: null });
    expect(byDate.get("2026-04-06")).toEqual({ date: "2026-04-06", title: "Easter Monday", notes: null });
    expect(byDate.get("2026-12-28")).toEqual({ date: "2026-12-28", title: "Boxing Day", notes: "Substitute day" });
    expect(byDate.get("2027-12-27")).toEqual({ date: "2027-12-27", title: "Christmas Day", notes: "Substitute day" });
    expect(byDate.get("2027-12-28")).toEqual({ date: "2027-12-28", title: "Boxing Day", notes: "Substitute day" });
    expect(byDate.get("2028-01-03")).toEqual({ date: "2028-01-03", title: "New Year’s Day", notes: "Substitute day" });
    expect(shipped.filter((h) => h.notes !== null).map((h) => h.date)).toEqual(["2026-12-28", "2027-12-27", "2027-12-28", "2028-01-03"]);
  });

  it("puts Good Friday and Easter Monday around each Easter Sunday", () => {
    for (const easter of ["2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16"]) {
      expect(holidays.has(addCalendarDays(easter, -2))).toBe(true);
      expect(holidays.has(addCalendarDays(easter, 1))).toBe(true);
    }
  });
});

describe("isWorkingDay", () => {
  it("is false on the bank holidays, true on the weekdays around them", () => {
    for (const date of ["2026-04-03", "2026-04-06", "2026-12-25", "2026-12-28", "2027-12-27", "2027-12-28", "2028-01-03"]) {
      expect(isWorkingDay(date, holidays), date).toBe(false);
    }
    for (const date of ["2026-04-02", "2026-04-07", "2026-12-24", "2026-12-29", "2027-12-24", "2027-12-29", "2027-12-31", "2028-01-04"]) {
      expect(isWorkingDay(date, holidays), date).toBe(true);
    }
  });

  it("is false at weekends, with or without holidays", () => {
    expect(isWeekend("2026-04-04")).toBe(true); // Saturday
    expect(isWeekend("2026-04-05")).toBe(true); // Sunday
    expect(isWeekend("2026-04-06")).toBe(false); // Monday
    expect(isWorkingDay("2026-12-26", holidays)).toBe(false); // Boxing Day itself, a Saturday
    expect(isWorkingDay("2026-06-13", new Set())).toBe(false);
    expect(isWorkingDay("2026-06-15", new Set())).toBe(true);
  });

  it("refuses anything but a real yyyy-mm-dd date", () => {
    for (const bad of ["2026-02-29", "2026-4-3", "2026-04-03T00:00:00Z", "03/04/2026", "", "2026-13-01", "2026-04-31"]) {
      expect(isCalendarDate(bad), bad).toBe(false);
      expect(() => isWorkingDay(bad, holidays), bad).toThrow(RangeError);
    }
    expect(isCalendarDate("2028-02-29")).toBe(true);
  });
});

describe("addWorkingDays", () => {
  it("steps over Easter 2026", () => {
    expect(addWorkingDays("2026-04-02", 1, holidays)).toBe("2026-04-07");
    expect(addWorkingDays("2026-04-02", 2, holidays)).toBe("2026-04-08");
    expect(addWorkingDays("2026-04-01", 1, holidays)).toBe("2026-04-02");
  });

  it("steps over Christmas 2026 and 2027 and New Year 2028, substitute days included", () => {
    expect(addWorkingDays("2026-12-24", 1, holidays)).toBe("2026-12-29");
    expect(addWorkingDays("2027-12-24", 1, holidays)).toBe("2027-12-29");
    expect(addWorkingDays("2027-12-31", 1, holidays)).toBe("2028-01-04");
    expect(addWorkingDays("2027-12-24", 4, holidays)).toBe("2028-01-04"); // 29, 30, 31 Dec, then 4 Jan
  });

  it("counts backward for negative n", () => {
    expect(addWorkingDays("2026-04-07", -1, holidays)).toBe("2026-04-02");
    expect(addWorkingDays("2026-12-29", -1, holidays)).toBe("2026-12-24");
    expect(addWorkingDays("2028-01-04", -1, holidays)).toBe("2027-12-31");
    expect(addWorkingDays("2028-01-04", -2, holidays)).toBe("2027-12-30");
    expect(addWorkingDays("2026-06-15", -1, holidays)).toBe("2026-06-12"); // Monday - 1 = Friday
  });

  it("crosses the March and October clock changes without gaining or losing a day", () => {
    expect(addWorkingDays("2026-03-27", 1, holidays)).toBe("2026-03-30"); // clocks go forward 29 March
    expect(addWorkingDays("2026-10-23", 1, holidays)).toBe("2026-10-26"); // clocks go back 25 October
    expect(addWorkingDays("2026-03-30", -1, holidays)).toBe("2026-03-27");
    expect(addWorkingDays("2026-10-26", -1, holidays)).toBe("2026-10-23");
    expect(addCalendarDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addCalendarDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addCalendarDays("2026-10-25", 1)).toBe("2026-10-26");
    expect(workingDaysBetween("2026-03-26", "2026-03-31", holidays)).toEqual(["2026-03-26", "2026-03-27", "2026-03-30", "2026-03-31"]);
  });

  it("does not count the start day, which need not be a working day", () => {
    expect(addWorkingDays("2026-06-13", 1, holidays)).toBe("2026-06-15"); // Saturday + 1 = Monday
    expect(addWorkingDays("2026-06-13", -1, holidays)).toBe("2026-06-12"); // Saturday - 1 = Friday
    expect(addWorkingDays("2026-04-03", 1, holidays)).toBe("2026-04-07"); // Good Friday + 1
  });

  it("with n = 0 gives the date itself when it is a working day, otherwise the next working day", () => {
    expect(addWorkingDays("2026-04-02", 0, holidays)).toBe("2026-04-02");
    expect(addWorkingDays("2026-04-03", 0, holidays)).toBe("2026-04-07");
    expect(addWorkingDays("2026-06-13", 0, holidays)).toBe("2026-06-15");
  });

  it("refuses a fractional or infinite count", () => {
    expect(() => addWorkingDays("2026-04-02", 1.5, holidays)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-04-02", Number.POSITIVE_INFINITY, holidays)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-04-02", Number.NaN, holidays)).toThrow(RangeError);
  });

  it("gives up on a holiday list with no working day for a year rather than looping", () => {
    const everything = new Set(workingDaysBetween("2026-01-01", "2027-12-31", new Set()));
    expect(() => addWorkingDays("2026-01-01", 1, everything)).toThrow(/No working day within/);
  });
});

describe("nextWorkingDay and previousWorkingDay", () => {
  it("are strictly after or before the date", () => {
    expect(nextWorkingDay("2026-04-02", holidays)).toBe("2026-04-07");
    expect(nextWorkingDay("2026-04-07", holidays)).toBe("2026-04-08");
    expect(nextWorkingDay("2026-06-12", holidays)).toBe("2026-06-15");
    expect(previousWorkingDay("2026-04-07", holidays)).toBe("2026-04-02");
    expect(previousWorkingDay("2028-01-03", holidays)).toBe("2027-12-31");
  });
});

describe("workingDaysBetween", () => {
  it("lists the working days, both ends included", () => {
    expect(workingDaysBetween("2026-12-24", "2027-01-04", holidays)).toEqual([
      "2026-12-24",
      "2026-12-29",
      "2026-12-30",
      "2026-12-31",
      "2027-01-04",
    ]);
    expect(workingDaysBetween("2026-04-02", "2026-04-02", holidays)).toEqual(["2026-04-02"]);
    expect(workingDaysBetween("2026-04-03", "2026-04-06", holidays)).toEqual([]);
  });

  it("is empty when the end is before the start", () => {
    expect(workingDaysBetween("2026-04-08", "2026-04-07", holidays)).toEqual([]);
  });

  it("has 253 working days in 2026: 261 weekdays less 8 bank holidays (28 December standing in for Boxing Day)", () => {
    expect(workingDaysBetween("2026-01-01", "2026-12-31", holidays)).toHaveLength(253);
  });
});

describe("isoWeek", () => {
  it("is the ISO week-year and week, which differ from the calendar year around New Year", () => {
    expect(isoWeek("2026-03-30")).toBe("2026-W14");
    expect(isoWeek("2026-04-05")).toBe("2026-W14"); // Sunday ends the week
    expect(isoWeek("2026-04-06")).toBe("2026-W15");
    expect(isoWeek("2026-01-01")).toBe("2026-W01");
    expect(isoWeek("2027-01-01")).toBe("2026-W53");
    expect(isoWeek("2027-01-03")).toBe("2026-W53");
    expect(isoWeek("2027-01-04")).toBe("2027-W01");
    expect(isoWeek("2024-12-30")).toBe("2025-W01");
    expect(isoWeek("2028-01-02")).toBe("2027-W52");
    expect(isoWeek("2028-01-03")).toBe("2028-W01");
  });

  it("is the same from Monday to Sunday across a clock change", () => {
    expect(new Set(workingDaysBetween("2026-10-19", "2026-10-25", new Set()).map(isoWeek).concat(isoWeek("2026-10-25")))).toEqual(
      new Set(["2026-W43"]),
    );
    expect(isoWeek("2026-10-26")).toBe("2026-W44");
  });
});

describe("in any server time zone", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it("gives the same dates (including zones whose clocks change at midnight)", () => {
    for (const zone of ["Europe/London", "America/Santiago", "America/Sao_Paulo", "Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      process.env.TZ = zone;
      expect(addWorkingDays("2026-03-27", 1, holidays), zone).toBe("2026-03-30");
      expect(addWorkingDays("2026-10-23", 1, holidays), zone).toBe("2026-10-26");
      expect(addWorkingDays("2026-04-02", 1, holidays), zone).toBe("2026-04-07");
      expect(addCalendarDays("2026-09-05", 1), zone).toBe("2026-09-06"); // Chile's clocks go forward at midnight
      expect(isWeekend("2026-04-04"), zone).toBe(true);
      expect(isoWeek("2027-01-01"), zone).toBe("2026-W53");
    }
  });
});

describe("addWorkingDays properties", () => {
  const start = fc.integer({ min: 0, max: 4 * 366 }).map((offset) => addCalendarDays("2025-01-01", offset));

  it("n ≥ 1 working days on is a working day, with exactly n working days in (d, result]", () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 80 }), (d, n) => {
        const result = addWorkingDays(d, n, holidays);
        expect(isWorkingDay(result, holidays)).toBe(true);
        expect(workingDaysBetween(addCalendarDays(d, 1), result, holidays)).toHaveLength(n);
      }),
    );
  });

  it("n ≥ 1 working days back is a working day, with exactly n working days in [result, d)", () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 80 }), (d, n) => {
        const result = addWorkingDays(d, -n, holidays);
        expect(isWorkingDay(result, holidays)).toBe(true);
        expect(workingDaysBetween(result, addCalendarDays(d, -1), holidays)).toHaveLength(n);
      }),
    );
  });

  it("going on n and back n returns to the start when it is a working day (otherwise to the working day before it)", () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 80 }), (d, n) => {
        const there = addWorkingDays(d, n, holidays);
        expect(addWorkingDays(there, -n, holidays)).toBe(isWorkingDay(d, holidays) ? d : previousWorkingDay(d, holidays));
      }),
    );
  });
});

describe("parseBankHolidaysCsv", () => {
  it("reads date, title and notes, sorted by date, with a byte order mark and columns in any order", () => {
    const text = "\uFEFFnotes,title,date\r\n,Christmas Day,2026-12-25\r\nSubstitute day,Boxing Day,2026-12-28\r\n,New Year’s Day,2026-01-01\r\n";
    expect(parseBankHolidaysCsv(text)).toEqual([
      { date: "2026-01-01", title: "New Year’s Day", notes: null },
      { date: "2026-12-25", title: "Christmas Day", notes: null },
      { date: "2026-12-28", title: "Boxing Day", notes: "Substitute day" },
    ]);
    expect(parseBankHolidaysCsv("date,title\n2026-04-03,Good Friday\n")).toEqual([{ date: "2026-04-03", title: "Good Friday", notes: null }]);
  });

  it("refuses dates that are not real, duplicates and missing titles, with their lines", () => {
    const text = ["date,title,notes", "2026-02-29,Leap,", "2026-04-03,Good Friday,", "03/04/2026,Good Friday,", "2026-04-03,Good Friday again,", "2026-04-06,,"].join("\n");
    expect(problemsOf(text)).toEqual([
      { line: 2, reason: '"2026-02-29" is not a real date written yyyy-mm-dd' },
      { line: 4, reason: '"03/04/2026" is not a real date written yyyy-mm-dd' },
      { line: 5, reason: "2026-04-03 is listed twice (also line 3)" },
      { line: 6, reason: "no title for 2026-04-06" },
    ]);
  });

  it("refuses a file without the columns, an empty file and broken CSV", () => {
    expect(problemsOf("day,name\n2026-04-03,Good Friday\n")).toEqual([{ line: 1, reason: "missing column date, title" }]);
    expect(problemsOf("")).toEqual([{ line: null, reason: "no holidays (or no header line)" }]);
    expect(problemsOf("date,title,notes\n2026-04-03,Good Friday\n")[0]?.line).toBeNull();
    expect(() => parseBankHolidaysCsv("date,title\n2026-13-01,x\n")).toThrow(/line 2: "2026-13-01" is not a real date/);
  });
});
