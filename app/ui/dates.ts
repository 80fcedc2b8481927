/** Dates as people in England read them: Europe/London, English month names. */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

const LONDON = "Europe/London";

/** "30 November 2026" from a yyyy-mm-dd calendar date (no time zone involved). */
export function formatCalendarDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  const [y, m, d] = isoDate.split("-").map(Number);
  if (!y || !m || !d) return isoDate;
  return format(new Date(y, m - 1, d), "d MMMM yyyy");
}

/** "Monday 30 November 2026" from a yyyy-mm-dd calendar date (no time zone involved). */
export function formatCalendarDateWithWeekday(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  const [y, m, d] = isoDate.split("-").map(Number);
  if (!y || !m || !d) return isoDate;
  return format(new Date(y, m - 1, d), "EEEE d MMMM yyyy");
}

/** "30 November 2026, 2:05pm" in London time from a UTC instant. */
export function formatDateTime(isoInstant: string | null | undefined): string {
  if (!isoInstant) return "";
  const date = new TZDate(new Date(isoInstant).getTime(), LONDON);
  return format(date, "d MMMM yyyy, h:mmaaa");
}
