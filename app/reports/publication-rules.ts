/**
 * The rules of the factual accuracy check and publication (issue 6), pure: no database, no clock, no files. Shared by
 * app/reports/publication.server.ts, which enforces them, and the pages, which show them (this is not a .server
 * module, so components may import its constants and labels).
 *
 * - After approval the reviewer (or a programme lead) opens the check: the trust's users see the draft report and
 *   may comment until the close date, ACCURACY_WINDOW_WORKING_DAYS working days after the day it opened (that day not
 *   counted), inclusive, in Europe/London.
 * - Comments are decided (accepted or rejected, always with a reason) by the inspection's reviewer or a programme lead
 *   who was not on the visit's team and has no conflict of interest with the trust; the same people open the check,
 *   publish the report and publish corrections. Never the team, never an admin.
 * - The report is published once every comment is decided, and either the window has closed or the publisher
 *   confirms the trust has told CQC it has finished checking (see publishRefusal).
 */
import { addWorkingDays, type CalendarDate } from "../scheduling/working-days";
import { cleanText } from "../clean-text";

/** How long the trust has to check the draft report, in working days after the day the check opens. */
export const ACCURACY_WINDOW_WORKING_DAYS = 10;

/** The longest comment, reason and correction note, in characters once cleaned and trimmed. */
export const ACCURACY_COMMENT_MAX = 2000;
export const DECISION_REASON_MAX = 2000;
export const CORRECTION_NOTE_MAX = 2000;
/** The most comments one inspection takes (a safeguard: a real check raises a handful). */
export const ACCURACY_COMMENTS_PER_INSPECTION_MAX = 300;

export const ACCURACY_CATEGORIES = ["typing_error", "inaccurate_fact", "omitted_evidence"] as const;
export type AccuracyCategory = (typeof ACCURACY_CATEGORIES)[number];
export const REPORT_PARTS = ["summary", "finding", "action_plan", "method"] as const;
export type ReportPart = (typeof REPORT_PARTS)[number];
export const ACCURACY_DECISIONS = ["accepted", "rejected"] as const;
export type AccuracyDecision = (typeof ACCURACY_DECISIONS)[number];

export const CATEGORY_LABELS: Record<AccuracyCategory, string> = {
  typing_error: "Typing error",
  inaccurate_fact: "Inaccurate fact",
  omitted_evidence: "Omitted evidence",
};

export const CATEGORY_HINTS: Record<AccuracyCategory, string> = {
  typing_error: "A spelling or typing mistake, a wrong name or title",
  inaccurate_fact: "Something the report states that is not correct",
  omitted_evidence: "Evidence the team saw, or was offered, that the report leaves out",
};

export const PART_LABELS: Record<ReportPart, string> = {
  summary: "The summary",
  finding: "A finding",
  action_plan: "The action plan",
  method: "How the inspection was done",
};

export const DECISION_LABELS: Record<AccuracyDecision, string> = { accepted: "Accepted", rejected: "Rejected" };

/** The text fields of a finding a reviewer may correct after approval (never the rating, severity or due date). */
export const CORRECTABLE_FIELDS = ["observed", "evidenceDocuments", "evidencePeople", "evidenceSystems", "recommendation"] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

export const CORRECTABLE_FIELD_LABELS: Record<CorrectableField, string> = {
  observed: "What was observed",
  evidenceDocuments: "Documents seen",
  evidencePeople: "People spoken to",
  evidenceSystems: "Systems seen",
  recommendation: "Recommendation",
};

export { cleanText };

/** The last day the trust may comment: ACCURACY_WINDOW_WORKING_DAYS working days after the day the check opens. */
export function accuracyCloseDate(openedOn: CalendarDate, holidays: ReadonlySet<string>): CalendarDate {
  return addWorkingDays(openedOn, ACCURACY_WINDOW_WORKING_DAYS, holidays);
}

/** Whether the trust may still comment on `today` (Europe/London): up to and including the close date. */
export function isWindowOpen(today: CalendarDate, closesOn: CalendarDate | null): boolean {
  return closesOn !== null && today <= closesOn;
}

export interface StaffCandidate {
  id: string;
  role: string;
  disabled: boolean;
}

export interface InspectionPeople {
  reviewerId: string | null;
  teamIds: readonly string[];
  /** Whether the candidate has a conflict of interest with the trust in force today. */
  conflicted: boolean;
}

/**
 * Why a user may not open the check, decide comments, publish or correct the report, or null when they may: the
 * inspection's reviewer, or a programme lead; in either case not on the visit's team and without a conflict of
 * interest with the trust. (A reviewer was checked for both when they started the review; checked again, as a
 * conflict may have been declared since.)
 */
