/**
 * Reading what people type about inspectors (pure: no database, no clock): the profile the planner works from,
 * leave and other unavailability, and conflicts of interest. Each parser returns the clean input or one
 * GOV.UK-style message per field. Checks that need the database (the trust is in the register and open, a
 * conflict is not declared twice) are made in inspectors.server.ts. The labels the pages show and the limits are in
 * inspector-fields.ts (re-exported here).
 */
import { z } from "zod";
import {
  BASE_LABEL_MAX,
  CONFLICT_REASON_MAX,
  LEAVE_KINDS,
  LEAVE_MAX_DAYS,
  LEAVE_MAX_YEARS_AHEAD,
  LEAVE_NOTE_MAX,
  MAX_NON_WORKING_DAYS,
  MAX_VISITS_PER_WEEK,
  SKILL_LABELS,
  type ConflictField,
  type ConflictFieldErrors,
  type ConflictInput,
  type LeaveField,
  type LeaveFieldErrors,
  type LeaveInput,
  type Parsed,
  type ProfileField,
  type ProfileFieldErrors,
  type ProfileInput,
  type RawInput,
  type Skill,
} from "./inspector-fields";

// The labels, limits, fields and inputs are in inspector-fields.ts, which pages import: this module builds zod
// schemas when it loads, so importing anything from it in client code would send all of zod to the browser.
// Re-exported here for server code and tests.
export * from "./inspector-fields";

const SKILL_CODES = Object.keys(SKILL_LABELS) as [Skill, ...Skill[]];

// ── Dates ─────────────────────────────────────────────────────────────────────────────────────────────────

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real yyyy-mm-dd date, or null (so "2026-02-30" and "2026-4-3" are null). */
function dayNumber(value: string): number | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.getTime() / 86_400_000;
}

export function isRealDate(value: string): boolean {
  return dayNumber(value) !== null;
}

/** How many days from `from` to `to` (negative when `to` is earlier). Both must be real dates. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to)! - dayNumber(from)!;
}

/** The same day `years` years later (29 February becomes 1 March), yyyy-mm-dd. */
export function yearsLater(date: string, years: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

// ── Field types ───────────────────────────────────────────────────────────────────────────────────────────

const text = (missing: string, max: number, tooLong: string) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, tooLong);

const dateField = (missing: string, invalid: string) =>
  z.string({ error: missing }).trim().min(1, missing).refine(isRealDate, invalid);

/** Ticked checkboxes arrive as one string, several strings, or nothing at all. */
const list = (v: unknown) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);

const trustCode = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .toUpperCase()
    .min(1, missing)
    .regex(/^[A-Z0-9]{3,5}$/, "Select a trust from the list");

/** A whole number from a form field (text) or from code (a number); blank is "not given". */
const wholeNumber = (missing: string, notNumber: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v),
    z.number({ error: (issue) => (issue.input === undefined ? missing : notNumber) }),
  );

function collectErrors<K extends string>(issues: readonly z.core.$ZodIssue[], fields: readonly K[], fallback: K): Partial<Record<K, string>> {
  const errors: Partial<Record<K, string>> = {};
  for (const issue of issues) {
    const field = issue.path[0];
    const key = typeof field === "string" && (fields as readonly string[]).includes(field) ? (field as K) : fallback;
    errors[key] ??= issue.message;
  }
  return errors;
}

// ── Profile ───────────────────────────────────────────────────────────────────────────────────────────────

const profileSchema = (regionCodes: readonly string[]) =>
  z.object({
    homeRegionCode: z
      .string({ error: "Select the home region" })
      .trim()
      .toUpperCase()
      .min(1, "Select the home region")
      .refine((code) => regionCodes.includes(code), "Select a home region from the list"),
    baseLabel: text(
      "Enter where the inspector is based, like an office or a postcode",
      BASE_LABEL_MAX,
      `Where the inspector is based must be ${BASE_LABEL_MAX} characters or fewer`,
    ),
    baseTrustCode: z.preprocess(
      (v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v),
      trustCode("Select the trust nearest the base").nullable(),
    ),
    skills: z.preprocess(
      list,
      z
        .array(z.enum(SKILL_CODES, { error: "Select skills from the list" }), { error: "Select at least one skill" })
        .min(1, "Select at least one skill"),
    ),
    maxVisitsPerWeek: wholeNumber("Enter the most visits the inspector can make in a week", "The most visits in a week must be a number, like 2").pipe(
      z
        .number()
        .int("The most visits in a week must be a whole number, like 2")
        .min(1, `The most visits in a week must be from 1 to ${MAX_VISITS_PER_WEEK}`)
        .max(MAX_VISITS_PER_WEEK, `The most visits in a week must be from 1 to ${MAX_VISITS_PER_WEEK}`),
    ),
    nonWorkingWeekdays: z.preprocess(
      (v) => list(v).map((day) => (typeof day === "string" && /^\s*\d+\s*$/.test(day) ? Number(day) : day)),
      z
        .array(
          z.number({ error: "Select days from Monday to Friday" }).int("Select days from Monday to Friday").min(1, "Select days from Monday to Friday").max(5, "Select days from Monday to Friday"),
          { error: "Select days from Monday to Friday" },
        )
        .refine((days) => new Set(days).size <= MAX_NON_WORKING_DAYS, `Select no more than ${MAX_NON_WORKING_DAYS} days not worked: the inspector must work at least 1 day a week`),
    ),
  });

