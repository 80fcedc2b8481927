/**
 * Rating a criterion, and what a rating means against a profile (pure: no database, no clock, no files).
 *
 * The roll-up. A criterion's rating is DERIVED from its indicators of good practice when they decide it:
 *
 * - `caf` scale: an indicator is ticked (answer `true`) or not (`false`, `null`, missing: all the same). Then
 *   1. any not_achieved indicator ticked → not_achieved;
 *   2. else, when the criterion has at least one achieved indicator and every one is ticked → achieved;
 *   3. else, when it has at least one partially_achieved indicator and every one is ticked → partially_achieved;
 *   4. else nothing is derived: the inspector chooses.
 *   A level with no indicators never derives its rating, and never blocks another: with only achieved and
 *   not_achieved indicators, all achieved ticked (no not_achieved ticked) gives achieved and partially_achieved
 *   is never derived; with only not_achieved indicators, one ticked gives not_achieved and none ticked gives
 *   nothing. A criterion with no indicators at all never derives a rating.
 * - `met` scale (Cyber Essentials requirements, all at the achieved level): each requirement is answered Met
 *   (`true`), Not met (`false`) or not yet (`null`, missing). Any Not met → not_achieved (Not met); else, when
 *   there is at least one requirement and all are Met → achieved (Met); else nothing is derived. No requirements:
 *   never derived.
 * Answers are matched by indicator id and compared strictly (`=== true`, `=== false`); answers for ids that are
 * not the criterion's indicators are ignored.
 *
 * The rating (resolveRating). The inspector may leave the derived rating, choose the same one, or override it with
 * a reason (non-empty after trimming, at most OVERRIDE_REASON_MAX characters once trimmed). When nothing is
 * derived the inspector must choose, and no reason is needed. not_applicable and not_assessed are always a
 * choice: an override (reason needed) only when a rating was derived. A met-scale criterion is never
 * partially_achieved.
 *
 * Gaps (gapStatus). Against a profile's minimum for the criterion (not_achieved < partially_achieved < achieved) a
 * rating below the minimum is a gap, and a gap needs a severity. A criterion not rated yet, or rated not_assessed,
 * is "not-assessed" (whatever its minimum: it is reported as not yet assessed, never as a gap); not_applicable is
 * "not-applicable", never a gap; with no minimum nothing is a gap ("no-minimum").
 *
 * Actions. The due date suggested for the action on a gap is DUE_WORKING_DAYS[severity] working days after the
 * visit date (addWorkingDays: weekends and bank holidays do not count, the visit date itself never counts).
 *
 * Movement (movement, summariseMovements). Against the same criterion's rating at the trust's last approved inspection:
 * improved, held or fell along the same order (Not met < Met on the met scale); "new" with no earlier rating; "not
 * comparable" when either is not_applicable or not_assessed.
 */
import type { IndicatorLevel, Rating, Scale } from "./framework-constants";
import { RATINGS } from "./framework-constants";
import { addWorkingDays, type CalendarDate } from "../scheduling/working-days";

export type { IndicatorLevel, Rating, Scale };

/** A rating the indicators can give: never not_applicable or not_assessed (those are always a choice). */
export type DerivedRating = IndicatorLevel;

/** A profile's minimum for a criterion. */
export type Minimum = IndicatorLevel;

/** The answers to a criterion's indicators, by indicator id: ticked / Met (true), Not met (false), unanswered. */
export type IndicatorAnswers = Readonly<Record<string, boolean | null | undefined>>;

/** The longest override reason, in characters once trimmed. */
export const OVERRIDE_REASON_MAX = 1000;

// ── Labels ─────────────────────────────────────────────────────────────────────────────────────────────────

const CAF_LABELS: Record<Rating, string> = {
  achieved: "Achieved",
  partially_achieved: "Partially achieved",
  not_achieved: "Not achieved",
  not_applicable: "Not applicable",
  not_assessed: "Not assessed",
};

/**
 * A rating in words: "Achieved", "Partially achieved", "Not achieved", "Not applicable", "Not assessed"; on the met
 * scale achieved is "Met" and not_achieved "Not met". (partially_achieved cannot be stored for a met-scale
 * criterion; were it ever shown, it reads "Partially achieved" rather than failing the page.)
 */
