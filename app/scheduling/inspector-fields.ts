/**
 * What the inspector pages and forms work with (pure, and safe in the browser: no zod, no database, no clock):
 * the labels the pages show, the limits on each field, the fields and the inputs. Pages import these from here;
 * the zod parsers are in inspector-input.ts, which only server code imports, so that zod is never sent to the
 * browser.
 */
import type { SKILLS } from "../../db/schema";

export type Skill = (typeof SKILLS)[number];

export const SKILL_LABELS: Record<Skill, string> = {
  technical_testing: "Technical testing",
  governance_risk: "Governance and risk",
};

export const LEAVE_KINDS = ["leave", "training", "other"] as const;
export type LeaveKind = (typeof LEAVE_KINDS)[number];

export const LEAVE_KIND_LABELS: Record<LeaveKind, string> = {
  leave: "Leave",
  training: "Training",
  other: "Other unavailability",
};

/** ISO weekdays, 1 = Monday … 5 = Friday: the days an inspector may not work. */
export const WEEKDAY_LABELS: Record<number, string> = { 1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday" };
export const WEEKDAYS = [1, 2, 3, 4, 5] as const;

export const BASE_LABEL_MAX = 100;
export const MAX_VISITS_PER_WEEK = 5;
/** At most this many weekdays off, so everyone works at least one day a week. */
export const MAX_NON_WORKING_DAYS = 4;
export const LEAVE_NOTE_MAX = 200;
/** The longest one period of leave, in days, both ends included. */
export const LEAVE_MAX_DAYS = 366;
/** Leave may start at most this many years from today. */
export const LEAVE_MAX_YEARS_AHEAD = 2;
export const CONFLICT_REASON_MAX = 500;

export type ProfileField = "homeRegionCode" | "baseLabel" | "baseTrustCode" | "skills" | "maxVisitsPerWeek" | "nonWorkingWeekdays";
export type LeaveField = "startDate" | "endDate" | "kind" | "note";
export type ConflictField = "trustCode" | "reason" | "until";

export type ProfileFieldErrors = Partial<Record<ProfileField, string>>;
export type LeaveFieldErrors = Partial<Record<LeaveField, string>>;
export type ConflictFieldErrors = Partial<Record<ConflictField, string>>;

export type Parsed<T, E> = { ok: true; input: T } | { ok: false; errors: E };

export interface ProfileInput {
  homeRegionCode: string;
  baseLabel: string;
  /** The open NHS trust nearest the base, used for its location; null when not given. */
  baseTrustCode: string | null;
  /** In the order of SKILL_LABELS, each once. */
  skills: Skill[];
  maxVisitsPerWeek: number;
  /** Ascending, each once. */
  nonWorkingWeekdays: number[];
}

export interface LeaveInput {
  startDate: string;
  endDate: string;
  kind: LeaveKind;
  note: string;
}

export interface ConflictInput {
  trustCode: string;
  reason: string;
  until: string;
}

export type RawInput<T> = Partial<Record<keyof T, unknown>>;
