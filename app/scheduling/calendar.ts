/**
 * An inspector's visits as an iCalendar feed (RFC 5545), for the private calendar link
 * (docs/decisions/0011-calendar-feeds.md). Pure: no database, no clock; the same visits always give the same text.
 *
 * Each visit is a confidential all-day event with the minimum an inspector needs in their own calendar: the trust,
 * its address, the team and the link to the visit's page. Nothing about risk, selection or anyone else's visits.
 */
import ical, { ICalEventClass, ICalEventStatus } from "ical-generator";

export const CALENDAR_NAME = "Deep Dive – my visits";

/** How often calendar apps are asked to fetch the feed again (REFRESH-INTERVAL and X-PUBLISHED-TTL), in seconds. */
export const REFRESH_SECONDS = 60 * 60;

export interface CalendarTeamMember {
  name: string;
  role: "lead" | "member";
}

export interface CalendarVisit {
  id: string;
  /** yyyy-mm-dd: the event lasts that whole day. */
  date: string;
  trustName: string;
  /** The trust's address on one line. */
  location: string;
  team: CalendarTeamMember[];
  /** When the visit last changed (an ISO instant): the event's DTSTAMP, so the feed depends on data, not the clock. */
  changedAt: string;
  /** The visit's version (1 upward): its SEQUENCE is version − 1. */
  version: number;
}

export interface CalendarOptions {
  /** The service's origin (https://host), so the link to a visit is absolute; without it the link is a path. */
  origin?: string | null;
}

const ROLE_TEXT = { lead: "Lead", member: "Member" } as const;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The event's UID: stable for a visit, so a calendar app updates the event when the visit changes. */
export const eventUid = (visitId: string) => `${visitId}@deep-dive`;

export const visitPath = (visitId: string) => `/visits/${encodeURIComponent(visitId)}`;

/**
 * A calendar date as midnight UTC. ical-generator writes an all-day date from a Date's UTC fields when no time zone
 * is set, whatever the server's own time zone, so the event is on exactly this date.
 */
function utcMidnight(date: string): Date {
  const match = CALENDAR_DATE.exec(date);
  const value = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : new Date(NaN);
  if (Number.isNaN(value.getTime()) || value.toISOString().slice(0, 10) !== date) throw new Error(`Not a calendar date: ${date}`);
  return value;
}

function description(visit: CalendarVisit, origin: string | null): string {
  const team = [...visit.team].sort((a, b) => (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1));
  return [
    "Unannounced inspection: keep confidential.",
    "",
    "Team:",
    ...team.map((m) => `${ROLE_TEXT[m.role]}: ${m.name}`),
    "",
    `Visit page: ${(origin ?? "") + visitPath(visit.id)}`,
  ].join("\n");
}

/** The feed's text. Events are in date order, then by id, so the same visits in any order give the same feed. */
export function buildCalendar(visits: readonly CalendarVisit[], options: CalendarOptions = {}): string {
  const origin = options.origin ? options.origin.replace(/\/+$/, "") : null;
  // No calendar time zone: ical-generator would then write the all-day dates and DTSTAMP in the server's local
  // time. All-day dates are "floating" (they need no zone) and DTSTAMP must be UTC (RFC 5545 3.8.7.2).
  const calendar = ical({
    name: CALENDAR_NAME,
    prodId: { company: "Care Quality Commission", product: "Deep Dive", language: "EN" },
    ttl: REFRESH_SECONDS,
  });
  const ordered = [...visits].sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.date < b.date ? -1 : 1));
  for (const visit of ordered) {
    const start = utcMidnight(visit.date);
    const stamp = new Date(visit.changedAt);
    if (Number.isNaN(stamp.getTime())) throw new Error(`Not an instant: ${visit.changedAt}`);
    calendar.createEvent({
      id: eventUid(visit.id),
      sequence: Math.max(0, visit.version - 1),
      stamp,
      allDay: true,
      start,
      // DTEND of an all-day event is the next day (exclusive), so the event is exactly the one day.
      end: new Date(start.getTime() + 24 * 60 * 60 * 1000),
      summary: `Deep Dive visit: ${visit.trustName}`,
      location: visit.location,
      description: description(visit, origin),
      class: ICalEventClass.CONFIDENTIAL,
      status: ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
