/**
 * The calendar feed's text (app/scheduling/calendar.ts), read back with ical.js, an independent parser: one
 * confidential all-day event per visit with only the agreed fields, the same text for the same visits whatever the
 * clock, the order or the server's time zone.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildCalendar, CALENDAR_NAME, eventUid, type CalendarVisit } from "../../app/scheduling/calendar";
import { parseCalendar } from "../support/ical";

const VISITS: CalendarVisit[] = [
  {
    id: "2b1f6a0e-0000-4000-8000-000000000001",
    date: "2026-03-03",
    trustName: "Guy's and St Thomas' NHS Foundation Trust",
    location: "Great Maze Pond, London, SE1 9RT",
    team: [
      { name: "Sam Member", role: "member" },
      { name: "Alex Lead", role: "lead" },
    ],
    changedAt: "2026-01-15T09:30:00.000Z",
    version: 3,
  },
  {
    id: "2b1f6a0e-0000-4000-8000-000000000002",
    date: "2025-12-31",
    trustName: "Odd; name, with \\ punctuation",
    location: "1 Road; Town, AB1 2CD",
    team: [{ name: "Alex Lead", role: "lead" }],
    changedAt: "2025-11-01T00:00:00Z",
    version: 1,
  },
];

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
  vi.useRealTimers();
});

describe("buildCalendar", () => {
  it("names the calendar and has one event per visit, in date order", () => {
    const calendar = parseCalendar(buildCalendar(VISITS));
    expect(calendar.props["X-WR-CALNAME"]).toBe(CALENDAR_NAME);
    expect(calendar.props.VERSION).toBe("2.0");
    expect(calendar.events.map((e) => e.uid)).toEqual([eventUid(VISITS[1]!.id), eventUid(VISITS[0]!.id)]);
    expect(eventUid("abc")).toBe("abc@deep-dive");
  });

  it("makes each visit a confidential, confirmed all-day event on its date, with the agreed text", () => {
    const [second, first] = parseCalendar(buildCalendar(VISITS, { origin: "https://deep-dive.example/" })).events;
    expect(first).toMatchObject({
      uid: `${VISITS[0]!.id}@deep-dive`,
      summary: "Deep Dive visit: Guy's and St Thomas' NHS Foundation Trust",
      location: "Great Maze Pond, London, SE1 9RT",
      start: "2026-03-03",
      end: "2026-03-04",
      allDay: true,
      stamp: "2026-01-15T09:30:00.000Z",
    });
    expect(first!.props.CLASS).toBe("CONFIDENTIAL");
    expect(first!.props.STATUS).toBe("CONFIRMED");
    expect(first!.props.SEQUENCE).toBe("2");
    // The lead first, whatever order the team is given in; and an absolute link to the visit's page.
    expect(first!.description).toBe(
      [
        "Unannounced inspection: keep confidential.",
        "",
        "Team:",
        "Lead: Alex Lead",
        "Member: Sam Member",
        "",
        `Visit page: https://deep-dive.example/visits/${VISITS[0]!.id}`,
      ].join("\n"),
    );
    // Text with iCalendar's special characters comes back exactly; the year boundary is handled.
    expect(second).toMatchObject({ summary: "Deep Dive visit: Odd; name, with \\ punctuation", location: "1 Road; Town, AB1 2CD" });
    expect(second).toMatchObject({ start: "2025-12-31", end: "2026-01-01", allDay: true, stamp: "2025-11-01T00:00:00.000Z" });
    expect(second!.props.SEQUENCE).toBe("0");
  });

  it("links to the visit by path when the origin is not known", () => {
    const [, first] = parseCalendar(buildCalendar(VISITS)).events;
    expect(first!.description).toMatch(new RegExp(`\\nVisit page: /visits/${VISITS[0]!.id}$`));
  });

  it("has nothing in an event beyond the agreed properties", () => {
    for (const event of parseCalendar(buildCalendar(VISITS)).events) {
      expect(Object.keys(event.props).sort()).toEqual(
        [
          "CLASS",
          "DESCRIPTION",
          "DTEND",
          "DTSTAMP",
          "DTSTART",
          "LOCATION",
          "SEQUENCE",
          "STATUS",
          "SUMMARY",
          "UID",
          // ical-generator's all-day hints for Outlook.
          "X-MICROSOFT-CDO-ALLDAYEVENT",
          "X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT",
        ].sort(),
      );
    }
  });

  it("gives the same text for the same visits, whatever the clock and the order they come in", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-02-01T12:00:00Z"));
    const once = buildCalendar(VISITS);
    vi.setSystemTime(new Date("2027-07-09T03:21:00Z"));
    const again = buildCalendar([...VISITS].reverse());
    expect(again).toBe(once);
    expect(once).not.toContain("2027");
  });

  it("puts events on the same dates whatever the server's time zone", () => {
    const dates = (tz: string) => {
      process.env.TZ = tz;
      return parseCalendar(buildCalendar(VISITS)).events.map((e) => [e.start, e.end, e.stamp]);
    };
    const utc = dates("UTC");
    expect(utc).toEqual([
      ["2025-12-31", "2026-01-01", "2025-11-01T00:00:00.000Z"],
      ["2026-03-03", "2026-03-04", "2026-01-15T09:30:00.000Z"],
    ]);
    for (const tz of ["Pacific/Kiritimati", "America/Los_Angeles", "Europe/London"]) expect(dates(tz), tz).toEqual(utc);
  });

  it("writes a calendar with no events when there are no visits", () => {
    const calendar = parseCalendar(buildCalendar([]));
    expect(calendar.events).toEqual([]);
    expect(calendar.props["X-WR-CALNAME"]).toBe(CALENDAR_NAME);
  });

  it("refuses a visit whose date or change time is not real, rather than writing a wrong event", () => {
    expect(() => buildCalendar([{ ...VISITS[0]!, date: "2026-02-30" }])).toThrow(/calendar date/);
    expect(() => buildCalendar([{ ...VISITS[0]!, date: "3 March 2026" }])).toThrow(/calendar date/);
    expect(() => buildCalendar([{ ...VISITS[0]!, changedAt: "yesterday" }])).toThrow(/instant/);
  });
});