export function ratingLabel(rating: Rating, scale: Scale): string {
  if (scale === "met" && rating === "achieved") return "Met";
  if (scale === "met" && rating === "not_achieved") return "Not met";
  return CAF_LABELS[rating];
}

/** The ratings an inspector may choose for a criterion of `scale`, in the order to offer them. */
export function ratingsFor(scale: Scale): Rating[] {
  return scale === "met" ? RATINGS.filter((r) => r !== "partially_achieved") : [...RATINGS];
}

// ── The roll-up ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The rating the indicators give, or null when they do not decide it (see the module comment for the rules).
 * Throws a RangeError for a met-scale criterion with an indicator not at the achieved level (parseFrameworkFile
 * refuses such a file, so this is a programming error, not something an inspector can do).
 */
export function deriveRating(scale: Scale, indicators: readonly { id: string; level: IndicatorLevel }[], answers: IndicatorAnswers): DerivedRating | null {
  if (indicators.length === 0) return null;
  if (scale === "met") {
    const odd = indicators.find((i) => i.level !== "achieved");
    if (odd) throw new RangeError(`A met-scale criterion's indicators are requirements at the achieved level, not ${odd.level} ("${odd.id}")`);
    const answered = indicators.map((i) => answers[i.id]);
    if (answered.some((a) => a === false)) return "not_achieved";
    return answered.every((a) => a === true) ? "achieved" : null;
  }
  const ticked = (i: { id: string }) => answers[i.id] === true;
  const at = (level: IndicatorLevel) => indicators.filter((i) => i.level === level);
  if (at("not_achieved").some(ticked)) return "not_achieved";
  const achieved = at("achieved");
  if (achieved.length > 0 && achieved.every(ticked)) return "achieved";
  const partial = at("partially_achieved");
  if (partial.length > 0 && partial.every(ticked)) return "partially_achieved";
  return null;
}

// ── The rating given ───────────────────────────────────────────────────────────────────────────────────────

export interface RatingChoice {
  scale: Scale;
  /** What deriveRating gives. */
  derived: DerivedRating | null;
  /** What the inspector chose; null or undefined: nothing chosen (the derived rating stands, if there is one). */
  chosen: Rating | null | undefined;
  /** Why the chosen rating differs from the derived one. */
  overrideReason?: string | null;
}

export type ResolvedRating =
  | {
      ok: true;
      rating: Rating;
      /** True when the rating differs from a derived one. */
      overridden: boolean;
      /** The reason, trimmed, when overridden; otherwise null (a reason given for no override is dropped). */
      reason: string | null;
    }
  | { ok: false; error: string };

/**
 * The criterion's rating, from what the indicators give and what the inspector chose, or why it cannot be
 * accepted, in plain English:
 *
 * - nothing chosen: the derived rating (not overridden), or "Choose a rating…" when nothing is derived;
 * - partially_achieved on the met scale: refused ("A Cyber Essentials requirement is Met or Not met…");
 * - the same rating as derived, or any rating when nothing is derived: accepted, not an override, reason dropped;
 * - another rating than derived (not_applicable and not_assessed included): an override, which needs a reason,
 *   non-empty once trimmed and at most OVERRIDE_REASON_MAX characters.
 *
 * Throws a RangeError when `derived` is not a rating the indicators can give on that scale (a programming error).
 */
export function resolveRating({ scale, derived, chosen, overrideReason }: RatingChoice): ResolvedRating {
  if (derived !== null && !(scale === "met" ? derived === "achieved" || derived === "not_achieved" : Object.hasOwn(LEVEL_ORDER, derived))) {
    throw new RangeError(`The indicators of a ${scale}-scale criterion cannot give ${String(derived)}`);
  }
  const what = scale === "met" ? "requirements" : "indicators";
  if (chosen === null || chosen === undefined) {
    if (derived === null) return { ok: false, error: `Choose a rating: the ${scale === "met" ? "requirements answered" : "indicators ticked"} do not decide it` };
    return { ok: true, rating: derived, overridden: false, reason: null };
  }
  if (!(RATINGS as readonly string[]).includes(chosen)) return { ok: false, error: "Choose one of the ratings offered" };
  if (scale === "met" && chosen === "partially_achieved") {
    return { ok: false, error: "A Cyber Essentials requirement is Met or Not met: it cannot be Partially achieved" };
  }
  if (derived === null || chosen === derived) return { ok: true, rating: chosen, overridden: false, reason: null };
  const reason = (overrideReason ?? "").trim();
  if (reason === "") return { ok: false, error: `The ${what} give ${ratingLabel(derived, scale)}: give a reason to rate it differently` };
  if (reason.length > OVERRIDE_REASON_MAX) return { ok: false, error: `The reason must be ${OVERRIDE_REASON_MAX} characters or fewer` };
  return { ok: true, rating: chosen, overridden: true, reason };
}

