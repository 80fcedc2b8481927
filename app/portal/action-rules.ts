/**
 * The rules of a trust's actions (pure: no database, no clock, no files). An action is made at publication for each
 * gap in the report; the trust works through it and records its progress. See docs/decisions/0018-actions-and-risk.md.
 *
 * Overdue. The due date is the last day to complete the action. An action that is not done is overdue once a working
 * day has passed after its due date, and "overdue by N working days" counts the working days d with
 * dueOn < d ≤ today (weekends and bank holidays in England and Wales do not count; today is the date in
 * Europe/London). So an action due on a Friday is not overdue on the Saturday or Sunday, and is overdue by 1 working
 * day on the Monday (by 1 on the Tuesday when the Monday is a bank holiday). A done action is never overdue.
 *
 * Status. open ↔ in_progress, open → done, in_progress → done, and done → in_progress ("reopened": a fix that did
 * not hold, or an action marked done by mistake; the trust says why). done → open is refused: an action that has been
 * worked on is not "not started" again. An update may keep the status and add a progress note.
 *
 * The update. A progress note is cleaned (Unicode NFC, line endings as \n, control characters other than tab and new
 * line removed, trimmed) and at most ACTION_NOTE_MAX characters once cleaned. It is needed when the status stays the
 * same (the note is the update), when the action is marked done (what was done) and when it is reopened (why). The
 * progress date is optional, except when marking done (the day it was done); it must be a real date, not after today
 * and not before the visit the action comes from.
 */
import { ACTION_STATUSES } from "../../db/schema";
import { formatCalendarDate } from "../ui/dates";
import { isCalendarDate, isWorkingDay, addCalendarDays, type CalendarDate } from "../scheduling/working-days";
import { cleanText } from "../clean-text";

export { ACTION_STATUSES };
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = { open: "Open", in_progress: "In progress", done: "Done" };

/** The GOV.UK tag colour of each status. */
export const ACTION_STATUS_TAGS: Readonly<Record<ActionStatus, string>> = { open: "govuk-tag--grey", in_progress: "govuk-tag--blue", done: "govuk-tag--green" };

/** The longest progress note, in characters once cleaned. */
export const ACTION_NOTE_MAX = 2000;

/** The most characters of a note read from a form: enough to say it is too long, never more. */
export const ACTION_NOTE_FIELD_MAX = 20_000;

export const isActionStatus = (value: unknown): value is ActionStatus => typeof value === "string" && (ACTION_STATUSES as readonly string[]).includes(value);

// ── Overdue ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The working days after `dueOn` up to and including `today` (0 when today is on or before the due date). Throws a
 * RangeError for a date that is not a real `yyyy-mm-dd` date.
 */
export function workingDaysAfter(dueOn: CalendarDate, today: CalendarDate, holidays: ReadonlySet<string>): number {
  if (!isCalendarDate(dueOn) || !isCalendarDate(today)) throw new RangeError(`Not calendar dates (yyyy-mm-dd): ${JSON.stringify(dueOn)}, ${JSON.stringify(today)}`);
  let count = 0;
  for (let day = addCalendarDays(dueOn, 1); day <= today; day = addCalendarDays(day, 1)) if (isWorkingDay(day, holidays)) count += 1;
  return count;
}

export interface Overdue {
  overdue: boolean;
  /** Working days past the due date (0 when not overdue, and always 0 for a done action). */
  workingDays: number;
}

/** Whether an action is overdue today, and by how many working days (see the module comment). */
export function overdueStatus(action: { status: ActionStatus; dueOn: CalendarDate }, today: CalendarDate, holidays: ReadonlySet<string>): Overdue {
  if (action.status === "done") return { overdue: false, workingDays: 0 };
  const workingDays = workingDaysAfter(action.dueOn, today, holidays);
  return { overdue: workingDays > 0, workingDays };
}

/** "Overdue by 1 working day", "Overdue by 12 working days". */
export function overdueText(workingDays: number): string {
  return `Overdue by ${workingDays.toLocaleString("en-GB")} working ${workingDays === 1 ? "day" : "days"}`;
}