const PROFILE_FIELDS: readonly ProfileField[] = ["homeRegionCode", "baseLabel", "baseTrustCode", "skills", "maxVisitsPerWeek", "nonWorkingWeekdays"];

/** A profile from a form (or code). `regionCodes` are the regions a home region may be. */
export function parseProfileInput(raw: RawInput<ProfileInput>, regionCodes: readonly string[]): Parsed<ProfileInput, ProfileFieldErrors> {
  const parsed = profileSchema(regionCodes).safeParse(raw);
  if (!parsed.success) return { ok: false, errors: collectErrors(parsed.error.issues, PROFILE_FIELDS, "homeRegionCode") };
  const { skills, nonWorkingWeekdays, ...rest } = parsed.data;
  return {
    ok: true,
    input: {
      ...rest,
      skills: SKILL_CODES.filter((s) => skills.includes(s)),
      nonWorkingWeekdays: [...new Set(nonWorkingWeekdays)].sort((a, b) => a - b),
    },
  };
}

// ── Leave ─────────────────────────────────────────────────────────────────────────────────────────────────

const leaveSchema = z.object({
  startDate: dateField("Enter the date the leave starts", "The start date must be a real date"),
  endDate: dateField("Enter the date the leave ends", "The end date must be a real date"),
  kind: z.enum(LEAVE_KINDS, { error: "Select the kind of unavailability" }),
  note: z.preprocess(
    (v) => (v === undefined || v === null ? "" : v),
    z.string({ error: "Enter the note as text" }).trim().max(LEAVE_NOTE_MAX, `The note must be ${LEAVE_NOTE_MAX} characters or fewer`),
  ),
});

const LEAVE_FIELDS: readonly LeaveField[] = ["startDate", "endDate", "kind", "note"];

/** A period of leave or other unavailability, both dates included. `today` is yyyy-mm-dd in Europe/London. */
export function parseLeaveInput(raw: RawInput<LeaveInput>, today: string): Parsed<LeaveInput, LeaveFieldErrors> {
  const parsed = leaveSchema.safeParse(raw);
  const errors: LeaveFieldErrors = parsed.success ? {} : collectErrors(parsed.error.issues, LEAVE_FIELDS, "startDate");
  // Checked here rather than in the schema, so they are reported along with any other problem in the form.
  const [start, end] = [raw.startDate, raw.endDate].map((v) => (typeof v === "string" ? v.trim() : ""));
  if (!errors.startDate && isRealDate(start!) && start! > yearsLater(today, LEAVE_MAX_YEARS_AHEAD)) {
    errors.startDate = `The start date must be no more than ${LEAVE_MAX_YEARS_AHEAD} years from today`;
  }
  if (!errors.startDate && !errors.endDate && isRealDate(start!) && isRealDate(end!)) {
    if (end! < start!) errors.endDate = "The end date must be the same as or after the start date";
    else if (daysBetween(start!, end!) + 1 > LEAVE_MAX_DAYS) {
      errors.endDate = `One period can be at most ${LEAVE_MAX_DAYS} days long: add a longer absence as more than one period`;
    }
  }
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: parsed.data };
  return { ok: false, errors };
}

// ── Conflicts of interest ─────────────────────────────────────────────────────────────────────────────────

const conflictSchema = z.object({
  trustCode: trustCode("Select the trust"),
  reason: text(
    "Enter the reason for the conflict of interest",
    CONFLICT_REASON_MAX,
    `The reason must be ${CONFLICT_REASON_MAX} characters or fewer`,
  ),
  until: dateField("Enter the date the conflict of interest lasts until", "The date the conflict lasts until must be a real date"),
});

const CONFLICT_FIELDS: readonly ConflictField[] = ["trustCode", "reason", "until"];

/** A conflict of interest with one trust, until a date (included) that is today or later. */
export function parseConflictInput(raw: RawInput<ConflictInput>, today: string): Parsed<ConflictInput, ConflictFieldErrors> {
  const parsed = conflictSchema.safeParse(raw);
  const errors: ConflictFieldErrors = parsed.success ? {} : collectErrors(parsed.error.issues, CONFLICT_FIELDS, "trustCode");
  const until = typeof raw.until === "string" ? raw.until.trim() : "";
  if (!errors.until && isRealDate(until) && until < today) errors.until = "The date the conflict lasts until must be today or later";
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: parsed.data };
  return { ok: false, errors };
}