// ── Gaps against a profile ─────────────────────────────────────────────────────────────────────────────────

/** not_achieved < partially_achieved < achieved. */
export const LEVEL_ORDER: Readonly<Record<IndicatorLevel, number>> = { not_achieved: 0, partially_achieved: 1, achieved: 2 };

export const GAP_STATUSES = ["meets", "gap", "not-assessed", "not-applicable", "no-minimum"] as const;
export type GapStatus = (typeof GAP_STATUSES)[number];

/**
 * Where a rating stands against the profile's minimum for its criterion. Checked in this order: not rated yet
 * (null) or not_assessed → "not-assessed"; not_applicable → "not-applicable"; no minimum → "no-minimum"; below the
 * minimum → "gap"; otherwise (at or above it) → "meets".
 */
export function gapStatus(rating: Rating | null, minimum: Minimum | null): GapStatus {
  if (rating === null || rating === "not_assessed") return "not-assessed";
  if (rating === "not_applicable") return "not-applicable";
  if (minimum === null) return "no-minimum";
  return LEVEL_ORDER[rating] < LEVEL_ORDER[minimum] ? "gap" : "meets";
}

/** A rating below the profile's minimum (never not_applicable, not_assessed, or anything when there is no minimum). */
export function isGap(rating: Rating | null, minimum: Minimum | null): boolean {
  return gapStatus(rating, minimum) === "gap";
}

// ── Severities and due dates ───────────────────────────────────────────────────────────────────────────────

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };

/**
 * The working days from the visit date to the due date suggested for an action, by the gap's severity: about two
 * weeks, six weeks, three months and four and a half months.
 */
export const DUE_WORKING_DAYS: Readonly<Record<Severity, number>> = { critical: 10, high: 30, medium: 60, low: 90 };

/**
 * The due date suggested for an action on a gap of `severity`: DUE_WORKING_DAYS[severity] working days after
 * `fromDate` (the visit date, `yyyy-mm-dd`), which itself never counts. Throws a RangeError for a date that is not a
 * real `yyyy-mm-dd` date.
 */
export function suggestedDueDate(severity: Severity, fromDate: CalendarDate, holidays: ReadonlySet<string>): CalendarDate {
  return addWorkingDays(fromDate, DUE_WORKING_DAYS[severity], holidays);
}

/**
 * The severity to keep with a finding: a gap needs one of SEVERITIES; anything that is not a gap has none (a
 * severity given for it is dropped, so a criterion re-rated out of a gap loses its severity).
 */
export function resolveSeverity(
  rating: Rating | null,
  minimum: Minimum | null,
  severity: Severity | null | undefined,
): { ok: true; severity: Severity | null } | { ok: false; error: string } {
  if (!isGap(rating, minimum)) return { ok: true, severity: null };
  if (severity === null || severity === undefined || !(SEVERITIES as readonly string[]).includes(severity)) {
    return { ok: false, error: "The rating is below the profile's minimum: choose a severity (critical, high, medium or low)" };
  }
  return { ok: true, severity };
}

// ── Progress ───────────────────────────────────────────────────────────────────────────────────────────────

/** One criterion of a section, as summariseFindings needs it. */
export interface FindingToSummarise {
  /** The profile's minimum, or null for none. */
  minimum: Minimum | null;
  /** The rating given, or null when not rated yet (the same as not_assessed). */
  rating: Rating | null;
  /** The gap's severity; ignored unless the finding is a gap. */
  severity?: Severity | null;
}