// ── Status transitions ─────────────────────────────────────────────────────────────────────────────────────

/** The statuses an action may move to from each status (staying the same is always allowed: a note on its own). */
export const ALLOWED_TRANSITIONS: Readonly<Record<ActionStatus, readonly ActionStatus[]>> = {
  open: ["open", "in_progress", "done"],
  in_progress: ["in_progress", "open", "done"],
  done: ["done", "in_progress"],
};

export function canMove(from: ActionStatus, to: ActionStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** The statuses offered on an action's form, in order, with what each means. */
export function statusOptions(current: ActionStatus): { value: ActionStatus; text: string; hint?: string }[] {
  const hints: Record<ActionStatus, string> = {
    open: "Not started",
    in_progress: current === "done" ? "Reopen the action: say why in the note" : "Work has started",
    done: "The action is complete: say what was done and when",
  };
  return ACTION_STATUSES.filter((s) => canMove(current, s)).map((s) => ({ value: s, text: ACTION_STATUS_LABELS[s], hint: hints[s] }));
}

// ── The update ─────────────────────────────────────────────────────────────────────────────────────────────

/** Cleaned as all stored text is (app/clean-text.ts), then trimmed. */
export function cleanNote(text: string): string {
  return cleanText(text).trim();
}

export interface ActionUpdateForm {
  /** The status chosen (anything a form sent). */
  status: string;
  note: string;
  /** yyyy-mm-dd, "" for none, or anything else a form made of it (see isoFromParts). */
  progressOn: string;
}

export type ActionUpdateField = "status" | "note" | "progressOn";
export type ActionUpdateErrors = Partial<Record<ActionUpdateField, string>>;

export interface ActionUpdateValues {
  status: ActionStatus;
  note: string;
  progressOn: CalendarDate | null;
}

export interface ActionUpdateContext {
  /** The action's status now. */
  current: ActionStatus;
  /** Today in England. */
  today: CalendarDate;
  /** The date of the visit the action comes from: progress is never dated before it (null: no lower bound). */
  earliest: CalendarDate | null;
}

/**
 * Checks an update of an action against the rules in the module comment. Every problem is reported, by field, in
 * plain English, in the order the fields appear on the form.
 */
export function checkActionUpdate(form: ActionUpdateForm, { current, today, earliest }: ActionUpdateContext): { ok: true; values: ActionUpdateValues } | { ok: false; errors: ActionUpdateErrors } {
  const errors: ActionUpdateErrors = {};
  const status = isActionStatus(form.status) ? form.status : null;
  if (status === null) errors.status = "Choose the action's status";
  else if (!canMove(current, status)) errors.status = current === "done" && status === "open" ? "A done action can be reopened as in progress, not as open" : "Choose one of the statuses offered";

  const note = cleanNote(form.note);
  if (note.length > ACTION_NOTE_MAX) errors.note = `The progress note must be ${ACTION_NOTE_MAX.toLocaleString("en-GB")} characters or fewer`;
  else if (note === "" && status !== null && !errors.status) {
    if (status === current) errors.note = "Enter a progress note, or choose a different status";
    else if (status === "done") errors.note = "Say what was done to complete the action";
    else if (current === "done") errors.note = "Say why the action is being reopened";
  }

  const raw = form.progressOn.trim();
  let progressOn: CalendarDate | null = null;
  if (raw === "") {
    if (status === "done" && current !== "done") errors.progressOn = "Enter the date the action was done";
  } else if (!isCalendarDate(raw)) errors.progressOn = "The date of the progress must be a real date, for example 27 3 2026";
  else if (raw > today) errors.progressOn = "The date of the progress must be today or in the past";
  else if (earliest !== null && raw < earliest) errors.progressOn = `The date of the progress must be on or after the visit, ${formatCalendarDate(earliest)}`;
  else progressOn = raw;

  if (Object.keys(errors).length > 0 || status === null) return { ok: false, errors };
  return { ok: true, values: { status, note, progressOn } };
}
