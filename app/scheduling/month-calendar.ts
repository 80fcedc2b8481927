/**
 * A month calendar of visits (pure): the months a period covers, each as weeks of Monday to Friday, each day with
 * its visits and whether it is outside the period or a bank holiday. Weekends are left out: visits are never on
 * them, and five columns fit a laptop screen.
 */
import { addCalendarDays } from "./working-days";

export interface CalendarDay<T> {
  date: string;
  /** Day of the month. */
  day: number;
  inPeriod: boolean;
  inMonth: boolean;
  holiday: boolean;
  items: T[];
}

export interface CalendarMonth<T> {
  /** yyyy-mm */
  month: string;
  weeks: CalendarDay<T>[][];
}

const isoWeekday = (date: string) => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
};

export function monthCalendar<T extends { date: string }>(
  period: { start: string; end: string },
  items: readonly T[],
  holidays: ReadonlySet<string>,
): CalendarMonth<T>[] {
  const byDate = new Map<string, T[]>();
  for (const item of items) byDate.set(item.date, [...(byDate.get(item.date) ?? []), item]);
  const months: CalendarMonth<T>[] = [];
  let monthStart = `${period.start.slice(0, 7)}-01`;
  while (monthStart <= period.end) {
    const month = monthStart.slice(0, 7);
    // From the Monday of the week holding the 1st to the Friday of the week holding the last day.
    let day = addCalendarDays(monthStart, 1 - isoWeekday(monthStart));
    const weeks: CalendarDay<T>[][] = [];
    while (day.slice(0, 7) <= month) {
      const week: CalendarDay<T>[] = [];
      for (let i = 0; i < 5; i++) {
        const date = addCalendarDays(day, i);
        week.push({
          date,
          day: Number(date.slice(8)),
          inMonth: date.slice(0, 7) === month,
          inPeriod: date >= period.start && date <= period.end,
          holiday: holidays.has(date),
          items: byDate.get(date) ?? [],
        });
      }
      if (week.some((d) => d.inMonth)) weeks.push(week);
      day = addCalendarDays(day, 7);
    }
    months.push({ month, weeks });
    monthStart = addCalendarDays(`${month}-01`, 32).slice(0, 7) + "-01";
  }
  return months;
}