export function publicationStaffRefusal(user: StaffCandidate, inspection: InspectionPeople, what: string): string | null {
  const who = "the inspection's reviewer, or a programme lead who was not on the visit";
  if (user.disabled || (user.role !== "programme_lead" && user.role !== "inspector")) return `Only ${who}, ${what}`;
  if (user.role === "inspector" && inspection.reviewerId !== user.id) return `Only ${who}, ${what}`;
  if (inspection.teamIds.includes(user.id)) return `The visit's team cannot decide about its own report: only ${who}, ${what}`;
  if (inspection.conflicted) return "You have a conflict of interest with this trust: someone else must do this";
  return null;
}

export interface PublishState {
  status: string;
  /** Comments not decided yet. */
  undecided: number;
  today: CalendarDate;
  closesOn: CalendarDate | null;
  /** The publisher confirms that the trust has told CQC it has finished checking the draft. */
  trustFinished: boolean;
}

/**
 * Why the report cannot be published yet, or null when it can: only during the factual accuracy check, once every
 * comment is decided, and after the close date, unless the publisher confirms that the trust has said it has
 * finished (the trust's right to the whole window is given up only by the trust).
 */
export function publishRefusal(state: PublishState, formatDate: (date: CalendarDate) => string = (d) => d): string | null {
  if (state.status === "published") return "The report is already published";
  if (state.status !== "factual_accuracy") return "The report is published after the trust's factual accuracy check";
  if (state.undecided > 0) return `Decide every comment from the trust first: ${state.undecided === 1 ? "1 comment is" : `${state.undecided} comments are`} not decided yet`;
  if (isWindowOpen(state.today, state.closesOn) && !state.trustFinished) {
    return `The trust can comment until ${formatDate(state.closesOn!)}: publish after that, or confirm that the trust has told you it has finished checking`;
  }
  return null;
}

export interface VersionRow {
  version: number;
}

/** Whether each report version is superseded: every version but the latest is. */
export function withSuperseded<T extends VersionRow>(versions: readonly T[]): (T & { superseded: boolean })[] {
  const latest = Math.max(0, ...versions.map((v) => v.version));
  return versions.map((v) => ({ ...v, superseded: v.version !== latest }));
}

/** A whole positive version number from a URL segment ("1", "12"), or null ("01", "1.5", "0", "abc" are not). */
export function parseVersion(segment: string | undefined): number | null {
  if (!segment || !/^[1-9]\d{0,5}$/.test(segment)) return null;
  return Number(segment);
}

export type TextCheck = { ok: true; text: string } | { ok: false; error: string };

/** Free text as stored: cleaned, trimmed, non-empty and at most `max` characters. */
export function requiredText(raw: unknown, max: number, messages: { empty: string; long: string }): TextCheck {
  const text = cleanText(typeof raw === "string" ? raw : "").trim();
  if (text === "") return { ok: false, error: messages.empty };
  if (text.length > max) return { ok: false, error: messages.long };
  return { ok: true, text };
}

export interface CommentInput {
  part: unknown;
  findingId?: unknown;
  category: unknown;
  text: unknown;
}

export type CommentField = "part" | "findingId" | "category" | "text";

/**
 * A trust's comment checked as far as it can be without the database: a part of the report, a finding when the part
 * is a finding (checked against the inspection by the caller), a category and the text. Every problem, by field.
 */
export function checkCommentInput(
  input: CommentInput,
): { ok: true; value: { part: ReportPart; findingId: string | null; category: AccuracyCategory; text: string } } | { ok: false; errors: Partial<Record<CommentField, string>> } {
  const errors: Partial<Record<CommentField, string>> = {};
  const part = (REPORT_PARTS as readonly unknown[]).includes(input.part) ? (input.part as ReportPart) : null;
  if (!part) errors.part = "Choose which part of the report your comment is about";
  const findingId = typeof input.findingId === "string" && input.findingId !== "" ? input.findingId : null;
  if (part === "finding" && !findingId) errors.findingId = "Choose the finding your comment is about";
  const category = (ACCURACY_CATEGORIES as readonly unknown[]).includes(input.category) ? (input.category as AccuracyCategory) : null;
  if (!category) errors.category = "Choose what kind of comment it is";
  const text = requiredText(input.text, ACCURACY_COMMENT_MAX, {
    empty: "Write your comment",
    long: `Your comment must be ${ACCURACY_COMMENT_MAX.toLocaleString("en-GB")} characters or fewer`,
  });
  if (!text.ok) errors.text = text.error;
  if (!part || !category || !text.ok || (part === "finding" && !findingId)) return { ok: false, errors };
  return { ok: true, value: { part, findingId: part === "finding" ? findingId : null, category, text: text.text } };
}
