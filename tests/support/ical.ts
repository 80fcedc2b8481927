/** Reads an iCalendar feed with Mozilla's ical.js, a parser independent of the library that writes the feed. */
import ICAL from "ical.js";

export interface ParsedEvent {
  uid: string;
  summary: string;
  location: string;
  description: string;
  /** CLASS, STATUS and the other properties by name (upper case), as text. */
  props: Record<string, string>;
  /** yyyy-mm-dd */
  start: string;
  end: string;
  allDay: boolean;
  /** DTSTAMP as an ISO instant. */
  stamp: string;
}

export interface ParsedCalendar {
  props: Record<string, string>;
  events: ParsedEvent[];
}

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

export function parseCalendar(ics: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  if (calendar.name !== "vcalendar") throw new Error(`not a calendar: ${calendar.name}`);
  const propsOf = (component: InstanceType<typeof ICAL.Component>) =>
    Object.fromEntries(component.getAllProperties().map((p) => [p.name.toUpperCase(), text(p.getFirstValue())]));
  return {
    props: propsOf(calendar),
    events: calendar.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      const stamp = vevent.getFirstPropertyValue("dtstamp") as InstanceType<typeof ICAL.Time>;
      return {
        uid: event.uid,
        summary: event.summary,
        location: event.location,
        description: event.description,
        props: propsOf(vevent),
        start: event.startDate.toString().slice(0, 10),
        end: event.endDate.toString().slice(0, 10),
        allDay: event.startDate.isDate && event.endDate.isDate,
        stamp: stamp.toJSDate().toISOString(),
      };
    }),
  };
}
