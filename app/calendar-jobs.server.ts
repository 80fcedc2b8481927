/**
 * Work that follows the calendar rather than a request. Actions fall overdue as the days pass, with nobody touching
 * them, so the risk model's "Overdue actions" indicator is recorded again every hour a server runs (as well as at
 * start-up, at publication and at each update): recordActionIndicators records nothing when the values already
 * recorded today still hold, so an hour with no change costs one read. And the rows of ended sessions and of sign-ins
 * left halfway are deleted, so abandoned ones do not pile up.
 */
import { CHALLENGE_MINUTES } from "./auth/mfa";
import { sweepEndedSessions } from "./auth/session.server";
import { getDb, type Db } from "./db.server";
import { recordActionIndicators } from "./portal/actions.server";

export const CALENDAR_JOB_INTERVAL_MS = 60 * 60 * 1000;

export interface CalendarJobOptions {
  db?: Db;
  everyMs?: number;
  /** The clock (tests move it on). */
  now?: () => Date;
}

/** Starts the hourly jobs; they never keep the process alive. Returns a function that stops them. */
export function startCalendarJobs({ db, everyMs = CALENDAR_JOB_INTERVAL_MS, now = () => new Date() }: CalendarJobOptions = {}): () => void {
  const timer = setInterval(() => {
    try {
      recordActionIndicators(db ?? getDb(), now());
    } catch (error) {
      // A busy or failing database must not stop the server; the next hour tries again.
      console.error("Recording the action indicators failed:", error);
    }
    try {
      sweepEndedSessions(db ?? getDb(), now(), CHALLENGE_MINUTES);
    } catch (error) {
      console.error("Sweeping ended sessions failed:", error);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