export interface FindingsSummary {
  total: number;
  /** Rated with anything but not_assessed (not_applicable included). */
  assessed: number;
  /** total - assessed: not rated yet, or rated not_assessed. */
  notAssessed: number;
  notApplicable: number;
  /** At or above the profile's minimum. */
  meetsProfile: number;
  /** Rated (not not_applicable) with no minimum in the profile. */
  noMinimum: number;
  /** Below the profile's minimum, whatever their severity. */
  gaps: number;
  gapsBySeverity: Record<Severity, number>;
  /** Gaps with no severity chosen yet (counted in `gaps`, not in gapsBySeverity). */
  gapsWithoutSeverity: number;
}

/**
 * Counts for a section's progress: assessed of total, gaps by severity, how many meet the profile. Every finding
 * is counted in exactly one of notAssessed, notApplicable, noMinimum, meetsProfile and gaps.
 */
export function summariseFindings(findings: Iterable<FindingToSummarise>): FindingsSummary {
  const summary: FindingsSummary = {
    total: 0,
    assessed: 0,
    notAssessed: 0,
    notApplicable: 0,
    meetsProfile: 0,
    noMinimum: 0,
    gaps: 0,
    gapsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    gapsWithoutSeverity: 0,
  };
  for (const f of findings) {
    summary.total += 1;
    const status = gapStatus(f.rating, f.minimum);
    if (status !== "not-assessed") summary.assessed += 1;
    switch (status) {
      case "not-assessed":
        summary.notAssessed += 1;
        break;
      case "not-applicable":
        summary.notApplicable += 1;
        break;
      case "no-minimum":
        summary.noMinimum += 1;
        break;
      case "meets":
        summary.meetsProfile += 1;
        break;
      case "gap":
        summary.gaps += 1;
        if (f.severity && (SEVERITIES as readonly string[]).includes(f.severity)) summary.gapsBySeverity[f.severity] += 1;
        else summary.gapsWithoutSeverity += 1;
        break;
    }
  }
  return summary;
}

// ── Movement since the last inspection ─────────────────────────────────────────────────────────────────────

/**
 * How a criterion's rating moved since the trust's last approved inspection on the same framework version:
 * "improved", "held" or "fell" along not_achieved < partially_achieved < achieved (on the met scale Not met < Met);
 * "new" when there is no earlier rating; "not comparable" when either rating is not_applicable or not_assessed.
 */
export const MOVEMENTS = ["improved", "held", "fell", "new", "not comparable"] as const;
export type Movement = (typeof MOVEMENTS)[number];

/** The words for a movement, as a sentence goes on ("… 12 March 2025: improved"). */
export const MOVEMENT_LABELS: Readonly<Record<Movement, string>> = {
  improved: "improved",
  held: "held",
  fell: "fell",
  new: "no earlier rating",
  "not comparable": "not comparable",
};

const isLevel = (rating: Rating): rating is IndicatorLevel => Object.hasOwn(LEVEL_ORDER, rating);

/**
 * The movement from `previous` (the earlier inspection's rating of the same criterion, or null when there is none)
 * to `current`. Checked in this order: no earlier rating → "new"; either rating not_applicable or not_assessed (or
 * anything that is not a rating) → "not comparable"; otherwise higher → "improved", the same → "held", lower →
 * "fell". The met scale needs no scale argument: Met is stored as achieved and Not met as not_achieved.
 */
export function movement(previous: Rating | null, current: Rating): Movement {
  if (previous === null) return "new";
  if (!isLevel(previous) || !isLevel(current)) return "not comparable";
  const change = LEVEL_ORDER[current] - LEVEL_ORDER[previous];
  return change > 0 ? "improved" : change < 0 ? "fell" : "held";
}

/** A section's criteria by movement: every criterion is counted in exactly one. */
export interface MovementSummary {
  improved: number;
  held: number;
  fell: number;
  /** No earlier rating. */
  new: number;
  notComparable: number;
}

/** Counts movements (a section's roll-up: its criteria and those of the sections below it). */
export function summariseMovements(movements: Iterable<Movement>): MovementSummary {
  const summary: MovementSummary = { improved: 0, held: 0, fell: 0, new: 0, notComparable: 0 };
  for (const m of movements) {
    if (m === "not comparable") summary.notComparable += 1;
    else summary[m] += 1;
  }
  return summary;
}

/** Whether any criterion counted had an earlier rating (so there is something to compare with at all). */
export function hasEarlierRatings(summary: MovementSummary): boolean {
  return summary.improved + summary.held + summary.fell + summary.notComparable > 0;
}
