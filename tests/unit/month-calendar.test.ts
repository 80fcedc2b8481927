import { describe, expect, it } from "vitest";
import { monthCalendar } from "../../app/scheduling/month-calendar";

describe("monthCalendar", () => {
  const holidays = new Set(["2027-03-26", "2027-03-29"]);
  const items = [
    { date: "2027-01-04", id: "a" },
    { date: "2027-01-04", id: "b" },
    { date: "2027-03-31", id: "c" },
  ];
  const months = monthCalendar({ start: "2027-01-01", end: "2027-03-31" }, items, holidays);

  it("gives each month of the period, as weeks of Monday to Friday", () => {
    expect(months.map((m) => m.month)).toEqual(["2027-01", "2027-02", "2027-03"]);
    for (const month of months) {
      for (const week of month.weeks) {
        expect(week).toHaveLength(5);
        expect(new Date(`${week[0]!.date}T00:00:00Z`).getUTCDay()).toBe(1);
        expect(week.some((d) => d.inMonth)).toBe(true);
      }
    }
    // January 2027 starts on a Friday: its first row runs from Monday 28 December 2026.
    expect(months[0]!.weeks[0]!.map((d) => d.date)).toEqual(["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01"]);
    expect(months[0]!.weeks[0]!.map((d) => d.inMonth)).toEqual([false, false, false, false, true]);
    // February 2027 is exactly four weeks, Monday 1 to Sunday 28.
    expect(months[1]!.weeks).toHaveLength(4);
  });

  it("puts items on their day and marks holidays and days outside the period", () => {
    const days = months.flatMap((m) => m.weeks.flat().filter((d) => d.inMonth));
    const on = (date: string) => days.find((d) => d.date === date)!;
    expect(on("2027-01-04").items.map((i) => i.id)).toEqual(["a", "b"]);
    expect(on("2027-03-31").items.map((i) => i.id)).toEqual(["c"]);
    expect(on("2027-03-26").holiday).toBe(true);
    expect(on("2027-03-25").holiday).toBe(false);
    expect(days.filter((d) => d.items.length > 0)).toHaveLength(2);
    const partial = monthCalendar({ start: "2027-01-15", end: "2027-02-10" }, [], holidays);
    const january = partial[0]!.weeks.flat().filter((d) => d.inMonth);
    expect(january.find((d) => d.date === "2027-01-14")!.inPeriod).toBe(false);
    expect(january.find((d) => d.date === "2027-01-15")!.inPeriod).toBe(true);
  });
});
